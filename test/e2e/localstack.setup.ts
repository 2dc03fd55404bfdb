import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Starts LocalStack for the e2e project (scripts/localstack/up.sh: host mode, no Docker; reuses one
 * that already answers at LOCALSTACK_ENDPOINT) and stops it afterwards — also when tests fail or the
 * run is interrupted. down.sh only stops a LocalStack that up.sh started.
 */
const ROOT = join(import.meta.dirname, '../..');
const run = (script: string) =>
  execFileSync('bash', [join(ROOT, 'scripts/localstack', script)], { stdio: 'inherit', env: process.env });

export default function setup(): () => void {
  run('up.sh');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    run('down.sh');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
  process.once('exit', stop);
  return stop;
}
