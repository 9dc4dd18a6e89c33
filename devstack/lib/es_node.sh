# shellcheck shell=bash
# One node of a multi-node Elasticsearch stack stopped and started alone, for
# fault tests and failover drills. The launcher (devstack/elasticsearch/
# NodeControl.java) watches $ES_CONTROL_DIR: node-N.stop present means "node N
# should be down"; it reports each node in node-N.state. Stopping really closes
# the node (its ports go away, the cluster sees it leave); the JVM and the
# other nodes keep running.

es_node_http_port() { echo $((DEVSTACK_ES_PORT + $1 - 1)); }
es_node_transport_port() { echo $((DEVSTACK_ES_TRANSPORT_PORT + $1 - 1)); }
es_node_state() { cat "$ES_CONTROL_DIR/node-$1.state" 2>/dev/null || echo unknown; }

# es_nodes_wanted: how many nodes should be in the cluster (all but the stopped ones)
es_nodes_wanted() {
    local stopped
    stopped=$(find "$ES_CONTROL_DIR" -maxdepth 1 -name 'node-*.stop' 2>/dev/null | wc -l)
    echo $((DEVSTACK_ES_NODES - stopped))
}

# es_cluster_size_is N: some running node reports a cluster of exactly N nodes, with a master
es_cluster_size_is() {
    local i health
    for ((i = 1; i <= DEVSTACK_ES_NODES; i++)); do
        health=$(curl -sf "http://127.0.0.1:$(es_node_http_port "$i")/_cluster/health?wait_for_nodes=$1&timeout=1s") ||
            continue
        [[ $health =~ \"number_of_nodes\":$1, ]] && return 0
    done
    return 1
}

es_node_is_down() {
    [[ $(es_node_state "$1") == stopped ]] &&
        ! port_open "$(es_node_http_port "$1")" &&
        ! port_open "$(es_node_transport_port "$1")" &&
        es_cluster_size_is "$(es_nodes_wanted)"
}

es_node_is_up() {
    [[ $(es_node_state "$1") == running ]] &&
        port_open "$(es_node_http_port "$1")" &&
        es_cluster_size_is "$(es_nodes_wanted)"
}

# es_node_wait N WHAT CONDITION TIMEOUT_S: poll CONDITION N; fail naming the node and the log.
# A failed start is final (the launcher does not retry it until the node is
# stopped again); a failed stop is retried by the launcher until the deadline.
es_node_wait() {
    local deadline=$((SECONDS + $4)) state
    until "$3" "$1"; do
        state=$(es_node_state "$1")
        if [[ $2 == start && $state == failed* ]] || ((SECONDS >= deadline)); then
            tail -n 20 "$LOG_DIR/elasticsearch.log" >&2 2>/dev/null || true
            die "elasticsearch node-$1 did not $2 (state: $state); see $LOG_DIR/elasticsearch.log"
        fi
        is_running elasticsearch || die "elasticsearch exited; see $LOG_DIR/elasticsearch.log"
        sleep 0.3
    done
}

es_node_status() {
    local i
    printf '%-8s %-6s %-10s %s\n' NODE HTTP TRANSPORT STATE
    for ((i = 1; i <= DEVSTACK_ES_NODES; i++)); do
        printf '%-8s %-6s %-10s %s\n' "node-$i" "$(es_node_http_port "$i")" \
            "$(es_node_transport_port "$i")" "$(es_node_state "$i")"
    done
}

# cmd_es_node stop|start|status [N]
cmd_es_node() {
    local action=${1:-} n=${2:-}
    is_running elasticsearch || die "elasticsearch is not running"
    [[ $action == status ]] && { es_node_status; return 0; }
    [[ $action == stop || $action == start ]] || die "usage: es-node stop|start|status [N]"
    ((DEVSTACK_ES_NODES > 1)) || die "es-node needs a multi-node cluster (DEVSTACK_ES_NODES > 1)"
    [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= DEVSTACK_ES_NODES)) ||
        die "es-node $action: node number must be 1..$DEVSTACK_ES_NODES"
    if [[ $action == stop ]]; then
        say "stopping elasticsearch node-$n"
        touch "$ES_CONTROL_DIR/node-$n.stop"
        es_node_wait "$n" stop es_node_is_down 120
        say "elasticsearch node-$n stopped; the cluster has $(es_nodes_wanted) nodes"
    else
        say "starting elasticsearch node-$n"
        rm -f "$ES_CONTROL_DIR/node-$n.stop"
        es_node_wait "$n" start es_node_is_up 180
        say "elasticsearch node-$n running; the cluster has $(es_nodes_wanted) nodes"
    fi
}
