import { error, formatPath, hasErrors, warning, type Diagnostic, type PathSegment } from '../diagnostics.js';

import type { Container, LoadedPod, PodSpec } from '../manifest/index.js';
import { parseQuantity } from '../quantity.js';
import { CRASH_LOOP_BACKOFF, JOB_POD_BACKOFF } from './backoff.js';
import type { Executor } from './executor.js';
import { envOf } from './env.js';
import {
  FARGATE_EPHEMERAL_GIB,
  fargateSize,
  fitsLambda,
  lambdaSize,
  wantedResources,
  withVolumeStorage,
  type Wanted,
} from './sizing.js';
import { stepIdOf } from './workflow.js';
import type { ActivityTimeouts, Backoff, ExitCodeRule, Mount, Role, Step, Volume, Workflow } from './workflow.js';

/** Step Functions' largest MaxAttempts: "forever", bounded only by a deadline. */
export const UNBOUNDED_ATTEMPTS = 99_999_999;
const DEFAULT_BACKOFF_LIMIT = 6;
export const DEFAULT_GRACE_SECONDS = 30;
/** An activity worker silent this long is lost (docs/agent.md); `pod2sfn.dev/heartbeat-seconds` changes it. */
export const DEFAULT_HEARTBEAT_SECONDS = 60;
/** Without a deadline, an activity Task (waiting for a worker, then running) is bounded by a day. */
export const ACTIVITY_TIMEOUT_WITHOUT_DEADLINE = 86_400;

export interface PlanOptions {
  /** The executor for containers that name none in their annotations (`--executor`). @default automatic */
  readonly executor?: Executor;
}

export interface PlanResult {
  readonly workflow?: Workflow;
  readonly diagnostics: readonly Diagnostic[];
}

/** Turns a validated pod into the Workflow model, with the Kubernetes semantics of docs/design.md §2. */
export function plan(pod: LoadedPod, options: PlanOptions = {}): PlanResult {
  const diagnostics: Diagnostic[] = [];
  const spec = pod.spec;
  const restartPolicy = spec.restartPolicy ?? 'Always';
  const deadlineSeconds = minDefined(spec.activeDeadlineSeconds, pod.job?.activeDeadlineSeconds);
  const isJob = pod.job !== undefined;
  const podRetry: Backoff | undefined =
    isJob && restartPolicy === 'Never'
      ? { ...JOB_POD_BACKOFF, maxAttempts: pod.job?.backoffLimit ?? DEFAULT_BACKOFF_LIMIT }
      : undefined;
  const containerRestarts = restartPolicy === 'Never' ? undefined : restartBackoff(pod);

  if (containerRestarts?.maxAttempts === UNBOUNDED_ATTEMPTS && deadlineSeconds === undefined) {
    diagnostics.push(
      warning(
        [...pod.specPath, 'restartPolicy'],
        `restartPolicy ${restartPolicy} restarts a failing container forever; set ` +
          `activeDeadlineSeconds or the annotation pod2sfn.dev/max-restarts to bound the run`,
      ),
    );
  }
  if (pod.settings.maxRestarts !== undefined && restartPolicy === 'Never') {
    diagnostics.push(
      warning(
        [...pod.specPath, 'restartPolicy'],
        `pod2sfn.dev/max-restarts has no effect under restartPolicy Never` +
          `${podRetry ? "; a Job's pod is replaced up to its backoffLimit" : ''}`,
      ),
    );
  }
  if (restartPolicy === 'Always' && !isJob) {
    diagnostics.push(
      warning(
        [...pod.specPath, 'restartPolicy'],
        'restartPolicy Always also restarts app containers that exit 0; a state ' +
          'machine runs them to completion and restarts them on failure only',
      ),
    );
  }

  const volumes = volumesOf(spec, pod);
  const context = { pod, deadlineSeconds, diagnostics, options, volumes };
  const init = (spec.initContainers ?? []).map((container, index) => {
    const role: Role = container.restartPolicy === 'Always' ? 'sidecar' : 'init';
    return step(
      container,
      role,
      index,
      [...pod.specPath, 'initContainers', index],
      role === 'init' ? containerRestarts : undefined,
      context,
    );
  });
  const app = spec.containers.map((container, index) =>
    step(container, 'app', index, [...pod.specPath, 'containers', index], containerRestarts, context),
  );
  if (hasErrors(diagnostics)) return { diagnostics };

  return {
    workflow: {
      name: pod.name,
      namespace: pod.namespace,
      kind: pod.kind,
      labels: pod.labels,
      annotations: pod.annotations,
      restartPolicy,
      init,
      app,
      volumes,
      ...(deadlineSeconds !== undefined && { deadlineSeconds }),
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
      ...(podRetry && { podRetry }),
      podFailurePolicy: exitCodeRules(pod, diagnostics),
    },
    diagnostics,
  };
}

interface PlanContext {
  readonly pod: LoadedPod;
  readonly deadlineSeconds: number | undefined;
  readonly diagnostics: Diagnostic[];
  readonly options: PlanOptions;
  readonly volumes: readonly Volume[];
}

function restartBackoff(pod: LoadedPod): Backoff {
  const maxAttempts =
    pod.settings.maxRestarts ?? (pod.job ? (pod.job.backoffLimit ?? DEFAULT_BACKOFF_LIMIT) : UNBOUNDED_ATTEMPTS);
  return { ...CRASH_LOOP_BACKOFF, maxAttempts };
}

function step(
  container: Container,
  role: Role,
  index: number,
  path: readonly PathSegment[],
  restart: Backoff | undefined,
  context: PlanContext,
): Step {
  const mounted = (container.volumeMounts ?? []).map((m) => m.name);
  const wanted = withVolumeStorage(wantedResources(container), mounted, context.volumes);
  const executor = chooseExecutor(container, role, path, wanted, context);
  const report = (kind: Executor) => (executor === kind ? context.diagnostics : undefined);
  const lambda = lambdaSize(wanted, context.deadlineSeconds, path, report('lambda'));
  const fargate = fargateSize(wanted, path, report('ecs'));
  if (!fargate && executor === 'ecs') {
    context.diagnostics.push(
      error(
        [...path, 'resources'],
        'Invalid value: no Fargate task size holds this much cpu and memory (at most 16 vCPU and 120 GiB)',
      ),
    );
  }
  if (executor === 'ecs' && (wanted.ephemeralMiB ?? 0) > FARGATE_EPHEMERAL_GIB.max * 1024) {
    context.diagnostics.push(
      error(
        path,
        `Invalid value: its ephemeral-storage and emptyDir sizeLimits need ${Math.ceil(wanted.ephemeralMiB! / 1024)} ` +
          `GiB; a Fargate task holds at most ${FARGATE_EPHEMERAL_GIB.max} GiB`,
      ),
    );
  }
  if (executor === 'ecs') ecsConfigVolumeDiagnostics(container, path, context);
  const failurePolicy = container.failurePolicy ?? context.pod.settings.failurePolicies.get(container.name) ?? 'Fail';
  return {
    id: stepIdOf(container.name),
    role,
    index,
    container: {
      name: container.name,
      image: container.image,
      command: container.command ?? [],
      args: container.args ?? [],
      env: envOf(container, context.pod, {
        memoryMiB: executor === 'ecs' ? (fargate?.memoryMiB ?? 0) : lambda.memoryMiB,
        cpu: wanted.cpu,
      }),
      envFrom: (container.envFrom ?? []).map((source) => {
        const ref = source.configMapRef ?? source.secretRef!;
        return {
          kind: source.configMapRef ? 'configMap' : 'secret',
          name: ref.name,
          prefix: source.prefix ?? '',
          optional: ref.optional ?? false,
        } as const;
      }),
      ...(container.workingDir !== undefined && { workingDir: container.workingDir }),
      mounts: (container.volumeMounts ?? []).map((m): Mount => ({
        volume: m.name,
        mountPath: m.mountPath,
        ...(m.subPath && { subPath: m.subPath }),
        readOnly: m.readOnly ?? false,
      })),
      terminationMessagePath: container.terminationMessagePath ?? '/dev/termination-log',
      terminationMessagePolicy: container.terminationMessagePolicy ?? 'File',
    },
    executor,
    ...(restart && { restart }),
    failurePolicy,
    lambda,
    fargate: fargate ?? { cpu: 0, memoryMiB: 0, ephemeralStorageGiB: 0 },
    ...(executor === 'activity' && { activity: activityTimeouts(context) }),
  };
}

/**
 * A Fargate task definition names every value it reads (docs/design.md §9.x ECS): a ConfigMap or
 * Secret volume is mounted on ECS only with `items` (without, it is not mounted, as before), and ECS
 * fails the task start on a missing key, so `optional` cannot hold there.
 */
function ecsConfigVolumeDiagnostics(container: Container, path: readonly PathSegment[], context: PlanContext): void {
  const { spec, specPath } = context.pod;
  (container.volumeMounts ?? []).forEach((mount, i) => {
    const index = (spec.volumes ?? []).findIndex((v) => v.name === mount.name);
    const volume = spec.volumes?.[index];
    const source = volume?.configMap ?? volume?.secret;
    if (!source) return;
    const field = volume!.configMap ? 'configMap' : 'secret';
    const what = `${volume!.configMap ? 'ConfigMap' : 'Secret'} volume ${mount.name}`;
    const where = [...specPath, 'volumes', index, field];
    if (!source.items)
      context.diagnostics.push(
        warning(
          [...path, 'volumeMounts', i],
          `${what} is not mounted on ECS Fargate, whose task definition names each key it reads: ` +
            `list the keys to mount in ${formatPath([...where, 'items'])} ({key, path} each)`,
        ),
      );
    else if (source.optional)
      context.diagnostics.push(
        warning(
          [...where, 'optional'],
          `${what} is not optional on ECS Fargate: ECS reads each key as the task starts, so a missing ` +
            `one stops the task before container ${container.name} runs (CreateContainerConfigError)`,
        ),
      );
  });
}

/**
 * The deadline bounds an activity Task, so that an execution no worker serves still ends (at the
 * deadline, as DeadlineExceeded, or after a day without one); Step Functions wants TimeoutSeconds
 * above HeartbeatSeconds, and a deadline shorter than that fires first anyway.
 */
function activityTimeouts(context: PlanContext): ActivityTimeouts {
  const heartbeatSeconds = context.pod.settings.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
  const bound = context.deadlineSeconds ?? ACTIVITY_TIMEOUT_WITHOUT_DEADLINE;
  return { heartbeatSeconds, timeoutSeconds: Math.max(bound, heartbeatSeconds + 1) };
}

/**
 * Annotation for the container, then for the pod, then `--executor`, then Lambda unless Lambda
 * cannot hold the container. A sidecar outlives any one Lambda invocation, so it never runs on Lambda.
 * A Lambda can write only under /tmp, where its runner mounts volumes (docs/design.md §9): a mount
 * elsewhere moves the container to ECS, or, on a container the annotation puts on Lambda, is refused.
 */
function chooseExecutor(
  container: Container,
  role: Role,
  path: readonly PathSegment[],
  wanted: Wanted,
  context: PlanContext,
): Executor {
  const { settings } = context.pod;
  const explicit = settings.executors.get(container.name) ?? settings.executor ?? context.options.executor;
  const fits = fitsLambda(wanted, context.deadlineSeconds);
  if (role === 'sidecar' && (explicit ?? 'lambda') === 'lambda') {
    if (explicit === 'lambda') {
      context.diagnostics.push(
        warning(
          path,
          'a native sidecar keeps running beside the app containers, ' +
            'longer than a Lambda invocation: it runs on ECS Fargate',
        ),
      );
    }
    return 'ecs';
  }
  if (explicit === 'lambda' && !fits) {
    context.diagnostics.push(
      error(
        path,
        `Invalid value: "lambda": a Lambda holds at most 10,240 MiB of memory ` +
          `and /tmp and runs at most 900 s; choose the "ecs" or "activity" executor`,
      ),
    );
  }
  const outside = (container.volumeMounts ?? []).findIndex((m) => !underLambdaTmp(m.mountPath));
  if (outside >= 0 && (explicit ?? 'lambda') === 'lambda') {
    const mountPath = container.volumeMounts![outside]!.mountPath;
    if (explicit === 'lambda') {
      context.diagnostics.push(
        error(
          [...path, 'volumeMounts', outside, 'mountPath'],
          `Invalid value: ${JSON.stringify(mountPath)}: a Lambda can write only under /tmp; mount the volume ` +
            `under /tmp/, or choose the "ecs" or "activity" executor`,
        ),
      );
      return explicit;
    }
    context.diagnostics.push(
      warning(
        [...path, 'volumeMounts', outside, 'mountPath'],
        `runs on ECS Fargate: ${mountPath} is outside /tmp, the one place a Lambda can write`,
      ),
    );
    return 'ecs';
  }
  if (explicit !== undefined) return explicit;
  if (!fits) {
    context.diagnostics.push(
      warning(
        path,
        'runs on ECS Fargate: its memory, storage or deadline is more than a Lambda holds (10,240 MiB, 900 s)',
      ),
    );
    return 'ecs';
  }
  return 'lambda';
}

/** A mountPath the Lambda runner can give a volume: below /tmp, its volumes' own directory excepted. */
function underLambdaTmp(mountPath: string): boolean {
  const parts: string[] = [];
  for (const part of mountPath.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return mountPath.startsWith('/') && parts.length > 1 && parts[0] === 'tmp' && parts[1] !== '.pod2sfn-volumes';
}

function volumesOf(spec: PodSpec, pod: LoadedPod): Volume[] {
  const declared = (spec.volumes ?? []).map((v): Volume => {
    const keyed = v.configMap
      ? { kind: 'configMap' as const, source: v.configMap.name, ...v.configMap }
      : v.secret && { kind: 'secret' as const, source: v.secret.secretName, ...v.secret };
    if (keyed)
      return {
        name: v.name,
        kind: keyed.kind,
        source: keyed.source,
        ...(keyed.items && { items: keyed.items }),
        optional: keyed.optional ?? false,
      };
    if (v.persistentVolumeClaim)
      return {
        name: v.name,
        kind: 'persistentVolumeClaim',
        source: v.persistentVolumeClaim.claimName,
        optional: false,
      };
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length > 0 && !v.emptyDir) return { name: v.name, kind: 'scratch', optional: false };
    const sizeLimit = v.emptyDir?.sizeLimit === undefined ? undefined : parseQuantity(v.emptyDir.sizeLimit);
    return {
      name: v.name,
      kind: 'emptyDir',
      optional: false,
      ...(sizeLimit !== undefined && { sizeLimitBytes: sizeLimit }),
      ...(v.emptyDir?.medium === 'Memory' && { medium: 'Memory' as const }),
    };
  });
  const claims = pod.claimTemplates;
  const claimVolumes = claims.map((name): Volume => ({
    name,
    kind: 'persistentVolumeClaim',
    source: name,
    optional: false,
  }));
  // A claim template replaces a volume of the same name, as the StatefulSet controller does.
  return [...declared.filter((v) => !claims.includes(v.name)), ...claimVolumes];
}

function exitCodeRules(pod: LoadedPod, diagnostics: Diagnostic[]): ExitCodeRule[] {
  const rules = pod.job?.podFailurePolicy?.rules ?? [];
  const jobPath = pod.jobPath ?? [];
  const out: ExitCodeRule[] = [];
  rules.forEach((rule, i) => {
    const path = [...jobPath, 'podFailurePolicy', 'rules', i];
    if (!rule.onExitCodes) {
      diagnostics.push(
        warning(
          [...path, 'onPodConditions'],
          "pod2sfn doesn't support onPodConditions - ignoring (pod " +
            'conditions such as DisruptionTarget come from a node)',
        ),
      );
      return;
    }
    let action = rule.action;
    if (action === 'FailIndex') {
      diagnostics.push(warning([...path, 'action'], 'FailIndex acts as FailJob: an execution runs one index'));
      action = 'FailJob';
    }
    out.push({
      action,
      ...(rule.onExitCodes.containerName !== undefined && { containerName: rule.onExitCodes.containerName }),
      operator: rule.onExitCodes.operator,
      values: rule.onExitCodes.values,
    });
  });
  return out;
}

function minDefined(...values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}
