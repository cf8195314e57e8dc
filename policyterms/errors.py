"""The project's own exceptions. Every message is meant to be shown to a user as one line."""

from __future__ import annotations

from dataclasses import dataclass


class PolicytermsError(Exception):
    """Base class: anything the CLI may print as a one-line error instead of a traceback."""


class InputError(PolicytermsError):
    """One input (file, table row, stdin) could not be read. Names the input and the cause."""

    def __init__(self, source: str, cause: str) -> None:
        self.source = source
        self.cause = cause
        super().__init__(f"{source}: {cause}")

    def __reduce__(self):
        # Worker processes send these back to the parent: pickle the two fields, not the message.
        return type(self), (self.source, self.cause)


@dataclass(frozen=True, slots=True)
class InputWarning:
    """Something about an input a user should know that does not stop it being counted
    (or that stops it being counted twice)."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class VocabularyError(PolicytermsError):
    """A vocabulary file is unusable. Carries every problem found, each as file:line: message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        first = problems[0] if problems else "invalid vocabulary"
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(first + more)

    def __reduce__(self):
        return type(self), (self.problems,)


class UsageError(PolicytermsError):
    """An option names something the inputs do not have (``--group-by yaer``): exit 2, as for
    any other misused option."""


class OutputError(PolicytermsError):
    """The requested output cannot be written (unknown format, several tables into one CSV…)."""


class StoreError(PolicytermsError):
    """The results database (--db) cannot be used: not ours, newer schema, locked, corrupt."""
