#!/usr/bin/env bash
# Install MallKiosk on a kiosk PC (Debian 12), or upgrade it: run it again. See installer/README.md.
#
#   sudo bash installer/install-kiosk.sh                  from this source tree
#   sudo bash installer/install-kiosk.sh --wheel FILE     from a built wheel
#   bash installer/install-kiosk.sh --dry-run             only say what it would do
set -euo pipefail

PROG=install-kiosk
# shellcheck source=installer/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<EOF
Usage: sudo bash installer/install-kiosk.sh [OPTIONS]

Install (or upgrade) the MallKiosk kiosk on this Debian 12 PC: Debian packages, the system
user mallkiosk, the app in /opt/mall-kiosk/venv, /etc/mall-kiosk/device.toml (only when
absent), the systemd service (cage on tty1) and udev rules; then enable and (re)start it.

Options:
  --wheel FILE       install this wheel instead of building one from the source tree
  --wheelhouse DIR   install offline: every wheel needed is in DIR (pip --no-index)
  --no-apt           do not install Debian packages
  --no-venv          do not create or update the virtual environment
  --no-start         enable the service but do not start or restart it now
  --keep-usblp       let the kernel's usblp driver take USB printers (for backend = "file")
  --root DIR         stage everything under DIR instead of this machine (image building,
                     tests): files only, no systemctl, no apt
  --dry-run          print what would be done; change nothing
  -h, --help         this help
EOF
}

START=1
KEEP_USBLP=0
while [ $# -gt 0 ]; do
    common_option "$@"
    if [ "$OPTION_ARGS" -gt 0 ]; then
        shift "$OPTION_ARGS"
        continue
    fi
    case "$1" in
        --no-start) START=0 ;;
        --keep-usblp) KEEP_USBLP=1 ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
check_common_options
require_root

VENV=/opt/mall-kiosk/venv
UNIT=mall-kiosk.service

announce_mode

# 1. Debian packages: the Qt runtime list shared with tools/dev.sh, and the kiosk's own.
install_debian_packages "$INSTALLER_DIR/debian-packages.txt" "$INSTALLER_DIR/debian-packages-kiosk.txt"

# 2. The system user and its groups, then its directories.
say "system user mallkiosk and its directories"
install_file "$INSTALLER_DIR/sysusers.d/mall-kiosk.conf" /etc/sysusers.d/mall-kiosk.conf 0644
install_file "$INSTALLER_DIR/tmpfiles.d/mall-kiosk.conf" /etc/tmpfiles.d/mall-kiosk.conf 0644
make_dir /etc/mall-kiosk 0770
make_dir /var/lib/mall-kiosk 0750
make_dir /var/log/mall-kiosk 0750

# 3. The device file (the site's: never overwritten) and the service's site settings.
say "configuration"
install_config "$SOURCE_DIR/config/example-device.toml" /etc/mall-kiosk/device.toml 0640
install_config "$INSTALLER_DIR/default/mall-kiosk" /etc/default/mall-kiosk 0644

# 4. Users, groups and ownership (device.toml root:mallkiosk 0640, data directories).
apply_users_and_ownership /etc/sysusers.d/mall-kiosk.conf /etc/tmpfiles.d/mall-kiosk.conf

# 5. The app. python-escpos' extras bring pyusb and pyserial for USB and serial printers.
install_into_venv "$VENV" "python-escpos[usb,serial]"

# 6. Our files outside the venv: replaced on every run (an upgrade brings new ones).
say "service, session script, staff command, udev rules"
install_file "$INSTALLER_DIR/bin/mall-kiosk-session" /opt/mall-kiosk/bin/mall-kiosk-session 0755
install_file "$INSTALLER_DIR/bin/mall-kiosk" /usr/local/bin/mall-kiosk 0755
install_file "$INSTALLER_DIR/systemd/$UNIT" "/etc/systemd/system/$UNIT" 0644
install_file "$INSTALLER_DIR/udev/60-mall-kiosk.rules" /etc/udev/rules.d/60-mall-kiosk.rules 0644
if [ "$KEEP_USBLP" -eq 1 ]; then
    remove_path /etc/modprobe.d/mall-kiosk-usblp.conf
else
    install_file "$INSTALLER_DIR/modprobe.d/mall-kiosk-usblp.conf" \
        /etc/modprobe.d/mall-kiosk-usblp.conf 0644
fi

# 7. On this machine: apply the udev rules, take usblp off a printer already plugged in, and
#    hand tty1 to the kiosk.
if live; then
    say "udev, systemd"
    if command -v udevadm >/dev/null 2>&1; then
        run udevadm control --reload
        run udevadm trigger --action=add --subsystem-match=usb --subsystem-match=tty
    fi
    if [ "$KEEP_USBLP" -eq 0 ] && grep -qs '^usblp ' /proc/modules; then
        run modprobe -r usblp || note "usblp is in use: it is gone after a reboot"
    fi
    reload_system
    run systemctl disable getty@tty1.service
    run systemctl enable "$UNIT"
    if [ "$START" -eq 1 ]; then
        if systemctl is-active --quiet "$UNIT" 2>/dev/null; then
            say "restarting $UNIT (upgrade)"
            run systemctl restart "$UNIT"
        else
            say "starting $UNIT on tty1"
            run systemctl reset-failed "$UNIT" 2>/dev/null || true
            run systemctl start "$UNIT"
        fi
    fi
else
    # The image enables the service by the same symlink `systemctl enable` makes.
    say "enabling $UNIT in $ROOT"
    if [ "$DRY_RUN" -eq 1 ]; then
        note "would link /etc/systemd/system/multi-user.target.wants/$UNIT"
        note "would remove /etc/systemd/system/getty.target.wants/getty@tty1.service"
    else
        install -d "$(target /etc/systemd/system/multi-user.target.wants)"
        ln -sfn "/etc/systemd/system/$UNIT" "$(target "/etc/systemd/system/multi-user.target.wants/$UNIT")"
        rm -f "$(target /etc/systemd/system/getty.target.wants/getty@tty1.service)"
    fi
fi

[ "$DRY_RUN" -eq 1 ] && exit 0
say "done. Next, on site (see installer/README.md):"
note "1. edit /etc/mall-kiosk/device.toml: [device] code, [sync] server_url, [printer]"
note "   (or: sudo mall-kiosk config set device.code K12)"
note "2. sudo mall-kiosk enroll CODE      (a one-time code from mall-central enroll-code)"
note "3. sudo mall-kiosk set-pin          (the maintenance PIN)"
note "4. sudo mall-kiosk doctor           then: sudo systemctl restart mall-kiosk"
