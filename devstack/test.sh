#!/usr/bin/env bash
# `make test`: lint and type checks, then the whole pytest suite against a
# freshly started test stack (own ports and data), stopped whatever the outcome.
# Extra arguments go to pytest. Exit status: non-zero if anything failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
set -a
# shellcheck source=profiles/test.env
source "$HERE/profiles/test.env"
set +a
source "$HERE/lib/common.sh"
STACK=$ROOT/devstack/stack.sh

"$STACK" install || exit 1
cd "$ROOT" || exit 1

status=0
step() {
    say "$*"
    "$@" || { status=1; say "FAILED: $*"; }
}
step "$VENV/bin/ruff" check .
step "$VENV/bin/ruff" format --check .
step "$VENV/bin/mypy"

# a leftover stack of an interrupted run is stopped, and every run starts on empty data
"$STACK" down >/dev/null 2>&1
rm -rf "$DATA_DIR" "$LOG_DIR"
trap '"$STACK" down >/dev/null 2>&1' EXIT
if ! "$STACK" up; then
    say "the test stack did not start; logs are in $LOG_DIR"
    exit 1
fi

export DEVSTACK_DIR
"$VENV/bin/pytest" "$@"
rc=$?
((rc == 0)) || status=1
if ((status == 0)); then say "all checks passed"; else say "some checks FAILED"; fi
exit $status
