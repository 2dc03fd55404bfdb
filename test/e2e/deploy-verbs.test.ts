import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../lib/package-root.js';
import { tempDir } from '../helpers/run-cli.js';
import { CLIENT_CONFIG, ENDPOINT } from './env.js';

/**
 * A pod's stack through its whole life on LocalStack, with the built CLI run from a user's directory
 * as a user runs it: deploy, diff, a refused deploy, destroy, and destroy of a stack a failed deploy left.
 */
const CLI = join(packageRoot(), 'dist/bin/pod2sfn.js');
const suffix = Date.now().toString(36);
const STACK = `lifecycle-${suffix}`;
const user = tempDir('pod2sfn-e2e-user-');
const spec = join(user, 'pod.yaml');
const cfn = new CloudFormationClient(CLIENT_CONFIG);
const run = promisify(execFile);
// The user's own environment: no AWS variables at all; --endpoint supplies them.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
afterAll(() => {
  cfn.destroy();
  rmSync(user, { recursive: true, force: true });
});

function writePod(message: string): void {
  writeFileSync(
    spec,
    `apiVersion: v1
kind: Pod
metadata: { name: ${STACK} }
spec:
  restartPolicy: Never
  initContainers:
    - { name: migrate, image: alpine, command: [sh, -c, "echo ${message}"] }
  containers:
    - { name: app, image: alpine, command: [sh, -c, "echo app"] }
`,
  );
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: user,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

async function stackStatus(name: string): Promise<string | undefined> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    return Stacks?.[0]?.StackStatus === 'DELETE_COMPLETE' ? undefined : Stacks?.[0]?.StackStatus;
  } catch {
    return undefined;
  }
}

describe('pod2sfn deploy, diff and destroy on LocalStack', () => {
  it('refuses the lambda executor before it creates anything', async () => {
    // GIVEN a pod on the default executor
    writePod('v1');
    // WHEN it is deployed to host-mode LocalStack
    const refused = await cli('deploy', spec, '--endpoint', ENDPOINT);
    // THEN exit 2, naming --executor activity, and no stack and no cloud assembly exist
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('--executor activity');
    expect(await stackStatus(STACK)).toBeUndefined();
    expect(existsSync(join(user, 'cdk.out'))).toBe(false);
  });

  it('deploys from the user directory: a progress line per resource event, the assembly in ./cdk.out', async () => {
    // WHEN the pod is deployed on the activity executor, from the user's directory
    const deployed = await cli('deploy', spec, '--endpoint', ENDPOINT, '--executor', 'activity');
    expect(deployed.code, deployed.stderr).toBe(0);
    // THEN stdout is the runs API URL alone, stderr the resource events
    expect(deployed.stdout.trim()).toMatch(new RegExp(`^${ENDPOINT}/_aws/execute-api/\\w+/v1/runs$`));
    expect(deployed.stderr).toMatch(
      new RegExp(`${STACK} +CREATE_COMPLETE +AWS::StepFunctions::StateMachine +Pod/StateMachine`),
    );
    expect(deployed.stderr).not.toMatch(/NodeVersionSupportWarning/);
    // AND the stack exists, and the cloud assembly is in the user's directory
    expect(await stackStatus(STACK)).toBe('CREATE_COMPLETE');
    expect(JSON.parse(readFileSync(join(user, 'cdk.out/manifest.json'), 'utf8'))).toHaveProperty('artifacts');
  });

  it('diffs: exit 0 when nothing changed, exit 1 and the change on stdout when the spec did', async () => {
    // WHEN nothing changed, THEN exit 0, and the assembly goes where --cdk-out says
    const same = await cli('diff', spec, '--endpoint', ENDPOINT, '--executor', 'activity', '--cdk-out', 'diff.out');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/no differences/);
    expect(existsSync(join(user, 'diff.out/manifest.json'))).toBe(true);

    // WHEN the spec changed, THEN exit 1 with the changed definition on stdout
    writePod('v2');
    const changed = await cli('diff', spec, '--endpoint', ENDPOINT, '--executor', 'activity');
    expect(changed.code, changed.stderr).toBe(1);
    expect(changed.stdout).toMatch(/\[~\] AWS::StepFunctions::StateMachine Pod\/StateMachine/);
    expect(changed.stdout).toContain('echo v2');
  });

  it('destroys the stack, and a second destroy finds nothing to do', async () => {
    // WHEN the deployed stack is destroyed, THEN it is gone, its deletion shown as resource events
    const destroyed = await cli('destroy', spec, '--endpoint', ENDPOINT);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toMatch(/DELETE_COMPLETE/);
    expect(await stackStatus(STACK)).toBeUndefined();

    // AND destroying it again is not an error
    const again = await cli('destroy', spec, '--endpoint', ENDPOINT);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('does not exist');
  });

  it('removes a stack a failed deploy left behind, which deploy names instead of tripping over', async () => {
    // GIVEN a stack of the pod's name whose creation failed (LocalStack leaves it CREATE_FAILED)
    const TemplateBody = JSON.stringify({
      Resources: {
        Broken: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { RoleArn: 'arn:aws:iam::000000000000:role/none', DefinitionString: 'not json' },
        },
      },
    });
    await cfn.send(new CreateStackCommand({ StackName: STACK, TemplateBody }));
    for (let i = 0; i < 60 && (await stackStatus(STACK))?.endsWith('IN_PROGRESS'); i++)
      await new Promise((r) => setTimeout(r, 500));
    const stuck = await stackStatus(STACK);
    expect(stuck).toMatch(/FAILED|ROLLBACK_COMPLETE/);

    // WHEN deploy meets it, THEN it says how to remove it (a ROLLBACK_COMPLETE stack the toolkit replaces itself)
    if (stuck !== 'ROLLBACK_COMPLETE') {
      const blocked = await cli('deploy', spec, '--endpoint', ENDPOINT, '--executor', 'activity');
      expect(blocked.code).toBe(70);
      expect(blocked.stderr).toContain(`remove it with \`pod2sfn destroy ${spec}\``);
    }
    // AND destroy removes it
    const destroyed = await cli('destroy', spec, '--endpoint', ENDPOINT);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(await stackStatus(STACK)).toBeUndefined();
  });
});
