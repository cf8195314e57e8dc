"""The project's own exceptions. Every message is meant to be shown to a user as one line."""

from __future__ import annotations


class PolicytermsError(Exception):
    """Base class: anything the CLI may print as a one-line error instead of a traceback."""


class InputError(PolicytermsError):
    """One input (file, directory, stdin) could not be read. Names the input and the cause."""

    def __init__(self, source: str, cause: str) -> None:
        self.source = source
        self.cause = cause
        super().__init__(f"{source}: {cause}")


class VocabularyError(PolicytermsError):
    """A vocabulary file is unusable. Carries every problem found, each as file:line: message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        first = problems[0] if problems else "invalid vocabulary"
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(first + more)


class OutputError(PolicytermsError):
    """The requested output cannot be written (unknown format, several tables into one CSV…)."""
