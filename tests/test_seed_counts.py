"""Exact counts of default-vocabulary terms in the five seed documents, per page (--no-split)
and per article (the default: four seeds are pages of several articles).

Every number below was found by reading the seed and counting by hand-written means, not with
policyterms: `grep -o TERM seeds/FILE | wc -l` on the raw file, and str.count on a normalized
copy (NFKC per character, lower case, whitespace between two Han characters removed; for 003 the
`---` front matter, lines 1-7, left out because it is metadata). Then every occurrence that lies
inside a longer vocabulary entry starting at the same or an earlier position was taken away
(leftmost-longest), and aliases were added to their term. The comment on each line says how.

If a number here disagrees with the package, re-read the text before changing it: these are
the expected values, the package is what is being checked.
"""

from pathlib import Path

import pytest
import yaml

import policyterms
from policyterms.batch import InputOptions

from conftest import ROOT, SEEDS

VOCAB = ROOT / "vocab" / "future-industries.yaml"

S000 = "000_f7f3963a21b11a20.txt"  # 求是 speech 《前瞻布局和发展未来产业》 + 长江日报 pages (外办 interview, flood stores)
S001 = "001_8594340499d60f29.txt"  # the same speech + 新华社 summary + two letters of reply
S002 = "002_9ee848c3295ff6b6.txt"  # 新华社 feature on the speech + 内蒙古 newspaper pages
S003 = "003_9bdf75eb7510f3fc.txt"  # 求是网 commentary scraped from cls.cn, with navigation and a news list
S004 = "004_a0e03639a4100763.txt"  # 李乐成 in 求是 + 潘娜 in 光明日报 (its 内容提要 is printed twice)

# (seed file name, term, expected count)
EXPECTED = [
    # ── 000 ──────────────────────────────────────────────────────────────────────────────
    (S000, "未来产业", 26),  # grep -o → 26 (10 lines, all in the speech); nothing longer in the vocabulary contains it
    (S000, "量子科技", 1),  # grep -o → 1: 第一 "要推动量子科技、生物制造…"; the 长江日报 pages have none
    (S000, "核聚变能", 1),  # shadowing: 核聚变 (alias) occurs once, inside "氢能和核聚变能": one hit, not two
    (S000, "氢能", 1),  # "氢能和核聚变能" counts 氢能 once as well: grep -o 氢能 → 1
    (S000, "十五五", 5),  # grep -o → 5: speech "“十五五”时期" + 外办 interview: headline "奋进“十五五”", "擘画了“十五五”时期", "在“十五五”时期如何", "紧扣“十五五”发展部署"
    (S000, "中央企业", 2),  # grep -o 中央企业 → 2 (第三); alias 央企 occurs only inside those two, so not counted again
    (S000, "独角兽企业", 1),  # grep -o → 1 ("…单项冠军企业、独角兽企业,形成…"); alias 独角兽 is inside it, not extra
    (S000, "新兴产业", 3),  # grep -o → 3 (第一: "传统产业、新兴产业相辅相成", "未来产业、新兴产业发展", "同新兴产业、传统产业"); no 战略性新兴产业 in 000
    (S000, "科技创新", 4),  # grep -o → 4: "以科技创新为引领", "推动科技创新和产业创新", "科技创新的国家队", interview "以科技创新和青年交流为重点"
    (S000, "数字经济", 1),  # grep -o → 1, in the 外办 interview ("聚焦数字经济、绿色低碳等领域"), not in the speech
    (S000, "机器人", 1),  # grep -o → 1, the flood-store page: "水上智能救生艇搭载水上机器人": the whole file counts, not only the speech
    (S000, "人工智能", 0),  # grep -o → 0: the speech never says 人工智能; "智能" only in 具身智能 and the flood page's 智能救生艇 etc.
    # ── 001 ──────────────────────────────────────────────────────────────────────────────
    (S001, "未来产业", 40),  # grep -o → 40 (19 lines: full speech + 新华社 summary; none in the letters)
    (S001, "量子科技", 2),  # grep -o → 2: speech 第一 + summary "在量子科技、生物制造等领域聚焦发力"
    (S001, "第六代移动通信", 1),  # grep -o → 1 (speech 第一); the summary drops the list; no 6G in 001
    (S001, "十五五", 1),  # grep -o → 1: speech "“十五五”时期"
    (S001, "新型举国体制", 2),  # grep -o → 2: speech 第二 + summary "要充分发挥新型举国体制优势"
    (S001, "中央企业", 3),  # grep -o → 3: speech 第三 twice + summary "支持中央企业结合主责主业"; 央企 only inside them
    (S001, "信息技术应用创新", 1),  # alias 信创: grep -o 信创 → 1, photo caption "北京亦庄的国家信创园"; the long form is absent
    (S001, "科技领军企业", 2),  # grep -o → 2: speech 第三 + summary
    (S001, "专精特新", 2),  # grep -o → 2: "专精特新企业" in speech 第三 and in the summary
    # ── 002 ──────────────────────────────────────────────────────────────────────────────
    (S002, "量子科技", 8),  # grep -o → 8 lines read: 信创 para, 人工智能、量子科技, 十五五建议, 点明量子科技…, "加强量子科技发展战略", 新赛道, 国家层面, 2020年10月
    (S002, "人工智能", 7),  # grep -o → 7, none inside a longer term (no 生成式人工智能 in 002); "人工智能+" and "人工智能机器人" count
    (S002, "机器人", 2),  # grep -o → 2: "人工智能机器人" (人工智能 ends before 机器人, no overlap) and "人工智能、机器人等技术"
    (S002, "第六代移动通信", 2),  # alias sum: 第六代移动通信 once ("…具身智能、第六代移动通信等方向") + 6G once ("启动第二阶段6G技术试验")
    (S002, "战略性新兴产业", 1),  # grep -o → 1: "引领发展战略性新兴产业和未来产业"
    (S002, "新兴产业", 2),  # shadowing: grep -o → 3, but one is inside 战略性新兴产业 (leftmost-longest): 3 - 1 = 2
    (S002, "十五五", 3),  # grep -o → 3: "“十五五”开局之年", "“十五五”规划建议", "为“十五五”开好局"
    (S002, "十四五", 2),  # grep -o → 2: "“十四五”规划纲要", "“十四五”期间"
    (S002, "4G", 1),  # "实现4G并跑、5G引领": 4G once, bounded by 现 and 并
    (S002, "5G", 1),  # same sentence: 5G once; no other 5G in 002
    (S002, "信息技术应用创新", 4),  # 信创 ×3 ("国家信创园" ×2, "信创是保障…") + long form ×1 ("了解信息技术应用创新")
    (S002, "产业创新", 2),  # shadowing: grep -o → 3, one is in "对未来产业创新作出精确标注" where 未来产业 starts first: 3 - 1 = 2
    (S002, "创新链", 1),  # grep -o → 1: "实现创新链与产业链的“无缝对接”"
    (S002, "中试", 2),  # grep -o → 2: "2400余个制造业中试平台,经中试验证的科技成果"
    (S002, "区块链", 2),  # grep -o → 2: "从指出区块链技术集成应用…强调“把区块链作为核心技术…”"
    # ── 003 ──────────────────────────────────────────────────────────────────────────────
    (S003, "未来产业", 36),  # grep -o → 37, minus the front-matter title (line 2, metadata); headings, "Title:" line and page title in the body do count
    (S003, "生成式人工智能", 1),  # grep -o → 1: the list of 前沿赛道
    (S003, "人工智能", 0),  # grep -o → 2: one inside 生成式人工智能 (shadowed), one in the news list's link "加快招标投标领域人工智能推广应用", dropped as navigation (clean.py; with --keep-boilerplate it counts 1)
    (S003, "人形机器人", 1),  # grep -o → 1, the list of 前沿赛道
    (S003, "机器人", 0),  # shadowing: the only 机器人 is inside 人形机器人
    (S003, "产业创新", 0),  # shadowing: the only 产业创新 is in "《关于推动未来产业创新发展的实施意见》", taken by 未来产业
    (S003, "未来制造", 2),  # grep -o → 2: summary point ① and the body ("未来产业主要包括未来制造、未来信息…")
    (S003, "元宇宙", 2),  # grep -o → 2: point ① and body
    (S003, "脑机接口", 3),  # grep -o → 3: point ①, the body's track list, the 十五五 list
    (S003, "新兴产业", 4),  # grep -o → 4, none inside 战略性新兴产业 (absent in 003): "前瞻性新兴产业", "新兴产业壮大", "与新兴产业、传统产业", "忽视新兴产业积累"
    # ── 004 ──────────────────────────────────────────────────────────────────────────────
    (S004, "未来产业", 90),  # grep -o → 90 (42 lines, 内容提要 counted both times it is printed); no term contains it
    (S004, "十五五", 2),  # line break: grep -o → 1 ("“十五五”规划纲要"); the other is "聚焦“十五\n\n五”时期" across a page break
    (S004, "新兴产业", 3),  # line break + shadowing: grep -o → 3; + "前瞻性新\n\n兴产业" joined = 4; − 1 inside "传统产业和战略性新兴产业" = 3
    (S004, "战略性新兴产业", 1),  # grep -o → 1: "未来产业不同于传统产业和战略性新兴产业"
    (S004, "创新链", 1),  # line break: grep -o → 0; "促进创\n\n新链、产业链无缝对接" joined = 1
    (S004, "产业链", 5),  # grep -o → 5: 全产业链, 产业链协同, "创新链、产业链", 产业链上下游, 全球产业链
    (S004, "产业创新", 4),  # shadowing: grep -o → 9; 5 are "未来产业创新…" (创新发展新局面, 实施意见 title, 创新任务, 发展论坛, 创新路径): 9 - 5 = 4
    (S004, "第六代移动通信", 2),  # alias only: 6G ×2 ("具身智能、6G等关键赛道", "量子计算、脑机接口、6G、具身智能"); long form absent
    (S004, "核聚变能", 2),  # aliases + shadowing: "氢能和核聚变能" (核聚变 inside not extra) + "可控核聚变" (核聚变 inside not extra)
    (S004, "具身智能", 6),  # grep -o → 6: caption ×2, 养老, 关键赛道, 独角兽 fields, 内容提要 list
    (S004, "机器人", 2),  # shadowing: grep -o → 3; "具身智能机器人" counts (具身智能 ends before it), "国产机器人" counts, 人形机器人 hides one
    (S004, "人形机器人", 1),  # grep -o → 1: "人形机器人已具备全产业链制造能力"
    (S004, "量子科技", 3),  # alias sum: 量子科技 ×2 ("重点布局了量子科技", "在量子科技、人工智能") + 量子技术 ×1 ("基于新型量子技术的原子钟")
    (S004, "量子计算", 3),  # grep -o → 3: "超导量子计算机、光子量子计算机" + "量子计算、脑机接口、6G"
    (S004, "揭榜挂帅", 3),  # grep -o → 3: "未来产业创新任务“揭榜挂帅”", "持续部署“揭榜挂帅”", "“揭榜挂帅+里程碑考核”"
    (S004, "专精特新", 4),  # grep -o → 4: 专精特新“小巨人” ×2, 专精特新中小企业 ×2
    (S004, "小巨人", 3),  # grep -o → 3: after 专精特新 ×2 (separate, adjacent hits) + "新增一批“小巨人”企业"
    (S004, "中央企业", 1),  # alias only: "鼓励央企、国企带头" = 1; "而央、国企恰恰掌握" is not 央企
    (S004, "耐心资本", 2),  # grep -o → 2: "引导耐心资本投早", "带头做“耐心资本”"
    (S004, "人工智能", 2),  # grep -o → 2: "在量子科技、人工智能、生物制造", "在人工智能、具身智能、生物技术"
    (S004, "移动互联网", 1),  # grep -o → 1: "移动互联网等产业快速成长"
]


# Four seeds are pages of several articles (readers/articles.py) and are counted per article,
# FILE#N. Where each article is (lines of the seed file):
#   000 #1 lines 1-30 the 求是 speech, up to "(刊载于2026年第11期《求是》杂志)"; #2 31-76 the 外办 interview
#       ("奋进“十五五”武汉在行动", byline "■长江日报记者…"); #3 77-111 the flood stores ("长江日报讯") and an ad
#   001 #1 1-16 the speech, up to "来源：《求是》2026/11"; #2 17-29 新华社's summary ("新华社北京5月31日电");
#       #3 30-51 the letter of reply and its report; #4 52-60 the second letter ("[bookmark: _Toc30029]")
#   002 #1 1-116 the 新华社 feature, up to "(新华社北京2月12日电)"; #2 117-140 two "■上接第1版" items;
#       #3 141-213 the 监督谈话工作办法 ("新华社北京2月12日电" under its title)
#   004 #1 1-85 李乐成, up to "（载2026年6月1日《人民日报》…）"; #2 86-126 潘娜's 内容提要 and text, up to
#       "（载2026年4月16日《光明日报》…）", and the title and author printed after it
# Each count below is that of EXPECTED's line for the page, shared out by the line numbers of its
# hits (grep -n); the sums are checked against EXPECTED (test_articles_add_up_to_their_pages).
ARTICLES = [
    # ── 000 ──
    (S000 + "#1", "未来产业", 26),  # all 26 in the speech (lines 3-25)
    (S000 + "#1", "量子科技", 1),  # line 15 (第一)
    (S000 + "#1", "核聚变能", 1),  # line 15, "氢能和核聚变能"
    (S000 + "#1", "氢能", 1),  # line 15
    (S000 + "#1", "十五五", 1),  # line 15, "“十五五”时期"
    (S000 + "#2", "十五五", 4),  # line 31 (headline), 43 twice, 45
    (S000 + "#1", "中央企业", 2),  # line 19, twice (央企 only inside them)
    (S000 + "#1", "独角兽企业", 1),  # line 19
    (S000 + "#1", "新兴产业", 3),  # line 15, three times
    (S000 + "#1", "科技创新", 3),  # lines 17 (twice) and 19
    (S000 + "#2", "科技创新", 1),  # line 65, "以科技创新和青年交流为重点"
    (S000 + "#2", "数字经济", 1),  # line 63
    (S000 + "#3", "机器人", 1),  # line 99, "水上机器人"
    (S000 + "#1", "人工智能", 0),
    (S000 + "#3", "未来产业", 0),  # the flood page and the ad have none
    # ── 001 ──
    (S001 + "#1", "未来产业", 26),  # the speech, lines 1-14
    (S001 + "#2", "未来产业", 14),  # the summary, lines 18-27
    (S001 + "#3", "未来产业", 0),  # the letters have none
    (S001 + "#4", "未来产业", 0),
    (S001 + "#1", "量子科技", 1),  # line 9
    (S001 + "#2", "量子科技", 1),  # line 22
    (S001 + "#1", "第六代移动通信", 1),  # line 9
    (S001 + "#1", "十五五", 1),  # line 9
    (S001 + "#1", "新型举国体制", 1),  # line 10
    (S001 + "#2", "新型举国体制", 1),  # line 23
    (S001 + "#1", "中央企业", 2),  # line 11, twice
    (S001 + "#2", "中央企业", 1),  # line 24
    (S001 + "#1", "信息技术应用创新", 1),  # line 7, the caption's "国家信创园" (alias 信创)
    (S001 + "#1", "科技领军企业", 1),  # line 11
    (S001 + "#2", "科技领军企业", 1),  # line 24
    (S001 + "#1", "专精特新", 1),  # line 11
    (S001 + "#2", "专精特新", 1),  # line 24
    # ── 002 ──
    (S002 + "#1", "量子科技", 8),  # lines 5, 29, 39, 67 twice, 85, 97, 105
    (S002 + "#1", "人工智能", 7),  # lines 29, 33, 35, 41, 63, 79, 85
    (S002 + "#1", "机器人", 2),  # lines 33, 35
    (S002 + "#1", "第六代移动通信", 2),  # line 97 and 6G at line 77
    (S002 + "#1", "战略性新兴产业", 1),  # line 35
    (S002 + "#1", "新兴产业", 2),  # lines 19 and 109 (line 35's is inside 战略性新兴产业)
    (S002 + "#1", "十五五", 2),  # lines 11, 39
    (S002 + "#2", "十五五", 1),  # line 125, "为“十五五”开好局"
    (S002 + "#1", "十四五", 2),  # lines 39, 99
    (S002 + "#1", "4G", 1),  # line 41
    (S002 + "#1", "5G", 1),  # line 41
    (S002 + "#1", "信息技术应用创新", 4),  # line 3 (long form and 信创), 5, 35
    (S002 + "#1", "产业创新", 2),  # lines 19 and 71 (line 67's is in 未来产业创新)
    (S002 + "#1", "创新链", 1),  # line 73
    (S002 + "#1", "中试", 2),  # line 77, twice
    (S002 + "#1", "区块链", 2),  # line 67, twice
    (S002 + "#3", "量子科技", 0),  # the 办法 has none of these
    # ── 004 ──
    (S004 + "#1", "未来产业", 63),  # lines 3-82: grep -o on lines 1-85 → 63
    (S004 + "#2", "未来产业", 27),  # lines 86-126 → 27 (its 内容提要 printed twice, lines 88 and 112)
    (S004 + "#1", "十五五", 2),  # "“十五五”规划纲要" and line 50's "十五\n\n五" joined
    (S004 + "#1", "新兴产业", 3),  # lines 26, 44 and "前瞻性新\n\n兴产业" joined (line 34's is inside 战略性新兴产业)
    (S004 + "#1", "战略性新兴产业", 1),  # line 34
    (S004 + "#1", "创新链", 1),  # "促进创\n\n新链" joined
    (S004 + "#1", "产业链", 5),  # lines 56, 62, 74, 76, 82
    (S004 + "#1", "产业创新", 1),  # line 58; lines 9, 50, 54, 62 are 未来产业创新
    (S004 + "#2", "产业创新", 3),  # lines 88, 108, 112; line 104 is 未来产业创新
    (S004 + "#1", "第六代移动通信", 1),  # 6G, line 50
    (S004 + "#2", "第六代移动通信", 1),  # 6G, line 90
    (S004 + "#1", "核聚变能", 2),  # line 50 "氢能和核聚变能", line 58 "可控核聚变"
    (S004 + "#1", "具身智能", 5),  # lines 13 twice (caption), 30, 50, 58
    (S004 + "#2", "具身智能", 1),  # line 90
    (S004 + "#1", "机器人", 2),  # lines 13, 56 (line 54's is inside 人形机器人)
    (S004 + "#1", "人形机器人", 1),  # line 54
    (S004 + "#1", "量子科技", 3),  # lines 50, 58, and 量子技术 at line 54
    (S004 + "#1", "量子计算", 2),  # line 54, twice
    (S004 + "#2", "量子计算", 1),  # line 90
    (S004 + "#1", "揭榜挂帅", 2),  # lines 54, 72
    (S004 + "#2", "揭榜挂帅", 1),  # line 104
    (S004 + "#1", "专精特新", 3),  # line 58 twice, 76
    (S004 + "#2", "专精特新", 1),  # line 108
    (S004 + "#1", "小巨人", 3),  # line 58 twice, 76
    (S004 + "#2", "中央企业", 1),  # line 108, 央企
    (S004 + "#1", "耐心资本", 1),  # line 80
    (S004 + "#2", "耐心资本", 1),  # line 110
    (S004 + "#1", "人工智能", 2),  # line 58, twice
    (S004 + "#1", "移动互联网", 1),  # line 30
]
SPLIT = {S000: 3, S001: 4, S002: 3, S004: 2}  # articles per page; 003 is one article


def counts_by_document(result):
    freq = result.frequencies  # pandas DataFrame: doc_id, term, category, count, ...
    return {(Path(d).name, t): c for d, t, c in zip(freq.doc_id, freq.term, freq["count"])}


@pytest.fixture(scope="module")
def seed_counts():
    return counts_by_document(policyterms.count([SEEDS], inputs=InputOptions(split=False)))  # default vocabulary


@pytest.fixture(scope="module")
def articles():
    return policyterms.count([SEEDS])


@pytest.fixture(scope="module")
def article_counts(articles):
    return counts_by_document(articles)


def test_expected_terms_are_in_the_default_vocabulary():
    # Without this, a term dropped from the vocabulary would pass every "expected 0" line.
    vocab = yaml.safe_load(VOCAB.read_text(encoding="utf-8"))
    names = {entry["term"] for entry in vocab["terms"]}
    assert {term for _, term, _ in EXPECTED + ARTICLES} - names == set()


@pytest.mark.parametrize("name,term,expected", EXPECTED)
def test_seed_count(seed_counts, name, term, expected):
    assert seed_counts.get((name, term), 0) == expected


@pytest.mark.parametrize("name,term,expected", ARTICLES + [(n, t, c) for n, t, c in EXPECTED if n == S003])
def test_article_count(article_counts, name, term, expected):
    assert article_counts.get((name, term), 0) == expected


def test_articles_add_up_to_their_pages(seed_counts, articles, article_counts):
    # the tables above agree: each page's count is the sum of its articles'
    for name, term, expected in EXPECTED:
        if name in SPLIT:
            assert sum(c for n, t, c in ARTICLES if n.split("#")[0] == name and t == term) == expected, (name, term)
    # and so do the program's: splitting moves hits between documents, never adds or loses one
    assert [Path(d).name for d in articles.documents.doc_id] == sorted([f"{s}#{n}" for s, k in SPLIT.items() for n in range(1, k + 1)] + [S003])
    for (name, term), count in seed_counts.items():
        assert sum(c for (n, t), c in article_counts.items() if n.split("#")[0] == name and t == term) == count
