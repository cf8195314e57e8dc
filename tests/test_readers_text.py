"""readers/text.py and readers/document.py: one file, one document; front matter as metadata."""

import os

import pytest

from conftest import SEEDS

from policyterms import InputError
from policyterms.readers import first_line, read_document, split_front_matter


def test_seed_003_front_matter_is_metadata_not_text():
    document = read_document(str(SEEDS / "003_9bdf75eb7510f3fc.txt"))
    assert document.metadata["title"] == "求是网：前瞻布局和发展未来产业"
    assert document.metadata["date"] == "2026-02-11"
    assert document.metadata["source"] == "NewsNow 微博"
    assert "score: 100.0" not in document.text
    assert document.text.startswith("\n# 求是网：前瞻布局和发展未来产业")


def test_title_falls_back_to_the_first_line():
    document = read_document(str(SEEDS / "000_f7f3963a21b11a20.txt"))
    # no front matter: the title is the first line; date and source come from the byline
    # "(刊载于2026年第11期《求是》杂志)" (tests/test_readers_metadata.py)
    assert document.metadata == {"title": "前瞻布局和发展未来产业", "title_from": "text", "source": "求是", "date": "2026-06-01",
                                 "date_from": "byline"}
    assert document.title == "前瞻布局和发展未来产业"
    assert first_line("\n\n## 标题 \n正文") == "标题"


def test_not_front_matter_stays_text():
    assert split_front_matter("---\n不是: [元数据\n---\n正文") == ({}, "---\n不是: [元数据\n---\n正文")
    assert split_front_matter("--- 分隔线\n正文") == ({}, "--- 分隔线\n正文")


def test_front_matter_only_is_empty(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: 空\n---\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text after the front matter"):
        read_document(str(path))


def test_unreadable_file(tmp_path, monkeypatch):
    # CI runs as root, which reads any file whatever its mode: simulate the refusal instead.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "a.txt"
    path.write_text("文", encoding="utf-8")
    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(InputError, match="a.txt: permission denied"):
        read_document(str(path))


def test_fifo_without_a_writer_is_not_waited_on(tmp_path):
    # A named pipe is read (as in `policyterms count <(…)`), but one nobody writes to must not hang.
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="pipe.txt: empty named pipe"):
        read_document(str(fifo))


def test_input_errors_survive_the_trip_from_a_worker_process():
    import pickle

    error = pickle.loads(pickle.dumps(InputError("a.txt", "empty file")))
    assert (error.source, error.cause, str(error)) == ("a.txt", "empty file", "a.txt: empty file")
