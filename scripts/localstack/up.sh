#!/usr/bin/env bash
# Start LocalStack (open-source core, host mode, no Docker) for pod2sfn's tests.
#
# Idempotent:
#   - if something already answers $LOCALSTACK_ENDPOINT/_localstack/health, reuse it;
#   - otherwise create .venv/localstack (localstack-core[runtime]==4.14.0) if missing,
#     start `python -m localstack.runtime.main` in its own process group, write
#     .localstack/localstack.pid and .localstack/localstack.log, and wait for health.
#
# Env:
#   LOCALSTACK_ENDPOINT      default http://127.0.0.1:4566 (host:port also sets GATEWAY_LISTEN)
#   LOCALSTACK_PYTHON        python used to create the venv (default: python3), must be >= 3.10
#   LOCALSTACK_VENV          default <repo>/.venv/localstack
#   LOCALSTACK_STATE_DIR     default <repo>/.localstack (pid, log, data)
#   LOCALSTACK_WAIT_SECONDS  default 120
#   LOCALSTACK_SERVICES      default list below
#   SFN_MOCK_CONFIG          passed through if set (Step Functions mocked service integrations;
#                            read at LocalStack start, so set it before calling this script)
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

healthy() {
  curl -fsS --max-time 2 "$ENDPOINT/_localstack/health" >/dev/null 2>&1
}

# host:port from the endpoint URL (http://127.0.0.1:4566 -> 127.0.0.1:4566)
hostport="${ENDPOINT#*://}"
hostport="${hostport%%/*}"
case "$hostport" in
  *:*) ;;
  *) hostport="$hostport:4566" ;;
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

# ---- venv ----
want_stamp="$LOCALSTACK_VERSION $(cksum <"$CONSTRAINTS" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$STAMP" 2>/dev/null)" != "$want_stamp" ]]; then
  PY="${LOCALSTACK_PYTHON:-python3}"
  command -v "$PY" >/dev/null 2>&1 || die "$PY not found; LocalStack needs Python >= 3.10 (set LOCALSTACK_PYTHON)"
  "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    || die "$("$PY" -V 2>&1) is too old; LocalStack $LOCALSTACK_VERSION needs Python >= 3.10 (set LOCALSTACK_PYTHON)"
  "$PY" -c 'import venv, ensurepip' 2>/dev/null \
    || die "$PY lacks the venv/ensurepip modules (Debian: apt-get install python3-venv)"
  t0=$(date +%s)
  log "creating $VENV with localstack-core[runtime]==$LOCALSTACK_VERSION (first time: about a minute)"
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
      EAGER_SERVICE_LOADING="${EAGER_SERVICE_LOADING:-0}" \
      PERSISTENCE=0 \
      FILESYSTEM_ROOT="$STATE_DIR/data" \
      LOCALSTACK_HOST="${LOCALSTACK_HOST:-$hostport}" \
      AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" \
      AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}" \
      AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" \
      PYTHONUNBUFFERED=1
    exec setsid "$VENV/bin/python" -m localstack.runtime.main </dev/null >>"$LOG_FILE" 2>&1
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
