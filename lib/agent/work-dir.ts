import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The agent's disk: where its runs' volumes and termination logs live, held by it alone. */
export interface WorkDir {
  readonly path: string;
  /** Gives the directory up: removes the lock, and the directory itself when the agent made it. */
  release(): Promise<void>;
}

const LOCK_FILE = '.pod2sfn-agent.lock';

/** Another live agent holds the work dir. */
export class WorkDirHeld extends Error {}

/**
 * `--work-dir DIR`, or a fresh private (0700) temp dir. A given DIR is locked by a file holding the
 * agent's pid: a second agent refuses a DIR whose lock names a live process, so that two agents on
 * one machine never share volumes by accident; a lock left by a dead agent is taken over.
 */
export async function claimWorkDir(given: string | undefined): Promise<WorkDir> {
  if (given === undefined) {
    const path = await mkdtemp(join(tmpdir(), 'pod2sfn-agent-'));
    return { path, release: () => rm(path, { recursive: true, force: true }) };
  }
  const path = resolve(given);
  await mkdir(path, { recursive: true, mode: 0o700 });
  const lock = join(path, LOCK_FILE);
  for (;;) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (alive(holder)) throw new WorkDirHeld(`--work-dir ${given}: agent pid ${holder} holds it (${lock})`);
      await rm(lock, { force: true });
    }
  }
  return { path, release: () => rm(lock, { force: true }) };
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
