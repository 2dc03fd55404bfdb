#!/usr/bin/env bash
# Stop the LocalStack that scripts/localstack/up.sh started (its whole process group).
# Does nothing to a LocalStack that up.sh reused rather than started; tolerates it being gone.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE_DIR="${LOCALSTACK_STATE_DIR:-$ROOT/.localstack}"
PID_FILE="$STATE_DIR/localstack.pid"
log() { echo "[localstack] $*" >&2; }

if [[ ! -f "$PID_FILE" ]]; then
  log "not started by up.sh (no $PID_FILE); nothing to stop"
  exit 0
fi
pid="$(cat "$PID_FILE" 2>/dev/null || true)"
if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
  log "pid ${pid:-?} already gone"
  rm -f "$PID_FILE"
  exit 0
fi
# up.sh starts LocalStack with setsid, so its pid is also its process-group id.
pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')"
if [[ "$pgid" != "$pid" ]]; then
  log "pid $pid is not a process-group leader (pgid ${pgid:-?}); stopping only that pid"
  target="$pid"
else
  target="-$pid"
fi
# SIGTERM: LocalStack shuts down and exits in 1-3 s, also while an activity worker long-polls
# (scripts/localstack/run.py says why it used to hang then). SIGKILL only if that ever breaks.
t0=$(date +%s%N)
kill -TERM -- "$target" 2>/dev/null || true
for _ in $(seq 1 50); do          # up to 5 s for a clean shutdown
  kill -0 -- "$target" 2>/dev/null || break
  sleep 0.1
done
if kill -0 -- "$target" 2>/dev/null; then
  log "still running 5 s after SIGTERM; sending SIGKILL (see $STATE_DIR/localstack.log)"
  kill -KILL -- "$target" 2>/dev/null || true
fi
rm -f "$PID_FILE"
log "stopped (pid $pid) in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
