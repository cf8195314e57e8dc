"""The documents benchmark's manifest (README.md beside this file): where each text came from and
the truth about it, written by reading."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
MANIFESTS = HERE / "manifest"
TEXTS = HERE / "texts"  # git-ignored; fill.py fills it
SET_ASIDE_EVERY = 5  # one file in five is kept aside until the rules are written


@dataclass(frozen=True)
class Article:
    title: str = ""
    title_alt: tuple[str, ...] = ()
    date: str = ""
    published: str = ""
    source: str = ""
    start: str = ""  # the first characters of its first line, for a page of several articles


@dataclass(frozen=True)
class Entry:
    id: str
    genre: str
    repo: str
    commit: str
    path: str
    articles: tuple[Article, ...]
    read: bool = False
    note: str = ""
    where: str = field(default="", compare=False)  # manifest file and line, for messages

    @property
    def basename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def text_path(self) -> Path:
        return TEXTS / self.id / self.basename

    @property
    def set_aside(self) -> bool:
        """Chosen from the id alone, so that no one writing rules or truth picks it."""
        return int(hashlib.sha256(self.id.encode()).hexdigest()[:8], 16) % SET_ASIDE_EVERY == 0

    @property
    def is_page(self) -> bool:
        return len(self.articles) > 1


def load_manifest(folder: Path = MANIFESTS) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    for manifest in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{manifest.name}:{number}"
            raw = json.loads(line)
            if raw["id"] in seen:
                raise ValueError(f"{where}: id {raw['id']} given twice")
            seen.add(raw["id"])
            articles = tuple(
                Article(title=a.get("title", ""), title_alt=tuple(a.get("title_alt", ())), date=a.get("date", ""),
                        published=a.get("published", ""), source=a.get("source", ""), start=a.get("start", ""))
                for a in raw["articles"]
            )
            entries.append(Entry(id=raw["id"], genre=raw["genre"], repo=raw["repo"], commit=raw["commit"],
                                 path=raw["path"], articles=articles, read=bool(raw.get("read")),
                                 note=raw.get("note", ""), where=where))
    return entries
