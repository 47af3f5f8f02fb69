"""Sync tests use the `central` fixtures of tests/central.py (a real central service on
127.0.0.1), registered for the whole suite in tests/conftest.py."""
