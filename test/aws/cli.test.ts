import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signV4 } from '../../lib/cli/aws.js';
import { packageRoot } from '../../lib/package-root.js';

/** Every module a file loads, following relative imports (static and dynamic), as written in source. */
function importsOf(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g,
  )) {
    const spec = (m[1] ?? m[2])!;
    if (spec.startsWith('.')) importsOf(resolve(dirname(entry), spec.replace(/\.js$/, '.ts')), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('the deploy-path verbs stay light', () => {
  it.each(['status', 'start', 'get', 'describe', 'delete'])('%s never loads aws-cdk-lib', (name) => {
    const modules = [...importsOf(join(packageRoot(), 'lib/cli/verbs', `${name}.ts`))];
    expect(
      modules.filter(
        (m) =>
          m.startsWith('aws-cdk-lib') || m === 'constructs' || (m.includes('/lib/aws/') && !m.endsWith('names.ts')),
      ),
    ).toEqual([]);
    expect(modules).toContain('@aws-sdk/client-sfn');
  });
});

describe('signV4', () => {
  it('matches the AWS SigV4 test suite (get-vanilla)', async () => {
    const headers = await signV4(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      'us-east-1',
      'service',
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});
