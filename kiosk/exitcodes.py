"""Exit statuses of `mall-kiosk` that mean more than success or failure."""

EXIT_RESTART = 75
"""Restart asked for in maintenance mode (EX_TEMPFAIL): `mall-kiosk` runs itself anew."""
EXIT_LEAVE_KIOSK = 64
"""Leave kiosk mode: the service manager must not start the kiosk again (the systemd unit
lists it in RestartPreventExitStatus)."""
