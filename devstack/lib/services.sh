# shellcheck shell=bash
# Start, readiness and stop of each service of the local stack.

# in start order; TLS mode adds a second read API and nginx in front (lib/nginx.sh)
ALL_SERVICES=(redis elasticsearch ferretdb write_api read_api read_api_2 nginx worker background beat)
TLS_SERVICES=(read_api_2 nginx)
SERVICES=()
for _service in "${ALL_SERVICES[@]}"; do
    if tls_mode || [[ " ${TLS_SERVICES[*]} " != *" $_service "* ]]; then SERVICES+=("$_service"); fi
done
unset _service

service_port() {
    case $1 in
        redis) echo "$DEVSTACK_REDIS_PORT" ;;
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
