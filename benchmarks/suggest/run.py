"""Does `vocab suggest` find the terms a curator lacks? Measured on real 2026 provincial work reports.

The reports are the `work_report` texts of benchmarks/documents (manifest/reports_laws.jsonl, ids
rl-wr-2026-*, copied into benchmarks/documents/texts/ by benchmarks/documents/fill.py). Twelve
terms of the default vocabulary are held out together, as a curator who lacks them, and the
suggestions are read:

- recall: how many held-out terms come back in the top 50, and with their own category;
- precision at 50: the share of the top 50 that labels.tsv (beside this file, written by
  reading each candidate) calls a plausible term for a future-industries vocabulary.

The reports are split as the documents benchmark splits them (a fifth set aside, chosen from the
id): the score was tuned on the other four fifths ("tune"); "aside" was not looked at while tuning.

    python benchmarks/suggest/run.py [--show 50]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "documents"))
from manifest import load_manifest  # noqa: E402

from policyterms import load_vocabulary  # noqa: E402
from policyterms.discover import suggest  # noqa: E402

HELD_OUT = ("低空经济", "商业航天", "具身智能", "脑机接口", "新型储能", "生物制造", "量子科技", "氢能", "大模型",
            "工业互联网", "生物育种", "集成电路")
TOP = 50
LABELS = HERE / "labels.tsv"  # candidate <TAB> yes|no <TAB> why


def reports() -> dict[str, list[str]]:
    entries = [e for e in load_manifest() if e.id.startswith("rl-wr-2026-")]  # the 31 provincial reports of 2026
    missing = [e.id for e in entries if not e.text_path.exists()]
    if missing:
        sys.exit(f"benchmarks/suggest: {len(missing)} reports missing ({missing[0]} …): run benchmarks/documents/fill.py")
    return {part: [str(e.text_path) for e in entries if e.set_aside == (part == "aside")] for part in ("tune", "aside")}


def read_labels() -> dict[str, bool]:
    if not LABELS.exists():
        return {}
    with open(LABELS, encoding="utf-8") as handle:
        return {row[0]: row[1] == "yes" for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")}


def without(vocabulary, names):
    return dataclasses.replace(vocabulary, terms=tuple(t for t in vocabulary.terms if t.name not in names))


def found(frame, term: str) -> tuple[int | None, str]:
    """The term's rank and the category named for it (None, "" when it is not a candidate)."""
    matches = frame.index[frame.candidate == term]
    return (int(matches[0]) + 1, str(frame.category[matches[0]])) if len(matches) else (None, "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=0, help="print the top N of each part, with labels")
    parser.add_argument("--together-only", action="store_true", help="skip the one-at-a-time runs (12 more per part)")
    args = parser.parse_args()
    vocabulary = load_vocabulary(ROOT / "vocab" / "future-industries.yaml")
    own = {term.name: term.category for term in vocabulary.terms if term.name in HELD_OUT}
    labels = read_labels()
    print(f"{len(HELD_OUT)} terms held out of {len(vocabulary)}: {'、'.join(HELD_OUT)}")
    for part, paths in reports().items():
        frame = suggest(paths, vocab=without(vocabulary, HELD_OUT), top=None, jobs=None).candidates
        places = {term: found(frame, term) for term in HELD_OUT}
        back = [term for term, (rank, _) in places.items() if rank is not None and rank <= TOP]
        right = [term for term in back if places[term][1] == own[term]]
        top = list(frame.candidate[:TOP])
        labelled = [candidate for candidate in top if candidate in labels]
        good = sum(labels[candidate] for candidate in labelled)
        print(f"\n{part}: {len(paths)} reports, {len(frame):,} candidates")
        print(f"  all {len(HELD_OUT)} held out together: {len(back)} back in the top {TOP}, {len(right)} of them with their own category")
        alone: dict[str, tuple[int | None, str]] = {}
        if not args.together_only:
            for term in HELD_OUT:
                alone[term] = found(suggest(paths, vocab=without(vocabulary, {term}), top=None, jobs=None).candidates, term)
            back_alone = [term for term, (rank, _) in alone.items() if rank is not None and rank <= TOP]
            right_alone = [term for term in back_alone if alone[term][1] == own[term]]
            print(f"  each held out alone: {len(back_alone)} back in the top {TOP}, {len(right_alone)} of them with their own category")
        for term in HELD_OUT:
            rank, category = places[term]
            line = f"    {term} ({own[term]}): together rank {rank or '-'}, {category or '-'}"
            if alone:
                line += f"; alone rank {alone[term][0] or '-'}, {alone[term][1] or '-'}"
            print(line)
        print(f"  precision at {TOP} (held out together): {good} of {len(labelled)} labelled plausible"
              + (f" ({len(top) - len(labelled)} not labelled)" if len(labelled) < len(top) else ""))
        for index, candidate in enumerate(top[: args.show]):
            row = frame.iloc[index]
            mark = {True: "yes", False: "no"}.get(labels.get(candidate), "?")
            print(f"    {index + 1:>2} {mark:<3} {candidate}  [{row.category}; {row['count']}×, lists {row.lists}: {row.siblings}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
