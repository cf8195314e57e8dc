"""batch.each_document: every command's way through its inputs."""

import pytest

from policyterms import Document, InputError
from policyterms.batch import Batch, InputOptions, each_document


class Lengths:
    """An analysis: a document's id and its number of characters; refuses documents saying 拒绝."""

    def __call__(self, document: Document) -> tuple[str, int]:
        if "拒绝" in document.text:
            raise InputError(document.doc_id, "refused by the analysis")
        return document.doc_id, len(document.text)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "a.txt").write_text("量子科技", encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    (tmp_path / "c.txt").write_text("拒绝", encoding="utf-8")
    (tmp_path / "d.csv").write_text("text\n脑机接口与具身智能\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_in_input_order_and_errors_collected(folder, jobs):
    batch = Batch()
    done = []
    results = list(each_document(
        [folder], Lengths, batch=batch, inputs=InputOptions(globs=("*.txt", "*.csv")), jobs=jobs,
        progress=lambda count, total: done.append((count, total)),
    ))
    assert results == [(str(folder / "a.txt"), 4), (f"{folder / 'd.csv'}#1", 9)]
    assert [str(e) for e in batch.errors] == [
        f"{folder / 'b.txt'}: empty file", f"{folder / 'c.txt'}: refused by the analysis",
    ]
    assert done[-1] == (4, None)  # a table input: the number of documents is not known beforehand


def test_strict_raises_the_first_error(folder):
    with pytest.raises(InputError, match="b.txt: empty file"):
        list(each_document([folder], Lengths, batch=Batch(), strict=True))


def test_a_listing_gives_its_total_at_once_when_short_and_once_listed_when_long():
    from policyterms.batch import Listing
    from policyterms.errors import InputWarning
    from policyterms.readers import Source

    pulled = []

    def sources(count):
        for number in range(count):
            pulled.append(number)
            yield InputWarning(f"{number}.txt", "a repeat") if number == 1 else Source(f"{number}.txt")

    short = Listing(sources(4), first=5)
    assert short.total == 3  # the warning is not a document
    assert [s.source if isinstance(s, InputWarning) else s.path for s in short] == ["0.txt", "1.txt", "2.txt", "3.txt"]
    pulled.clear()
    long = Listing(sources(10), first=5)
    assert long.total is None and len(pulled) == 6  # the first sources, and one more to know there are more
    listed = iter(long)
    head = [next(listed) for _ in range(6)]
    assert len(pulled) == 6 and long.total is None  # the rest is listed only when the run gets to it
    rest = list(listed)
    assert long.total == 9 and len(head) + len(rest) == 10
    assert Listing(iter([Source("a.csv", is_table=True), Source("b.txt")]), first=5).total is None


def test_progress_has_the_total_once_the_inputs_are_listed(tmp_path, monkeypatch):
    from policyterms import batch

    for number in range(20):
        (tmp_path / f"{number:02}.txt").write_text("量子科技", encoding="utf-8")
    monkeypatch.setattr(batch, "MAX_PARTITION_DOCUMENTS", 2)  # the first 3 partitions: 6 documents, listed first
    done = []
    results = list(each_document([tmp_path], Lengths, batch=Batch(), jobs=1,
                                 progress=lambda count, total: done.append((count, total))))
    assert [doc_id for doc_id, _ in results] == [str(tmp_path / f"{number:02}.txt") for number in range(20)]
    assert done[:3] == [(2, None), (4, None), (6, None)]
    assert done[3:] == [(count, 20) for count in range(8, 21, 2)]
