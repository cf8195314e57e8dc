"""The unit every reader produces: a document's text and its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputWarning
from ..names import doc_id_for


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    notes: tuple[InputWarning, ...] = ()  # what reading it repaired (stray bytes replaced), for the user
    offset: int = 0  # where the text starts in its file's text: an article's place in its page

    def __post_init__(self) -> None:
        object.__setattr__(self, "doc_id", doc_id_for(self.doc_id))  # a file name that is not UTF-8

    @property
    def title(self) -> str:
        return self.metadata.get("title") or first_line(self.text)


def first_line(text: str, *, limit: int = 80) -> str:
    """The first non-empty line, markdown heading marks stripped: a fallback title."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:limit]
    return ""
