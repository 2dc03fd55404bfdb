import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { basename, posix } from 'node:path';
import { ContainerConfigError, realPathOf } from '../runner/index.js';

/**
 * A container's sandbox on the host: one bubblewrap (`bwrap`) process sets up the namespaces and
 * mounts and then runs the command (docs/design.md §4). Its root shows the host's files, so volumes
 * appear at the absolute paths the spec names (/work-dir) and a fresh file sits at
 * terminationMessagePath. Where a mount point must be created, the nearest host directory above it is
 * "shadowed" (a tmpfs holding that directory's entries; for `/`, bwrap's own root tmpfs), so that
 * bwrap creates mount points in the sandbox's tmpfs and never on the host; every path is resolved
 * here, `..` and symbolic links included, with the sandbox's root as its root. /proc is the PID
 * namespace's own, /dev bwrap's few devices.
 *
 * Processes: bwrap's PID 1 reaps, the command is PID 2 (so a shell gets SIGTERM, which the kernel
 * keeps from a PID 1 without a handler), both in a session of their own whose process group is the
 * sandbox's PID 1 (reported on --info-fd): stopping the container signals that group and not bwrap,
 * which waits and reports the exit code. --die-with-parent ties each of them to its parent with
 * PR_SET_PDEATHSIG: when pod2sfn dies, even of SIGKILL, bwrap dies and the whole namespace with it.
 *
 * The gate (plan.gate): PID 2 is first /bin/sh waiting for the line `go` on GATE_FD, and then execs the
 * command (docs/design.md §4). So a sandbox can be built while the container before it runs, and
 * released when it is this container's turn; at EOF (pod2sfn gone) the gate exits and the command never
 * runs. bwrap's own --block-fd cannot tell a release from that EOF.
 */
export const BWRAP = 'bwrap';

/** The file descriptor on which bwrap reports `{"child-pid": N}`: the sandbox's process group. */
export const INFO_FD = 3;

export interface SandboxMount {
  /** A directory or file on the host. */
  readonly source: string;
  /** Where it appears inside the sandbox: any path, resolved against the sandbox's root. */
  readonly target: string;
  readonly readOnly: boolean;
}

export interface SandboxPlan {
  readonly hostname: string;
  /** Whether the command may wait at the gate: its environment passes through /bin/sh unchanged. */
  readonly gate: boolean;
  readonly workingDir?: string;
  readonly mounts: readonly SandboxMount[];
  readonly argv: readonly string[];
}

/** A user namespace where the command is root (as in most images), its own PIDs and hostname. */
const NAMESPACES = ['--unshare-user', '--uid', '0', '--gid', '0', '--unshare-pid', '--unshare-uts'];
const LIFETIME = ['--die-with-parent', '--new-session', '--info-fd', String(INFO_FD)];

/** The file descriptor the gate reads its release from, and the line that releases it. */
export const GATE_FD = 4;
export const RELEASE = 'go\n';
/** An absolute /bin/sh: the container's PATH may have no sh; `exec` then looks the command up on that PATH. */
const GATE = [
  '/bin/sh',
  '-c',
  `IFS= read -r go <&${GATE_FD} && [ "$go" = go ] || exit 0; exec ${GATE_FD}<&-; exec "$@"`,
  'pod2sfn-gate',
];

/**
 * Whether /bin/sh hands this environment to the command it execs unchanged, so that the command may
 * wait at the sandbox's gate: dash drops a variable whose name is no shell identifier (`my.var`) and
 * resets IFS, OPTIND and PPID; another /bin/sh may do more. Otherwise the command runs without it.
 */
export function passesShell(env: Readonly<Record<string, string>>): boolean {
  return shellIsDash() && Object.keys(env).every((name) => SHELL_NAME.test(name) && !SHELL_SETS.has(name));
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHELL_SETS = new Set(['IFS', 'OPTIND', 'PPID']);
let dash: boolean | undefined;
const shellIsDash = () => (dash ??= basename(realPathOf('/bin/sh') ?? '/bin/sh') === 'dash');

/** The host paths a sandbox argv binds (volumes, the termination file, a shadowed directory's entries). */
export function boundSources(argv: readonly string[]): string[] {
  const sources: string[] = [];
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === '--bind' || argv[i] === '--ro-bind') sources.push(argv[++i]!);
  }
  return sources;
}

/** Where /bin/sh and what it loads live: a mount at or above one of them hides them from the gate. */
const SHELL_DIRS = ['/bin', '/usr/bin', '/lib', '/lib64', '/usr/lib', '/usr/lib64', '/etc'];
const hidesShell = (target: string) => SHELL_DIRS.some((dir) => dir === target || dir.startsWith(`${target}/`));

/** Host entries the sandbox has its own of. */
const OWN = new Set(['/proc', '/dev']);

export interface SandboxLayout {
  /** bwrap's argv, the gate (if `gated`) and the command at its end. */
  readonly argv: string[];
  /** The plan's gate, unless a mount hides what /bin/sh needs (a volume over /usr/bin, /lib, /etc, ...). */
  readonly gated: boolean;
  /**
   * Whether the sandbox can be built before the containers ahead of it have run: none of its paths
   * (mount targets, working directory) goes through a volume, whose content those containers may change.
   */
  readonly buildsAhead: boolean;
}

/** bwrap's argv for one container. Reads the host's directory entries it needs; creates nothing. */
export function sandboxArgv(plan: SandboxPlan): string[] {
  return sandboxLayout(plan).argv;
}

export function sandboxLayout(plan: SandboxPlan): SandboxLayout {
  const view = new View();
  const binds: string[] = [];
  const targets: string[] = [];
  for (const mount of plan.mounts) {
    const target = view.place(mount.target, mount.source);
    binds.push(mount.readOnly ? '--ro-bind' : '--bind', mount.source, target);
    targets.push(target);
  }
  const gated = plan.gate && !targets.some(hidesShell);
  const workingDir = view.resolve(plan.workingDir ?? '/');
  const makeWorkingDir = !view.exists(workingDir);
  if (makeWorkingDir) view.makeRoomFor(workingDir);
  const argv = [
    BWRAP,
    ...NAMESPACES,
    ...LIFETIME,
    '--hostname',
    plan.hostname,
    ...view.rootArgs(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    ...view.shadowArgs(),
    ...binds,
    ...(makeWorkingDir ? ['--dir', workingDir] : []),
    '--chdir',
    workingDir,
    '--',
    ...(gated ? GATE : []),
    ...plan.argv,
  ];
  return { argv, gated, buildsAhead: gated && !view.throughVolume };
}

/**
 * The sandbox's file tree as bwrap will build it, for resolving paths before it exists: the host's,
 * except /proc and /dev (the sandbox's own) and the mounts placed so far.
 */
class View {
  private readonly mounts: Array<{ target: string; source: string }> = [];
  private readonly shadowed = new Set<string>();
  /** Set once a path was resolved, or a directory made, inside a volume: they depend on its content. */
  throughVolume = false;

  /** Resolves a mount's target, makes room for it, and records it for the paths resolved after it. */
  place(target: string, source: string): string {
    const resolved = this.resolve(target);
    if (resolved === '/' || OWN.has(resolved) || resolved.startsWith('/proc/')) {
      throw new ContainerConfigError(`mount path ${JSON.stringify(target)}: cannot mount over ${resolved}`);
    }
    if (!this.exists(resolved)) this.makeRoomFor(resolved);
    this.mounts.push({ target: resolved, source });
    return resolved;
  }

  /**
   * The path as the kernel would resolve it inside the sandbox: relative to its root, `..` never
   * above it, symbolic links followed with the sandbox's root as `/` (as chroot does).
   */
  resolve(path: string): string {
    const pending = posix.resolve('/', path).split('/').filter(Boolean).reverse();
    let done = '';
    for (let links = 0; pending.length > 0;) {
      const name = pending.pop()!;
      if (name === '.') continue;
      if (name === '..') {
        done = done.slice(0, done.lastIndexOf('/'));
        continue;
      }
      const next = `${done}/${name}`;
      if (this.mountOf(done) !== undefined) this.throughVolume = true;
      const host = this.hostPath(next);
      const stats = host === undefined ? undefined : lstat(host);
      if (stats?.isSymbolicLink()) {
        if (++links > 40) {
          throw new ContainerConfigError(`path ${JSON.stringify(path)}: too many levels of symbolic links`);
        }
        const link = readlinkSync(host!);
        if (link.startsWith('/')) done = '';
        pending.push(...link.split('/').filter(Boolean).reverse());
        continue;
      }
      done = next;
    }
    return done === '' ? '/' : done;
  }

  exists(path: string): boolean {
    if (path === '/' || OWN.has(path)) return true;
    const host = this.hostPath(path);
    return host !== undefined && lstat(host) !== undefined;
  }

  /**
   * Makes sure that creating `path` (a resolved path that does not exist) creates it in a tmpfs of
   * the sandbox or inside a volume, never in a host directory: the nearest existing host directory
   * above it is shadowed.
   */
  makeRoomFor(path: string): void {
    let parent = posix.dirname(path);
    while (!this.exists(parent)) parent = posix.dirname(parent);
    if (OWN.has(parent) || parent.startsWith('/dev/') || this.shadowed.has(parent)) return;
    if (this.mountOf(parent) !== undefined) {
      this.throughVolume = true;
      return; // inside a volume: created in the run's own directory
    }
    if (!lstat(parent)!.isDirectory()) {
      throw new ContainerConfigError(`path ${JSON.stringify(path)}: ${parent} is not a directory`);
    }
    this.shadowed.add(parent);
  }

  /**
   * The root: the host's, bound whole (one recursive bind, the cheaper), unless something must be
   * created at its top level: then bwrap's own tmpfs holding the host's top-level entries.
   */
  rootArgs(): string[] {
    return this.shadowed.has('/') ? entries('/') : ['--bind', '/', '/'];
  }

  /** A tmpfs over each shadowed directory but the root, then its host entries again, parents first. */
  shadowArgs(): string[] {
    const dirs = [...this.shadowed].filter((d) => d !== '/').sort((a, b) => a.split('/').length - b.split('/').length);
    return dirs.flatMap((dir) => ['--perms', (lstat(dir)!.mode & 0o7777).toString(8), '--tmpfs', dir, ...entries(dir)]);
  }

  private mountOf(path: string): { target: string; source: string } | undefined {
    for (let i = this.mounts.length - 1; i >= 0; i--) {
      const m = this.mounts[i]!;
      if (path === m.target || path.startsWith(`${m.target}/`)) return m;
    }
    return undefined;
  }

  /** Where a sandbox path is on the host (undefined: in a tmpfs of the sandbox's own). */
  private hostPath(path: string): string | undefined {
    const mount = this.mountOf(path);
    if (mount) return mount.source + path.slice(mount.target.length);
    if (OWN.has(path) || path.startsWith('/proc/') || path.startsWith('/dev/')) return undefined;
    return path;
  }
}

/** bwrap arguments that put a host directory's entries at the same paths in the sandbox. */
function entries(dir: string): string[] {
  const args: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (dir === '/' && OWN.has(path)) continue;
    if (entry.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
    else args.push('--bind', path, path);
  }
  return args;
}

function lstat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

let available: boolean | undefined;

/** Whether bwrap is installed and may create the namespaces here; asked once per process. */
export function sandboxAvailable(): boolean {
  if (available === undefined) {
    const argv = [...NAMESPACES, '--die-with-parent', '--ro-bind', '/', '/', 'true'];
    available = process.platform === 'linux' && spawnSync(BWRAP, argv, { stdio: 'ignore', timeout: 5000 }).status === 0;
  }
  return available;
}
