"""A table as plain rows: the form every table has on its way from the counts to the output.

A ``Rows`` is column names and a list of tuples of Python values (str, int, float). CSV, TSV,
JSON, JSONL and the terminal are written straight from it (render.py), so a plain run never
imports pandas; ``to_frame()`` builds the pandas DataFrame that the library API returns, when it
is asked for. DataFrames made elsewhere (association measures, the audit) become rows again
with ``Rows.from_frame`` before they are written, so every table goes through one writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# Columns of the counts' tables that hold integers (int64) and floats (float64); the rest are text.
INTEGER_COLUMNS = frozenset({
    "count", "hits", "chars", "documents", "group_documents", "shadowed", "units", "count_a", "count_b",
    "start", "end", "paragraph", "sentence",
})
FLOAT_COLUMNS = frozenset({"per_10k_chars", "per_10k_tokens", "share", "tfidf"})


@dataclass(slots=True)
class Rows:
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def select(self, columns: Sequence[str]) -> Rows:
        """These columns, in this order."""
        indices = [self.columns.index(name) for name in columns]
        if len(indices) == 1:  # itemgetter of one index gives the cell, not a tuple
            return Rows(tuple(columns), [(row[indices[0]],) for row in self.rows])
        return Rows(tuple(columns), list(map(itemgetter(*indices), self.rows)) if indices else [() for _ in self.rows])

    def rename(self, names: dict[str, str]) -> Rows:
        return Rows(tuple(names.get(name, name) for name in self.columns), self.rows)

    def to_frame(self) -> pd.DataFrame:
        """The pandas DataFrame (imported here: only the library API and binary formats need it)."""
        import pandas as pd

        columns = list(zip(*self.rows)) if self.rows else [()] * len(self.columns)
        data = {}
        for name, values in zip(self.columns, columns):
            if name in INTEGER_COLUMNS and all(type(v) is int for v in values):
                data[name] = pd.array(values, dtype="int64")
            elif name in FLOAT_COLUMNS and all(isinstance(v, (int, float)) for v in values):
                data[name] = pd.array(values, dtype="float64")
            elif all(type(v) is str for v in values):
                data[name] = pd.Series(values, dtype="str" if values else "object")
            else:  # mixed or other values (a table made elsewhere): as pandas infers them
                data[name] = pd.Series(values)
        return pd.DataFrame(data, columns=list(self.columns))

    @staticmethod
    def from_frame(frame: pd.DataFrame) -> Rows:
        """A DataFrame's rows as Python values (numpy scalars become int, float, str)."""
        records = frame.to_dict(orient="split", index=False)
        return Rows(tuple(str(name) for name in records["columns"]), [tuple(row) for row in records["data"]])


def concat(parts: Iterable[Rows], columns: Sequence[str]) -> Rows:
    rows: list[tuple] = []
    for part in parts:
        rows.extend(part.rows)
    return Rows(tuple(columns), rows)
