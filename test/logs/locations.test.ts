import { describe, expect, it } from 'vitest';
import { agentStreamName, logLocations, runnerMarker, type LogHistoryEvent } from '../../lib/logs/locations.js';
import { compileOrThrow } from '../helpers/compile.js';

/** One container of each executor, restarted on failure. */
const compiled = compileOrThrow(`apiVersion: v1
kind: Pod
metadata:
  name: mixed
  annotations:
    pod2sfn.dev/executor.setup: activity
    pod2sfn.dev/executor.build: ecs
    pod2sfn.dev/executor.app: lambda
    pod2sfn.dev/max-restarts: "3"
spec:
  restartPolicy: OnFailure
  initContainers:
    - { name: setup, image: alpine, command: [sh, -c, "true"] }
    - { name: build, image: alpine, command: [sh, -c, "true"] }
  containers:
    - { name: app, image: alpine, command: [sh, -c, "true"] }
`);
const pod = { shape: compiled.workflow, tasks: compiled.tasks };

/** An execution history linked as Step Functions links it (previousEventId), a second per event. */
class History {
  readonly events: LogHistoryEvent[] = [];

  add(type: string, previous: number | undefined, details: Partial<LogHistoryEvent> = {}): number {
    const id = this.events.length + 1;
    const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, id));
    this.events.push({ id, type, timestamp, ...(previous !== undefined && { previousEventId: previous }), ...details });
    return id;
  }

  entered(state: string, previous: number): number {
    return this.add('TaskStateEntered', previous, { stateEnteredEventDetails: { name: state } });
  }
}

const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:runner-app';
const TASK_DEFINITION = 'arn:aws:ecs:us-east-1:000000000000:task-definition/build:1';
const taskArn = (id: string) => `arn:aws:ecs:us-east-1:000000000000:task/cluster/${id}`;

describe('logLocations', () => {
  it('locates every attempt of every executor, restarts numbered from 0 in the order they started', () => {
    // GIVEN setup (activity) failing once, build (ECS) failing once, app (Lambda) succeeding
    const h = new History();
    const start = h.add('ExecutionStarted', undefined);
    const setup = h.entered('Init: setup', start);
    const firstTry = h.add('ActivityStarted', h.add('ActivityScheduled', setup));
    const failed = h.add('ActivityFailed', firstTry, {
      activityFailedEventDetails: { error: 'Pod2sfn.ContainerFailed' },
    });
    const secondTry = h.add('ActivityStarted', h.add('ActivityScheduled', failed));
    const setupDone = h.add('ActivitySucceeded', secondTry);
    const build = h.entered('ECS task: build', h.add('TaskStateExited', setupDone));
    const ecsParameters = JSON.stringify({ TaskDefinition: TASK_DEFINITION });
    const submitted = (id: string) => ({
      taskSubmittedEventDetails: { output: JSON.stringify({ Tasks: [{ TaskArn: taskArn(id) }] }) },
    });
    const run1 = h.add('TaskScheduled', build, { taskScheduledEventDetails: { parameters: ecsParameters } });
    const lost = h.add('TaskFailed', h.add('TaskSubmitted', h.add('TaskStarted', run1), submitted('t1')));
    const run2 = h.add('TaskScheduled', lost, { taskScheduledEventDetails: { parameters: ecsParameters } });
    const built = h.add('TaskSucceeded', h.add('TaskSubmitted', h.add('TaskStarted', run2), submitted('t2')));
    const app = h.entered('Run: app', h.add('TaskStateExited', built));
    h.add('TaskScheduled', app, {
      taskScheduledEventDetails: { parameters: JSON.stringify({ FunctionName: FUNCTION, Payload: {} }) },
    });
    // WHEN located
    const found = logLocations(h.events, pod, 'run-1');
    // THEN one entry per attempt, each with where its lines are
    expect(found.map((a) => [a.container, a.attempt, a.location])).toEqual([
      ['setup', 0, { executor: 'activity', stream: 'run-1/setup/0' }],
      ['setup', 1, { executor: 'activity', stream: 'run-1/setup/1' }],
      [
        'build',
        0,
        { executor: 'ecs', taskDefinition: TASK_DEFINITION, taskArn: taskArn('t1'), stream: 'build/build/t1' },
      ],
      [
        'build',
        1,
        { executor: 'ecs', taskDefinition: TASK_DEFINITION, taskArn: taskArn('t2'), stream: 'build/build/t2' },
      ],
      ['app', 0, { executor: 'lambda', functionName: FUNCTION, marker: 'pod2sfn: run run-1 container app' }],
    ]);
    expect(found[1]!.startedAt).toEqual(h.events[secondTry - 1]!.timestamp);
  });

  it('counts no attempt for an activity task no agent took', () => {
    // GIVEN a task scheduled, timed out unclaimed, then scheduled again and started
    const h = new History();
    const setup = h.entered('Init: setup', h.add('ExecutionStarted', undefined));
    const timedOut = h.add('ActivityTimedOut', h.add('ActivityScheduled', setup));
    h.add('ActivityStarted', h.add('ActivityScheduled', timedOut));
    // THEN the one that reached an agent is attempt 0, as the agent numbers its stream
    expect(logLocations(h.events, pod, 'r').map((a) => a.location)).toEqual([
      { executor: 'activity', stream: 'r/setup/0' },
    ]);
  });

  it('names streams CloudWatch accepts', () => {
    expect(agentStreamName('run:1*', 'app', 2)).toBe('run_1_/app/2');
    expect(runnerMarker('r', 'app')).toBe('pod2sfn: run r container app');
  });
});
