#!/usr/bin/env bash
# Start LocalStack (open-source core, host mode, no Docker) for pod2sfn's tests.
#
# Idempotent:
#   - if something already answers $LOCALSTACK_ENDPOINT/_localstack/health, reuse it;
#   - otherwise create .venv/localstack (localstack-core[runtime]==4.14.0) if missing,
#     start LocalStack (scripts/localstack/run.py) in its own process group, write
#     .localstack/localstack.pid and .localstack/localstack.log, and wait for health.
#
# Env:
#   LOCALSTACK_ENDPOINT      default http://127.0.0.1:4566 (host:port also sets GATEWAY_LISTEN)
#   LOCALSTACK_PYTHON        python used to create the venv; must be >= 3.13 (default: first found of
#                            python3.13, $PYENV_ROOT/versions/3.13*, python3, python3.14)
#   LOCALSTACK_VENV          default <repo>/.venv/localstack
#   LOCALSTACK_STATE_DIR     default <repo>/.localstack (pid, log, data)
#   LOCALSTACK_WAIT_SECONDS  default 120
#   LOCALSTACK_SERVICES      default list below
#   GATEWAY_SERVER           default hypercorn: it binds the GATEWAY_LISTEN host (127.0.0.1);
#                            LocalStack's default, twisted, ignores the host and binds 0.0.0.0
#   SFN_MOCK_CONFIG          Step Functions mocked service integrations file (default
#                            <state dir>/sfn-mock-config.json, need not exist yet). The PATH is read
#                            once at LocalStack start; the file itself is re-read when its mtime
#                            (whole seconds) changes. Select a test case with StartExecution
#                            stateMachineArn = "<arn>#<TestCaseName>".
set -euo pipefail

LOCALSTACK_VERSION=4.14.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${LOCALSTACK_VENV:-$ROOT/.venv/localstack}"
STATE_DIR="${LOCALSTACK_STATE_DIR:-$ROOT/.localstack}"
ENDPOINT="${LOCALSTACK_ENDPOINT:-http://127.0.0.1:4566}"
ENDPOINT="${ENDPOINT%/}"
WAIT_SECONDS="${LOCALSTACK_WAIT_SECONDS:-120}"
SERVICES="${LOCALSTACK_SERVICES:-cloudformation,stepfunctions,apigateway,iam,s3,ssm,sts,logs,secretsmanager,lambda,ecs,kms,events}"
PID_FILE="$STATE_DIR/localstack.pid"
LOG_FILE="$STATE_DIR/localstack.log"
CONSTRAINTS="$ROOT/scripts/localstack/constraints.txt"
STAMP="$VENV/.pod2sfn-localstack"

log() { echo "[localstack] $*" >&2; }
die() { echo "[localstack] ERROR: $*" >&2; exit 1; }

# LocalStack 4.14.0 says Requires-Python >= 3.10, but its code needs 3.13: class Foo[T] (3.12)
# and `threading.Lock | None` annotations (Lock is a class only from 3.13).
py_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)' >/dev/null 2>&1; }
find_python() {
  local c
  if [[ -n "${LOCALSTACK_PYTHON:-}" ]]; then
    py_ok "$LOCALSTACK_PYTHON" && { echo "$LOCALSTACK_PYTHON"; return 0; }
    die "LOCALSTACK_PYTHON=$LOCALSTACK_PYTHON is not Python >= 3.13"
  fi
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  for c in python3.13 "$pyenv_root"/versions/3.13*/bin/python3 /usr/local/bin/python3.13 /usr/bin/python3.13 \
           python3 python3.14 "$pyenv_root"/versions/3.14*/bin/python3; do
    if [[ "$c" == */* ]]; then [[ -x "$c" ]] || continue; else command -v "$c" >/dev/null 2>&1 || continue; fi
    py_ok "$c" && { echo "$c"; return 0; }
  done
  return 1
}

healthy() {
  curl -fsS --max-time 2 "$ENDPOINT/_localstack/health" >/dev/null 2>&1
}

# host:port from the endpoint URL (http://127.0.0.1:4566 -> 127.0.0.1:4566); without a port, the
# scheme's (http://localhost -> localhost:80), so that LocalStack listens where the endpoint points.
hostport="${ENDPOINT#*://}"
hostport="${hostport%%/*}"
case "$hostport" in
  *:*) ;;
  *) if [[ "$ENDPOINT" == https://* ]]; then hostport="$hostport:443"; else hostport="$hostport:80"; fi ;;
esac

if healthy; then
  log "already running at $ENDPOINT (reusing it)"
  exit 0
fi

mkdir -p "$STATE_DIR"

# A pid file whose process is still alive but not yet healthy: wait for it instead of starting another.
if [[ -f "$PID_FILE" ]]; then
  oldpid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [[ -n "$oldpid" ]] && kill -0 "$oldpid" 2>/dev/null; then
    log "process $oldpid from an earlier start is alive; waiting for it"
  else
    rm -f "$PID_FILE"
  fi
fi

# ---- venv (left alone while an earlier start is still alive) ----
want_stamp="$LOCALSTACK_VERSION $(cksum <"$CONSTRAINTS" | cut -d' ' -f1)"
if [[ ! -f "$PID_FILE" ]] && { [[ ! -x "$VENV/bin/python" ]] || ! py_ok "$VENV/bin/python" \
     || [[ "$(cat "$STAMP" 2>/dev/null)" != "$want_stamp" ]]; }; then
  PY="$(find_python)" || die "no Python >= 3.13 found. LocalStack $LOCALSTACK_VERSION declares >= 3.10 but really
  needs 3.13 (PEP 695 generics; threading.Lock used as a type). Set LOCALSTACK_PYTHON=/path/to/python3.13."
  "$PY" -c 'import venv, ensurepip' 2>/dev/null \
    || die "$PY lacks the venv/ensurepip modules (Debian: apt-get install python3-venv)"
  t0=$(date +%s)
  log "creating $VENV ($("$PY" -V 2>&1)) with localstack-core[runtime]==$LOCALSTACK_VERSION (first time: about a minute)"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  # constraints.txt pins every dependency: newer cbor2/pyOpenSSL releases break 4.14.0.
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input \
    -c "$CONSTRAINTS" "localstack-core[runtime]==$LOCALSTACK_VERSION" \
    || die "pip install localstack-core[runtime]==$LOCALSTACK_VERSION failed"
  echo "$want_stamp" >"$STAMP"
  log "venv ready in $(( $(date +%s) - t0 ))s"
fi

# ---- start ----
if [[ ! -f "$PID_FILE" ]]; then
  if ss -ltn 2>/dev/null | awk '{print $4}' | grep -qx "$hostport"; then
    die "$hostport is in use but does not answer /_localstack/health; free it or set LOCALSTACK_ENDPOINT"
  fi
  mkdir -p "$STATE_DIR/data"
  : >"$LOG_FILE"
  log "starting LocalStack $LOCALSTACK_VERSION (host mode) on $hostport; log: $LOG_FILE"
  # setsid: own session and process group, so down.sh can kill the whole group.
  (
    cd "$STATE_DIR"
    export GATEWAY_LISTEN="$hostport" \
      OVERRIDE_IN_DOCKER=0 \
      DNS_ADDRESS=0 \
      SKIP_SSL_CERT_DOWNLOAD=1 \
      DISABLE_EVENTS=1 \
      SERVICES="$SERVICES" \
      GATEWAY_SERVER="${GATEWAY_SERVER:-hypercorn}" \
      EAGER_SERVICE_LOADING="${EAGER_SERVICE_LOADING:-0}" \
      PERSISTENCE=0 \
      FILESYSTEM_ROOT="$STATE_DIR/data" \
      LOCALSTACK_HOST="${LOCALSTACK_HOST:-$hostport}" \
      AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" \
      AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}" \
      AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" \
      SFN_MOCK_CONFIG="${SFN_MOCK_CONFIG:-$STATE_DIR/sfn-mock-config.json}" \
      PYTHONUNBUFFERED=1
    exec setsid "$VENV/bin/python" "$ROOT/scripts/localstack/run.py" </dev/null >>"$LOG_FILE" 2>&1
  ) &
  echo $! >"$PID_FILE"
fi

pid="$(cat "$PID_FILE")"
t0=$(date +%s)
deadline=$(( t0 + WAIT_SECONDS ))
until healthy; do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$PID_FILE"
    tail -n 40 "$LOG_FILE" >&2 || true
    die "LocalStack (pid $pid) exited before it became healthy; see $LOG_FILE"
  fi
  if (( $(date +%s) >= deadline )); then
    tail -n 40 "$LOG_FILE" >&2 || true
    die "LocalStack did not answer $ENDPOINT/_localstack/health within ${WAIT_SECONDS}s (pid $pid still running; stop it with scripts/localstack/down.sh)"
  fi
  sleep 0.5
done
log "ready at $ENDPOINT after $(( $(date +%s) - t0 ))s (pid $pid)"
