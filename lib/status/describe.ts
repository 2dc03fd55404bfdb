/**
 * `kubectl describe pod`, ported for a run (pkg/describe/describe.go: describePod, describeContainers,
 * describeStatus, DescribeEvents): the same fields, levels and tabwriter alignment, over the Pod a
 * run's events give. What a cluster has and a run has not (IP, node, QoS, tolerations) is left out;
 * each container says its executor and the command that prints its logs. Pure: `now` gives the ages.
 */
import type { PodShape, StepShape } from '../model/pod-shape.js';
import type { ContainerState, ContainerStatus, Pod } from './core-v1.js';
import { translateTimestampSince } from './kubectl.js';
import type { PodEvent } from './events.js';
import { DEADLINE_MESSAGE } from './pod-status.js';

export interface DescribeInput {
  /** The run's Pod (./run-list.ts runPod), with its spec as written when it is at hand. */
  readonly pod: Pod;
  readonly shape: PodShape;
  readonly events: readonly PodEvent[];
  readonly now: Date;
  /** How `pod2sfn logs` finds the run (`run-1 --stack web`, or its ARN); default: the Pod's name. */
  readonly logsTarget?: string;
  /** Set while the run is being deleted: `Termination Grace Period`. */
  readonly gracePeriodSeconds?: number;
}

/** What describe reads of a container in the spec as written; a deployed definition gives name and image. */
interface DescribedContainer {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly volumeMounts?: ReadonlyArray<{ mountPath: string; name: string; readOnly?: boolean; subPath?: string }>;
}
interface DescribedVolume {
  readonly name: string;
  readonly emptyDir?: { medium?: string; sizeLimit?: string | number };
  readonly configMap?: { name?: string; optional?: boolean };
  readonly secret?: { secretName?: string; optional?: boolean };
}

/** One line for the tabwriter: its cells, split at tabs. */
type Line = string;

export function describePod(input: DescribeInput): string {
  const { pod, shape, now } = input;
  const meta = pod.metadata ?? {};
  const status = pod.status ?? {};
  const spec = (pod.spec ?? {}) as {
    initContainers?: readonly DescribedContainer[];
    containers?: readonly DescribedContainer[];
    volumes?: readonly DescribedVolume[];
  };
  const out: Line[] = [];
  const w = (level: number, text: string) => out.push(`${'  '.repeat(level)}${text}`);

  w(0, `Name:\t${meta.name ?? ''}`);
  w(0, `Namespace:\t${meta.namespace ?? ''}`);
  if (status.startTime) w(0, `Start Time:\t${rfc1123z(status.startTime)}`);
  multiline(w, 'Labels', meta.labels);
  multiline(w, 'Annotations', meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w(0, `Status:\tTerminating (lasts ${translateTimestampSince(meta.deletionTimestamp, now)})`);
    if (input.gracePeriodSeconds !== undefined) w(0, `Termination Grace Period:\t${input.gracePeriodSeconds}s`);
  } else w(0, `Status:\t${status.phase ?? ''}`);
  if (status.reason) w(0, `Reason:\t${status.reason}`);
  if (status.message) w(0, `Message:\t${status.message}`);

  const steps = new Map([...shape.init, ...shape.app].map((s) => [s.container.name, s]));
  const containers = (label: string, list: readonly DescribedContainer[], statuses: readonly ContainerStatus[]) => {
    w(0, `${label}:${list.length === 0 ? ' <none>' : ''}`);
    for (const container of list)
      describeContainer(w, container, steps.get(container.name), statuses, input.logsTarget ?? meta.name ?? '');
  };
  if ((spec.initContainers ?? []).length > 0)
    containers('Init Containers', spec.initContainers!, status.initContainerStatuses ?? []);
  containers('Containers', spec.containers ?? [], status.containerStatuses ?? []);

  if ((status.conditions ?? []).length > 0) {
    w(0, 'Conditions:');
    w(1, 'Type\tStatus');
    for (const c of status.conditions!) w(1, `${c.type} \t${c.status} `);
  }
  describeVolumes(w, spec.volumes ?? []);
  // DescribeEvents flushes the tabwriter before a table, which then aligns on its own.
  const events = eventLines(input);
  if (events.length === 1) return tabwrite([...out, ...events]);
  return `${tabwrite(out)}${tabwrite(events)}`;
}

function describeContainer(
  w: (level: number, text: string) => void,
  container: DescribedContainer,
  step: StepShape | undefined,
  statuses: readonly ContainerStatus[],
  logsTarget: string,
): void {
  const status = statuses.find((s) => s.name === container.name);
  w(1, `${container.name}:`);
  w(2, `Image:\t${container.image ?? step?.container.image ?? ''}`);
  if (step) w(2, `Executor:\t${step.executor}`);
  w(2, `Logs:\tpod2sfn logs ${logsTarget} -c ${container.name}`);
  for (const [label, words] of [
    ['Command', container.command ?? step?.container.command],
    ['Args', container.args ?? step?.container.args],
  ] as const) {
    if (!words || words.length === 0) continue;
    w(2, `${label}:`);
    for (const word of words) for (const line of word.split('\n')) w(3, line);
  }
  if (status) {
    describeState(w, 'State', status.state);
    if (status.lastState.terminated) describeState(w, 'Last State', status.lastState);
    w(2, `Ready:\t${status.ready ? 'True' : 'False'}`);
    w(2, `Restart Count:\t${status.restartCount}`);
  }
  const mounts = [...(container.volumeMounts ?? [])].sort((a, b) => a.mountPath.localeCompare(b.mountPath));
  w(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    w(3, `${m.mountPath} from ${m.name} (${flags.join(',')})`);
  }
}

function describeState(w: (level: number, text: string) => void, name: string, state: ContainerState): void {
  if (state.running) {
    w(2, `${name}:\tRunning`);
    w(3, `Started:\t${rfc1123z(state.running.startedAt)}`);
  } else if (state.terminated) {
    const t = state.terminated;
    w(2, `${name}:\tTerminated`);
    if (t.reason) w(3, `Reason:\t${t.reason}`);
    if (t.message) w(3, `Message:\t${t.message}`);
    w(3, `Exit Code:\t${t.exitCode}`);
    if ((t.signal ?? 0) > 0) w(3, `Signal:\t${t.signal}`);
    w(3, `Started:\t${rfc1123z(t.startedAt)}`);
    w(3, `Finished:\t${rfc1123z(t.finishedAt)}`);
  } else {
    w(2, `${name}:\tWaiting`);
    if (state.waiting?.reason) w(3, `Reason:\t${state.waiting.reason}`);
  }
}

function describeVolumes(w: (level: number, text: string) => void, volumes: readonly DescribedVolume[]): void {
  if (volumes.length === 0) return w(0, 'Volumes:\t<none>');
  w(0, 'Volumes:');
  for (const v of volumes) {
    w(1, `${v.name}:`);
    if (v.emptyDir) {
      w(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)");
      w(2, `Medium:\t${v.emptyDir.medium ?? ''}`);
      w(2, `SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}`);
    } else if (v.configMap) {
      w(2, 'Type:\tConfigMap (a volume populated by a ConfigMap)');
      w(2, `Name:\t${v.configMap.name ?? ''}`);
      w(2, `Optional:\t${v.configMap.optional === true}`);
    } else if (v.secret) {
      w(2, 'Type:\tSecret (a volume populated by a Secret)');
      w(2, `SecretName:\t${v.secret.secretName ?? ''}`);
      w(2, `Optional:\t${v.secret.optional === true}`);
    } else w(1, '<unknown>');
  }
}

/** printLabelsMultiline: `Labels:  <none>`, or one `key=value` a line, sorted by key. */
function multiline(
  w: (level: number, text: string) => void,
  title: string,
  values: Readonly<Record<string, string>> | undefined,
): void {
  const keys = Object.keys(values ?? {}).sort();
  if (keys.length === 0) return w(0, `${title}:\t<none>`);
  keys.forEach((key, i) => w(0, `${i === 0 ? `${title}:` : ''}\t${key}=${values![key]}`));
}

interface KubeEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly from: string;
  readonly message: string;
  readonly first: Date;
  last: Date;
  count: number;
}

/** The Events table: what the scheduler and the kubelet would have said, from the run's PodEvents. */
function eventLines(input: DescribeInput): Line[] {
  const events = kubeEvents(input);
  if (events.length === 0) return ['Events:\t<none>'];
  const age = (e: KubeEvent) => {
    const since = translateTimestampSince(e.last.toISOString(), input.now);
    return e.count > 1
      ? `${since} (x${e.count} over ${translateTimestampSince(e.first.toISOString(), input.now)})`
      : since;
  };
  return [
    'Events:',
    '  Type\tReason\tAge\tFrom\tMessage',
    '  ----\t------\t----\t----\t-------',
    ...events.map((e) => `  ${e.type}\t${e.reason}\t${age(e)}\t${e.from}\t${e.message.trim()}`),
  ];
}

/**
 * PodEvents → the events kubectl lists, repeats counted as one (`5s (x3 over 1m)`), ordered as
 * kubectl orders them: by when each last happened.
 */
export function kubeEvents(input: Pick<DescribeInput, 'pod' | 'shape' | 'events'>): KubeEvent[] {
  const { shape } = input;
  const name = input.pod.metadata?.name ?? shape.name;
  const executorOf = new Map([...shape.init, ...shape.app].map((s) => [s.container.name, s.executor]));
  const out: KubeEvent[] = [];
  const add = (type: KubeEvent['type'], reason: string, from: string, message: string, at: Date) => {
    const same = out.find((e) => e.type === type && e.reason === reason && e.from === from && e.message === message);
    if (same) {
      same.count++;
      same.last = at;
    } else out.push({ type, reason, from, message, first: at, last: at, count: 1 });
  };
  for (const event of input.events) {
    const from = 'container' in event ? (executorOf.get(event.container) ?? 'kubelet') : 'step-functions';
    switch (event.type) {
      case 'PodStarted':
        add(
          'Normal',
          'Scheduled',
          from,
          `Successfully assigned ${shape.namespace}/${name} to Step Functions`,
          event.at,
        );
        break;
      case 'ContainerWaiting':
        if (event.reason === 'ContainerCreating' || event.reason === 'PodInitializing')
          add('Normal', 'Created', from, `Created container ${event.container}`, event.at);
        else if (event.reason === 'CrashLoopBackOff')
          add(
            'Warning',
            'BackOff',
            from,
            `Back-off restarting failed container ${event.container} in pod ${name}`,
            event.at,
          );
        else
          add(
            'Warning',
            'Failed',
            from,
            `Error: ${event.reason}${event.message ? `: ${event.message}` : ''}`,
            event.at,
          );
        break;
      case 'ContainerStarted':
        add('Normal', 'Started', from, `Started container ${event.container}`, event.at);
        break;
      case 'ContainerExited':
        if (event.exitCode === 0) add('Normal', 'Completed', from, `Container ${event.container} completed`, event.at);
        else
          add(
            'Warning',
            'Failed',
            from,
            `Container ${event.container} exited with code ${event.exitCode}` +
              `${event.reason && event.reason !== 'Error' ? ` (${event.reason})` : ''}`,
            event.at,
          );
        break;
      case 'PodStopping':
        if (event.reason === 'DeadlineExceeded') add('Normal', 'DeadlineExceeded', from, DEADLINE_MESSAGE, event.at);
        else add('Normal', 'Killing', from, 'Stopping the containers of the run (StopExecution)', event.at);
        break;
      case 'PodFinished':
        if (event.phase === 'Failed' && event.message && event.reason !== 'DeadlineExceeded')
          add('Warning', 'Failed', from, event.message, event.at);
        break;
    }
  }
  return out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.last.getTime() - b.e.last.getTime() || a.i - b.i)
    .map(({ e }) => e);
}

/**
 * Go's text/tabwriter as describe sets it up (minwidth 0, padding 2, spaces): a column of cells ends
 * at a line that has no cell there; each cell is padded to the widest of its column plus two; the
 * text after a line's last tab is not a cell.
 */
export function tabwrite(lines: readonly Line[]): string {
  const rows = lines.map((line) => line.split('\t'));
  const widths = rows.map((row) => row.map(() => 0));
  const columns = Math.max(0, ...rows.map((row) => row.length - 1));
  for (let column = 0; column < columns; column++) {
    let start = 0;
    while (start < rows.length) {
      if (rows[start]!.length - 1 <= column) {
        start++;
        continue;
      }
      let end = start;
      while (end < rows.length && rows[end]!.length - 1 > column) end++;
      const width = Math.max(...rows.slice(start, end).map((row) => row[column]!.length)) + 2;
      for (let i = start; i < end; i++) widths[i]![column] = width;
      start = end;
    }
  }
  return rows
    .map((row, r) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[r]![i]!) : cell)).join(''))
    .map((line) => `${line}\n`)
    .join('');
}

/** Go's time.RFC1123Z, in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(time: string | undefined): string {
  if (!time) return '';
  const d = new Date(time);
  const [day, date, month, year, clock] = d.toUTCString().replace(',', '').split(' ');
  return `${day}, ${date} ${month} ${year} ${clock} +0000`;
}
