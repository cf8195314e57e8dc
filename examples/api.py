"""Use policyterms from Python: count the seeds, then answer two questions with pandas.

    python examples/api.py [PATH ...]        # default: the seeds/ folder next to this script
"""

import sys
from pathlib import Path

import policyterms

paths = sys.argv[1:] or [Path(__file__).resolve().parent.parent / "seeds"]
result = policyterms.count(paths, unit="sentence")  # the default vocabulary
for error in result.errors:
    print(f"skipped {error}", file=sys.stderr)

# Which of the 十五五 future-industry directions does each file name, and how often? (A page of
# several articles is counted per article, doc_id FILE#N: summed here per file.)
directions = ["量子科技", "生物制造", "氢能", "核聚变能", "脑机接口", "具身智能", "第六代移动通信"]
freq = result.frequencies
freq = freq.assign(file=[Path(doc_id.split("#")[0]).name for doc_id in freq.doc_id])
table = (
    freq[freq.term.isin(directions)]
    .pivot_table(index="file", columns="term", values="count", aggfunc="sum", fill_value=0)
    .reindex(columns=directions, fill_value=0)
)
table.index.name = None
print(table.to_string())

# Which terms appear most often in the same sentence as 人工智能?
pairs = result.cooccurrence_totals
with_ai = pairs[(pairs.term_a == "人工智能") | (pairs.term_b == "人工智能")]
print()
print(with_ai.sort_values(["count", "term_a", "term_b"], ascending=[False, True, True]).head(5).to_string(index=False))
