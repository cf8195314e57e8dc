"""The incremental results store (``--db FILE``): SQLite, so that a daily run counts only new text.

Counts are kept per document *content* (a hash of the text) and *settings* (the vocabulary's
terms, the co-occurrence unit, the window and segmenter when they matter, and the version of the
counting rules): a rerun over a folder with new files counts only those, and a file whose text
changed is counted again. Each batch of documents is one transaction in WAL mode, so a run
killed at any point (even by SIGKILL) leaves the last committed batch and nothing half-written;
the next run counts what is missing.

Tables: ``info`` (what this file is), ``settings``, ``counts`` (per content and settings) and
``documents`` (per settings and doc_id: which content, title, date, source, all metadata).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StoreError
from .stats import DocumentCounts
from .vocab import Term, Vocabulary

if TYPE_CHECKING:
    import sqlite3

APPLICATION = "policyterms results"
SCHEMA_VERSION = 4  # 3: the vocabulary's own metadata (name, description, reference, version) per settings; 4: documents.date_from
# Bump when a change to normalization, matching or units changes any count: stored counts made
# under other rules are then not reused. (2: units and per-term units kept for association measures;
# 3: closing quotes after 。 stay in their sentence; blank lines at the start are no unit;
# 4: a blank line after a numbered heading (一、…) ends its paragraph.)
COUNTING_RULES_VERSION = 4

_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (
    id TEXT PRIMARY KEY,
    vocabulary_name TEXT NOT NULL,
    terms TEXT NOT NULL,            -- JSON: [[term, category or [categories…], [aliases…]], …] in vocabulary order
    vocabulary_metadata TEXT NOT NULL DEFAULT '{}',  -- JSON: name, description, reference, version, source, sha256
    unit TEXT NOT NULL,
    window INTEGER NOT NULL,
    segmenter TEXT NOT NULL,
    last_used INTEGER NOT NULL      -- a run number, so that `db export` picks the latest settings
);
CREATE TABLE IF NOT EXISTS counts (
    content_hash TEXT NOT NULL,
    settings_id TEXT NOT NULL REFERENCES settings(id),
    chars INTEGER NOT NULL,
    terms TEXT NOT NULL,            -- JSON: [[term index, hits], …]
    shadowed TEXT NOT NULL,         -- JSON: [[term index, shadowed matches], …]
    pairs TEXT,                     -- JSON: {"units": N, "terms": [[index, units], …],
                                    --        "pairs": [[index a, index b, units], …]}; NULL: not counted
    tokens INTEGER,                 -- word tokens; NULL: not counted
    PRIMARY KEY (content_hash, settings_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
    settings_id TEXT NOT NULL REFERENCES settings(id),
    doc_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    source TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',  -- JSON: every metadata field (for --group-by FIELD)
    date_from TEXT NOT NULL DEFAULT '',   -- where the date came from (readers/metadata.py DATE_FROM)
    PRIMARY KEY (settings_id, doc_id)
) WITHOUT ROWID;
"""


def content_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a stored count depends on besides the text."""

    vocabulary: Vocabulary
    unit: str
    window: int
    segmenter: str

    @property
    def id(self) -> str:
        # The segmenter makes the windows and the token counts (rates); the window size changes
        # only window co-occurrence.
        key = {
            "rules": COUNTING_RULES_VERSION,
            "terms": _terms_json(self.vocabulary),
            "unit": self.unit,
            "window": self.window if self.unit == "window" else None,
            "segmenter": self.segmenter,
        }
        return hashlib.sha256(json.dumps(key, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Stored:
    """A document's counts and the content they were made from, ready to be saved."""

    counts: DocumentCounts
    content_hash: str  # "" when the run keeps no store
    new: bool  # counted in this run (False: taken from the store)


class Store:
    """One SQLite results file. ``readonly`` connections are for worker processes' lookups."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        import sqlite3  # only runs that keep a store (--db) open one: 3 ms of every other start

        self.path = str(path)
        try:
            if readonly:
                self._db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=60)
            else:
                self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; consistent always
                self._create_or_check()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot use as a results database ({exc})") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _create_or_check(self) -> None:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "info" not in tables:
            raise StoreError(f"{self.path}: an SQLite database, but not one policyterms wrote; choose another --db file")
        self._db.executescript(_SCHEMA)  # idempotent: CREATE TABLE IF NOT EXISTS
        self._db.execute("BEGIN IMMEDIATE")
        try:
            info = dict(self._db.execute("SELECT key, value FROM info"))
            if not info:
                self._db.executemany(
                    "INSERT INTO info (key, value) VALUES (?, ?)",
                    [("application", APPLICATION), ("schema_version", str(SCHEMA_VERSION))],
                )
            elif info.get("application") != APPLICATION:
                raise StoreError(f"{self.path}: not a policyterms results database")
            elif int(info.get("schema_version", "0")) > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: written by a newer policyterms (schema {info['schema_version']}); upgrade")
            elif int(info["schema_version"]) < SCHEMA_VERSION:
                self._migrate(int(info["schema_version"]))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _migrate(self, version: int) -> None:
        if version == 1:  # schema 1 had no tokens and no metadata; its counts have an older rules version
            self._db.execute("ALTER TABLE counts ADD COLUMN tokens INTEGER")
            self._db.execute("ALTER TABLE documents ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}'")
        if version <= 2:
            self._add_column("settings", "vocabulary_metadata", "TEXT NOT NULL DEFAULT '{}'")
        if version <= 3:  # schema 3 had no date_from column (its metadata JSON may have one)
            self._add_column("documents", "date_from", "TEXT NOT NULL DEFAULT ''")
        self._db.execute("UPDATE info SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    def _add_column(self, table: str, column: str, declaration: str) -> None:
        """Add a column a newer schema has, unless the file has it already (schemas 3 and 4 were
        made side by side: a file of either has one of their two columns)."""
        if column not in {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}:
            self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    # Writing ------------------------------------------------------------------------------

    def register(self, settings: Settings) -> None:
        """Record ``settings`` as the latest used (``db export`` exports the latest by default)."""
        with self._transaction():
            (latest,) = self._db.execute("SELECT COALESCE(MAX(last_used), 0) FROM settings").fetchone()
            self._db.execute(
                "INSERT INTO settings (id, vocabulary_name, terms, unit, window, segmenter, last_used, vocabulary_metadata) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_used = excluded.last_used, "
                "vocabulary_metadata = excluded.vocabulary_metadata",
                (settings.id, settings.vocabulary.name, json.dumps(_terms_json(settings.vocabulary), ensure_ascii=False),
                 settings.unit, settings.window, settings.segmenter, latest + 1,
                 json.dumps(settings.vocabulary.metadata, ensure_ascii=False, sort_keys=True)),
            )

    def save(self, settings_id: str, batch: Sequence[Stored], *, with_pairs: bool) -> None:
        """One transaction: the new counts and every document's row."""
        if not batch:
            return
        with self._transaction():
            # Merged, not replaced: a run that counted only frequencies (pairs NULL) must not erase
            # the pairs or tokens another run, started at the same time, stored for this content.
            self._db.executemany(
                "INSERT INTO counts (content_hash, settings_id, chars, terms, shadowed, pairs, tokens) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash, settings_id) DO UPDATE SET "
                "chars = excluded.chars, terms = excluded.terms, shadowed = excluded.shadowed, "
                "pairs = COALESCE(excluded.pairs, counts.pairs), tokens = COALESCE(excluded.tokens, counts.tokens)",
                [
                    (item.content_hash, settings_id, item.counts.chars, _counter_json(item.counts.term_counts),
                     _counter_json(item.counts.shadowed_counts), _units_json(item.counts) if with_pairs else None,
                     item.counts.tokens)
                    for item in batch
                    if item.new
                ],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO documents (settings_id, doc_id, content_hash, title, date, source, metadata, date_from) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (settings_id, item.counts.doc_id, item.content_hash, item.counts.title, item.counts.date,
                     item.counts.source, json.dumps(item.counts.metadata, ensure_ascii=False, sort_keys=True),
                     item.counts.metadata.get("date_from", ""))
                    for item in batch
                ],
            )

    def _transaction(self):
        return _Transaction(self._db, self.path)

    # Reading ------------------------------------------------------------------------------

    def lookup(
        self, settings_id: str, digest: str, *, with_pairs: bool, with_tokens: bool = False
    ) -> DocumentCounts | None:
        """The stored counts of a content (with an empty doc_id and metadata: those are the
        caller's), or None when there are none with everything asked for."""
        row = self._db.execute(
            "SELECT chars, terms, shadowed, pairs, tokens FROM counts WHERE content_hash = ? AND settings_id = ?",
            (digest, settings_id),
        ).fetchone()
        if row is None or (with_pairs and row[3] is None) or (with_tokens and row[4] is None):
            return None
        return _counts("", {}, *row)

    def settings(self) -> list[tuple]:
        """(id, vocabulary name, unit, window, segmenter, documents, last used, the vocabulary's
        version, reference and sha256), latest first."""
        rows = self._db.execute(
            "SELECT s.id, s.vocabulary_name, s.unit, s.window, s.segmenter, "
            "(SELECT COUNT(*) FROM documents d WHERE d.settings_id = s.id), s.last_used, s.vocabulary_metadata "
            "FROM settings s ORDER BY s.last_used DESC"
        ).fetchall()
        return [(*row[:-1], *(json.loads(row[-1]).get(key, "") for key in ("version", "reference", "sha256")))
                for row in rows]

    def load(self, settings_id: str | None = None) -> tuple[Vocabulary, str, list[DocumentCounts], int]:
        """The stored results of one settings (default: the latest used): the vocabulary, the
        unit, the documents' counts ordered by doc_id, and how many lack co-occurrence counts."""
        query = "SELECT id, vocabulary_name, terms, unit, vocabulary_metadata FROM settings "
        row = self._db.execute(
            query + ("WHERE id = ?" if settings_id else "ORDER BY last_used DESC LIMIT 1"),
            (settings_id,) if settings_id else (),
        ).fetchone()
        if row is None:
            raise StoreError(
                f"{self.path}: no results stored" + (f" for settings {settings_id}" if settings_id else "")
            )
        found_id, name, terms, unit, metadata = row
        about = json.loads(metadata)
        vocabulary = Vocabulary(
            tuple(Term(term, category if isinstance(category, str) else tuple(category), tuple(aliases))
                  for term, category, aliases in json.loads(terms)),
            name, about.get("source", ""), about.get("sha256", ""), description=about.get("description", ""),
            reference=about.get("reference", ""), version=about.get("version", ""),
        )
        results: list[DocumentCounts] = []
        without_pairs = 0
        for doc_id, metadata, chars, term_json, shadowed_json, pairs_json, tokens in self._db.execute(
            "SELECT d.doc_id, d.metadata, c.chars, c.terms, c.shadowed, c.pairs, c.tokens "
            "FROM documents d JOIN counts c ON c.content_hash = d.content_hash AND c.settings_id = d.settings_id "
            "WHERE d.settings_id = ? ORDER BY d.doc_id",
            (found_id,),
        ):
            without_pairs += pairs_json is None
            results.append(_counts(doc_id, json.loads(metadata), chars, term_json, shadowed_json, pairs_json, tokens))
        return vocabulary, unit, results, without_pairs


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, ROLLBACK on any exception (the connection is in autocommit mode).
    SQLite's own failure (a full disk, an I/O error) is a ``StoreError``: one line naming the store."""

    def __init__(self, db: sqlite3.Connection, path: str = "") -> None:
        self._db = db
        self._path = path

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:
        import sqlite3

        if kind is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.DatabaseError as exc:
                kind, value = type(exc), exc
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.DatabaseError:
            pass  # SQLite rolled it back itself
        if issubclass(kind, sqlite3.DatabaseError):
            raise StoreError(f"{self._path}: cannot write to the results database ({value}); nothing of this "
                             "batch was stored: free some space, or use another --db") from None


def _terms_json(vocabulary: Vocabulary) -> list:
    # One category as a string, as before several were allowed: the settings ids stay the same.
    return [[term.name, term.category if len(term.categories) < 2 else list(term.categories), list(term.aliases)]
            for term in vocabulary.terms]


def _counter_json(counts: Counter) -> str:
    return json.dumps(sorted(counts.items()))


def _units_json(counts: DocumentCounts) -> str:
    return json.dumps({
        "units": counts.units,
        "terms": sorted(counts.term_units.items()),
        "pairs": [[a, b, n] for (a, b), n in sorted(counts.pair_counts.items())],
    })


def _counter(text: str) -> Counter:
    return Counter(dict((index, count) for index, count in json.loads(text)))


def _counts(
    doc_id: str, metadata: dict, chars: int, terms: str, shadowed: str, units: str | None, tokens: int | None
) -> DocumentCounts:
    stored = json.loads(units) if units else {"units": 0, "terms": [], "pairs": []}
    return DocumentCounts(
        doc_id, metadata, chars, _counter(terms), _counter(shadowed),
        pair_counts=Counter({(a, b): n for a, b, n in stored["pairs"]}), units=stored["units"],
        term_units=Counter(dict(stored["terms"])), tokens=tokens,
    )
