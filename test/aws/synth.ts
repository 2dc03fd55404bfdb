import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { packageRoot } from '../../lib/package-root.js';
import { tempDir } from '../helpers/temp.js';

/** The context `cdk synth` gets from cdk.json (feature flags), so tests synthesize what the CLI does. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(packageRoot(), 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;
}

export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...context }, outdir: tempDir('pod2sfn-cdk-') });
}

export { example } from '../helpers/compile.js';

/** A stand-in for what CloudFormation resolves an intrinsic to: stable text naming the resource. */
export function fakeResolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return `arn:fake:${String(v.Ref)}`;
  if ('Fn::GetAtt' in v) return `arn:fake:${(v['Fn::GetAtt'] as string[]).join('.')}`;
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(fakeResolve).join(sep);
  }
  return JSON.stringify(value);
}

/** A synthesized template read as plain JSON: tests index into CloudFormation's untyped shape freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a template has no static type to check against
export type TemplateJson = any;
