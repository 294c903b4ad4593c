"""Errors the program expects, each carrying a message a clerk can read.

Two kinds, as the UI treats them: a ``DomainError`` is shown as it is (a
rule was broken, a record is missing, someone else saved first); anything
else is a bug and goes to the crash handler.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the register was broken; ``message`` is Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    """The record asked for does not exist (or no longer does)."""


class ValidationError(DomainError):
    """Input that cannot be saved; ``errors`` maps field name to its message.

    The message of the exception lists every problem, so a command line can
    print it as one line; a form uses ``errors`` to show each beside its field.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class IllegalTransitionError(DomainError):
    """The case is not in a state that allows this step."""


class ConflictError(DomainError):
    """Someone else saved the record after it was opened here."""


class PermissionDeniedError(DomainError):
    """The current user's role does not allow this action."""


class StorageError(DomainError):
    """The database cannot be used as asked: locked, full, read-only, damaged, too new."""
