# shellcheck shell=bash
# Loads the deterministic demo catalog through the write API's bulk endpoint, once, its
# drawn pictures stored in the object store first.

DEVSTACK_DEMO_COUNT=${DEVSTACK_DEMO_COUNT:-20000}
DEVSTACK_DEMO_SEED=${DEVSTACK_DEMO_SEED:-42}

load_demo() {
    ((DEVSTACK_DEMO_COUNT > 0)) || return 0
    is_running write_api || die "the write API must run to load the demo catalog"
    # key and marker live beside the data: wiping the data forgets both
    local marker=$DATA_DIR/demo-loaded key_file=$DATA_DIR/devstack-admin.key
    local want="$DEVSTACK_DEMO_COUNT products, seed $DEVSTACK_DEMO_SEED, with pictures"
    if [[ -f $marker && $(<"$marker") == "$want" ]]; then
        say "demo catalog already loaded ($want)"
        return 0
    fi
    if [[ ! -s $key_file ]]; then
        (umask 077 && "$VENV/bin/catalog" keys create --role admin --name devstack >"$key_file") ||
            die "could not create the devstack admin key"
    fi
    local file=$DATA_DIR/demo-$DEVSTACK_DEMO_COUNT-$DEVSTACK_DEMO_SEED.ndjson
    local pictures=$DATA_DIR/demo-pictures
    say "loading the demo catalog ($want)"
    "$VENV/bin/catalog" demo generate --count "$DEVSTACK_DEMO_COUNT" --seed "$DEVSTACK_DEMO_SEED" \
        --output "$file" --pictures "$pictures" || die "generating the demo catalog failed"
    # the pictures are stored before the products name them
    "$VENV/bin/catalog" demo pictures "$pictures" || die "storing the demo pictures failed"
    "$VENV/bin/catalog" import "$file" --key "$(<"$key_file")" \
        --url "http://127.0.0.1:$CATALOG_WRITE_API_PORT" || die "loading the demo catalog failed"
    echo "$want" >"$marker"
}
