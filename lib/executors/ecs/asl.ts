import type { Step } from '../../model/workflow.js';
import { ERRORS } from '../../asl/errors.js';
import { STATE_NAMES, type StateNames } from '../../asl/names.js';
import { SUBSTITUTIONS, placeholder } from '../../asl/substitutions.js';
import type { ChoiceRule, State } from '../../asl/types.js';
import { NO_HANDOFF, type VolumeHandoff } from '../../model/handoff.js';
import type { ContainerTaskInput, ExecutorEmitter } from '../contract.js';
import { EXECUTION_ENV, HELPERS, OVER_SIZE_LIMIT_EXIT, helpersOf, usesS3, type Helpers } from './handoff-helpers.js';

/** Where the selected containers are after `Containers: c` (each a one-element array). */
const USER = '$.container[0]';
const helperAt = (name: string) => `$.${name}[0]`;

/**
 * The S3 helpers learn the execution's name (their keys' prefix) from RunTask's overrides, a few
 * bytes of the 8 KiB RunTask allows for them (docs/design.md §9.x ECS).
 */
function overrides({ restore, save }: Helpers): Record<string, unknown> {
  const s3 = [...restore, ...save].filter(usesS3);
  if (s3.length === 0) return {};
  return {
    Overrides: {
      ContainerOverrides: s3.map((name) => ({
        Name: name,
        Environment: [{ Name: EXECUTION_ENV, 'Value.$': '$$.Execution.Name' }],
      })),
    },
  };
}

function baseParameters(step: Step): Record<string, unknown> {
  return {
    Cluster: placeholder(SUBSTITUTIONS.ecsCluster),
    TaskDefinition: placeholder(SUBSTITUTIONS.taskDefinition(step)),
    LaunchType: 'FARGATE',
    PropagateTags: 'TASK_DEFINITION',
    NetworkConfiguration: {
      AwsvpcConfiguration: {
        'Subnets.$': `States.StringSplit('${placeholder(SUBSTITUTIONS.ecsSubnets)}', ',')`,
        'SecurityGroups.$': `States.Array('${placeholder(SUBSTITUTIONS.ecsSecurityGroup)}')`,
        AssignPublicIp: placeholder(SUBSTITUTIONS.ecsAssignPublicIp),
      },
    },
  };
}

function runTaskParameters(step: Step, helpers: Helpers): Record<string, unknown> {
  return { ...overrides(helpers), ...baseParameters(step) };
}

const exitCodeOf = (path: string) => `${path}.ExitCode`;
/** A helper that ran and exited non-zero. One that never ran (an image not pulled) leaves the container unstarted. */
const helperExitedNonZero = (helper: string): ChoiceRule => ({
  And: [
    { Variable: exitCodeOf(helperAt(helper)), IsPresent: true },
    { Not: { Variable: exitCodeOf(helperAt(helper)), NumericEquals: 0 } },
  ],
});
/** A helper listed in the stopped task that did not exit 0: after the user's container ran, every helper must. */
const helperFailed = (helper: string): ChoiceRule => ({
  And: [
    { Variable: helperAt(helper), IsPresent: true },
    {
      Not: {
        And: [
          { Variable: exitCodeOf(helperAt(helper)), IsPresent: true },
          { Variable: exitCodeOf(helperAt(helper)), NumericEquals: 0 },
        ],
      },
    },
  ],
});

/**
 * ECS Fargate, one task definition per container. `runTask.sync` returns when the task stops.
 * LocalStack returns the stopped task whatever its exit code; AWS fails the state with
 * States.TaskFailed, the stopped task as JSON in its Cause (docs/design.md §3). Both roads lead to one
 * explicit exit-code check, which raises Pod2sfn.ContainerFailed like the other executors; any other
 * error is raised again unchanged. A Retry cannot follow a Choice → Fail, so the Task and its check
 * sit in a single-branch Parallel that the emitter gives Retry and Catch.
 *
 * The check reads the user's container by name, never a helper's (docs/design.md §9.x ECS): a Pass
 * selects each container of the task with a JSONPath filter, which a Choice's Variable cannot hold.
 * A failed restore or save is transient (Pod2sfn.VolumeRestoreFailed, Pod2sfn.VolumeSaveFailed); a
 * volume over its sizeLimit fails the pod (Pod2sfn.VolumeSizeLimitExceeded), as the kubelet evicts it.
 */
export const ecsExecutor: ExecutorEmitter = {
  transientErrors: [
    'ECS.AmazonECSException',
    'ECS.ServerException',
    'ECS.ThrottlingException',
    'ECS.LimitExceededException',
    ERRORS.containerNotStarted,
    ERRORS.volumeRestoreFailed,
    ERRORS.volumeSaveFailed,
  ],
  run: (step, input, names: StateNames) => {
    const c = step.container.name;
    const handoff = input.handoff ?? NO_HANDOFF;
    const helpers = helpersOf(handoff);
    const n = STATE_NAMES.ecs;
    const task = names.take(n.task.of(c));
    const select = names.take(n.select.of(c));
    const check = names.take(n.checkExitCode.of(c));
    const exited0 = names.take(n.exited0.of(c));
    const describe = names.take(n.nonZeroExit.of(c));
    const stringify = names.take(n.failureCause.of(c));
    const failed = names.take(n.exitedNonZero.of(c));
    const notStarted = names.take(n.neverRan.of(c));
    const taskFailed = names.take(n.taskFailed.of(c));
    const stoppedTask = names.take(n.stoppedTask.of(c));
    const reraise = names.take(n.error.of(c));
    const describeOther = names.take(n.describeError.of(c));
    const otherFailed = names.take(n.taskError.of(c));
    const volumeStates = volumeFailureStates(step, input, handoff, helpers, names);
    const selected: Record<string, string> = { 'TaskArn.$': '$.TaskArn', 'container.$': containerNamed(c) };
    for (const h of [...helpers.restore, ...helpers.save]) selected[`${h}.$`] = containerNamed(h);
    return {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: task,
          States: {
            [task]: {
              Type: 'Task',
              Resource: 'arn:aws:states:::ecs:runTask.sync',
              Parameters: runTaskParameters(step, helpers),
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.ecsError', Next: taskFailed }],
              Next: select,
            },
            // States.TaskFailed also matches every other Task error by name, so check it exactly. Other
            // errors are raised again for the Parallel's retriers, except States.* names, which a
            // Fail state may not raise: those become Pod2sfn.EcsTaskError.
            [taskFailed]: {
              Type: 'Choice',
              Choices: [
                { Variable: '$.ecsError.Error', StringEquals: 'States.TaskFailed', Next: stoppedTask },
                { Variable: '$.ecsError.Error', StringMatches: 'States.*', Next: describeOther },
              ],
              Default: reraise,
            },
            [stoppedTask]: {
              Type: 'Pass',
              Parameters: { 'task.$': 'States.StringToJson($.ecsError.Cause)' },
              OutputPath: '$.task',
              Next: select,
            },
            [reraise]: { Type: 'Fail', ErrorPath: '$.ecsError.Error', CausePath: '$.ecsError.Cause' },
            [describeOther]: {
              Type: 'Pass',
              Parameters: { 'cause.$': `States.Format('container ${c}: {}: {}', $.ecsError.Error, $.ecsError.Cause)` },
              Next: otherFailed,
            },
            [otherFailed]: { Type: 'Fail', Error: ERRORS.ecsTaskError, CausePath: '$.cause' },
            // Each container as a one-element array: the filter's result.
            [select]: { Type: 'Pass', Parameters: selected, Next: check },
            [check]: {
              Type: 'Choice',
              Choices: [
                ...volumeStates.restoreRules,
                { Not: { Variable: exitCodeOf(USER), IsPresent: true }, Next: notStarted },
                ...volumeStates.saveRules,
                { Variable: exitCodeOf(USER), NumericEquals: 0, Next: exited0 },
              ],
              Default: describe,
            },
            [exited0]: {
              Type: 'Pass',
              Parameters: { 'exitCode.$': exitCodeOf(USER), 'taskArn.$': '$.TaskArn' },
              End: true,
            },
            // The same Cause as the other executors' ContainerFailed: {"container", "exitCode", "message"}.
            [describe]: {
              Type: 'Pass',
              Parameters: { container: c, 'exitCode.$': exitCodeOf(USER), message: '' },
              Next: stringify,
            },
            [stringify]: { Type: 'Pass', Parameters: { 'cause.$': 'States.JsonToString($)' }, Next: failed },
            [failed]: { Type: 'Fail', Error: ERRORS.containerFailed, CausePath: '$.cause' },
            [notStarted]: {
              Type: 'Fail',
              Error: ERRORS.containerNotStarted,
              Cause: `the ECS task of container "${c}" stopped before the container ran`,
            },
            ...volumeStates.states,
          },
        },
      ],
      ResultSelector: { 'exitCode.$': '$[0].exitCode', 'taskArn.$': '$[0].taskArn' },
    };
  },
  startSidecar: (step, input) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::ecs:runTask',
    Parameters: runTaskParameters(step, helpersOf(input.handoff ?? NO_HANDOFF)),
    ResultSelector: { 'taskArn.$': '$.Tasks[0].TaskArn' },
  }),
  stopSidecar: (step, startedAt) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::aws-sdk:ecs:stopTask',
    Parameters: {
      Cluster: placeholder(SUBSTITUTIONS.ecsCluster),
      'Task.$': `${startedAt}.taskArn`,
      Reason: `pod2sfn: the app containers finished; stopping sidecar ${step.container.name}`,
    },
  }),
};

/** A JSONPath filter for the stopped task's container of that name (container names hold no quote). */
function containerNamed(name: string): string {
  return `$.Containers[?(@.Name == '${name}')]`;
}

/**
 * The check's rules and states for the helpers: a restore helper that exited non-zero (the user's
 * container never started), then, once the container ran, a save over a sizeLimit or a failed save.
 */
function volumeFailureStates(
  step: Step,
  input: ContainerTaskInput,
  handoff: VolumeHandoff,
  { restore, save }: Helpers,
  names: StateNames,
) {
  const c = step.container.name;
  const restoreRules: ChoiceRule[] = [];
  const saveRules: ChoiceRule[] = [];
  const states: Record<string, State> = {};
  if (restore.length > 0) {
    const restoreFailed = names.take(STATE_NAMES.ecs.restoreFailed.of(c));
    restoreRules.push({ Or: restore.map(helperExitedNonZero), Next: restoreFailed });
    states[restoreFailed] = handoffFailed(ERRORS.volumeRestoreFailed, `container ${c}: restoring emptyDir`, [
      handoff.restore,
      'failed before the container ran',
      restore,
    ]);
  }
  if (save.length > 0) {
    const pack = exitCodeOf(helperAt(HELPERS.pack));
    const describeOverLimit = names.take(STATE_NAMES.ecs.describeOverLimit.of(c));
    const overLimit = names.take(STATE_NAMES.ecs.overLimit.of(c));
    const saveFailed = names.take(STATE_NAMES.ecs.saveFailed.of(c));
    const limitOf = new Map(input.volumes.map((v) => [v.name, v.sizeLimitBytes]));
    const limits = handoff.save.map((v) => `emptyDir ${v} (sizeLimit ${limitOf.get(v)} bytes)`).join("', '");
    saveRules.push(
      {
        And: [
          { Variable: pack, IsPresent: true },
          { Variable: pack, NumericGreaterThanEquals: OVER_SIZE_LIMIT_EXIT },
        ],
        Next: describeOverLimit,
      },
      { Or: save.map(helperFailed), Next: saveFailed },
    );
    states[describeOverLimit] = {
      Type: 'Pass',
      Parameters: {
        'cause.$':
          `States.Format('container ${c}: the usage of {} is over the limit (the log of ${HELPERS.pack} ` +
          `gives the bytes used); the volume was not saved', States.ArrayGetItem(States.Array('${limits}'), ` +
          `States.MathAdd(${pack}, -${OVER_SIZE_LIMIT_EXIT})))`,
      },
      Next: overLimit,
    };
    states[overLimit] = { Type: 'Fail', Error: ERRORS.volumeSizeLimitExceeded, CausePath: '$.cause' };
    states[saveFailed] = handoffFailed(ERRORS.volumeSaveFailed, `container ${c}: saving emptyDir`, [
      handoff.save,
      'failed after the container exited',
      save,
    ]);
  }
  return { restoreRules, saveRules, states };
}

/** A Fail naming the volumes, what went wrong and the helpers whose logs say why. */
function handoffFailed(
  error: string,
  doing: string,
  [volumes, outcome, helpers]: [readonly string[], string, readonly string[]],
): State {
  const cause = `${doing} ${volumes.join(', ')} ${outcome}; the logs of ${helpers.join(' and ')} say why`;
  return { Type: 'Fail', Error: error, Cause: cause };
}
