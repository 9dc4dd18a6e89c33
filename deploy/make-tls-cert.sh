#!/bin/sh
# make-tls-cert.sh DIR [NAME...]: a local certificate authority and a server
# certificate it signed, for nginx; POSIX sh and openssl only, so the local
# stack (devstack/lib/nginx.sh) and compose's one-shot `tls-init` share it.
#
#   DIR/ca.pem, DIR/ca-key.pem          the CA (10 years); trust ca.pem in clients
#   DIR/server.pem, DIR/server-key.pem  the server's chain and key (397 days)
#
# NAMEs become the certificate's subjectAltName: IP addresses as IP entries,
# anything else as DNS names (default: localhost 127.0.0.1). Idempotent: an
# existing CA is kept, an existing server certificate too unless it expires
# within 30 days. Rotate by removing server.pem (a new one from the same CA,
# so clients keep trusting it) or the whole folder (a new CA as well).
set -eu

dir=${1:?usage: make-tls-cert.sh DIR [NAME...]}
shift
[ $# -gt 0 ] || set -- localhost 127.0.0.1

san=""
for name in "$@"; do
    case $name in
        *[!0-9.]*) entry="DNS:$name" ;;
        *) entry="IP:$name" ;;
    esac
    san="${san:+$san,}$entry"
done

mkdir -p "$dir"
umask 077

if [ ! -s "$dir/ca.pem" ] || [ ! -s "$dir/ca-key.pem" ]; then
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -days 3650 -subj "/CN=catalog-search local CA" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" 2>/dev/null
    rm -f "$dir/server.pem"
    echo "make-tls-cert: new CA $dir/ca.pem"
fi

if [ -s "$dir/server.pem" ] && [ -s "$dir/server-key.pem" ] &&
    openssl x509 -in "$dir/server.pem" -noout -checkend 2592000 >/dev/null 2>&1; then
    exit 0
fi

work=$(mktemp -d "$dir/.new.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat >"$work/ext.cnf" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = $san
EOF
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -subj "/CN=$1" -keyout "$work/server-key.pem" -out "$work/server.csr" 2>/dev/null
openssl x509 -req -in "$work/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -set_serial "0x$(openssl rand -hex 16)" -days 397 -extfile "$work/ext.cnf" \
    -out "$work/server.pem" 2>/dev/null
mv "$work/server-key.pem" "$dir/server-key.pem"
mv "$work/server.pem" "$dir/server.pem"
chmod 644 "$dir/ca.pem" "$dir/server.pem"
echo "make-tls-cert: new server certificate $dir/server.pem for $san"
