# shellcheck shell=bash
# Settings, logging, pid files and readiness waits shared by the devstack scripts.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# pinned versions of everything the stack installs
FERRETDB_VERSION=v1.24.0
UV_VERSION=0.13.8
NGINX_DEB_VERSION=1.22.1-9+deb12u11 # Debian 12's nginx (lib/nginx.sh)

DEVSTACK_DIR=${DEVSTACK_DIR:-$ROOT/.devstack}
case $DEVSTACK_DIR in /*) ;; *) DEVSTACK_DIR=$ROOT/$DEVSTACK_DIR ;; esac
DEVSTACK_CACHE=${DEVSTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/catalog-search}
DEVSTACK_PROFILE=${DEVSTACK_PROFILE:-dev}
DEVSTACK_REDIS_PORT=${DEVSTACK_REDIS_PORT:-6379}
DEVSTACK_MONGO_PORT=${DEVSTACK_MONGO_PORT:-27017}
DEVSTACK_FERRETDB_DEBUG_PORT=${DEVSTACK_FERRETDB_DEBUG_PORT:-27089}
# SQLite's `synchronous` under FerretDB (WAL): `normal` survives any process crash
# and, like a standalone MongoDB's default write concern, may lose the last
# commits to a power loss; `full` syncs every commit (about 20 % fewer PUTs a second)
DEVSTACK_FERRETDB_SYNCHRONOUS=${DEVSTACK_FERRETDB_SYNCHRONOUS:-normal}
DEVSTACK_ES_PORT=${DEVSTACK_ES_PORT:-9200}
DEVSTACK_ES_TRANSPORT_PORT=${DEVSTACK_ES_TRANSPORT_PORT:-9300}
DEVSTACK_ES_NODES=${DEVSTACK_ES_NODES:-1}
DEVSTACK_ES_HEAP=${DEVSTACK_ES_HEAP:-1g}
# SeaweedFS (the S3 object store of product images): one `weed server` holding
# master, volume, filer and S3; each gRPC port is its HTTP port + 10000
DEVSTACK_S3_PORT=${DEVSTACK_S3_PORT:-8333}
DEVSTACK_SEAWEED_MASTER_PORT=${DEVSTACK_SEAWEED_MASTER_PORT:-9333}
DEVSTACK_SEAWEED_VOLUME_PORT=${DEVSTACK_SEAWEED_VOLUME_PORT:-9334}
DEVSTACK_SEAWEED_FILER_PORT=${DEVSTACK_SEAWEED_FILER_PORT:-8888}
DEVSTACK_SEAWEED_METRICS_PORT=${DEVSTACK_SEAWEED_METRICS_PORT:-9327}
DEVSTACK_WORKER_CONCURRENCY=${DEVSTACK_WORKER_CONCURRENCY:-2}
DEVSTACK_BACKGROUND_CONCURRENCY=${DEVSTACK_BACKGROUND_CONCURRENCY:-1}
DEVSTACK_IMAGES_CONCURRENCY=${DEVSTACK_IMAGES_CONCURRENCY:-1}
CATALOG_READ_API_PORT=${CATALOG_READ_API_PORT:-8000}
CATALOG_WRITE_API_PORT=${CATALOG_WRITE_API_PORT:-8001}
CATALOG_WORKER_METRICS_PORT=${CATALOG_WORKER_METRICS_PORT:-8002}
# TLS mode (lib/nginx.sh): nginx on these ports in front of both APIs, and a
# second read API process
DEVSTACK_READ_API_2_PORT=${DEVSTACK_READ_API_2_PORT:-8003}
DEVSTACK_NGINX_READ_PORT=${DEVSTACK_NGINX_READ_PORT:-8443}
DEVSTACK_NGINX_WRITE_PORT=${DEVSTACK_NGINX_WRITE_PORT:-8444}
DEVSTACK_NGINX_STATUS_PORT=${DEVSTACK_NGINX_STATUS_PORT:-8480}
# short: a browser pins HTTPS for the whole host name, every port of
# `localhost` included (not for 127.0.0.1: addresses are never pinned)
DEVSTACK_HSTS_MAX_AGE=${DEVSTACK_HSTS_MAX_AGE:-300}

RUN_DIR=$DEVSTACK_DIR/run
LOG_DIR=$DEVSTACK_DIR/logs
DATA_DIR=$DEVSTACK_DIR/data
VENV=$ROOT/.venv

# DEVSTACK_TLS=1 runs the stack in TLS mode, 0 without; unset, as the stack
# was started (run/tls-mode marks a stack started in TLS mode)
TLS_MARK=$RUN_DIR/tls-mode
if [[ -z ${DEVSTACK_TLS:-} ]]; then
    if [[ -f $TLS_MARK ]]; then DEVSTACK_TLS=1; else DEVSTACK_TLS=0; fi
fi
[[ $DEVSTACK_TLS == [01] ]] || { echo "DEVSTACK_TLS must be 0 or 1, not '$DEVSTACK_TLS'" >&2; exit 2; }
tls_mode() { [[ $DEVSTACK_TLS == 1 ]]; }
if tls_mode; then
    # behind nginx, the client is the address nginx appended to X-Forwarded-For
    # (rate limits and access logs); 0 otherwise, so the header is ignored
    export CATALOG_RATE_LIMIT_TRUSTED_PROXIES=${CATALOG_RATE_LIMIT_TRUSTED_PROXIES:-1}
fi

# what the Python processes of the stack connect to
export CATALOG_MONGO_URL=mongodb://127.0.0.1:$DEVSTACK_MONGO_PORT
# every node's URL, so the clients fail over when one node of a cluster is down
CATALOG_ES_URL=http://127.0.0.1:$DEVSTACK_ES_PORT
for ((_node = 1; _node < DEVSTACK_ES_NODES; _node++)); do
    CATALOG_ES_URL+=,http://127.0.0.1:$((DEVSTACK_ES_PORT + _node))
done
unset _node
export CATALOG_ES_URL
export CATALOG_REDIS_URL=redis://127.0.0.1:$DEVSTACK_REDIS_PORT/0
export CATALOG_READ_API_PORT CATALOG_WRITE_API_PORT CATALOG_WORKER_METRICS_PORT
# FerretDB serves each database from at most 100 SQLite connections, and an
# operation may need a second one while it holds the first: with every
# process allowed 100 client connections, bursts (a bulk import beside two
# indexing workers) filled the pool and FerretDB stopped answering. Ten per
# process keeps the whole stack well below that.
export CATALOG_MONGO_MAX_POOL_SIZE=${CATALOG_MONGO_MAX_POOL_SIZE:-10}
unset CATALOG_BROKER_URL CATALOG_RESULT_BACKEND_URL
# the server key seals the secrets of `search` keys (secured keys are checked against
# them): made once per stack folder, kept beside the data (not in it: a test run wipes
# its data, and keys made before must keep opening), readable by this user only
if [[ -z ${CATALOG_SERVER_KEY:-} ]]; then
    if [[ ! -s $DEVSTACK_DIR/server.key ]]; then
        mkdir -p "$DEVSTACK_DIR"
        (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' \
            >"$DEVSTACK_DIR/server.key")
    fi
    CATALOG_SERVER_KEY=$(<"$DEVSTACK_DIR/server.key")
    export CATALOG_SERVER_KEY
fi

# the object store's access keys and its SSE-S3 key: made once per stack folder,
# beside the data like the server key (a test run wipes the data, not these)
devstack_secret() {
    local file=$DEVSTACK_DIR/$1
    if [[ ! -s $file ]]; then
        mkdir -p "$DEVSTACK_DIR"
        (umask 077 && head -c "$2" /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
    fi
    cat "$file"
}
export CATALOG_S3_ENDPOINT_URL=${CATALOG_S3_ENDPOINT_URL:-http://127.0.0.1:$DEVSTACK_S3_PORT}
export CATALOG_S3_REGION=${CATALOG_S3_REGION:-us-east-1}
export CATALOG_S3_BUCKET=${CATALOG_S3_BUCKET:-catalog-images}
if [[ -z ${CATALOG_S3_ACCESS_KEY_ID:-} ]]; then
    CATALOG_S3_ACCESS_KEY_ID=catalog-$(devstack_secret s3-access-key 8)
    CATALOG_S3_SECRET_ACCESS_KEY=$(devstack_secret s3-secret-key 20)
    export CATALOG_S3_ACCESS_KEY_ID CATALOG_S3_SECRET_ACCESS_KEY
fi
# SeaweedFS derives its SSE-S3 key-encryption key from this (hex, 256 bits)
SEAWEED_SSE_KEY=$(devstack_secret s3-sse.key 32)
# images are served by the read API's /images route (a CDN in production)
export CATALOG_IMAGE_BASE_URL=${CATALOG_IMAGE_BASE_URL:-http://127.0.0.1:$CATALOG_READ_API_PORT/images}

say() { printf '\033[1;34m[devstack:%s]\033[0m %s\n' "$DEVSTACK_PROFILE" "$*" >&2; }
die() { printf '\033[1;31m[devstack:%s] error:\033[0m %s\n' "$DEVSTACK_PROFILE" "$*" >&2; exit 1; }

ensure_dirs() { mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR" "$DEVSTACK_CACHE"; }

pid_file() { echo "$RUN_DIR/$1.pid"; }

# is_running NAME: true when NAME's pid file points at a live process of ours
is_running() {
    local file pid
    file=$(pid_file "$1")
    [[ -s $file ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# require_free_port NAME PORT: refuse to start over somebody else's server
require_free_port() {
    if port_open "$2"; then
        die "$1: port $2 is already in use by a process this stack did not start; choose another port (see README, Configuration)"
    fi
}

# wait_until NAME TIMEOUT_S LOG COMMAND...: poll COMMAND until it succeeds
wait_until() {
    local name=$1 timeout=$2 log=$3
    shift 3
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ! is_running "$name"; then
            tail -n 20 "$log" >&2 2>/dev/null || true
            die "$name exited during start-up; see $log"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 20 "$log" >&2 2>/dev/null || true
            die "$name not ready after ${timeout}s; see $log"
        fi
        sleep 0.5
    done
}

# stop_pid NAME: TERM, wait up to 30 s, then KILL; removes the pid file
group_alive() { kill -0 -- "-$1" 2>/dev/null || kill -0 "$1" 2>/dev/null; }

stop_pid() {
    local name=$1 file pid
    file=$(pid_file "$name")
    if ! is_running "$name"; then
        rm -f "$file"
        return 0
    fi
    pid=$(<"$file")
    # each service leads its own process group (setsid): signal the whole group,
    # so a supervisor loop and its child stop together
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    # until the whole group is gone: a Celery worker's main process finishing
    # its warm shutdown still holds its metrics port after the supervisor left
    for _ in $(seq 60); do
        group_alive "$pid" || break
        sleep 0.5
    done
    if group_alive "$pid"; then
        say "$name did not stop after 30s, killing it"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
    say "stopped $name"
}

# SUPERVISE COMMAND...: run COMMAND again whenever it exits (as compose's
# `restart: unless-stopped` does); stopping the service stops the whole group.
# The CATALOG_* environment is inherited, so the child talks to this stack.
SUPERVISE=(bash -c 'while true; do "$@"; echo "supervisor: $1 exited ($?), restarting" >&2; sleep 1; done' supervise)

# spawn NAME LOG COMMAND...: start COMMAND in the background, detached, with a pid file
spawn() {
    local name=$1 log=$2
    shift 2
    (cd "$ROOT" && exec setsid "$@" >>"$log" 2>&1 </dev/null) &
    echo $! >"$(pid_file "$name")"
}
