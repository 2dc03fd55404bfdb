import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Starts LocalStack for the e2e project (scripts/localstack/up.sh: host mode, no Docker; reuses one
 * that already answers at LOCALSTACK_ENDPOINT) and stops it afterwards — also when tests fail or the
 * run is interrupted. down.sh only stops a LocalStack that up.sh started.
 */
const ROOT = join(import.meta.dirname, '../..');
const script = (name: string) => join(ROOT, 'scripts/localstack', name);

export default function setup(): () => Promise<void> {
  execFileSync('bash', [script('up.sh')], { stdio: 'inherit', env: process.env });
  let stopped = false;
  // Blocking only when the process is about to go away anyway.
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    execFileSync('bash', [script('down.sh')], { stdio: 'inherit', env: process.env });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopNow();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
  process.once('exit', stopNow);
  // The teardown does not block: vitest is still stopping its test workers when it runs, and a main
  // process blocked past teardownTimeout reports "Timeout terminating forks worker" (as the 20 s
  // down.sh did every time).
  return async () => {
    if (stopped) return;
    stopped = true;
    await new Promise<void>((resolve, reject) => {
      spawn('bash', [script('down.sh')], { stdio: 'inherit', env: process.env })
        .on('error', reject)
        .on('close', () => resolve());
    });
  };
}
