import { spawnSync } from 'node:child_process';

/**
 * Runs a container's command on the host in its own user, mount and PID namespaces, so that a
 * non-root user can mount volumes at the absolute paths the spec names (/work-dir), a fresh file sits
 * at terminationMessagePath, and every process of the container dies with it (the kernel kills a
 * PID namespace when its first process exits). The root is a tmpfs holding bind mounts of the
 * host's top-level entries; a mount path under an existing host directory gets that directory
 * "shadowed" (a tmpfs of bind mounts of its entries), so nothing is ever created on the host.
 * /proc is the namespace's own and /dev the few devices a container gets.
 *
 * Arguments: ROOT SCRATCH WORKDIR then SOURCE TARGET ro|rw triples, `--`, the command.
 */
const SCRIPT = String.raw`set -e
R=$1; W=$2; WD=$3; shift 3
copy_entries() {
  for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    if [ ! -e "$e" ] && [ ! -L "$e" ]; then continue; fi
    n=$(basename "$e"); t="$2/$n"
    case "$3:$n" in root:proc|root:dev) continue;; esac
    if [ -L "$e" ]; then ln -s "$(readlink "$e")" "$t"
    elif [ -d "$e" ]; then mkdir "$t" && mount --rbind "$e" "$t"
    else : > "$t" && mount --bind "$e" "$t"; fi
  done
}
mount -t tmpfs -o mode=0755 pod2sfn "$R"
copy_entries "" "$R" root
mkdir "$R/proc" "$R/dev"
mount -t proc proc "$R/proc" 2>/dev/null || mount --rbind /proc "$R/proc"
mount -t tmpfs -o mode=0755 dev "$R/dev"
for d in null zero full random urandom tty; do : > "$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"; done
mkdir "$R/dev/shm"; mount -t tmpfs shm "$R/dev/shm"
ln -s /proc/self/fd "$R/dev/fd"; ln -s /proc/self/fd/0 "$R/dev/stdin"; ln -s /proc/self/fd/1 "$R/dev/stdout"; ln -s /proc/self/fd/2 "$R/dev/stderr"
SHADOWED=" / /dev "
creatable() {
  p=$1
  while [ ! -e "$R$p" ] && [ "$p" != / ]; do p=$(dirname "$p"); done
  case "$SHADOWED" in *" $p "*) return;; esac
  s=$(mktemp -d "$W/shadow.XXXXXX")
  mount -t tmpfs -o mode=0755 shadow "$s"
  copy_entries "$R$p" "$s" shadow
  mount --move "$s" "$R$p"
  SHADOWED="$SHADOWED$p "
}
while [ "$1" != -- ]; do
  src=$1; dst=$2; mode=$3; shift 3
  if [ ! -e "$R$dst" ]; then
    creatable "$dst"
    if [ -d "$src" ]; then mkdir -p "$R$dst"; else mkdir -p "$(dirname "$R$dst")"; : > "$R$dst"; fi
  fi
  mount --bind "$src" "$R$dst"
  if [ "$mode" = ro ]; then mount -o remount,bind,ro "$R$dst"; fi
done
shift
if [ ! -e "$R$WD" ]; then creatable "$WD"; mkdir -p "$R$WD"; fi
# Stay PID 1 (as docker run --init does): the kernel shields PID 1 from SIGTERM unless it traps it,
# so a command such as sh would ignore the stop signal; when PID 1 exits the namespace dies with it.
trap : TERM INT
chroot "$R" /bin/sh -c 'cd "$0" && exec "$@"' "$WD" "$@" &
c=$!; s=0
while kill -0 "$c" 2>/dev/null; do wait "$c" && s=0 || s=$?; done
exit "$s"`;

const UNSHARE = ['unshare', '--user', '--map-root-user', '--mount', '--pid', '--fork', '--kill-child'];

export interface SandboxMount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface SandboxPlan {
  /** An empty directory on the host: the mount point of the container's root. */
  readonly root: string;
  /** A directory on the host for the sandbox's own scratch mounts. */
  readonly scratch: string;
  readonly workingDir: string;
  readonly mounts: readonly SandboxMount[];
  readonly argv: readonly string[];
}

export function sandboxArgv(plan: SandboxPlan): string[] {
  const mounts = plan.mounts.flatMap((m) => [m.source, m.target, m.readOnly ? 'ro' : 'rw']);
  return [...UNSHARE, 'sh', '-c', SCRIPT, 'pod2sfn-sandbox', plan.root, plan.scratch, plan.workingDir, ...mounts, '--', ...plan.argv];
}

/** Whether this machine lets us create the namespaces (Linux with unprivileged user namespaces). */
export function sandboxAvailable(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), 'true'], { stdio: 'ignore', timeout: 5000 });
  return probe.status === 0;
}
