"""Errors whose message is written for the user (Chinese and English).

The CLI prints them without a traceback and exits with code 2.
"""


class UserFacingError(Exception):
    """A problem the user can fix: a bad option, an unreachable server, an unknown unit."""
