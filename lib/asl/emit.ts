import type { ExitCodeRule, Step, Workflow } from '../model/workflow.js';
import { ERRORS } from './errors.js';
import type { ExecutorEmitter, RunState } from '../executors/contract.js';
import { EMITTERS } from '../executors/asl.js';
import { STATE_NAMES, StateNames } from './names.js';
import { containerTaskInput } from './task-input.js';
import type { Catcher, ChoiceRule, Retrier, State, StateMachineDefinition, StateMachineFragment } from './types.js';

/** Which Task state does what: the local runtime binds its handlers to these names. */
export interface TaskBinding {
  readonly state: string;
  readonly stepId: string;
  readonly action: 'run' | 'start' | 'stop';
}

export interface Emitted {
  readonly definition: StateMachineDefinition;
  readonly tasks: readonly TaskBinding[];
}

/** Transient infrastructure errors: a few quick retries that never count as a restart. */
export const TRANSIENT_RETRY = { IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' } as const;

/** Where the execution's output keeps each container's result: `$.initContainers.init_1`. */
export const OUTPUT = {
  init: '$.initContainers',
  sidecar: '$.sidecars',
  sidecarFailure: '$.sidecarFailures',
  app: '$.containers',
  failure: '$.failure',
} as const;

/**
 * Workflow → ASL. Pure and deterministic: the same workflow gives byte-identical JSON
 * (definitionJson in ../compile.ts).
 *
 * Init containers run as a chain of Task states in spec order; native sidecars are started on the
 * way and stopped, in reverse order, at the end; app containers run as one Parallel state whose
 * branches catch their own failure, so that siblings run to completion as they would in a pod.
 * Every failure is recorded at `$.failure` ({container, Error, Cause}) and ends in one Fail state.
 */
export function emit(workflow: Workflow): Emitted {
  const emitter = new Emitter(workflow);
  const body = emitter.podBody();
  const top = workflow.podRetry ? emitter.wrapInPodRetry(body) : body;
  const definition: StateMachineDefinition = {
    Comment: `pod2sfn: ${workflow.kind} ${workflow.namespace}/${workflow.name}`,
    QueryLanguage: 'JSONPath',
    ...(workflow.deadlineSeconds !== undefined && { TimeoutSeconds: workflow.deadlineSeconds }),
    StartAt: top.StartAt,
    States: top.States,
  };
  return { definition, tasks: emitter.tasks };
}

/**
 * The states in the order a reader follows them: breadth-first from StartAt, each state where it is first
 * reached. A Set iterates over what is added to it while it is iterated, so it is the queue too. The object
 * is written once, a property at a time: V8 then keeps a large one as a dictionary, where building it
 * with Object.fromEntries, or a second time in another order, costs ~4 µs a state (6 ms at 1,000 containers).
 */
function inFlowOrder(startAt: string, states: ReadonlyMap<string, State>): StateMachineFragment {
  const order = new Set([startAt]);
  for (const name of order) {
    for (const successor of successors(states.get(name)!)) if (states.has(successor)) order.add(successor);
  }
  const inOrder: Record<string, State> = {};
  for (const name of order) inOrder[name] = states.get(name)!;
  return { StartAt: startAt, States: inOrder };
}

/** Each app container's result under its step id: `{"app_1.$": "$[0]"}` (written as inFlowOrder writes). */
function branchResults(app: readonly Step[]): Record<string, string> {
  const results: Record<string, string> = {};
  app.forEach((step, i) => (results[`${step.id}.$`] = `$[${i}]`));
  return results;
}

export function successors(state: State): string[] {
  const out: string[] = [];
  if (state.Type === 'Choice') out.push(...state.Choices.map((c) => c.Next as string), state.Default);
  else if ('Next' in state && state.Next !== undefined) out.push(state.Next);
  if ('Catch' in state && state.Catch) out.push(...state.Catch.map((c) => c.Next));
  return out;
}

class Emitter {
  readonly names = new StateNames();
  readonly tasks: TaskBinding[] = [];
  /** A Map until the end, when podBody writes the object once, in flow order (see inFlowOrder). */
  private readonly states = new Map<string, State>();
  private readonly sidecars: readonly Step[];
  private readonly policy: readonly ExitCodeRule[];

  constructor(private readonly workflow: Workflow) {
    this.sidecars = workflow.init.filter((s) => s.role === 'sidecar');
    this.policy = workflow.podFailurePolicy;
  }

  podBody(): StateMachineFragment {
    const names = {
      containers: this.names.take(STATE_NAMES.containers),
      check: this.names.take(STATE_NAMES.checkContainers),
      policy: this.policy.length > 0 ? this.names.take(STATE_NAMES.podFailurePolicy) : undefined,
      stop: this.sidecars.length > 0 ? this.names.take(STATE_NAMES.stopSidecars) : undefined,
      outcome: this.sidecars.length > 0 ? this.names.take(STATE_NAMES.podOutcome) : undefined,
      failed: this.names.take(STATE_NAMES.podFailed),
      failure: this.names.take(STATE_NAMES.podFailureName),
      renamed: this.names.take(STATE_NAMES.podFailureRenamed),
      succeeded: this.names.take(STATE_NAMES.podSucceeded),
    };
    const afterPolicy = names.stop ?? names.failure;
    const afterFailure = names.policy ?? afterPolicy;
    const afterSuccess = names.stop ?? names.succeeded;

    // Init containers and sidecar starts, in spec order.
    const initNames = this.workflow.init.map((s) => this.names.take(STATE_NAMES.step[s.role].of(s.container.name)));
    this.workflow.init.forEach((step, i) => {
      const next = initNames[i + 1] ?? names.containers;
      if (step.role === 'sidecar') this.sidecarStart(step, initNames[i]!, next, afterFailure);
      else this.initStep(step, initNames[i]!, next, afterFailure);
    });

    // App containers side by side.
    this.states.set(names.containers, {
      Type: 'Parallel',
      Branches: this.workflow.app.map((step) => this.appBranch(step)),
      ResultSelector: branchResults(this.workflow.app),
      ResultPath: OUTPUT.app,
      Next: names.check,
    });
    this.states.set(names.check, {
      Type: 'Choice',
      Choices: this.workflow.app.flatMap((step) => this.failureChoices(step, `${OUTPUT.app}.${step.id}`, afterFailure)),
      Default: afterSuccess,
    });

    if (names.policy) this.podFailurePolicy(names.policy, afterPolicy);
    if (names.stop && names.outcome) this.stopSidecars(names.stop, names.outcome);
    if (names.outcome) {
      this.states.set(names.outcome, {
        Type: 'Choice',
        Choices: [{ Variable: OUTPUT.failure, IsPresent: true, Next: names.failure }],
        Default: names.succeeded,
      });
    }
    this.failState(names.failure, names.renamed, names.failed);
    this.states.set(names.succeeded, { Type: 'Succeed' });
    return inFlowOrder(initNames[0] ?? names.containers, this.states);
  }

  /**
   * The one Fail state re-raises the recorded error. Step Functions refuses a Fail state's `States.*`
   * name (the run would end States.Runtime): an infrastructure error the Retry gave up on
   * (States.Timeout, States.TaskFailed, ...) is raised as `Pod2sfn.<rest>` with its Cause. Such a
   * record is {container, Error, Cause}: exit-code details come only with Pod2sfn.ContainerFailed.
   */
  private failState(entry: string, renamed: string, failed: string): void {
    const failure = OUTPUT.failure;
    this.states.set(entry, {
      Type: 'Choice',
      Choices: [{ Variable: `${failure}.Error`, StringMatches: 'States.*', Next: renamed }],
      Default: failed,
    });
    this.states.set(renamed, {
      Type: 'Pass',
      Parameters: {
        'container.$': `${failure}.container`,
        'Error.$': `States.Format('Pod2sfn.{}', States.ArrayGetItem(States.StringSplit(${failure}.Error, '.'), 1))`,
        'Cause.$': `${failure}.Cause`,
      },
      ResultPath: failure,
      Next: failed,
    });
    this.states.set(failed, { Type: 'Fail', ErrorPath: `${failure}.Error`, CausePath: `${failure}.Cause` });
  }

  /** A Job with restartPolicy Never replaces a failed pod: the whole body is retried. */
  wrapInPodRetry(body: StateMachineFragment): StateMachineFragment {
    const backoff = this.workflow.podRetry!;
    const counted = {
      IntervalSeconds: backoff.intervalSeconds,
      BackoffRate: backoff.backoffRate,
      MaxDelaySeconds: backoff.maxDelaySeconds,
    };
    const retry: Retrier[] = [];
    if (this.policy.length > 0) {
      retry.push({ ErrorEquals: [ERRORS.jobFailed], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1 });
      retry.push({ ErrorEquals: [ERRORS.podFailureIgnored], ...counted, MaxAttempts: 99_999_999 });
    }
    retry.push({ ErrorEquals: ['States.ALL'], ...counted, MaxAttempts: backoff.maxAttempts });
    const pod = this.names.take(STATE_NAMES.pod);
    return {
      StartAt: pod,
      States: { [pod]: { Type: 'Parallel', Branches: [body], OutputPath: '$[0]', Retry: retry, End: true } },
    };
  }

  private initStep(step: Step, name: string, next: string, afterFailure: string): void {
    const resultPath = `${OUTPUT.init}.${step.id}`;
    const catchers: Catcher[] =
      step.failurePolicy === 'Ignore'
        ? [{ ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: next }]
        : this.recordingCatchers(step, resultPath, afterFailure);
    this.states.set(name, {
      ...this.runState(step, name),
      ResultPath: resultPath,
      ...this.retry(step),
      Catch: catchers,
      Next: next,
    });
  }

  private sidecarStart(step: Step, name: string, next: string, afterFailure: string): void {
    const errorPath = `${OUTPUT.sidecarFailure}.${step.id}`;
    const record = this.recordFailure(step, errorPath, afterFailure);
    const start = sidecarEmitter(step).startSidecar(step, containerTaskInput(this.workflow, step));
    this.bind(name, step, 'start', start);
    this.states.set(name, {
      ...start,
      ResultPath: `${OUTPUT.sidecar}.${step.id}`,
      ...this.retry(step),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: errorPath, Next: record }],
      Next: next,
    } as State);
  }

  private appBranch(step: Step): StateMachineFragment {
    const name = this.names.take(STATE_NAMES.step.app.of(step.container.name));
    const caught = this.names.take(STATE_NAMES.caught.of(step.container.name));
    // No ResultPath on the Catch: the branch's output becomes {Error, Cause}, read by "Check containers".
    const states: Record<string, State> = {
      [name]: {
        ...this.runState(step, name),
        ...this.retry(step),
        Catch: [{ ErrorEquals: ['States.ALL'], Next: caught }],
        End: true,
      } as State,
      [caught]: { Type: 'Pass', End: true },
    };
    return { StartAt: name, States: states };
  }

  private runState(step: Step, name: string): RunState {
    const state = EMITTERS[step.executor].run(step, containerTaskInput(this.workflow, step), this.names);
    this.bind(name, step, 'run', state);
    return state;
  }

  /** Binds the Task states in `state` (itself, or those inside its branches) to the step. */
  private bind(name: string, step: Step, action: TaskBinding['action'], state: RunState): void {
    if (state.Type === 'Task') {
      this.tasks.push({ state: name, stepId: step.id, action });
      return;
    }
    for (const branch of state.Branches) {
      for (const [inner, s] of Object.entries(branch.States))
        if (s.Type === 'Task') this.tasks.push({ state: inner, stepId: step.id, action });
    }
  }

  private retry(step: Step): { Retry?: Retrier[] } {
    const retry: Retrier[] = [];
    const transient = EMITTERS[step.executor].transientErrors;
    if (transient.length > 0) retry.push({ ErrorEquals: transient, ...TRANSIENT_RETRY });
    if (step.restart) {
      retry.push({
        ErrorEquals: [ERRORS.containerFailed],
        IntervalSeconds: step.restart.intervalSeconds,
        MaxAttempts: step.restart.maxAttempts,
        BackoffRate: step.restart.backoffRate,
        MaxDelaySeconds: step.restart.maxDelaySeconds,
      });
    }
    return retry.length > 0 ? { Retry: retry } : {};
  }

  /** Catchers that record the failure at `$.failure`; with a podFailurePolicy the exit code is parsed too. */
  private recordingCatchers(step: Step, resultPath: string, afterFailure: string): Catcher[] {
    const catchers: Catcher[] = [];
    if (this.policy.length > 0) {
      catchers.push({
        ErrorEquals: [ERRORS.containerFailed],
        ResultPath: resultPath,
        Next: this.recordFailure(step, resultPath, afterFailure, true),
      });
    }
    catchers.push({
      ErrorEquals: ['States.ALL'],
      ResultPath: resultPath,
      Next: this.recordFailure(step, resultPath, afterFailure),
    });
    return catchers;
  }

  /** For "Check containers": a rule per way an app container can have failed. */
  private failureChoices(step: Step, resultPath: string, afterFailure: string): ChoiceRule[] {
    const rules: ChoiceRule[] = [];
    if (this.policy.length > 0) {
      // A comparison on a path that is absent (the container succeeded) is a States.Runtime error.
      rules.push({
        And: [
          { Variable: `${resultPath}.Error`, IsPresent: true },
          { Variable: `${resultPath}.Error`, StringEquals: ERRORS.containerFailed },
        ],
        Next: this.recordFailure(step, resultPath, afterFailure, true),
      });
    }
    rules.push({
      Variable: `${resultPath}.Error`,
      IsPresent: true,
      Next: this.recordFailure(step, resultPath, afterFailure),
    });
    return rules;
  }

  /**
   * A Pass state that copies the failure to `$.failure` with the container's name; returns its name.
   * With `withExitCode`, the Cause's JSON is parsed into `$.failure.details` for the podFailurePolicy;
   * a Lambda's error Cause wraps ours ({errorType, errorMessage, trace}) and is unwrapped first.
   */
  private recordFailure(step: Step, errorPath: string, next: string, withExitCode = false): string {
    const name = this.names.take((withExitCode ? STATE_NAMES.exitFailure : STATE_NAMES.failed).of(step.container.name));
    const record = { container: step.container.name, 'Error.$': `${errorPath}.Error`, 'Cause.$': `${errorPath}.Cause` };
    const wrapped = withExitCode && EMITTERS[step.executor].wrapsErrors === true;
    const unwrap = wrapped ? this.names.take(STATE_NAMES.unwrapLambdaError.of(step.container.name)) : undefined;
    this.states.set(name, {
      Type: 'Pass',
      Parameters: {
        ...record,
        ...(withExitCode && { [wrapped ? 'lambdaError.$' : 'details.$']: `States.StringToJson(${errorPath}.Cause)` }),
      },
      ResultPath: OUTPUT.failure,
      Next: unwrap ?? next,
    });
    if (unwrap) {
      const failure = OUTPUT.failure;
      this.states.set(unwrap, {
        Type: 'Pass',
        Parameters: {
          'container.$': `${failure}.container`,
          'Error.$': `${failure}.Error`,
          'Cause.$': `${failure}.Cause`,
          'details.$': `States.StringToJson(${failure}.lambdaError.errorMessage)`,
        },
        ResultPath: failure,
        Next: next,
      });
    }
    return name;
  }

  /** A Job's podFailurePolicy: the first rule whose exit codes match decides (Kubernetes' order). */
  private podFailurePolicy(name: string, next: string): void {
    const exitCode = `${OUTPUT.failure}.details.exitCode`;
    const choices = this.policy.flatMap((rule, i): ChoiceRule[] => {
      const codes = rule.values.map((v) => ({ Variable: exitCode, NumericEquals: v }));
      const anyCode = codes.length === 1 ? codes[0]! : { Or: codes };
      const match = [
        { Variable: exitCode, IsPresent: true },
        rule.operator === 'In' ? anyCode : { Not: anyCode },
        ...(rule.containerName !== undefined
          ? [{ Variable: `${OUTPUT.failure}.container`, StringEquals: rule.containerName }]
          : []),
      ];
      if (rule.action === 'Count') return [{ And: match, Next: next }];
      const action = this.names.take(STATE_NAMES.podFailurePolicyRule(i, rule.action));
      this.states.set(action, {
        Type: 'Pass',
        Result: rule.action === 'FailJob' ? ERRORS.jobFailed : ERRORS.podFailureIgnored,
        ResultPath: `${OUTPUT.failure}.Error`,
        Next: next,
      });
      return [{ And: match, Next: action }];
    });
    this.states.set(name, { Type: 'Choice', Choices: choices, Default: next });
  }

  /** Stops each started sidecar, last started first, whatever the pod's outcome. */
  private stopSidecars(entry: string, next: string): void {
    const reversed = [...this.sidecars].reverse();
    const checks = reversed.map((s, i) =>
      i === 0 ? entry : this.names.take(STATE_NAMES.stopSidecarIfStarted(s.container.name)),
    );
    reversed.forEach((step, i) => {
      const after = checks[i + 1] ?? next;
      const startedAt = `${OUTPUT.sidecar}.${step.id}`;
      const stop = this.names.take(STATE_NAMES.stopSidecar.of(step.container.name));
      const state = sidecarEmitter(step).stopSidecar(step, startedAt);
      this.bind(stop, step, 'stop', state);
      this.states.set(checks[i]!, {
        Type: 'Choice',
        Choices: [{ Variable: startedAt, IsPresent: true, Next: stop }],
        Default: after,
      });
      this.states.set(stop, {
        ...state,
        ResultPath: null,
        Retry: [{ ErrorEquals: ['States.ALL'], ...TRANSIENT_RETRY }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: after }],
        Next: after,
      } as State);
    });
  }
}

/** The emitter of a native sidecar's executor; plan() never puts one on an executor that cannot run it. */
function sidecarEmitter(step: Step): Required<Pick<ExecutorEmitter, 'startSidecar' | 'stopSidecar'>> {
  const emitter = EMITTERS[step.executor];
  if (!emitter.startSidecar || !emitter.stopSidecar) {
    throw new Error(`pod2sfn: sidecar ${step.container.name}: the ${step.executor} executor runs no sidecars`);
  }
  return emitter as Required<ExecutorEmitter>;
}
