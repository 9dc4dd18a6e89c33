# shellcheck shell=bash
# TLS mode (DEVSTACK_TLS=1): nginx in front of two read API processes and the
# write API, as compose runs it. nginx is Debian's package unpacked into the
# cache (not installed, never the system service), run with deploy/nginx.conf
# rendered for this stack, its pid, logs and temp files under $DEVSTACK_DIR.

NGINX_HOME=""
NGINX_BIN=""
NGINX_DIR=$DEVSTACK_DIR/nginx
TLS_DIR=$DEVSTACK_DIR/tls

apt_update() {
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
}

# nginx_offered VERSION: whether the package index holds that build of nginx
# (`apt-cache show nginx=V` exits 0 with no output for a build it lacks)
nginx_offered() {
    [[ -n $(apt-cache show "nginx=$1" 2>/dev/null) ]]
}

# nginx_deb_version: the pinned Debian build, else (the archive replaced it by
# a security update) Debian's current build of the same nginx release
nginx_deb_version() {
    local candidate
    if ! nginx_offered "$NGINX_DEB_VERSION"; then
        apt-cache policy nginx 2>/dev/null | grep -q 'Candidate: [0-9]' || apt_update
    fi
    if nginx_offered "$NGINX_DEB_VERSION"; then
        echo "$NGINX_DEB_VERSION"
        return 0
    fi
    candidate=$(apt-cache policy nginx 2>/dev/null | sed -n 's/^ *Candidate: //p')
    [[ $candidate == "${NGINX_DEB_VERSION%%-*}-"* ]] ||
        die "Debian offers nginx '$candidate', not $NGINX_DEB_VERSION or another build of ${NGINX_DEB_VERSION%%-*}; update NGINX_DEB_VERSION in devstack/lib/common.sh"
    say "nginx $NGINX_DEB_VERSION is no longer in Debian's archive, using $candidate"
    echo "$candidate"
}

install_nginx() {
    local version=$NGINX_DEB_VERSION work deb
    NGINX_HOME=$DEVSTACK_CACHE/nginx-$version
    if [[ ! -x $NGINX_HOME/usr/sbin/nginx ]]; then
        need_tool apt-get "to download Debian's nginx package"
        need_tool dpkg-deb "to unpack Debian's nginx package"
        version=$(nginx_deb_version)
        NGINX_HOME=$DEVSTACK_CACHE/nginx-$version
    fi
    NGINX_BIN=$NGINX_HOME/usr/sbin/nginx
    if [[ ! -x $NGINX_BIN ]]; then
        say "downloading Debian's nginx $version (unpacked into the cache, not installed)"
        work=$(mktemp -d "$DEVSTACK_CACHE/nginx-deb.XXXXXX")
        (cd "$work" && apt-get download -q "nginx=$version" "nginx-common=$version") \
            >"$work/download.log" 2>&1 || die "apt-get download nginx=$version failed; see $work/download.log"
        mkdir -p "$work/root"
        for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root" || die "dpkg-deb -x $deb failed"; done
        rm -rf "$NGINX_HOME"
        mv "$work/root" "$NGINX_HOME"
        rm -rf "$work"
    fi
    # the shared libraries of Debian's nginx package (its Depends), when this machine lacks one
    if ldd "$NGINX_BIN" | grep -q 'not found'; then
        apt_install libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g
    fi
}

# ensure_tls_files: the certificate and key nginx serves (TLS_CERT, TLS_KEY).
# Given by DEVSTACK_TLS_CERT/DEVSTACK_TLS_KEY, else made once by
# deploy/make-tls-cert.sh in $TLS_DIR, with a CA of its own to trust (ca.pem).
TLS_CERT=""
TLS_KEY=""

ensure_tls_files() {
    if [[ -n ${DEVSTACK_TLS_CERT:-} || -n ${DEVSTACK_TLS_KEY:-} ]]; then
        [[ -r ${DEVSTACK_TLS_CERT:-} && -r ${DEVSTACK_TLS_KEY:-} ]] ||
            die "DEVSTACK_TLS_CERT and DEVSTACK_TLS_KEY must both name readable files"
        TLS_CERT=$(realpath "$DEVSTACK_TLS_CERT") TLS_KEY=$(realpath "$DEVSTACK_TLS_KEY")
        return 0
    fi
    need_tool openssl "to make the local TLS certificate"
    sh "$ROOT/deploy/make-tls-cert.sh" "$TLS_DIR" localhost 127.0.0.1 >&2 ||
        die "making the TLS certificate in $TLS_DIR failed"
    TLS_CERT=$TLS_DIR/server.pem TLS_KEY=$TLS_DIR/server-key.pem
}

# app_body_limits: the write API's body limits in bytes (settings, as the APIs read them)
app_body_limits() {
    "$VENV/bin/python" -c 'from catalog.settings import Settings
s = Settings()
print(s.max_body_bytes, s.bulk_max_bytes)'
}

# every ${NGINX_*} placeholder by its value; an unknown one stops the rendering
# shellcheck disable=SC2016 # perl's variables, not the shell's
NGINX_SUBSTITUTE='s/\$\{(NGINX_[A-Z0-9_]+)\}/exists $ENV{$1} ? $ENV{$1} : die "no value for \${$1}\n"/ge'

# render_nginx_conf: deploy/nginx.conf with this stack's values, into $NGINX_DIR
render_nginx_conf() {
    local limits
    limits=$(app_body_limits) || die "could not read the body limits from the settings"
    mkdir -p "$NGINX_DIR" "$DATA_DIR/nginx"
    cp "$NGINX_HOME/etc/nginx/mime.types" "$NGINX_DIR/mime.types"
    env NGINX_ERROR_LOG="$LOG_DIR/nginx.log" \
        NGINX_ACCESS_LOG="$LOG_DIR/nginx-access.log" \
        NGINX_PID_FILE="$RUN_DIR/nginx-master.pid" \
        NGINX_TEMP_DIR="$DATA_DIR/nginx" \
        NGINX_RESOLVER=127.0.0.1 \
        NGINX_TLS_CERT="$TLS_CERT" NGINX_TLS_KEY="$TLS_KEY" \
        NGINX_READ_API_SERVERS="server 127.0.0.1:$CATALOG_READ_API_PORT; server 127.0.0.1:$DEVSTACK_READ_API_2_PORT;" \
        NGINX_WRITE_API_SERVERS="server 127.0.0.1:$CATALOG_WRITE_API_PORT;" \
        NGINX_STATUS_LISTEN="127.0.0.1:$DEVSTACK_NGINX_STATUS_PORT" \
        NGINX_READ_API_LISTEN="127.0.0.1:$DEVSTACK_NGINX_READ_PORT" \
        NGINX_WRITE_API_LISTEN="127.0.0.1:$DEVSTACK_NGINX_WRITE_PORT" \
        NGINX_HSTS_MAX_AGE="$DEVSTACK_HSTS_MAX_AGE" \
        NGINX_WRITE_MAX_BODY="${limits% *}" NGINX_BULK_MAX_BODY="${limits#* }" \
        perl -pe "$NGINX_SUBSTITUTE" "$ROOT/deploy/nginx.conf" >"$NGINX_DIR/nginx.conf.tmp" ||
        die "rendering deploy/nginx.conf failed"
    mv "$NGINX_DIR/nginx.conf.tmp" "$NGINX_DIR/nginx.conf"
}

start_nginx() {
    install_nginx
    require_free_port "nginx (read API, TLS)" "$DEVSTACK_NGINX_READ_PORT"
    require_free_port "nginx (write API, TLS)" "$DEVSTACK_NGINX_WRITE_PORT"
    require_free_port "nginx status" "$DEVSTACK_NGINX_STATUS_PORT"
    local log=$LOG_DIR/nginx.log
    ensure_tls_files
    render_nginx_conf
    local nginx=("$NGINX_BIN" -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf")
    "${nginx[@]}" -t -q >>"$log" 2>&1 || {
        tail -n 5 "$log" >&2
        die "nginx rejects its configuration $NGINX_DIR/nginx.conf; see $log"
    }
    spawn nginx "$log" "${nginx[@]}" -g 'daemon off;'
    wait_until nginx 30 "$log" nginx_ready
}

# nginx answers its status page, and a TLS handshake on both API ports (any HTTP status)
nginx_ready() {
    curl -sf -o /dev/null "http://127.0.0.1:$DEVSTACK_NGINX_STATUS_PORT/nginx-healthz" &&
        curl -sk -o /dev/null "https://127.0.0.1:$DEVSTACK_NGINX_READ_PORT/healthz" &&
        curl -sk -o /dev/null "https://127.0.0.1:$DEVSTACK_NGINX_WRITE_PORT/healthz"
}
