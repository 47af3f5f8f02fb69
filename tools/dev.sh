#!/usr/bin/env bash
# Set up, run and test MallKiosk on a Debian machine.
#   bash tools/dev.sh run [mall-kiosk options]   set up, then start the kiosk on the demo mall
#   bash tools/dev.sh test                       set up, then lint, type-check and run all tests
#   bash tools/dev.sh setup                      only set up (.venv with the project installed)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MALLKIOSK_VENV:-$ROOT/.venv}"
cd "$ROOT"

# What Qt Quick needs from the system (offscreen and on a desktop), and Chinese fonts: one list,
# shared with the kiosk installer. Whitespace-separated names; '#' starts a comment.
DEB_PACKAGES=()
while IFS= read -r line || [ -n "$line" ]; do
    read -ra words <<<"${line%%#*}"
    DEB_PACKAGES+=("${words[@]}")
done <"$ROOT/installer/debian-packages.txt"

log() { printf '\033[1m[mallkiosk]\033[0m %s\n' "$*" >&2; }

install_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || { log "not a Debian system: skipping system packages"; return; }
    local missing=()
    for pkg in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    log "installing system packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

find_python() {
    for py in python3.13 python3.12 python3.11 python3; do
        if command -v "$py" >/dev/null 2>&1 \
            && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"; return
        fi
    done
    log "Python 3.11 or newer is required"; exit 1
}

setup() {
    install_debian_packages
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating virtual environment in $VENV"
        "$(find_python)" -m venv "$VENV"
    fi
    # Reinstall only when the project's requirements changed.
    local stamp="$VENV/.mallkiosk-installed"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        log "installing Python packages"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e ".[test]"
        touch "$stamp"
    fi
}

# The demo: a local central service on 127.0.0.1 with the demo mall, and the kiosk enrolled
# with it, so sync is real. State lives in .demo/ (delete it to start over).
DEMO_DIR="$ROOT/.demo"
CENTRAL_PORT="${MALLKIOSK_DEMO_PORT:-8700}"
DEMO_PIN=246813

start_central() {
    mkdir -p "$DEMO_DIR"
    local db="sqlite:///$DEMO_DIR/central.sqlite3"
    local central=("$VENV/bin/mall-central" --db "$db")
    "${central[@]}" init >/dev/null
    local venue
    venue=$("${central[@]}" load-venue "$ROOT/kiosk/resources/demo" 2>/dev/null \
        | awk '$1 == "venue" { print $2; exit }')
    "${central[@]}" load-members --demo --venue "$venue" >/dev/null
    "${central[@]}" serve --host 127.0.0.1 --port "$CENTRAL_PORT" --sms-gateway log \
        >"$DEMO_DIR/central.log" 2>&1 &
    CENTRAL_PID=$!
    trap 'kill "$CENTRAL_PID" 2>/dev/null || true' EXIT
    for _ in $(seq 50); do
        "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
            "http://127.0.0.1:$CENTRAL_PORT/openapi.json" >/dev/null 2>&1 && break
        sleep 0.2
    done
    export MALLKIOSK__SYNC__SERVER_URL="\"http://127.0.0.1:$CENTRAL_PORT\""
    # The receipts' QR codes open this service's tracking page, the route QR codes its route
    # page (on this machine only; the route link base stays short enough for a small QR code).
    export MALLKIOSK__SUBMISSIONS__TRACKING_URL_BASE="\"http://127.0.0.1:$CENTRAL_PORT/T\""
    export MALLKIOSK__WAYFINDING__ROUTE_LINK_BASE="\"http://127.0.0.1:$CENTRAL_PORT/R\""
    export MALLKIOSK__PATHS__DATA_DIR="\"$DEMO_DIR/kiosk\""
    # The demo kiosk's device file: maintenance mode saves its settings here. The demo PIN is
    # for trying maintenance mode out (five taps in the top-left corner); never use it on a
    # real kiosk.
    export MALLKIOSK_CONFIG="$DEMO_DIR/device.toml"
    if [ ! -f "$MALLKIOSK_CONFIG" ]; then
        # Receipts and coupon slips "print" as PNG files into .demo/kiosk/receipts.
        printf '# Device settings of the demo kiosk (written by maintenance mode).\n\n[printer]\nbackend = "png"\n' \
            >"$MALLKIOSK_CONFIG"
        echo "$DEMO_PIN" | "$VENV/bin/mall-kiosk" set-pin --pin-stdin --staff demo >/dev/null
    fi
    # Enrolled with this very service? (A kiosk's token is only good where it was issued.)
    if ! grep -qs "\"base_url\": *\"http://127.0.0.1:$CENTRAL_PORT\"" "$DEMO_DIR/kiosk/device.json"; then
        log "enrolling the kiosk with the local central service"
        "$VENV/bin/mall-kiosk" enroll "$("${central[@]}" enroll-code --venue "$venue")"
    fi
}

run() {
    setup
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        log "no display found: running offscreen (try: mall-kiosk --screenshot DIR)"
        export QT_QPA_PLATFORM=offscreen
    fi
    start_central
    log "central service on http://127.0.0.1:$CENTRAL_PORT (log: .demo/central.log)"
    "$VENV/bin/mall-kiosk" --windowed "$@"
}

run_tests() {
    setup
    export QT_QPA_PLATFORM=offscreen
    export PATH="$VENV/bin:$PATH"
    log "ruff"
    ruff check .
    ruff format --check .
    log "mypy"
    mypy
    log "import rules"
    lint-imports
    log "qmllint"
    python tools/qmllint.py
    log "pytest"
    python -m pytest "$@"
}

case "${1:-}" in
    setup) setup ;;
    run) shift; run "$@" ;;
    test) shift; run_tests "$@" ;;
    *) echo "usage: bash tools/dev.sh {setup|run|test} [args...]" >&2; exit 64 ;;
esac
