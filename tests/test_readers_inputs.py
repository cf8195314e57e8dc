"""readers/inputs.py: files, directories with globs, `-` as a list of paths, each file once."""

import io
import os

import pytest

from policyterms import InputError, InputWarning
from policyterms.errors import UsageError
from policyterms.readers import Source, iter_sources


def paths(found):
    return [item.path if isinstance(item, Source) else item for item in found]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.md").write_text("二", encoding="utf-8")
    (tmp_path / "b" / "3.TXT").write_text("三", encoding="utf-8")
    (tmp_path / "1.txt").write_text("一", encoding="utf-8")
    (tmp_path / "rows.csv").write_text("text\n四\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_directory_is_walked_in_sorted_order_with_paths_as_given(tree):
    assert paths(iter_sources(["."])) == ["./1.txt", "./b/2.md", "./b/3.TXT"]
    assert paths(iter_sources(["b/", "1.txt"])) == ["b/2.md", "b/3.TXT", "1.txt"]


def test_a_walk_gives_its_files_in_sorted_order_as_it_goes(tmp_path):
    """Names with characters that sort before "/" (space, "-", ".") beside folders that start the
    same: the walk, one directory at a time, gives the order sorting every path gives."""
    import random

    rng = random.Random(3)
    alphabet = ["a", "b", "a-", "a ", "a.", "-", "0", "中"]
    made = []
    for _ in range(300):
        depth = rng.randint(0, 3)
        folders = ["".join(rng.choices(alphabet, k=rng.randint(1, 3))) for _ in range(depth)]
        name = "".join(rng.choices(alphabet, k=rng.randint(1, 3))) + ".txt"
        folder = tmp_path.joinpath(*folders)
        if any(part.is_file() for part in [folder, *folder.parents]) or folder.joinpath(name).is_dir():
            continue  # a name already taken by the other kind
        folder.mkdir(parents=True, exist_ok=True)
        folder.joinpath(name).write_text("一", encoding="utf-8")
        made.append(str(folder / name))
    walked = paths(iter_sources([str(tmp_path)]))
    assert len(walked) == len(set(made)) > 200
    assert walked == sorted(set(made))
    first = next(iter(iter_sources([str(tmp_path)])))
    assert first.path == min(made)


def test_a_walk_lists_a_directory_only_when_its_files_are_next(tmp_path, monkeypatch):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "1.txt").write_text("一", encoding="utf-8")
    scanned = []
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: scanned.append(os.path.basename(path)) or real_scandir(path))
    sources = iter_sources([str(tmp_path)])
    assert next(sources).path == str(tmp_path / "a" / "1.txt")
    assert scanned == [tmp_path.name, "a"]  # b/ is not listed yet
    assert [s.path for s in sources] == [str(tmp_path / "b" / "1.txt")]


def test_globs_choose_the_files_of_a_directory(tree):
    assert paths(iter_sources(["."], globs=["*.csv"])) == ["./rows.csv"]
    assert paths(iter_sources(["."], globs=["b/*"])) == ["./b/2.md", "./b/3.TXT"]
    assert [s.is_table for s in iter_sources(["."], globs=["*.csv", "1.txt"])] == [False, True]


def test_a_file_named_explicitly_is_read_whatever_its_suffix(tree):
    (tree / "notes.text").write_text("五", encoding="utf-8")
    assert list(iter_sources(["notes.text", "rows.csv"])) == [Source("notes.text"), Source("rows.csv", is_table=True)]


def test_missing_path_and_empty_directory_are_errors_not_exceptions(tmp_path):
    (tmp_path / "empty").mkdir()
    found = list(iter_sources([tmp_path / "nope.txt", tmp_path / "empty"]))
    assert [str(e) for e in found] == [
        f"{tmp_path / 'nope.txt'}: no such file or directory",
        f"{tmp_path / 'empty'}: directory has no files matching "
        "*.txt or *.md or *.docx or *.pdf or *.html or *.htm or *.rss or *.atom or *.parquet or *.jsonl or *.ndjson",
    ]
    assert all(isinstance(e, InputError) for e in found)


def test_dash_reads_a_list_of_paths_from_stdin(tree):
    listing = io.StringIO("1.txt\n\nb\r\nmissing.txt\n")
    found = list(iter_sources(["-"], stdin_stream=listing))
    assert paths(found[:3]) == ["1.txt", "b/2.md", "b/3.TXT"]
    assert isinstance(found[3], InputError) and str(found[3]) == "missing.txt: no such file or directory"


def test_dash_reads_nul_separated_paths(tree):
    (tree / "with\nnewline.txt").write_text("六", encoding="utf-8")
    found = list(iter_sources(["-"], stdin_stream=io.StringIO("1.txt\0with\nnewline.txt\0")))
    assert paths(found) == ["1.txt", "with\nnewline.txt"]


ARTICLE = "大力发展未来产业。\n\n加快量子科技、第六代移动通信等前沿技术研发，培育新质生产力。\n"


def test_text_piped_to_dash_without_stdin_text_is_one_usage_error(tree):
    with pytest.raises(UsageError, match="--stdin text") as caught:
        list(iter_sources(["-"], stdin_stream=io.StringIO(ARTICLE)))
    assert "\n" not in str(caught.value)


def test_a_long_line_that_names_no_file_is_text_too(tree):
    # no punctuation, but 300 bytes with no "/" is too long to be a file name
    with pytest.raises(UsageError):
        list(iter_sources(["-"], stdin_stream=io.StringIO("未来产业" * 25 + "\n")))


def test_paths_with_chinese_punctuation_are_paths_when_one_exists(tree):
    (tree / "通知，全文.txt").write_text("七", encoding="utf-8")
    found = list(iter_sources(["-"], stdin_stream=io.StringIO("通知，全文.txt\n缺失，文件.txt\n")))
    assert paths(found[:1]) == ["通知，全文.txt"]
    assert str(found[1]) == "缺失，文件.txt: no such file or directory"


def test_dash_as_a_document(tree):
    assert list(iter_sources(["-"], stdin="text")) == [Source("-")]


def test_a_file_reached_twice_is_read_once(tree):
    os.symlink(tree / "1.txt", tree / "b" / "link.txt")
    found = list(iter_sources([".", "1.txt", "b"]))
    assert paths(found[:3]) == ["./1.txt", "./b/2.md", "./b/3.TXT"]
    assert found[3] == InputWarning("./b/link.txt", "already read as ./1.txt; counted once")
    assert found[4] == InputWarning("1.txt", "already read as ./1.txt; counted once")
    # b/ again: each of its files is a repeat
    assert [str(w) for w in found[5:]] == [
        "b/2.md: already read as ./b/2.md; counted once",
        "b/3.TXT: already read as ./b/3.TXT; counted once",
        "b/link.txt: skipped: a link to a file outside the folder (--follow-symlinks reads it)",  # b/ walked alone
    ]
    followed = list(iter_sources(["b"], follow_symlinks=True))
    assert paths(followed) == ["b/2.md", "b/3.TXT", "b/link.txt"]


def test_a_symlink_loop_does_not_trap_the_walk(tree):
    os.symlink(tree / "b", tree / "b" / "loop")
    assert paths(iter_sources(["b"])) == ["b/2.md", "b/3.TXT"]


def test_text_piped_to_dash_is_a_usage_error_before_the_first_source(tree):
    with pytest.raises(UsageError, match="--stdin text"):
        next(iter_sources(["b/", "-"], stdin_stream=io.StringIO(ARTICLE)))
