"""The project's own exceptions. Every message is meant to be shown to a user as one line."""

from __future__ import annotations

from dataclasses import dataclass

from .names import doc_id_for


class PolicytermsError(Exception):
    """Base class: anything the CLI may print as a one-line error instead of a traceback."""


class InputError(PolicytermsError):
    """One input (file, table row, stdin) could not be read. Names the input and the cause."""

    def __init__(self, source: str, cause: str) -> None:
        self.source = doc_id_for(source)  # a file name that is not UTF-8 is escaped, once, here
        self.cause = cause
        super().__init__(f"{self.source}: {cause}")

    def __reduce__(self):
        # Worker processes send these back to the parent: pickle the two fields, not the message.
        return type(self), (self.source, self.cause)


@dataclass(frozen=True, slots=True)
class InputWarning:
    """Something about an input a user should know that does not stop it being counted
    (or that stops it being counted twice)."""

    source: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", doc_id_for(self.source))

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class PlotWarning(UserWarning):
    """A picture was drawn, but part of it may not read well: a drawing library's warning, said in
    one line of ours (the CLI prints it as ``policyterms: warning: …``)."""


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
    """The command was called wrongly (exit 2): the message says what to type instead — also an
    option that names something the inputs do not have (``--group-by yaer``)."""


class OutputError(PolicytermsError):
    """The requested output cannot be written (unknown format, several tables into one CSV…)."""


class StoreError(PolicytermsError):
    """The results database (--db) cannot be used: not ours, newer schema, locked, corrupt."""


SHOWN_PER_CAUSE = 20  # a screenful of one cause; then one line with how many more


def without_floods(problems: list[InputError] | list[InputWarning], *, shown: int = SHOWN_PER_CAUSE) -> list[str]:
    """The lines to show for ``problems``: each one's, in order, but after ``shown`` lines of the
    same cause (50,000 empty files) one line saying how many more had it."""
    lines: list[str] = []
    seen: dict[str, int] = {}
    for problem in problems:
        cause = problem.cause if isinstance(problem, InputError) else problem.message
        seen[cause] = seen.get(cause, 0) + 1
        if seen[cause] <= shown:
            lines.append(str(problem))
    for cause, number in seen.items():
        if number > shown:
            lines.append(f"… and {number - shown:,} more input(s): {cause}")
    return lines


class WriteError(PolicytermsError):
    """An output file cannot be written (a full disk, no permission): names the file and why."""
