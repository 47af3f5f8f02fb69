"""Errors that are facts about the environment (disk, network, printer, configuration).

A `KnownError` carries a message meant for people; anything else that escapes is a bug, logged
with its traceback and never shown to a shopper.
"""


class KnownError(Exception):
    """An expected failure with a readable message (str(err))."""
