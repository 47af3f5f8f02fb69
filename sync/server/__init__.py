"""The central service kiosks sync with (FastAPI + SQLAlchemy; SQLite by default, PostgreSQL).

`app` is the HTTP API, `cli` the `mall-central` command, `testing` a real server for tests;
`catalog`, `devices` and `submissions` hold the logic, `models`/`db`/`migrations` the storage.
"""
