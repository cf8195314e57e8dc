from pathlib import Path

import pytest

from policyterms import Term, Vocabulary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_text(name: str) -> str:
    """A seed document's text, read as the tool reads it (UTF-8)."""
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture
def small_vocab() -> Vocabulary:
    """A vocabulary with the overlaps the counting rules are about."""
    return Vocabulary.from_terms([
        Term("量子科技", "未来信息"),
        Term("氢能", "未来能源"),
        Term("核聚变能", "未来能源"),
        Term("核聚变", "未来能源"),
        Term("第六代移动通信", "未来信息", ("6G",)),
        Term("5G", "通信"),
        Term("十五五", "规划"),
        Term("未来产业", "政策"),
        Term("人工智能", "数字技术", ("AI",)),
    ])
