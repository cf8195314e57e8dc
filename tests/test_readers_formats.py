"""readers/formats.py: .docx, .pdf, .html, .md and sniffed suffixes — the text each gives and
the counts policyterms.count makes of it (default vocabulary)."""

from pathlib import Path

import docx
import pytest

import policyterms
from policyterms import InputError
from policyterms.readers import DEFAULT_GLOBS, iter_sources, read_document
from policyterms.readers.formats import join_lines, strip_markdown

FIXTURES = Path(__file__).parent / "fixtures"


def counts(path) -> dict[str, int]:
    """term → count for the one document at ``path``."""
    result = policyterms.count([str(path)])
    assert not result.errors, result.errors
    frame = result.frequencies
    return dict(zip(frame["term"], frame["count"]))


# Word -----------------------------------------------------------------------------------------


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "关于未来产业的意见"
    document.add_heading("一、总体要求", level=1)
    document.add_paragraph("推动量子科技、脑机接口加快发展。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "方向", "重点"
    table.cell(1, 0).text, table.cell(1, 1).text = "未来信息", "第六代移动通信和6G"
    document.add_paragraph("培育具身智能，发展未来产业。")
    document.save(path)


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    path = tmp_path / "意见.docx"
    write_docx(path)
    document = read_document(str(path))
    assert document.text == (
        "一、总体要求\n推动量子科技、脑机接口加快发展。\n方向 | 重点\n未来信息 | 第六代移动通信和6G\n\n"
        "培育具身智能，发展未来产业。"
    )
    assert document.metadata["title"] == "关于未来产业的意见"
    # 6G is 第六代移动通信's alias: two hits of one term; 未来信息 is in the table only
    assert counts(path) == {
        "未来产业": 1, "具身智能": 1, "量子科技": 1, "第六代移动通信": 2, "未来信息": 1, "脑机接口": 1,
    }


def test_table_cells_do_not_join_into_a_term(tmp_path):
    # "量子" | "科技" in two cells: whitespace between Han characters is removed before matching,
    # so the cells are separated by " | ", not by a tab.
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "量子", "科技"
    document.save(tmp_path / "t.docx")
    assert read_document(str(tmp_path / "t.docx")).text == "量子 | 科技\n"
    assert counts(tmp_path / "t.docx").get("量子科技", 0) == 0


def test_broken_docx_is_an_input_error_and_the_batch_goes_on(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip file")
    (tmp_path / "ok.txt").write_text("发展量子科技。", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.docx: not a readable Word \.docx file"):
        read_document(str(tmp_path / "broken.docx"))
    result = policyterms.count([str(tmp_path)])
    assert [str(error.source) for error in result.errors] == [str(tmp_path / "broken.docx")]
    assert list(result.frequencies["doc_id"]) == [str(tmp_path / "ok.txt")]


def test_password_protected_office_file_is_named_not_read(tmp_path):
    # Word saves a document with a password as an OLE compound file, whatever its suffix.
    (tmp_path / "secret.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError, match=r"secret\.docx: an old-style Office \(\.doc/\.xls\) or password-protected file"):
        read_document(str(tmp_path / "secret.docx"))
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError, match=r"old\.doc: an old-style Office"):
        read_document(str(tmp_path / "old.doc"))


# PDF ------------------------------------------------------------------------------------------


def test_pdf_lines_rejoined_across_line_and_page_breaks():
    # tests/fixtures/make_pdf.py: 生|物制造 broken at a line end, 第六代移|动通信 at a page break,
    # page numbers "—　1　—" at the foot of each page; the heading is a short line.
    document = read_document(str(FIXTURES / "cjk.pdf"))
    assert document.text == (
        "关于未来产业\n"
        "十五五规划建议提出，前瞻布局量子科技、生物制造、脑机接口、具身智能等未来产业。\n"
        "第二段：发展氢能和核聚变能，培育第六代移动通信和6G网络。"
    )
    assert counts(FIXTURES / "cjk.pdf") == {
        "未来产业": 2, "十五五": 1, "生物制造": 1, "具身智能": 1, "量子科技": 1, "第六代移动通信": 2,
        "氢能": 1, "核聚变能": 1, "脑机接口": 1,
    }


def test_join_lines_rules():
    full = "x" * 30
    # a Latin word hyphenated at a line end is made whole; other Latin lines join with a space
    assert join_lines([f"{full} quantum tech-", "nology and brain-computer", "interfaces."]) == (
        f"{full} quantum technology and brain-computer interfaces."
    )
    # Han lines join without a space; a line ending a sentence or much shorter keeps its break
    lines = ["推动量子科技和脑机接口加快发展，培育具身", "智能和生物制造等未来产业，推动新质生产", "力发展。", "二、重点任务",
             "发展氢能和核聚变能，培育第六代移动通信等", "新的经济增长点。"]
    assert join_lines(lines) == (
        "推动量子科技和脑机接口加快发展，培育具身智能和生物制造等未来产业，推动新质生产力发展。\n二、重点任务\n"
        "发展氢能和核聚变能，培育第六代移动通信等新的经济增长点。"
    )
    # the short line after a joined paragraph still ends it; one very long line (a URL) does not
    # make every other line "short"
    lines = ["推动量子科技和脑机接口加快发展，培育具身", "智能和生物制造等未来产业，推动新质生产", "力发展", "二、重点任务",
             "https://www.gov.cn/zhengce/content/2026-02/10/content_1234567890123456789.htm"]
    assert join_lines(lines) == (
        "推动量子科技和脑机接口加快发展，培育具身智能和生物制造等未来产业，推动新质生产力发展\n二、重点任务\n" + lines[-1]
    )


def test_broken_and_encrypted_pdfs_are_input_errors(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage without objects")
    with pytest.raises(InputError, match=r"broken\.pdf: "):
        read_document(str(tmp_path / "broken.pdf"))

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "cjk.pdf"))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with open(tmp_path / "locked.pdf", "wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError, match=r"locked\.pdf: encrypted PDF \(needs a password\)"):
        read_document(str(tmp_path / "locked.pdf"))


def test_pdf_with_an_owner_password_only_is_read(tmp_path):
    # Many official PDFs are AES-encrypted with an empty user password (printing or copying
    # restricted): they open without a password, and so they are read.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "cjk.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    with open(tmp_path / "restricted.pdf", "wb") as handle:
        writer.write(handle)
    assert read_document(str(tmp_path / "restricted.pdf")).text.startswith("关于未来产业\n十五五规划建议提出")


def test_pdf_without_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with open(tmp_path / "scan.pdf", "wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError, match=r"scan\.pdf: PDF has no text layer"):
        read_document(str(tmp_path / "scan.pdf"))


# HTML -----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>前瞻布局未来产业_新闻中心</title>
<meta property="article:published_time" content="2026-02-10T14:04:00+08:00"></head><body>
<nav><ul><li><a href="/">首页</a></li><li><a href="/ai">人工智能</a></li><li><a href="/q">量子计算</a></li></ul></nav>
<article><h1>前瞻布局未来产业</h1>
<p>近日，中共中央政治局就前瞻布局和发展未来产业进行集体学习。会议强调，要推动量子科技、生物制造、脑机接口等新兴领域加快发展，培育新质生产力。</p>
<p>专家表示，氢能和核聚变能、具身智能、第六代移动通信是未来竞争的制高点，各地应因地制宜、错位发展，避免一哄而上。</p>
</article>
<aside><h3>相关阅读</h3><ul><li><a href="/1">元宇宙产业观察</a></li><li><a href="/2">卫星互联网新进展</a></li></ul></aside>
<footer><p>版权所有 © 2026 新闻中心 京ICP备12345678号</p></footer>
</body></html>
"""


def test_html_article_text_not_menus_with_title_and_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    document = read_document(str(path))
    assert document.text.splitlines()[0] == "前瞻布局未来产业"
    assert "首页" not in document.text and "相关阅读" not in document.text and "ICP" not in document.text
    assert document.metadata["title"] == "前瞻布局未来产业"
    assert document.metadata["date"] == "2026-02-10"
    # The menu's 人工智能 and 量子计算, the sidebar's 元宇宙 and 卫星互联网: none counted.
    assert counts(path) == {
        "未来产业": 2, "新质生产力": 1, "生物制造": 1, "具身智能": 1, "量子科技": 1, "第六代移动通信": 1,
        "氢能": 1, "核聚变能": 1, "脑机接口": 1,
    }


def test_html_in_gb18030_and_under_another_suffix(tmp_path):
    (tmp_path / "page.htm").write_bytes(PAGE.replace("utf-8", "gb2312").encode("gb18030"))
    assert read_document(str(tmp_path / "page.htm")).metadata["title"] == "前瞻布局未来产业"
    (tmp_path / "saved_page").write_text(PAGE, encoding="utf-8")  # no suffix: sniffed as HTML
    assert "首页" not in read_document(str(tmp_path / "saved_page")).text


def test_html_without_article_text(tmp_path):
    (tmp_path / "empty.html").write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.html: no article text found"):
        read_document(str(tmp_path / "empty.html"))


# Markdown and text ----------------------------------------------------------------------------


def test_markdown_markup_links_and_images_stripped(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: 笔记\n---\n# 未来产业\n\n![Image 1: 图](https://x.cn/a.png)发展**量子科技**和"
        "[脑机接口](https://x.cn/bci)。\n\n> 引用：`具身智能`\n- 列表：[![logo](a.png)](https://x.cn)6G\n",
        encoding="utf-8",
    )
    document = read_document(str(path))
    assert document.text == "未来产业\n\n发展量子科技和脑机接口。\n\n引用：具身智能\n列表：6G\n"
    assert document.metadata["title"] == "笔记"
    assert counts(path) == {"未来产业": 1, "具身智能": 1, "量子科技": 1, "第六代移动通信": 1, "脑机接口": 1}


def test_strip_markdown_keeps_lines_where_they_are():
    text = "标题\n====\n\n[ref]: https://x.cn\n正文 [链接][ref] 和 <b>粗体</b>\n"
    assert strip_markdown(text) == "标题\n\n\n\n正文 链接 和 粗体\n"


def test_unknown_suffix_sniffed_as_text_else_skipped_with_a_reason(tmp_path):
    (tmp_path / "notes.log").write_text("发展量子科技。", encoding="utf-8")
    assert read_document(str(tmp_path / "notes.log")).text == "发展量子科技。"
    (tmp_path / "image.bin").write_bytes(bytes(range(1, 32)) * 40)
    with pytest.raises(InputError, match=r"image\.bin: binary file"):
        read_document(str(tmp_path / "image.bin"))
    (tmp_path / "nul.dat").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match=r"nul\.dat: binary file"):
        read_document(str(tmp_path / "nul.dat"))
    # a PDF under another name is read as a PDF
    (tmp_path / "report.bin").write_bytes((FIXTURES / "cjk.pdf").read_bytes())
    assert read_document(str(tmp_path / "report.bin")).text.startswith("关于未来产业\n")


def test_directories_are_walked_for_the_new_suffixes(tmp_path):
    assert {"*.docx", "*.pdf", "*.html", "*.htm"} <= set(DEFAULT_GLOBS)
    write_docx(tmp_path / "a.docx")
    (tmp_path / "b.pdf").write_bytes((FIXTURES / "cjk.pdf").read_bytes())
    (tmp_path / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert [source.path for source in iter_sources([str(tmp_path)])] == [
        str(tmp_path / name) for name in ("a.docx", "b.pdf", "c.html")
    ]


def test_cli_names_the_broken_file_in_one_line_and_counts_the_rest(tmp_path):
    from typer.testing import CliRunner

    from policyterms.cli import app

    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage without objects")
    (tmp_path / "ok.pdf").write_bytes((FIXTURES / "cjk.pdf").read_bytes())
    result = CliRunner().invoke(app, ["count", str(tmp_path), "--format", "csv", "--quiet"])
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith(f"policyterms: error: {tmp_path / 'broken.pdf'}: not a readable PDF (")
    assert f"{tmp_path / 'ok.pdf'},脑机接口,未来健康,1," in result.stdout


def test_markdown_bylines_are_read_from_the_text_not_the_markup(tmp_path):
    (tmp_path / "news.md").write_text("# 标题\n\n来源：[新华网](https://www.news.cn/a.html)\n\n发展量子科技。\n", encoding="utf-8")
    assert read_document(str(tmp_path / "news.md")).metadata == {"title": "标题", "title_from": "text", "source": "新华网"}
    (tmp_path / "image.md").write_text("![Image 1](https://x.cn/a.png)\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"image\.md: no text, only markup"):
        read_document(str(tmp_path / "image.md"))


def test_markdown_patterns_are_compiled_on_first_use_and_then_are_the_compiled_ones():
    import re

    from policyterms.patterns import LazyPattern

    heading = LazyPattern(r"^\s{0,3}#{1,6}\s+")
    assert "search" not in vars(heading)  # nothing compiled yet
    assert heading.sub("", "## 未来产业") == "未来产业"
    compiled = re.compile(r"^\s{0,3}#{1,6}\s+")
    assert heading.match == compiled.match and heading.pattern == compiled.pattern  # re caches: the same object
    assert LazyPattern("a", re.IGNORECASE).fullmatch("A")
