import type { Step } from '../../model/workflow.js';
import { ERRORS } from '../../asl/errors.js';
import { STATE_NAMES, type StateNames } from '../../asl/names.js';
import { SUBSTITUTIONS, placeholder } from '../../asl/substitutions.js';
import type { ExecutorEmitter } from '../contract.js';

const FIRST_CONTAINER = '$.Containers[0]';

function runTaskParameters(step: Step): Record<string, unknown> {
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

/**
 * ECS Fargate, one task definition per container. `runTask.sync` returns when the task stops.
 * LocalStack returns the stopped task whatever its exit code; AWS fails the state with
 * States.TaskFailed, the stopped task as JSON in its Cause (docs/design.md §3). Both roads lead to one
 * explicit exit-code check, which raises Pod2sfn.ContainerFailed like the other executors; any other
 * error is raised again unchanged. A Retry cannot follow a Choice → Fail, so the Task and its check
 * sit in a single-branch Parallel that the emitter gives Retry and Catch.
 */
export const ecsExecutor: ExecutorEmitter = {
  transientErrors: [
    'ECS.AmazonECSException',
    'ECS.ServerException',
    'ECS.ThrottlingException',
    'ECS.LimitExceededException',
    ERRORS.containerNotStarted,
  ],
  run: (step, _input, names: StateNames) => {
    const c = step.container.name;
    const n = STATE_NAMES.ecs;
    const task = names.take(n.task.of(c));
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
    return {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: task,
          States: {
            [task]: {
              Type: 'Task',
              Resource: 'arn:aws:states:::ecs:runTask.sync',
              Parameters: runTaskParameters(step),
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.ecsError', Next: taskFailed }],
              Next: check,
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
              Next: check,
            },
            [reraise]: { Type: 'Fail', ErrorPath: '$.ecsError.Error', CausePath: '$.ecsError.Cause' },
            [describeOther]: {
              Type: 'Pass',
              Parameters: { 'cause.$': `States.Format('container ${c}: {}: {}', $.ecsError.Error, $.ecsError.Cause)` },
              Next: otherFailed,
            },
            [otherFailed]: { Type: 'Fail', Error: ERRORS.ecsTaskError, CausePath: '$.cause' },
            [check]: {
              Type: 'Choice',
              Choices: [
                { Not: { Variable: `${FIRST_CONTAINER}.ExitCode`, IsPresent: true }, Next: notStarted },
                { Variable: `${FIRST_CONTAINER}.ExitCode`, NumericEquals: 0, Next: exited0 },
              ],
              Default: describe,
            },
            [exited0]: {
              Type: 'Pass',
              Parameters: { 'exitCode.$': `${FIRST_CONTAINER}.ExitCode`, 'taskArn.$': '$.TaskArn' },
              End: true,
            },
            // The same Cause as the other executors' ContainerFailed: {"container", "exitCode", "message"}.
            [describe]: {
              Type: 'Pass',
              Parameters: { container: c, 'exitCode.$': `${FIRST_CONTAINER}.ExitCode`, message: '' },
              Next: stringify,
            },
            [stringify]: { Type: 'Pass', Parameters: { 'cause.$': 'States.JsonToString($)' }, Next: failed },
            [failed]: { Type: 'Fail', Error: ERRORS.containerFailed, CausePath: '$.cause' },
            [notStarted]: {
              Type: 'Fail',
              Error: ERRORS.containerNotStarted,
              Cause: `the ECS task of container "${c}" stopped before the container ran`,
            },
          },
        },
      ],
      ResultSelector: { 'exitCode.$': '$[0].exitCode', 'taskArn.$': '$[0].taskArn' },
    };
  },
  startSidecar: (step) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::ecs:runTask',
    Parameters: runTaskParameters(step),
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
