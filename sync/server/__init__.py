"""The central service kiosks sync with (FastAPI + SQLAlchemy; SQLite by default, PostgreSQL).

`app` is the HTTP API, `cli` the `mall-central` command, `testing` a real server for tests;
`catalog`, `devices`, `submissions` and `members` hold the logic (with `points`, `masking` and
`sms` for members, `member_data` to load them), `models`/`db`/`migrations` the storage.
"""
