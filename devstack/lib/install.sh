# shellcheck shell=bash
# Installs what the stack needs, each step idempotent and cached across checkouts.

need_tool() {
    command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2) but not on PATH"
}

apt_install() {
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    say "installing Debian packages: $*"
    $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null ||
        die "apt-get install $* failed"
}

install_redis() {
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    local major
    major=$(redis-server --version | sed -E 's/.*v=([0-9]+).*/\1/')
    ((major >= 7)) || die "redis-server 7 or newer is needed, found $(redis-server --version)"
}

# FerretDB is built from its module source as served by the Go module proxy.
# `go install pkg@version` is refused here (the proxy will not list the
# module's versions), and a build outside FerretDB's own release tooling lacks
# the generated build/version/version.txt, so the pinned source is copied out
# of the module cache and that one file is written before building.
#
# Two performance bugs of 1.24.0's SQLite backend are patched (FERRETDB_PATCH);
# both only decide which rows SQLite reads, since every handler filters the rows
# again in Go, so results cannot change:
# 1. documents are looked up by `_ferretdb_sjson->'$._id'` while the _id index
#    is on `_ferretdb_sjson->"_id"`; SQLite matches index expressions by text,
#    so every lookup, update and delete by _id scanned the whole collection
#    (250 ms per lookup at 8,500 products). The lookup now uses the index's text.
# 2. the _id lookup was used only for a filter of exactly {_id: x}; with another
#    condition beside it ({_id: x, version: 3}, a conditional write) the whole
#    collection was scanned. It is now used whenever _id is an exact value.
# A third patch fixes a deadlock: the update handler closed each statement's
# query only when the whole command ended (a `defer` inside its loop), so one
# update command of 50 statements held 50 of the database's 100 SQLite
# connections; two such commands at once (two indexing workers marking
# products synced) waited for each other's connections forever, and every
# query on the collection hung. Each statement's query is now closed as soon
# as the statement is done.
FERRETDB_PATCH=p4
FERRETDB_BIN=$DEVSTACK_CACHE/bin/ferretdb-$FERRETDB_VERSION-$FERRETDB_PATCH

# patch_source FILE OLD NEW COUNT: replace OLD by NEW, which must occur COUNT times
patch_source() {
    local found
    found=$(grep -cF -- "$2" "$1" || true)
    [[ $found == "$4" ]] || die "FerretDB source changed: expected $4 of '$2' in $1, found $found"
    OLD=$2 NEW=$3 perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$1"
}

patch_ferretdb() {
    local src=$1
    patch_source "$src/internal/backends/sqlite/metadata/metadata.go" \
        "IDColumn = DefaultColumn + \"->'\$._id'\"" 'IDColumn = DefaultColumn + `->"_id"`' 1
    patch_source "$src/internal/backends/sqlite/collection.go" \
        'if params.Filter.Len() == 1 {' 'if params.Filter.Len() > 0 && params.Filter.Has("_id") {' 2
    patch_source "$src/internal/handler/msg_update.go" \
        'defer closer.Close()' '// closed right after its statement (devstack patch)' 1
    patch_source "$src/internal/handler/msg_update.go" \
        'result, err := common.UpdateDocument(ctx, c, "update", iter, &u)' \
        $'result, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n\t\tcloser.Close()' 1
}

install_ferretdb() {
    [[ -x $FERRETDB_BIN ]] && return 0
    need_tool go "to build FerretDB"
    say "building FerretDB $FERRETDB_VERSION (first run only, about a minute)"
    local src work
    src=$(cd "$DEVSTACK_CACHE" && go mod download -json \
        "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [[ -d $src ]] || die "could not download FerretDB $FERRETDB_VERSION from the Go module proxy"
    work=$(mktemp -d "$DEVSTACK_CACHE/ferretdb-src.XXXXXX")
    cp -R "$src/." "$work/"
    chmod -R u+w "$work"
    echo "$FERRETDB_VERSION" >"$work/build/version/version.txt"
    patch_ferretdb "$work"
    mkdir -p "$(dirname "$FERRETDB_BIN")"
    (cd "$work" && go build -buildvcs=false -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) ||
        die "building FerretDB failed"
    mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
    rm -rf "$work"
}

# Elasticsearch: the jars come from Maven Central (cached in ~/.m2), the
# launcher is compiled once per content hash of its sources (every .java file
# and the pom), so a changed source always gets its own fresh build.
ES_HOME_DIR=""

install_elasticsearch() {
    need_tool java "to run Elasticsearch"
    need_tool javac "to compile the Elasticsearch launcher"
    need_tool mvn "to fetch Elasticsearch from Maven Central"
    local key sources=("$ROOT"/devstack/elasticsearch/*.java)
    key=$(for f in "$ROOT/devstack/elasticsearch/pom.xml" "${sources[@]}"; do
        echo "${f##*/}"
        cat "$f"
    done | sha256sum | cut -c1-16)
    ES_HOME_DIR=$DEVSTACK_CACHE/elasticsearch-$key
    [[ -s $ES_HOME_DIR/classpath && -f $ES_HOME_DIR/classes/Launcher.class ]] && return 0
    say "resolving Elasticsearch 7.10.2 from Maven Central (cached in ~/.m2)"
    mkdir -p "$ES_HOME_DIR/classes"
    mvn -q -B -f "$ROOT/devstack/elasticsearch/pom.xml" dependency:build-classpath \
        -Dmdep.outputFile="$ES_HOME_DIR/classpath.tmp" >"$ES_HOME_DIR/mvn.log" 2>&1 ||
        die "maven could not resolve Elasticsearch; see $ES_HOME_DIR/mvn.log"
    javac -d "$ES_HOME_DIR/classes" -cp "$(<"$ES_HOME_DIR/classpath.tmp")" \
        "${sources[@]}" || die "compiling the Elasticsearch launcher failed"
    mv "$ES_HOME_DIR/classpath.tmp" "$ES_HOME_DIR/classpath"
}

# Python: uv (pinned, in its own cached virtualenv) installs the locked dependencies into .venv
UV_BIN=$DEVSTACK_CACHE/uv-$UV_VERSION/bin/uv

install_python() {
    if [[ ! -x $UV_BIN ]]; then
        need_tool python3 "to bootstrap uv"
        say "installing uv $UV_VERSION"
        python3 -m venv "$DEVSTACK_CACHE/uv-$UV_VERSION" || die "python3 -m venv failed"
        "$DEVSTACK_CACHE/uv-$UV_VERSION/bin/pip" install -q "uv==$UV_VERSION" || die "pip install uv failed"
    fi
    # bytecode compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on the CI
    # machines) every process would otherwise compile its imports from source (the CLI
    # started in 7.8 s instead of 1.5 s); a sync that changes nothing compiles nothing
    (cd "$ROOT" && UV_PYTHON_DOWNLOADS=never "$UV_BIN" sync --frozen --quiet --compile-bytecode) ||
        die "uv sync --frozen failed (is Python 3.11 installed?)"
}

# Storefront: npm ci runs only when package-lock.json changed since the last one
# (its hash is kept in node_modules), the bundle is rebuilt only when a source,
# the build script or the lock changed (its hash is kept in dist/).
STOREFRONT_DIR=$ROOT/storefront

storefront_source_key() {
    (cd "$STOREFRONT_DIR" && find package.json package-lock.json build.mjs src -type f | LC_ALL=C sort |
        while read -r f; do
            echo "$f"
            cat "$f"
        done) | sha256sum | cut -c1-16
}

install_storefront() {
    need_tool npm "to build the storefront (Node.js 20 or newer)"
    local lock_key build_key stamp=$STOREFRONT_DIR/node_modules/.catalog-lock-key
    lock_key=$(sha256sum "$STOREFRONT_DIR/package-lock.json" | cut -c1-16)
    if [[ ! -d $STOREFRONT_DIR/node_modules || $(cat "$stamp" 2>/dev/null) != "$lock_key" ]]; then
        say "installing the storefront's npm packages (npm ci)"
        (cd "$STOREFRONT_DIR" && npm ci --no-audit --no-fund --loglevel=error) \
            >"$LOG_DIR/storefront-npm-ci.log" 2>&1 ||
            die "npm ci failed in storefront/; see $LOG_DIR/storefront-npm-ci.log"
        echo "$lock_key" >"$stamp"
    fi
    build_key=$(storefront_source_key)
    [[ -f $STOREFRONT_DIR/dist/index.html &&
        $(cat "$STOREFRONT_DIR/dist/.build-key" 2>/dev/null) == "$build_key" ]] && return 0
    say "building the storefront bundle (npm run build)"
    (cd "$STOREFRONT_DIR" && npm run build --silent) >"$LOG_DIR/storefront-build.log" 2>&1 ||
        die "building the storefront failed; see $LOG_DIR/storefront-build.log"
    echo "$build_key" >"$STOREFRONT_DIR/dist/.build-key"
}

# the browser of the storefront's end-to-end tests (Playwright drives Debian's build)
install_chromium() {
    [[ -x /usr/bin/chromium ]] || apt_install chromium
}

# the typeface of the demo catalog's drawn product pictures (catalog/demo/pictures.py)
install_fonts() {
    [[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]] || apt_install fonts-dejavu-core
}

install_all() {
    ensure_dirs
    install_python
    install_redis
    install_ferretdb
    install_elasticsearch
    install_nginx
    install_storefront
    install_chromium
    install_fonts
}
