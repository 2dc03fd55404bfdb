/** One CloudFormation stack event, as the toolkit reports it and DescribeStackEvents returns it. */
export interface StackEventLike {
  readonly Timestamp?: Date;
  readonly StackName?: string;
  readonly LogicalResourceId?: string;
  readonly ResourceType?: string;
  readonly ResourceStatus?: string;
  readonly ResourceStatusReason?: string;
}

/**
 * The progress line of one resource event, for stderr: `HH:MM:SS  STACK  STATUS  TYPE  RESOURCE  [reason]`,
 * the columns padded so a deploy reads as a table, like `kubectl get -w`.
 */
export function eventLine(event: StackEventLike, resource = event.LogicalResourceId ?? '', progress?: string): string {
  const time = (event.Timestamp ?? new Date()).toISOString().slice(11, 19);
  const columns = [
    time,
    ...(progress ? [progress.trim()] : []),
    event.StackName ?? '',
    (event.ResourceStatus ?? '').padEnd(18),
    (event.ResourceType ?? '').padEnd(34),
    resource,
  ];
  const reason = event.ResourceStatusReason?.replace(/\s+/g, ' ').trim();
  return `${columns.join('  ')}${reason ? `  ${reason}` : ''}`;
}
