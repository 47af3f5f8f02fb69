#!/usr/bin/env bash
# Install the MallKiosk central service on a Debian 12 server, or upgrade it: run it again.
# See installer/README.md.
#
#   sudo bash installer/install-central.sh                from this source tree
#   sudo bash installer/install-central.sh --wheel FILE   from a built wheel
set -euo pipefail

PROG=install-central
# shellcheck source=installer/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<EOF
Usage: sudo bash installer/install-central.sh [OPTIONS]

Install (or upgrade) the MallKiosk central service on this Debian 12 server: the system user
mallcentral, the app in /opt/mall-central/venv, /etc/default/mall-central (only when absent),
the systemd service mall-central (port 8700, SQLite in /var/lib/mall-central); then enable
and (re)start it.

Options:
  --wheel FILE       install this wheel instead of building one from the source tree
  --wheelhouse DIR   install offline: every wheel needed is in DIR (pip --no-index)
  --no-apt           do not install Debian packages
  --no-venv          do not create or update the virtual environment
  --no-start         enable the service but do not start or restart it now
  --root DIR         stage everything under DIR instead of this machine (image building,
                     tests): files only, no systemctl, no apt
  --dry-run          print what would be done; change nothing
  -h, --help         this help
EOF
}

START=1
while [ $# -gt 0 ]; do
    common_option "$@"
    if [ "$OPTION_ARGS" -gt 0 ]; then
        shift "$OPTION_ARGS"
        continue
    fi
    case "$1" in
        --no-start) START=0 ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
check_common_options
require_root

VENV=/opt/mall-central/venv
UNIT=mall-central.service

announce_mode

# The service needs only Python; its Qt-free part of the wheel runs headless.
install_debian_packages "$INSTALLER_DIR/debian-packages-central.txt"

say "system user mallcentral and its data directory"
install_file "$INSTALLER_DIR/sysusers.d/mall-central.conf" /etc/sysusers.d/mall-central.conf 0644
install_file "$INSTALLER_DIR/tmpfiles.d/mall-central.conf" /etc/tmpfiles.d/mall-central.conf 0644
make_dir /var/lib/mall-central 0750
say "configuration"
install_config "$INSTALLER_DIR/default/mall-central" /etc/default/mall-central 0600
apply_users_and_ownership /etc/sysusers.d/mall-central.conf /etc/tmpfiles.d/mall-central.conf

install_into_venv "$VENV"

say "service and staff command"
install_file "$INSTALLER_DIR/bin/mall-central" /usr/local/bin/mall-central 0755
install_file "$INSTALLER_DIR/systemd/$UNIT" "/etc/systemd/system/$UNIT" 0644

if live; then
    reload_system
    run systemctl enable "$UNIT"
    if [ "$START" -eq 1 ]; then
        if systemctl is-active --quiet "$UNIT" 2>/dev/null; then
            say "restarting $UNIT (upgrade)"
            run systemctl restart "$UNIT"
        else
            say "starting $UNIT"
            run systemctl start "$UNIT"
        fi
    fi
else
    say "enabling $UNIT in $ROOT"
    if [ "$DRY_RUN" -eq 1 ]; then
        note "would link /etc/systemd/system/multi-user.target.wants/$UNIT"
    else
        install -d "$(target /etc/systemd/system/multi-user.target.wants)"
        ln -sfn "/etc/systemd/system/$UNIT" "$(target "/etc/systemd/system/multi-user.target.wants/$UNIT")"
    fi
fi

[ "$DRY_RUN" -eq 1 ] && exit 0
say "done. Next (see installer/README.md):"
note "1. /etc/default/mall-central: address, port, database, SMS gateway; then restart"
note "2. sudo mall-central load-venue MALL.zip       (the mall's IMDF export)"
note "3. sudo mall-central enroll-code --venue VENUE_ID   (one per kiosk)"
