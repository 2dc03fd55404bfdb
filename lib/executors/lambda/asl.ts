import { ERRORS } from '../../asl/errors.js';
import { SUBSTITUTIONS, placeholder } from '../../asl/substitutions.js';
import { withExecution, type ExecutorEmitter } from '../contract.js';

/** The container runs inside `lambdas/container-runner`, which throws Pod2sfn.ContainerFailed on a non-zero exit. */
export const lambdaExecutor: ExecutorEmitter = {
  // What the runner throws reaches the state machine inside the Lambda's error envelope.
  wrapsErrors: true,
  // ContainerNotStarted (a missing Secret key): retried regardless of restartPolicy, as on the other executors.
  transientErrors: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
    ERRORS.containerNotStarted,
    ERRORS.volumeRestoreFailed,
    ERRORS.volumeSaveFailed,
  ],
  run: (step, input) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: placeholder(SUBSTITUTIONS.lambdaFunction(step)), Payload: withExecution(input) },
    ResultSelector: { 'exitCode.$': '$.Payload.exitCode', 'message.$': '$.Payload.message' },
  }),
};
