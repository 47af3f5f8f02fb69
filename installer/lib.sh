# shellcheck shell=bash
# Shared by install-kiosk.sh, install-central.sh and uninstall.sh (sourced, not run): messages,
# the common options, and the few actions they all take. Every action that changes the machine
# goes through `run` or one of the helpers below, so --dry-run prints it instead of doing it,
# and every path goes through `target`, so --root stages it under another directory.

INSTALLER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE_DIR="$(dirname "$INSTALLER_DIR")"

ROOT=""        # --root: a staging root (tests, image building); empty = this machine
DRY_RUN=0      # --dry-run: print what would be done, change nothing
WITH_APT=1     # --no-apt: leave Debian packages alone
WITH_VENV=1    # --no-venv: leave the virtual environment alone
WHEEL=""       # --wheel: install this wheel instead of building the source tree
WHEELHOUSE=""  # --wheelhouse: install offline from the wheels in this directory

TEMP_DIRS=()
_remove_temp_dirs() { [ ${#TEMP_DIRS[@]} -eq 0 ] || rm -rf -- "${TEMP_DIRS[@]}"; }
trap _remove_temp_dirs EXIT

if [ -t 2 ]; then
    _BOLD=$'\033[1m' _RED=$'\033[31m' _PLAIN=$'\033[0m'
else
    _BOLD="" _RED="" _PLAIN=""
fi

say() { printf '%s[%s]%s %s\n' "$_BOLD" "$PROG" "$_PLAIN" "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() {
    printf '%s[%s] error:%s %s\n' "$_RED" "$PROG" "$_PLAIN" "$*" >&2
    exit 1
}

# Parse one of the options every script shares. Sets OPTION_ARGS to how many arguments it took:
# 0 when "$1" is not one of them.
# shellcheck disable=SC2034  # OPTION_ARGS is read by the script that sources this file
common_option() {
    OPTION_ARGS=1
    case "$1" in
        --dry-run) DRY_RUN=1 ;;
        --no-apt) WITH_APT=0 ;;
        --no-venv) WITH_VENV=0 ;;
        --root | --wheel | --wheelhouse)
            [ $# -ge 2 ] || die "$1 needs a value (see --help)"
            OPTION_ARGS=2
            case "$1" in
                --root) ROOT="$2" ;;
                --wheel) WHEEL="$2" ;;
                --wheelhouse) WHEELHOUSE="$2" ;;
            esac
            ;;
        --root=*) ROOT="${1#*=}" ;;
        --wheel=*) WHEEL="${1#*=}" ;;
        --wheelhouse=*) WHEELHOUSE="${1#*=}" ;;
        *) OPTION_ARGS=0 ;;
    esac
}

# Check the options once they are all parsed; make paths absolute (the scripts cd nowhere, but
# a chroot or pip run elsewhere must still find them).
check_common_options() {
    if [ -n "$ROOT" ]; then
        [ -d "$ROOT" ] || die "--root $ROOT: no such directory"
        ROOT="$(cd "$ROOT" && pwd)"
        [ "$ROOT" != / ] || ROOT=""
    fi
    if [ -n "$WHEEL" ]; then
        [ -f "$WHEEL" ] || die "--wheel $WHEEL: no such file"
        case "$WHEEL" in *.whl) ;; *) die "--wheel $WHEEL: not a wheel (*.whl)" ;; esac
        WHEEL="$(cd "$(dirname "$WHEEL")" && pwd)/$(basename "$WHEEL")"
    fi
    if [ -n "$WHEELHOUSE" ]; then
        [ -d "$WHEELHOUSE" ] || die "--wheelhouse $WHEELHOUSE: no such directory"
        WHEELHOUSE="$(cd "$WHEELHOUSE" && pwd)"
    fi
}

# On this machine (not a staging root)?
live() { [ -z "$ROOT" ]; }

# Say up front when nothing will change, or where the files go instead of this machine.
announce_mode() {
    if [ "$DRY_RUN" -eq 1 ]; then
        say "dry run: nothing is changed${ROOT:+ (staging root $ROOT)}"
    elif ! live; then
        say "staging into $ROOT"
    fi
}

# Where a path of the installed system is while installing.
target() { printf '%s%s' "$ROOT" "$1"; }

require_root() {
    [ "$DRY_RUN" -eq 1 ] && return
    live || return 0
    [ "$(id -u)" -eq 0 ] \
        || die "run this as root: sudo bash $0 [OPTIONS] (--dry-run shows what it would do)"
}

# Run a command, or with --dry-run print it.
run() {
    if [ "$DRY_RUN" -eq 1 ]; then
        printf '    would run: %s\n' "${*@Q}" >&2
        return 0
    fi
    "$@"
}

# install_file SOURCE DEST MODE: put one of our files in place (replacing an older copy).
install_file() {
    local source="$1" dest mode="$3"
    dest="$(target "$2")"
    if [ "$DRY_RUN" -eq 1 ]; then
        note "would install $2 (mode $mode) from ${source#"$SOURCE_DIR"/}"
        return
    fi
    install -D -m "$mode" "$source" "$dest"
}

# install_config SOURCE DEST MODE: a file the site edits: only when it is not there yet.
install_config() {
    if [ -e "$(target "$2")" ]; then
        note "keeping $2 (already there)"
        return
    fi
    install_file "$@"
}

# make_dir DEST MODE: a directory with this mode (ownership: see the tmpfiles.d file).
make_dir() {
    local dest
    dest="$(target "$1")"
    if [ "$DRY_RUN" -eq 1 ]; then
        note "would create $1 (mode $2)"
        return
    fi
    install -d -m "$2" "$dest"
}

remove_path() {
    local dest
    dest="$(target "$1")"
    [ -e "$dest" ] || [ -L "$dest" ] || return 0
    if [ "$DRY_RUN" -eq 1 ]; then
        note "would remove $1"
        return
    fi
    rm -rf -- "$dest"
}

# The Debian package names listed in FILE...: whitespace-separated, '#' starts a comment.
read_package_list() {
    local file line
    local -a words
    PACKAGES=()
    for file in "$@"; do
        while IFS= read -r line || [ -n "$line" ]; do
            read -ra words <<<"${line%%#*}"
            PACKAGES+=("${words[@]}")
        done <"$file"
    done
}

# Install the packages listed in FILE... that are missing (apt-get update only then).
install_debian_packages() {
    if [ "$WITH_APT" -eq 0 ]; then
        say "Debian packages: skipped (--no-apt)"
        return
    fi
    if ! live; then
        say "Debian packages: skipped in a staging root (install them into the image with apt)"
        return
    fi
    command -v dpkg-query >/dev/null 2>&1 || die "not a Debian system (no dpkg-query); use --no-apt"
    read_package_list "$@"
    local pkg missing=()
    for pkg in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "Debian packages: all ${#PACKAGES[@]} installed"
        return
    fi
    say "Debian packages: installing ${missing[*]}"
    run apt-get update -qq
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

# Create the system users of a sysusers.d file and put the listed files and directories in their
# owners' hands (tmpfiles.d). Both tools are idempotent. In a staging root that has an
# /etc/passwd (an OS image) they run offline on it; in a bare staging root systemd does the same
# at the image's first boot (systemd-sysusers.service, systemd-tmpfiles-setup.service).
apply_users_and_ownership() {
    local sysusers="$1" tmpfiles="$2"
    if live; then
        if ! command -v systemd-sysusers >/dev/null 2>&1 && [ "$DRY_RUN" -eq 0 ]; then
            die "systemd-sysusers not found: is this a systemd system?"
        fi
        run systemd-sysusers "$sysusers"
        run systemd-tmpfiles --create "$tmpfiles"
    elif [ -f "$ROOT/etc/passwd" ]; then
        run systemd-sysusers --root="$ROOT" "$ROOT$sysusers"
        run systemd-tmpfiles --root="$ROOT" --create "$ROOT$tmpfiles"
    else
        say "users and ownership: left to systemd-sysusers and systemd-tmpfiles at first boot"
    fi
}

# Build (from the source tree) or take (--wheel) the project's wheel and install it with its
# dependencies into the virtual environment VENV, plus EXTRA requirements. Re-running upgrades:
# the project is always reinstalled (even at the same version), its dependencies only as needed.
# In a staging root the environment is made inside it (chroot), so that its paths are right
# when the image runs.
install_into_venv() {
    local venv="$1"
    shift
    local -a extra=("$@")
    if [ "$WITH_VENV" -eq 0 ]; then
        say "virtual environment $venv: skipped (--no-venv)"
        return
    fi
    local -a inside=()  # runs a command on the target system
    local python
    if live; then
        python="$(command -v python3)" || die "python3 not found (install python3 and python3-venv)"
    else
        if [ ! -x "$ROOT/usr/bin/python3" ]; then
            local why="--root $ROOT has no /usr/bin/python3 to make $venv with: install python3 and python3-venv into it first, or use --no-venv"
            [ "$DRY_RUN" -eq 1 ] || die "$why"
            note "would fail: $why"
            return
        fi
        inside=(chroot "$ROOT")
        python=/usr/bin/python3
    fi

    if [ ! -x "$(target "$venv/bin/python")" ] || ! "${inside[@]}" "$venv/bin/python" -c \
        'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        say "creating the virtual environment $venv"
        remove_path "$venv"
        run "${inside[@]}" "$python" -m venv "$venv"
    fi

    # Work under the target's /tmp: inside a chroot the wheel must be reachable too.
    local work=/tmp/mall-kiosk-install.DRYRUN
    if [ "$DRY_RUN" -eq 0 ]; then
        work="$(mktemp -d "$(target /tmp)/mall-kiosk-install.XXXXXX")"
        TEMP_DIRS+=("$work")
        work="${work#"$ROOT"}"
    fi
    local wheel
    if [ -n "$WHEEL" ]; then
        run cp "$WHEEL" "$(target "$work")/"
        wheel="$work/$(basename "$WHEEL")"
    elif [ "$DRY_RUN" -eq 1 ]; then
        note "would build the project's wheel from $SOURCE_DIR"
        wheel="$work/mall_kiosk-VERSION-py3-none-any.whl"
    else
        say "building the project's wheel from $SOURCE_DIR"
        # With the environment's own pip on this machine (Debian's python3 may have none); a
        # staging root's is not runnable from here.
        local builder="$venv/bin/python"
        live || builder=python3
        local -a build=("$builder" -m pip wheel --quiet --disable-pip-version-check --no-deps
            --wheel-dir "$(target "$work")")
        [ -n "$WHEELHOUSE" ] && build+=(--no-index --find-links "$WHEELHOUSE")
        "${build[@]}" "$SOURCE_DIR" || die "could not build the wheel: ${build[*]} $SOURCE_DIR"
        wheel="$(find "$(target "$work")" -maxdepth 1 -name 'mall_kiosk-*.whl' -printf '%f\n' | head -n 1)"
        [ -n "$wheel" ] || die "pip built no mall_kiosk wheel"
        wheel="$work/$wheel"
    fi
    local house=""
    if [ -n "$WHEELHOUSE" ]; then
        run cp -r "$WHEELHOUSE" "$(target "$work")/wheelhouse"
        house="$work/wheelhouse"
    fi

    local -a pip=("${inside[@]}" "$venv/bin/python" -m pip install --quiet
        --disable-pip-version-check --no-input)
    [ -n "$house" ] && pip+=(--no-index --find-links "$house")
    say "installing $(basename "$wheel") and its dependencies into $venv"
    run "${pip[@]}" "$wheel" "${extra[@]}"
    run "${pip[@]}" --force-reinstall --no-deps "$wheel"
}

# Make systemd read the unit files again (this machine only).
reload_system() {
    live || return 0
    run systemctl daemon-reload
}
