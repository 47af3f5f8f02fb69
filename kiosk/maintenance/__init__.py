"""Maintenance mode without Qt: what the staff screens and the `mall-kiosk` staff commands use.

- `pin`: the PIN's rules, its salted slow hash, and the lockout after wrong PINs (`PinGuard`).
- `audit`: the audit log every maintenance action is written to (`AuditLog`).
- `settings`: the device file read with each key's source and changed one key at a time,
  validated and written atomically (`DeviceSettings`).
- `doctor`: checks of the machine, each with the fix for a failure (`run_checks`).
- `commands`: the staff commands of `mall-kiosk` (doctor, set-pin, config, audit).

Nothing here imports Qt: a view model calls these (off the GUI thread where they block: PIN
hashing, doctor checks, file writes) and shows the results.
"""
