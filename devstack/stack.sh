#!/usr/bin/env bash
# The local stack: Redis, Elasticsearch, FerretDB, both APIs, a Celery worker and beat;
# with DEVSTACK_TLS=1 also a second read API and nginx (TLS) in front of the APIs.
#
#   devstack/stack.sh install            install everything (idempotent, cached)
#   devstack/stack.sh up [SERVICE...]    install, start what is not running (all: load the demo)
#   devstack/stack.sh down [SERVICE...]  stop what this stack started (pid files)
#   devstack/stack.sh start|stop SERVICE one service
#   devstack/stack.sh status             what runs, where, with which pid
#   devstack/stack.sh env                the CATALOG_* variables of this stack
#   devstack/stack.sh es-node stop|start|status [N]
#                                        one node of a multi-node Elasticsearch
#
# Ports, folders and the profile come from DEVSTACK_* variables (see README).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ROOT/devstack/lib/install.sh"
source "$ROOT/devstack/lib/services.sh"
source "$ROOT/devstack/lib/demo.sh"
source "$ROOT/devstack/lib/es_node.sh"
source "$ROOT/devstack/lib/nginx.sh"

known_service() {
    local s
    for s in "${SERVICES[@]}"; do [[ $s == "$1" ]] && return 0; done
    for s in "${TLS_SERVICES[@]}"; do
        [[ $s == "$1" ]] && die "$1 runs in TLS mode only: DEVSTACK_TLS=1 (see docs/operations.md)"
    done
    die "unknown service '$1' (one of: ${SERVICES[*]})"
}

# the APIs run with the settings of one mode (trusted proxies): refuse to mix them
check_tls_mode() {
    local s running_tls=0
    [[ -f $TLS_MARK ]] && running_tls=1
    for s in write_api read_api; do
        if is_running "$s" && [[ $running_tls != "$DEVSTACK_TLS" ]]; then
            if tls_mode; then
                die "the stack runs without TLS; stop it first (make down), then start it with DEVSTACK_TLS=1"
            fi
            die "the stack runs in TLS mode; stop it first (make down), or keep DEVSTACK_TLS=1"
        fi
    done
    if tls_mode; then touch "$TLS_MARK"; else rm -f "$TLS_MARK"; fi
}

write_env_file() {
    {
        echo "# source this file to point the catalog CLI at the $DEVSTACK_PROFILE stack"
        env | grep -E '^CATALOG_' | sort | sed 's/^/export /'
    } >"$DEVSTACK_DIR/env"
    chmod 600 "$DEVSTACK_DIR/env" # it holds the server key
}

cmd_up() {
    local services=("$@") s
    ((${#services[@]})) || services=("${SERVICES[@]}")
    for s in "${services[@]}"; do known_service "$s"; done
    check_tls_mode
    install_all
    write_env_file
    for s in "${services[@]}"; do start_service "$s"; done
    ((${#@})) || load_demo
}

cmd_down() {
    local services=("$@") i
    if ((${#services[@]})); then
        for s in "${services[@]}"; do known_service "$s"; done
    else
        # every service, whichever mode started it
        services=("${ALL_SERVICES[@]}")
    fi
    # stop in reverse dependency order
    for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop_service "${services[i]}"; done
    ((${#@})) || rm -f "$TLS_MARK"
}

# tree_rss_kb PID: resident memory of a process and all its descendants
tree_rss_kb() {
    local total=0 child
    total=$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' ')
    total=${total:-0}
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        total=$((total + $(tree_rss_kb "$child")))
    done
    echo "$total"
}

cmd_status() {
    local s state pid rss all_up=0 sum=0
    printf '%-14s %-8s %-8s %-12s %s\n' SERVICE STATE PID PORT RSS_MB
    for s in "${SERVICES[@]}"; do
        if is_running "$s"; then
            state=running pid=$(<"$(pid_file "$s")") rss=$(tree_rss_kb "$pid")
        else
            state=stopped pid=- rss=0 all_up=1
        fi
        sum=$((sum + rss))
        printf '%-14s %-8s %-8s %-12s %s\n' "$s" "$state" "$pid" "$(service_port "$s")" $((rss / 1024))
    done
    printf '%-14s %-8s %-8s %-12s %s\n' total "" "" "" $((sum / 1024))
    return $all_up
}

main() {
    local cmd=${1:-}
    shift || true
    ensure_dirs
    case $cmd in
        install) install_all ;;
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        start) known_service "${1:?service}"; check_tls_mode; install_all; start_service "$1" ;;
        stop) known_service "${1:?service}"; stop_service "$1" ;;
        status) cmd_status ;;
        env) env | grep -E '^CATALOG_' | sort ;;
        es-node) cmd_es_node "$@" ;;
        *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
}

main "$@"
