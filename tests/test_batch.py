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
