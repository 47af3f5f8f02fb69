"""The central service's access log, without query strings.

A tracking link carries the ticket's secret as `?t=<token>`; the service keeps only its SHA-256,
so the log must not keep the token either (anyone who reads the log could otherwise open,
withdraw or rate the ticket). uvicorn logs each request as `client - "METHOD path?query
HTTP/x" status`; this filter drops the query and says that there was one.
"""

from __future__ import annotations

import logging

__all__ = ["ACCESS_LOGGER", "HideQueries", "hide_queries"]

ACCESS_LOGGER = "uvicorn.access"
_PATH = 2  # uvicorn's access record args: client, method, path with query, HTTP version, status


class HideQueries(logging.Filter):
    """Rewrites an access record's path `/T/C-K07-0042-X?t=secret` to `/T/C-K07-0042-X?…`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or len(args) <= _PATH:
            return True
        full = args[_PATH]
        if isinstance(full, str) and "?" in full:
            path = full.partition("?")[0]
            record.args = (*args[:_PATH], f"{path}?…", *args[_PATH + 1 :])
        return True


def hide_queries() -> None:
    """Install the filter on uvicorn's access logger (before uvicorn.run; idempotent)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, HideQueries) for f in logger.filters):
        logger.addFilter(HideQueries())
