"""Errors of the central service that are facts, not bugs: their message is meant for people."""


class CentralError(Exception):
    """An expected failure (bad input, unknown venue, unreachable database); str() explains it."""
