"""The indices policy-text studies compute from the counts: attention, first seen, change, EPU share.

Each is a pure function from the per-document counts (``stats.DocumentCounts``: ``count()``'s
``result.counts``) or from another index's table to a DataFrame; ``compute`` counts the documents
and builds one. Formulas (README, "Indices"):

- **attention** of a document or a group of documents: hits of the vocabulary's terms (or of the
  terms of some categories) per 10,000 word tokens and per 10,000 characters. A group's
  attention pools its documents: Σ hits / Σ tokens, not the mean of the documents' rates, so a
  long report weighs as much as its words.
- **first seen**: per term, the earliest date of a document holding it, and that document
  (the first in input order among those of that date).
- **change**: a group's attention in a period minus its attention in the period before (the
  calendar year or month before, not the previous row: a missing year leaves the change empty),
  and that difference as a percentage of the earlier value.
- **epu** (Baker, Bloom & Davis 2016): the share of documents (or sentences) of each period that
  hold at least one term of every one of the named categories, and that share scaled to a mean
  of 100 over the periods of its series.

Groups are given as fields, as ``--group-by`` takes them: ``year`` or ``month`` (of the ISO date),
or any metadata field (source, a front matter key, a table column); several fields
(``region,year``) make one group per combination. The last field is the period of change and
epu; the fields before it name a series (one line of the plot).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from . import stats
from .batch import InputOptions, Progress
from .errors import InputError, InputWarning, PolicytermsError
from .stats import DocumentCounts
from .vocab import Term, Vocabulary

IndexName = Literal["attention", "first-seen", "change", "epu"]
INDICES: tuple[str, ...] = get_args(IndexName)
ShareUnit = Literal["document", "sentence"]
SHARE_UNITS: tuple[str, ...] = get_args(ShareUnit)
Measure = Literal["per_10k_tokens", "per_10k_chars"]
ATTENTION_MEASURES: tuple[str, ...] = get_args(Measure)
ATTENTION_COLUMNS = ["documents", "hits", "tokens", "chars", "per_10k_tokens", "per_10k_chars"]
FIRST_SEEN_COLUMNS = ["term", "category", "first_date", "doc_id", "count", "documents"]
CHANGE_COLUMNS = ["measure", "attention", "previous", "change", "change_pct"]
EPU_COLUMNS = ["units", "matching", "share", "scaled"]
DECIMALS = 3
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


# Groups and categories ---------------------------------------------------------------------


def group_fields(group_by: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"region,year"`` → ("region", "year"); None → ()."""
    if group_by is None:
        return ()
    names = group_by.split(",") if isinstance(group_by, str) else list(group_by)
    fields = tuple(name.strip() for name in names if name.strip())
    if len(set(fields)) != len(fields):
        raise PolicytermsError(f"--group-by names a field twice: {','.join(fields)}")
    return fields


def check_fields(results: Sequence[DocumentCounts], fields: Sequence[str]) -> None:
    """A field that no document has (``-G yaer``) is a usage error naming the fields there are,
    as ``count --group-by`` says it: else it would be one group "" holding every document."""
    if not results:
        return
    present = {name for result in results for name in result.metadata}
    unknown = [name for name in fields if name not in stats.PERIODS and name not in present]
    if unknown:
        raise stats.unknown_field(unknown[0], present)


def group_key(result: DocumentCounts, fields: Sequence[str]) -> tuple[str, ...]:
    """The document's value of each field ("" where it has none): stats.group_of, per field."""
    return tuple(stats.group_of(result, name) for name in fields)


def _group_order(key: tuple[str, ...]) -> tuple:
    # Ascending, and a document without a value sorts after those with one (as stats.groups_frame).
    return tuple((value == "", value) for value in key)


def _check_columns(fields: Sequence[str], columns: Sequence[str]) -> None:
    clash = sorted(set(fields).intersection(columns))
    if clash:
        raise PolicytermsError(f"--group-by field {clash[0]!r} has the name of a column of the index; rename it")


def term_categories(term: Term) -> tuple[str, ...]:
    """The term's categories: one, or several where the vocabulary gives a list."""
    return term.categories or (term.category,)


def in_category(term: Term, category: str) -> bool:
    """A term is in a category when one of its categories is it, or lies under it as a path
    (未来产业/未来信息 is in 未来产业)."""
    return any(name == category or name.startswith(category + "/") for name in term_categories(term))


def category_terms(vocabulary: Vocabulary, category: str) -> frozenset[int]:
    """The indices of the category's terms; an unknown category is an error naming the known ones."""
    chosen = frozenset(index for index, term in enumerate(vocabulary.terms) if in_category(term, category))
    if not chosen:
        known = ", ".join(dict.fromkeys(c for t in vocabulary.terms for c in term_categories(t)))
        raise PolicytermsError(f"no category '{category}' in the vocabulary (categories: {known})")
    return chosen


def _chosen_terms(vocabulary: Vocabulary, categories: Sequence[str] | None) -> frozenset[int] | None:
    if not categories:
        return None  # every term
    return frozenset().union(*(category_terms(vocabulary, name) for name in categories))


def _hits(result: DocumentCounts, terms: frozenset[int] | None) -> int:
    if terms is None:
        return sum(result.term_counts.values())
    return sum(count for term, count in result.term_counts.items() if term in terms)


# Attention ---------------------------------------------------------------------------------


def _tokens(result: DocumentCounts) -> int:
    if result.tokens is None:
        raise PolicytermsError("attention per token needs the documents' token counts: count them with rates=True")
    return result.tokens


def attention_documents(
    results: Sequence[DocumentCounts],
    vocabulary: Vocabulary,
    *,
    group_by: Sequence[str] = (),
    categories: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per document (input order): doc_id, the group fields, hits, tokens, chars and the
    attention per 10,000 tokens and per 10,000 characters."""
    fields = group_fields(group_by)
    _check_columns(fields, ["doc_id", *ATTENTION_COLUMNS])
    terms = _chosen_terms(vocabulary, categories)
    rows = [(r.doc_id, *group_key(r, fields), _hits(r, terms), _tokens(r), r.chars) for r in results]
    frame = pd.DataFrame.from_records(rows, columns=["doc_id", *fields, "hits", "tokens", "chars"])
    return _with_rates(frame.astype({"hits": "int64", "tokens": "int64", "chars": "int64"}))


def attention_groups(
    results: Sequence[DocumentCounts],
    vocabulary: Vocabulary,
    *,
    group_by: Sequence[str],
    categories: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per group (ascending, groups without a value last): the group fields, documents,
    Σ hits, Σ tokens, Σ chars and the pooled attention per 10,000 tokens and characters."""
    fields = group_fields(group_by)
    if not fields:
        raise PolicytermsError("attention per group needs --group-by (e.g. year, or region,year)")
    _check_columns(fields, ATTENTION_COLUMNS)
    terms = _chosen_terms(vocabulary, categories)
    sums: dict[tuple[str, ...], list[int]] = {}
    for r in results:
        total = sums.setdefault(group_key(r, fields), [0, 0, 0, 0])
        for index, value in enumerate((1, _hits(r, terms), _tokens(r), r.chars)):
            total[index] += value
    rows = [(*key, *sums[key]) for key in sorted(sums, key=_group_order)]
    frame = pd.DataFrame.from_records(rows, columns=[*fields, "documents", "hits", "tokens", "chars"])
    return _with_rates(frame.astype({name: "int64" for name in ("documents", "hits", "tokens", "chars")}))


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """per 10,000 tokens and characters, rounded half up to 3 decimals exactly (stats.rates)."""
    hits = frame["hits"].to_numpy()
    return frame.assign(
        per_10k_tokens=stats.rates(hits, frame["tokens"].to_numpy()),
        per_10k_chars=stats.rates(hits, frame["chars"].to_numpy()),
    )


# First seen --------------------------------------------------------------------------------


def first_seen(results: Sequence[DocumentCounts], vocabulary: Vocabulary) -> pd.DataFrame:
    """One row per term found in a dated document, earliest first (ties: vocabulary order):
    term, category, first_date, doc_id (the first document of that date, in input order), count
    (its hits there) and documents (dated documents holding it). Dates are ISO (2024, 2024-03 or
    2024-03-15) and compared as text, so 2024 comes before 2024-01-15; undated documents are
    left out."""
    first: dict[int, tuple[str, str, int]] = {}
    documents: dict[int, int] = {}
    for r in results:
        if not _ISO_DATE.fullmatch(r.date):
            continue
        for term, hits in r.term_counts.items():
            if not hits:
                continue
            documents[term] = documents.get(term, 0) + 1
            if term not in first or r.date < first[term][0]:  # strict: the first of a date stays
                first[term] = (r.date, r.doc_id, hits)
    order = sorted(first, key=lambda term: (first[term][0], term))
    rows = [
        (vocabulary.terms[t].name, vocabulary.terms[t].category, *first[t], documents[t]) for t in order
    ]
    frame = pd.DataFrame.from_records(rows, columns=FIRST_SEEN_COLUMNS)
    return frame.astype({"count": "int64", "documents": "int64"})


def first_seen_by_period(table: pd.DataFrame, *, period: Literal["year", "month"] = "year") -> pd.DataFrame:
    """From ``first_seen``: per period (from the first to the last), the terms first seen in it
    (new_terms) and those seen by its end (terms_seen). A date less precise than the period (2024
    for months) counts in the period it starts (2024-01)."""
    width = stats.PERIODS[period]
    periods = [(date + "-01")[:width] if len(date) < width else date[:width] for date in table["first_date"]]
    if not periods:
        return pd.DataFrame({"period": pd.Series(dtype="str"), "new_terms": pd.Series(dtype="int64"),
                             "terms_seen": pd.Series(dtype="int64")})
    every = _period_range(min(periods), max(periods))
    new = pd.Series(periods).value_counts().reindex(every, fill_value=0).astype("int64")
    return pd.DataFrame({"period": every, "new_terms": new.to_numpy(), "terms_seen": new.cumsum().to_numpy()})


def _period_range(first: str, last: str) -> list[str]:
    periods = [first]
    while periods[-1] < last:
        periods.append(next_period(periods[-1]))
    return periods


# Change ------------------------------------------------------------------------------------


def previous_period(period: str) -> str:
    """The calendar period before: 2024 → 2023, 2024-01 → 2023-12. Anything else is an error."""
    if _YEAR.fullmatch(period):
        return f"{int(period) - 1:04d}"
    month = _MONTH.fullmatch(period)
    if month:
        year, number = int(month[1]), int(month[2])
        return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"
    raise PolicytermsError(f"change compares a year or a month with the one before, and '{period}' is neither "
                           "(make the last --group-by field year or month)")


def next_period(period: str) -> str:
    if _YEAR.fullmatch(period):
        return f"{int(period) + 1:04d}"
    year, number = int(period[:4]), int(period[5:7])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def change(groups: pd.DataFrame, *, group_by: Sequence[str], measure: Measure = "per_10k_tokens") -> pd.DataFrame:
    """From ``attention_groups`` (grouped by ``group_by``, the period last): per series and
    period, the attention (``measure``), the attention of the calendar period before (empty when
    the series has no documents then), change = attention − previous, and change_pct = 100 ×
    change / previous (empty when previous is empty or 0). Both from the rounded attention
    figures, so they can be checked against the attention table; rounded to 3 decimals.
    Groups without a period are left out."""
    fields = group_fields(group_by)
    if not fields:
        raise PolicytermsError("change needs --group-by ending in year or month (e.g. year, or region,year)")
    if measure not in ATTENTION_MEASURES:
        raise PolicytermsError(f"unknown measure '{measure}' (choose from {', '.join(ATTENTION_MEASURES)})")
    _check_columns(fields, CHANGE_COLUMNS)
    *series, period = fields
    dated = groups[groups[period] != ""]
    value = {tuple(row[:-1]): row[-1] for row in dated[[*fields, measure]].itertuples(index=False)}
    rows = []
    for key, attention in value.items():
        before = value.get((*key[:-1], previous_period(key[-1])))
        difference = None if before is None else round(attention - before, DECIMALS)
        percent = None if before is None or before == 0 else round(100 * (attention - before) / before, DECIMALS)
        rows.append((*key, measure, attention, before, difference, percent))
    frame = pd.DataFrame.from_records([row[:-3] for row in rows], columns=[*fields, *CHANGE_COLUMNS[:-3]])
    for offset, name in enumerate(CHANGE_COLUMNS[-3:]):  # None stays None (an empty cell, null in JSON), not NaN
        frame[name] = pd.Series([row[offset - 3] for row in rows], index=frame.index, dtype="object")
    return frame


# EPU share ---------------------------------------------------------------------------------


def all_of_categories(all_of: str | Sequence[str]) -> tuple[str, ...]:
    """``"经济,政策,不确定"`` → the three names (full-width commas too)."""
    names = re.split(r"[,，、]", all_of) if isinstance(all_of, str) else list(all_of)
    chosen = tuple(name.strip() for name in names if name.strip())
    if not chosen:
        raise PolicytermsError("epu needs --all-of with the categories a unit must all hold, e.g. 经济,政策,不确定")
    return chosen


def epu_share(
    results: Sequence[DocumentCounts],
    vocabulary: Vocabulary,
    *,
    all_of: str | Sequence[str],
    group_by: Sequence[str] = ("year",),
    unit: ShareUnit = "document",
) -> pd.DataFrame:
    """Per group (its last field the period): units (documents, or sentences), matching (those
    that hold a term of every category of ``all_of``), share = matching / units, and scaled =
    100 × share / the mean share of the series' periods (Baker, Bloom & Davis 2016 scale their
    index to a mean of 100; empty when that mean is 0). Groups without a period are left out of
    the mean but listed. Sentences need the hits placed (count(evidence=True)) and the number of
    sentences (count(unit="sentence") with a co-occurrence table)."""
    if unit not in SHARE_UNITS:
        raise PolicytermsError(f"unknown unit '{unit}' for epu (choose from {', '.join(SHARE_UNITS)})")
    fields = group_fields(group_by)
    if not fields:
        raise PolicytermsError("epu needs --group-by with a period (e.g. year, or region,year)")
    _check_columns(fields, EPU_COLUMNS)
    wanted = [category_terms(vocabulary, name) for name in all_of_categories(all_of)]

    def holds_all(terms: set[int]) -> bool:
        return all(not terms.isdisjoint(category) for category in wanted)

    sums: dict[tuple[str, ...], list[int]] = {}
    for r in results:
        total = sums.setdefault(group_key(r, fields), [0, 0])
        if unit == "document":
            total[0] += 1
            total[1] += holds_all({term for term, hits in r.term_counts.items() if hits})
        else:
            if not r.units and r.chars:
                raise PolicytermsError("epu per sentence needs the sentences counted: count(unit='sentence') "
                                       "with a co-occurrence table")
            by_sentence: dict[int, set[int]] = {}
            for hit in r.evidence:
                by_sentence.setdefault(hit.sentence, set()).add(hit.term)
            total[0] += r.units
            total[1] += sum(holds_all(terms) for terms in by_sentence.values())
    keys = sorted(sums, key=_group_order)
    rows = [(*key, units, matching, round(matching / units, stats.SHARE_DECIMALS) if units else 0.0)
            for key, (units, matching) in ((key, sums[key]) for key in keys)]
    frame = pd.DataFrame.from_records(rows, columns=[*fields, "units", "matching", "share"])
    frame = frame.astype({"units": "int64", "matching": "int64", "share": "float64"})
    exact = [sums[key][1] / sums[key][0] if sums[key][0] else 0.0 for key in keys]
    frame["scaled"] = pd.Series(_scaled(keys, exact), index=frame.index, dtype="object")
    return frame


def _scaled(keys: Sequence[tuple[str, ...]], shares: Sequence[float]) -> list[float | None]:
    """100 × share / the mean share of the dated groups of the same series (the key without its
    last field), from the unrounded shares; None for an undated group or a series whose mean is 0."""
    by_series: dict[tuple[str, ...], list[float]] = {}
    for key, share in zip(keys, shares):
        if key[-1] != "":
            by_series.setdefault(key[:-1], []).append(share)
    means = {series: sum(values) / len(values) for series, values in by_series.items()}
    return [
        round(100 * share / means[key[:-1]], DECIMALS) if key[-1] != "" and means[key[:-1]] else None
        for key, share in zip(keys, shares)
    ]


# From documents to an index -----------------------------------------------------------------


@dataclass
class IndexResult:
    """One index's table, and what the run read (for the summary line and the exit status)."""

    name: str
    table: pd.DataFrame
    summary: str
    documents: int
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)


def compute(
    paths: Iterable[str | os.PathLike],
    *,
    index: IndexName,
    vocab: str | Path | Vocabulary | None = None,
    group_by: str | Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    all_of: str | Sequence[str] | None = None,
    unit: ShareUnit = "document",
    measure: Measure = "per_10k_tokens",
    per_document: bool = False,
    inputs: InputOptions = InputOptions(),
    jobs: int | None = 1,
    strict: bool = False,
    progress: Progress | None = None,
) -> IndexResult:
    """Count the documents under ``paths`` and build the index ``index``.

    >>> policyterms.indices.compute(["reports/"], index="attention", group_by="region,year").table  # doctest: +SKIP

    attention: per group of ``group_by`` (per document without it, or with ``per_document``),
    of the terms of ``categories`` (default: every term). first-seen: per term. change: of the
    attention ``measure`` per ``group_by`` (default year). epu: the share of ``unit``\\ s that hold
    a term of every category of ``all_of`` per ``group_by`` (default year)."""
    from .pipeline import count  # pipeline builds on stats, as this module does; imported when counting

    if index not in INDICES:
        raise PolicytermsError(f"unknown index '{index}' (choose from {', '.join(INDICES)})")
    fields = group_fields(group_by) or (("year",) if index in ("change", "epu") else ())
    needed = all_of_categories(all_of or "") if index == "epu" else ()  # before counting: fail fast
    options = dict(inputs=inputs, jobs=jobs, strict=strict, progress=progress, vocab=vocab)
    if index in ("attention", "change"):
        result = count(paths, tables=("documents",), rates=True, **options)
    elif index == "epu" and unit == "sentence":
        result = count(paths, tables=("documents", "cooccurrence"), unit="sentence", evidence=True, **options)
    else:
        result = count(paths, tables=("documents",), **options)
    results, vocabulary = result.counts, result.vocabulary
    check_fields(results, fields)
    if index == "attention":
        table = (attention_documents(results, vocabulary, group_by=fields, categories=categories)
                 if per_document or not fields else attention_groups(results, vocabulary, group_by=fields, categories=categories))
    elif index == "change":
        groups = attention_groups(results, vocabulary, group_by=fields, categories=categories)
        table = change(groups, group_by=fields, measure=measure)
    elif index == "first-seen":
        table = first_seen(results, vocabulary)
    else:
        table = epu_share(results, vocabulary, all_of=needed, group_by=fields, unit=unit)
    return IndexResult(index, table, str(result.summary), result.summary.documents, result.errors, result.warnings)


def series_table(table: pd.DataFrame, *, index: IndexName, group_by: Sequence[str]) -> tuple[pd.DataFrame, str, str]:
    """What ``plot trend --index`` draws: (frame with columns series, period, value; the y label;
    the title). A series is the group fields before the period (one line each)."""
    if index == "first-seen":
        counts = first_seen_by_period(table)
        frame = pd.DataFrame({"series": "", "period": counts["period"], "value": counts["terms_seen"]})
        return frame, "terms seen so far", "Terms first seen"
    fields = group_fields(group_by)
    if not fields:
        raise PolicytermsError(f"a plot of {index} needs --group-by with a period last (year, month, or region,year)")
    *series, period = fields
    value, label, title = {
        "attention": ("per_10k_tokens", "hits per 10,000 tokens", "Attention"),
        "change": ("change", "change of attention", "Change of attention"),
        "epu": ("share", "share of units", "EPU-style share"),
    }[index]
    dated = table[table[period] != ""]
    names = dated[series].astype(str).agg(" × ".join, axis=1) if series else pd.Series("", index=dated.index)
    frame = pd.DataFrame({"series": names.to_numpy(), "period": dated[period].to_numpy(),
                          "value": pd.to_numeric(dated[value], errors="coerce").to_numpy(dtype=np.float64)})
    return frame, label, title
