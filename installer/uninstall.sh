#!/usr/bin/env bash
# Remove what install-kiosk.sh (or, with --central, install-central.sh) installed. Keeps the
# data, the logs, the device file, the site settings and the system user unless --purge.
# See installer/README.md.
set -euo pipefail

PROG=uninstall
# shellcheck source=installer/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<EOF
Usage: sudo bash installer/uninstall.sh [--central] [--purge] [--dry-run] [--root DIR]

Stop and remove the MallKiosk kiosk (or with --central the central service): the service, the
app, the staff command, udev and modprobe files. Kept unless --purge: /var/lib/mall-kiosk
(cache, outbox, device token), /var/log/mall-kiosk, /etc/mall-kiosk/device.toml,
/etc/default/mall-kiosk and the user mallkiosk (for the central service: /var/lib/mall-central,
/etc/default/mall-central, the user mallcentral). Debian packages stay.

Options:
  --central    remove the central service instead of the kiosk
  --purge      also delete the data, the logs, the configuration and the user
  --root DIR   remove from a staging root instead of this machine
  --dry-run    print what would be done; change nothing
  -h, --help   this help
EOF
}

CENTRAL=0
PURGE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --central) CENTRAL=1 ;;
        --purge) PURGE=1 ;;
        --dry-run) DRY_RUN=1 ;;
        --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT="$2"; shift ;;
        --root=*) ROOT="${1#*=}" ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
check_common_options
require_root

if [ "$CENTRAL" -eq 1 ]; then
    NAME=mall-central USER_NAME=mallcentral
    PROGRAM_FILES=(/opt/mall-central /usr/local/bin/mall-central)
    DATA=(/var/lib/mall-central /etc/default/mall-central)
else
    NAME=mall-kiosk USER_NAME=mallkiosk
    PROGRAM_FILES=(/opt/mall-kiosk /usr/local/bin/mall-kiosk /etc/udev/rules.d/60-mall-kiosk.rules
        /etc/modprobe.d/mall-kiosk-usblp.conf)
    DATA=(/var/lib/mall-kiosk /var/log/mall-kiosk /etc/mall-kiosk /etc/default/mall-kiosk)
fi
UNIT="$NAME.service"

[ "$DRY_RUN" -eq 1 ] && say "dry run: nothing is changed${ROOT:+ (staging root $ROOT)}"

if live && [ -e "/etc/systemd/system/$UNIT" ]; then
    say "stopping and disabling $UNIT"
    run systemctl disable --now "$UNIT" || note "could not stop $UNIT; removing it anyway"
fi
remove_path "/etc/systemd/system/multi-user.target.wants/$UNIT"

say "removing the program files"
remove_path "/etc/systemd/system/$UNIT"
remove_path "/etc/systemd/system/$UNIT.d"
for path in "${PROGRAM_FILES[@]}"; do
    remove_path "$path"
done
# Without them nothing recreates the user's directories at boot; what exists stays as it is.
remove_path "/etc/sysusers.d/$NAME.conf"
remove_path "/etc/tmpfiles.d/$NAME.conf"

if live; then
    reload_system
    if [ "$CENTRAL" -eq 0 ]; then
        # Give tty1 its login prompt back, and udev its default rules.
        run systemctl enable --now getty@tty1.service
        if command -v udevadm >/dev/null 2>&1; then
            run udevadm control --reload
        fi
    fi
elif [ "$CENTRAL" -eq 0 ] && [ -e "$(target /lib/systemd/system/getty@.service)" ]; then
    if [ "$DRY_RUN" -eq 1 ]; then
        note "would link /etc/systemd/system/getty.target.wants/getty@tty1.service"
    else
        install -d "$(target /etc/systemd/system/getty.target.wants)"
        ln -sfn /lib/systemd/system/getty@.service \
            "$(target /etc/systemd/system/getty.target.wants/getty@tty1.service)"
    fi
fi

if [ "$PURGE" -eq 1 ]; then
    say "purging data, logs, configuration and the user $USER_NAME"
    for path in "${DATA[@]}"; do
        remove_path "$path"
    done
    if live && getent passwd "$USER_NAME" >/dev/null; then
        run userdel "$USER_NAME"
        if getent group "$USER_NAME" >/dev/null; then
            run groupdel "$USER_NAME"
        fi
    fi
else
    say "kept: ${DATA[*]} and the user $USER_NAME (--purge deletes them)"
fi
[ "$DRY_RUN" -eq 1 ] || say "done"
