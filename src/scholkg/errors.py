"""Typed errors. Every message says what failed, where, and how to fix it.

The library raises these; the CLI turns them into one line on stderr and exit status 1.
"""

from __future__ import annotations


class ScholkgError(Exception):
    """Base class of every error scholkg raises on purpose."""


class InputError(ScholkgError):
    """A record file is malformed. Carries the file and the 1-based line.

    >>> str(InputError("bad year", path="r.jsonl", line=3))
    'r.jsonl:3: bad year'
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # crosses process boundaries (scholkg.pipeline) unchanged
        return (_input_error, (self.message, self.path, self.line))


def _input_error(message: str, path: str | None, line: int | None) -> InputError:
    return InputError(message, path=path, line=line)


class StoreError(ScholkgError):
    """The store cannot be opened or written."""


class QueryError(ScholkgError):
    """A canned query is unknown, malformed, or failed to run."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown, or its value does not fit its kind."""


class QueryTimeout(QueryError):
    """A query ran past its time limit."""
