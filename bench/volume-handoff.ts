/**
 * The volume handoff (docs/design.md §9) against LocalStack's S3: a save (pack + streamed upload) and
 * a restore (download + unpack) of 1 MiB, 100 MiB in one file and 100 MiB in 10,000 files, each beside
 * `tar czf - | PutObject` and `GetObject | tar xzf -` of the same directory in the same run. Skipped,
 * saying so, when no LocalStack answers (LOCALSTACK_ENDPOINT, default http://127.0.0.1:4566).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { packVolume, s3Store, unpackVolume } from '../lib/volumes/index.js';
import { ms, printTable, timeAsync, verdict, type Row } from './measure.js';

const ENDPOINT = (process.env.LOCALSTACK_ENDPOINT ?? 'http://127.0.0.1:4566').replace(/\/$/, '');
const TARGET = 1.2;

/** Runs `tar` with `input` on its stdin (or none), and answers its stdout. */
function tar(args: readonly string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`tar exit ${code}`))));
    if (input) child.stdin!.end(input);
  });
}

async function reachable(): Promise<boolean> {
  try {
    return (await fetch(`${ENDPOINT}/_localstack/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

export async function volumeHandoffBench(): Promise<void> {
  if (!(await reachable())) {
    console.log(`\n### volume handoff\n\nskipped: no LocalStack answers at ${ENDPOINT} (scripts/localstack/up.sh)`);
    return;
  }
  const client = new S3Client({
    endpoint: ENDPOINT,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const bucket = `pod2sfn-bench-${Date.now().toString(36)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const store = s3Store(client, bucket);
  const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-bench-volumes-'));
  const cases: Array<[string, (root: string) => void]> = [
    ['1 MiB, one file', (root) => writeFileSync(join(root, 'f'), randomBytes(1 << 20))],
    ['100 MiB, one file', (root) => writeFileSync(join(root, 'f'), randomBytes(100 << 20))],
    [
      '100 MiB, 10,000 files',
      (root) => {
        for (let d = 0; d < 100; d++) {
          mkdirSync(join(root, `d${d}`));
          for (let f = 0; f < 100; f++) writeFileSync(join(root, `d${d}`, `f${f}`), randomBytes(10_486));
        }
      },
    ],
  ];
  const rows: Row[] = [];
  try {
    for (const [i, [what, fill]] of cases.entries()) {
      const source = join(dir, `s${i}`);
      mkdirSync(source);
      fill(source);
      const runs = i === 0 ? 5 : 3;
      const key = `volumes/bench/${i}.tar.gz`;
      const save = await timeAsync(() => store.put(key, packVolume(source)), runs);
      const saveFloor = await timeAsync(async () => {
        const body = await tar(['czf', '-', '-C', source, '.']);
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${key}.floor`, Body: body }));
      }, runs);
      const target = (n: string) => {
        const path = join(dir, `t${i}-${n}-${Math.random().toString(36).slice(2)}`);
        mkdirSync(path);
        return path;
      };
      const restore = await timeAsync(async () => unpackVolume((await store.get(key))!, target('p')), runs);
      const restoreFloor = await timeAsync(async () => {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${key}.floor` }));
        await tar(['xzf', '-', '-C', target('f')], Buffer.from(await object.Body!.transformToByteArray()));
      }, runs);
      for (const [kind, value, floor] of [
        ['save', save, saveFloor],
        ['restore', restore, restoreFloor],
      ] as const) {
        rows.push({
          what: `${kind} ${what}`,
          value: ms(value, 0),
          floor: ms(floor, 0),
          ratio: (value / floor).toFixed(2),
          target: verdict(value / floor < TARGET, 'overhead under 20 %'),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable('volume handoff (LocalStack S3; floor: tar czf | PutObject, GetObject | tar xzf)', rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await volumeHandoffBench();
