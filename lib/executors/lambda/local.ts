import { ContainerFailed, createHandler, type RunnerEvent, type RunnerResult } from '../../runner/index.js';
import { isAborted } from '../../local/aborted.js';
import type { LocalExecutor } from '../contract.js';

/**
 * The Task goes through the container-runner Lambda's own handler, in-process, and answers as
 * Step Functions' lambda:invoke does: the result under `Payload`, a thrown error in the Lambda's
 * error envelope.
 */
export const lambdaLocal: LocalExecutor = {
  run(task) {
    const lambda = createHandler(task.deps(), task.limits);
    return async (input) => {
      const payload = (input as { Payload: RunnerEvent }).Payload;
      const until = Date.now() + task.step.lambda.timeoutSeconds * 1000;
      let answer: RunnerResult | undefined;
      let failure: ContainerFailed | undefined;
      await task
        .attempt(async () => {
          try {
            answer = await lambda(payload, { getRemainingTimeInMillis: () => until - Date.now() });
            return answer;
          } catch (e) {
            if (!(e instanceof ContainerFailed)) throw e;
            failure = e;
            return e.failure;
          }
        })
        .catch((e: Error) => {
          throw e.name.startsWith('Pod2sfn.') && !isAborted(e) ? asLambdaError(e) : e;
        });
      if (failure) throw asLambdaError(failure);
      // The engine does not wrap a Lambda's result the way Step Functions does.
      return { Payload: answer, StatusCode: 200 };
    };
  },
};

/**
 * What Step Functions records when a Lambda throws: the error's name, with a Cause that wraps its
 * message ({errorType, errorMessage, trace}). The ASL unwraps it (wrapsErrors in ./asl.ts), so it
 * must be wrapped here too.
 */
function asLambdaError(e: Error): Error {
  const envelope = { errorType: e.name, errorMessage: e.message, trace: [] };
  return Object.assign(new Error(JSON.stringify(envelope)), { name: e.name });
}
