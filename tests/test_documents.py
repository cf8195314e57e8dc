import pytest

from conftest import SEEDS

from policyterms import InputError
from policyterms.documents import decode, first_line, iter_sources, read_document, split_front_matter


def test_directory_is_walked_in_sorted_order_with_paths_as_given(tmp_path, monkeypatch):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.md").write_text("二", encoding="utf-8")
    (tmp_path / "1.txt").write_text("一", encoding="utf-8")
    (tmp_path / "skip.csv").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert list(iter_sources(["."])) == ["./1.txt", "./b/2.md"]
    assert list(iter_sources(["b/", "1.txt", "-"])) == ["b/2.md", "1.txt", "-"]


def test_missing_path_is_an_error_not_an_exception(tmp_path):
    found = list(iter_sources([tmp_path / "nope.txt"]))
    assert isinstance(found[0], InputError) and "no such file or directory" in str(found[0])


def test_seed_003_front_matter_is_metadata_not_text():
    document = read_document(str(SEEDS / "003_9bdf75eb7510f3fc.txt"))
    assert document.metadata["title"] == "求是网：前瞻布局和发展未来产业"
    assert document.metadata["date"] == "2026-02-11"
    assert document.metadata["source"] == "NewsNow 微博"
    assert "score: 100.0" not in document.text
    assert document.text.startswith("\n# 求是网：前瞻布局和发展未来产业")


def test_title_falls_back_to_the_first_line():
    document = read_document(str(SEEDS / "000_f7f3963a21b11a20.txt"))
    assert document.metadata == {}
    assert document.title == "前瞻布局和发展未来产业"
    assert first_line("\n\n## 标题 \n正文") == "标题"


def test_not_front_matter_stays_text():
    assert split_front_matter("---\n不是: [元数据\n---\n正文") == ({}, "---\n不是: [元数据\n---\n正文")
    assert split_front_matter("--- 分隔线\n正文") == ({}, "--- 分隔线\n正文")


@pytest.mark.parametrize(
    "data, cause",
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"\x80\x80 abc", "nor GB18030"),
    ],
)
def test_bad_bytes_raise_input_error_naming_the_file(data, cause):
    with pytest.raises(InputError) as caught:
        decode(data, source="x.txt")
    assert str(caught.value).startswith("x.txt: ") and cause in str(caught.value)


def test_encodings():
    text = "推动量子科技发展"
    assert decode(text.encode("utf-8"), source="a") == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), source="a") == text
    assert decode(text.encode("gb18030"), source="a") == text
    assert decode(text.encode("utf-16"), source="a") == text
    traditional = "推動量子科技發展"
    assert decode(traditional.encode("big5"), source="a", encoding="big5") == traditional
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"x", source="a", encoding="nope")


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


def test_fifo_is_refused_not_waited_on(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="pipe.txt: not a regular file"):
        read_document(str(fifo))
