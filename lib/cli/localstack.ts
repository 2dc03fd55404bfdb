import { allSteps, type Executor } from '../model/workflow.js';
import type { Compiled } from '../compile.js';

/** What LocalStack says about itself at GET /_localstack/info (localstack/localstack: `InfoResource`). */
export interface LocalStackInfo {
  readonly version?: string;
  /** `community`, `pro`, `enterprise`; `unknown` in host mode. */
  readonly edition?: string;
  /** false: LocalStack runs on the host (scripts/localstack/up.sh), not in its Docker image. */
  readonly is_docker?: boolean;
}

/** The LocalStack answering at `endpoint`, or undefined when what answers there is not LocalStack. */
export async function localStackAt(endpoint: string, timeoutMs = 3000): Promise<LocalStackInfo | undefined> {
  try {
    const response = await fetch(`${endpoint}/_localstack/info`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const info = (await response.json()) as LocalStackInfo | null;
    return info && typeof info === 'object' && typeof info.version === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why this LocalStack cannot host these executors, or undefined when it can. Lambda functions run in
 * Docker containers, which a host-mode LocalStack cannot start; ECS is not in LocalStack's community
 * edition (and needs Docker too). Such a deploy would fail after CloudFormation created half the stack.
 */
export function unhostableExecutors(compiled: Compiled, info: LocalStackInfo, stack: string): string | undefined {
  const paid = info.edition === 'pro' || info.edition === 'enterprise';
  const cannot = (executor: Executor): boolean =>
    executor === 'lambda' ? info.is_docker !== true : executor === 'ecs' ? info.is_docker !== true || !paid : false;
  const refused = allSteps(compiled.workflow).filter((s) => cannot(s.executor));
  if (refused.length === 0) return undefined;
  const where = `${info.is_docker ? 'LocalStack' : 'host-mode LocalStack'} ${info.version ?? ''}`.trim();
  const containers = refused.map((s) => `${s.container.name} (${s.executor})`).join(', ');
  const { annotations } = compiled.workflow;
  const annotated = refused
    .filter(
      (s) =>
        annotations[`pod2sfn.dev/executor.${s.container.name}`] !== undefined ||
        annotations['pod2sfn.dev/executor'] !== undefined,
    )
    .map((s) => s.container.name);
  return [
    `${where} cannot run ${containers}: nothing was deployed.`,
    `Deploy with --executor activity and run the containers with \`pod2sfn agent --stack ${stack}\``,
    ...(annotated.length > 0
      ? [
          `(--executor does not override the pod2sfn.dev/executor annotation of ${annotated.join(', ')}: ` +
            'change it there)',
        ]
      : []),
  ].join('\n');
}
