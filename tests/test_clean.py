"""clean.py: web-page boilerplate dropped (by default), Traditional → Simplified (--t2s)."""

import pytest
from typer.testing import CliRunner

from conftest import SEEDS, seed_text

import policyterms
from policyterms import InputError
from policyterms.batch import InputOptions
from policyterms.cli import app
from policyterms.clean import cleaner, drop_boilerplate, is_boilerplate, to_simplified
from policyterms.readers import read_document

S003 = SEEDS / "003_9bdf75eb7510f3fc.txt"
KEEP = InputOptions(keep_boilerplate=True)


def frequencies(paths, inputs=InputOptions()) -> dict[tuple[str, str], int]:
    frame = policyterms.count([str(p) for p in paths], inputs=inputs).frequencies
    return {(doc, term): count for doc, term, count in zip(frame["doc_id"], frame["term"], frame["count"])}


# Seed 003: a page of cls.cn scraped as markdown, a menu and a news list around the article ------


def test_seed_003_counts_the_article_and_none_of_the_menu():
    counted = {term: n for (_, term), n in frequencies([S003]).items()}
    # The news list under "要闻 股市" links "[国家发改委等八部门：加快招标投标领域人工智能推广应用](…)":
    # the only 人工智能 outside 生成式人工智能. As navigation it is dropped.
    assert "人工智能" not in counted
    kept = {term: n for (_, term), n in frequencies([S003], KEEP).items()}
    assert kept["人工智能"] == 1
    # Everything else is the article's (read off the text: the menu lines — 关于我们…, 首页 电报 话题…,
    # ### [头条] … [品见], the news list, 图片 and share links — hold no other term):
    assert kept == counted | {"人工智能": 1}
    assert counted["未来产业"] == 36  # 4 title lines (# heading, Title:, the === heading, the page's) + 32 in the article
    assert counted["脑机接口"] == 3  # summary point ①, the list of 前沿赛道, the 十五五 list
    assert counted["生成式人工智能"] == 1 and counted["人形机器人"] == 1
    assert counted["新兴产业"] == 4 and counted["传统产业"] == 3


def test_seed_003_dropped_lines_are_the_page_not_the_article():
    original = read_document(str(S003)).text
    cleaned = drop_boilerplate(original)
    assert cleaned.count("\n") == original.count("\n")  # dropped lines are emptied, not removed
    kept_lines = {line for line in cleaned.split("\n") if line.strip()}
    # every paragraph of the article is there unchanged
    article = [line for line in original.split("\n") if len(line) > 45 and "](" not in line]
    assert len(article) == 8  # points ① ②, six paragraphs ("近日，…" to "开启未来，…")
    assert all(line in kept_lines for line in article)
    for gone in ("[关于我们]", "注册|登录", "### [头条]", "收藏", "阅 10.2W", "我要评论", "发表评论",
                 "人工智能推广应用", "![Image", "自动采集于"):
        assert gone not in cleaned, gone
    for kept in ("求是网", "2026-02-10 14:04 星期二", "Title: 求是网：前瞻布局和发展未来产业"):
        assert kept in kept_lines


def test_cleaning_lowers_the_rate_base_to_the_article():
    documents = policyterms.count([str(S003)], tables=["documents"]).documents
    kept = policyterms.count([str(S003)], tables=["documents"], inputs=KEEP).documents
    # the 2,000-odd characters of the menu's URLs and headlines are not in the base any more
    assert kept["chars"][0] - documents["chars"][0] > 2000


@pytest.mark.parametrize("name", ["000_f7f3963a21b11a20.txt", "001_8594340499d60f29.txt"])
def test_cleaning_never_changes_an_articles_counts(name):
    # 000 has no boilerplate; 001 has a page number "—　1　—" and a "[bookmark: _Toc30029]".
    for unit in ("sentence", "paragraph"):
        cleaned = policyterms.count([SEEDS / name], unit=unit)
        kept = policyterms.count([SEEDS / name], unit=unit, inputs=KEEP)
        assert cleaned.frequencies.equals(kept.frequencies.assign(per_10k_chars=cleaned.frequencies["per_10k_chars"]))
        assert cleaned.cooccurrence.equals(kept.cooccurrence)


def test_seed_001_page_number_and_bookmark_removed():
    text = seed_text("001_8594340499d60f29.txt")
    cleaned = drop_boilerplate(text)
    assert "—\u30001\u3000—" in text and "—\u30001\u3000—" not in cleaned
    assert "[bookmark: _Toc30029]3.习近平复信" in text
    bookmark = "[bookmark: _Toc30029]"
    assert f"\n{' ' * len(bookmark)}3.习近平复信参加“共航蔚蓝：中美青年友谊行”活动的两国学生\n" in cleaned
    assert len(cleaned) == len(text)  # blanked, not cut: offsets stay those of the file


# The rules, line by line -------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "下载 / 打印 / 收藏", "【字号：大 中 小】", "【打印】【关闭窗口】", "分享到：微信 微博 QQ空间", "责任编辑：张三",
    "（责任编辑：李四）", "版权所有 © 2026 中国政府网 京ICP备05070218号", "Copyright © 2026 Xinhua", "—　12　—",
    "- 3 -", "第 2 页 / 共 9 页", "![Image 3: 图片](https://x.cn/a.png)", "![Image 11](https://cdnjs.cl",
    "[首页](/)[要闻](/news)[人工智能](/ai)", "### [科创](http://x.cn/d?id=1)", "阅读 1.2万", "上一篇 下一篇",
])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)
    # blanked with spaces, so offsets into the file stay right
    assert drop_boilerplate(f"正文。\n{line}\n正文。") == f"正文。\n{' ' * len(line)}\n正文。"


@pytest.mark.parametrize("line", [
    "要加快下载速度和打印效率，推动人工智能发展。",
    "收藏家和评论家都注意到了这一点。",
    "根据[《关于推动未来产业创新发展的实施意见》](https://x.cn/a)，发展量子科技。",
    "第一，加强统筹谋划。",
    "2026年",
    "责任与担当",
])
def test_article_lines_are_kept(line):
    assert not is_boilerplate(line)
    assert drop_boilerplate(line) == line


def test_images_inside_a_line_are_removed_the_text_kept():
    image = "![Image 1](https://x.cn/a.png)"
    assert drop_boilerplate(f"{image}发展量子科技。") == " " * len(image) + "发展量子科技。"


def test_table_rows_and_stdin_are_cleaned_too(tmp_path):
    (tmp_path / "rows.csv").write_text(
        'id,text\n1,"[首页](/)[人工智能](/ai)\n发展量子科技。"\n2,"责任编辑：王五"\n', encoding="utf-8"
    )
    result = policyterms.count([str(tmp_path / "rows.csv")], inputs=InputOptions(globs=("*.csv",)))
    assert dict(zip(result.frequencies["term"], result.frequencies["count"])) == {"量子科技": 1}
    assert [str(e) for e in result.errors] == [
        f"{tmp_path / 'rows.csv'}#2: no text left after cleaning (--keep-boilerplate keeps the page's boilerplate)"
    ]


def test_a_file_of_boilerplate_only_is_an_input_error(tmp_path):
    (tmp_path / "menu.txt").write_text("[首页](/)[要闻](/news)\n收藏\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"menu\.txt: no text left after cleaning"):
        read_document(str(tmp_path / "menu.txt"), clean=cleaner())


def test_markdown_files_are_cleaned_before_their_links_are_stripped(tmp_path):
    (tmp_path / "page.md").write_text("[首页](/)[人工智能](/ai)\n\n发展[量子科技](/q)。\n", encoding="utf-8")
    menu = "[首页](/)[人工智能](/ai)"
    assert read_document(str(tmp_path / "page.md"), clean=cleaner()).text == " " * len(menu) + "\n\n发展量子科技。\n"
    assert read_document(str(tmp_path / "page.md")).text == "首页人工智能\n\n发展量子科技。\n"


# Traditional Chinese -----------------------------------------------------------------------------

TRADITIONAL = (
    "習近平強調，要前瞻佈局和發展未來產業，推動量子科技、生物製造、氫能和核聚變能、腦機接口、具身智能、"
    "第六代移動通信等成為新的經濟增長點。\n各地要因地制宜發展新質生產力。"
)


def test_t2s_counts_traditional_text_as_simplified(tmp_path):
    path = tmp_path / "繁體.txt"
    path.write_text(TRADITIONAL, encoding="utf-8")
    # Without --t2s only the terms written alike in both scripts are found.
    assert {term for (_, term) in frequencies([path])} == {"量子科技", "具身智能"}
    assert {term: n for (_, term), n in frequencies([path], InputOptions(t2s=True)).items()} == {
        "未来产业": 1, "新质生产力": 1, "生物制造": 1, "具身智能": 1, "量子科技": 1, "第六代移动通信": 1,
        "氢能": 1, "核聚变能": 1, "脑机接口": 1,
    }
    assert to_simplified("腦機接口") == "脑机接口"


def test_t2s_leaves_simplified_seeds_as_they_are():
    for name in ("000_f7f3963a21b11a20.txt", "001_8594340499d60f29.txt"):
        assert to_simplified(seed_text(name)) == seed_text(name)


def test_cli_options(tmp_path):
    path = tmp_path / "繁體.txt"
    path.write_text(TRADITIONAL, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["count", str(path), "--t2s", "--format", "csv", "--quiet"])
    assert result.exit_code == 0 and f"{path},脑机接口,未来健康,1," in result.stdout
    kept = runner.invoke(app, ["count", str(S003), "--keep-boilerplate", "--format", "csv", "--quiet"])
    cleaned = runner.invoke(app, ["count", str(S003), "--format", "csv", "--quiet"])
    assert ",人工智能," in kept.stdout and ",人工智能," not in cleaned.stdout


def test_traditional_share_is_the_share_of_han_characters_t2s_changes():
    # 推動量子科技發展: 動 and 發 change (推 量 子 科 技 展 do not) → 2 of 8
    assert policyterms.clean.traditional_share("推動量子科技發展 6G") == 2 / 8
    assert policyterms.clean.traditional_share("推动量子科技发展") == 0.0
    assert policyterms.clean.traditional_share("6G and 5G-A") == 0.0  # no Han characters
    # The sample starts at the first Han character: a page's Latin preamble does not hide the text.
    assert policyterms.clean.traditional_share("Source: Xinhua. " * 100 + "推動量子科技發展") == 2 / 8


def test_gb2312_text_is_simplified_without_opencc():
    # The check's shortcut (clean._in_gb2312): of GB 2312's Han characters t2s changes only these
    # 16 when each stands alone, and the Traditional sample cannot be written in GB 2312 at all.
    gb2312 = []
    for first in range(0xB0, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                gb2312.append(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    han = [char for char in gb2312 if "\u4e00" <= char <= "\u9fff"]
    assert len(han) == 6763
    assert "".join(char for char in han if to_simplified(char) != char) == "乾菸薹拚捱摺吒後徵夥榘於袷麴醣麽"
    assert policyterms.clean._in_gb2312("推动量子科技发展，６Ｇ……“未来产业”——习近平·讲话")  # — and · are not in it
    assert not policyterms.clean._in_gb2312("推动量子科技——發展")
    assert not policyterms.clean._in_gb2312(TRADITIONAL)
    assert policyterms.clean.traditional_share("推动量子科技发展 😀") == 0.0  # not GB 2312: OpenCC decides


def test_traditional_text_without_t2s_gets_one_warning_for_the_run(tmp_path):
    for name in ("甲.txt", "乙.txt"):
        (tmp_path / name).write_text(TRADITIONAL, encoding="utf-8")
    (tmp_path / "简体.txt").write_text("发展未来产业，推动量子科技。", encoding="utf-8")
    result = CliRunner().invoke(app, ["count", str(tmp_path), "--format", "csv", "--quiet"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"policyterms: warning: 2 documents in Traditional Chinese ({tmp_path / '乙.txt'}, {tmp_path / '甲.txt'}): "
        "terms written in Simplified are missed; add --t2s to convert them before matching"
    ]
    converted = CliRunner().invoke(app, ["count", str(tmp_path), "--t2s", "--format", "csv", "--quiet"])
    assert converted.exit_code == 0 and converted.stderr == ""


def test_the_traditional_warning_counts_its_documents_and_names_the_first_few():
    from policyterms.clean import traditional_warning

    advice = "terms written in Simplified are missed; add --t2s to convert them before matching"
    assert str(traditional_warning(["a.txt"])) == (
        "a.txt: Traditional Chinese text: terms written in Simplified are missed; add --t2s to convert it before matching"
    )
    four = ["a.txt", "b.txt", "c.txt", "d.txt"]  # named whole: "and 1 more" would take the room of the name
    assert str(traditional_warning(four)) == f"4 documents in Traditional Chinese (a.txt, b.txt, c.txt, d.txt): {advice}"
    thousand = [f"report-{n:04d}.txt" for n in range(1, 1001)]
    assert str(traditional_warning(thousand)) == (
        f"1,000 documents in Traditional Chinese (report-0001.txt, report-0002.txt, report-0003.txt and 997 more): {advice}"
    )


def test_simplified_seeds_get_no_traditional_warning():
    result = CliRunner().invoke(app, ["count", str(SEEDS), "--format", "csv", "--quiet"])
    assert result.exit_code == 0 and "Traditional" not in result.stderr
