"""Dictionaries of other tools read into the same Vocabulary (dictionaries.py), and written back.

The fixtures under tests/fixtures/dictionaries/ were written for these tests, one per format;
the line numbers in the expected warnings are those of the fixture files.
"""

from pathlib import Path

import pytest

from policyterms.dictionaries import detect_format, export_dictionary
from policyterms.errors import VocabularyError
from policyterms.dictionaries import load_vocabulary
from policyterms.vocab import Term, Vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "dictionaries"
GLOBS = ("entries are wildcards ({}), counted as glob patterns (* any run of characters, ? one; "
         "in --match text a final * is a prefix); --wildcards skip leaves them out")
SKIPPED = "is a wildcard, left out (--wildcards skip; the default, glob, counts it)"


def terms_of(vocabulary: Vocabulary) -> list[tuple[str, tuple[str, ...]]]:
    return [(term.name, term.categories) for term in vocabulary.terms]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cntext_keeps_name_description_reference_and_a_word_in_two_categories():
    vocabulary = load_vocabulary(FIXTURES / "digital-cntext.yaml")
    assert vocabulary.name == "数字化转型词典（测试用）"
    assert vocabulary.description.startswith("按 cntext 词典的格式")
    assert vocabulary.reference == "测试作者. 企业数字化转型的文本度量（示例）[J]. 测试期刊, 2026(1)."
    # 人工智能 is listed under 人工智能技术 (line 10) and 数字技术应用 (line 19): one term in both.
    assert terms_of(vocabulary) == [
        ("人工智能", ("人工智能技术", "数字技术应用")), ("机器学习", ("人工智能技术",)), ("深度学习", ("人工智能技术",)),
        ("大数据", ("大数据技术",)), ("数据挖掘", ("大数据技术",)),
        ("工业互联网", ("数字技术应用",)), ("智能制造", ("数字技术应用",)),
    ]
    assert vocabulary.terms[0].category == "人工智能技术; 数字技术应用"
    assert vocabulary.warnings == ()


def test_quanteda_nested_keys_are_category_paths():
    vocabulary = load_vocabulary(FIXTURES / "future-quanteda.yml")
    assert terms_of(vocabulary) == [
        ("量子科技", ("未来产业/未来信息",)), ("第六代移动通信", ("未来产业/未来信息",)),
        ("氢能", ("未来产业/未来能源",)), ("核聚变能", ("未来产业/未来能源",)),
        ("智能制造", ("新型工业化",)), ("工业互联网", ("新型工业化",)),
    ]
    assert vocabulary.name == "future-quanteda"  # quanteda's YAML has no name: the file's


def test_liwc_nesting_several_categories_and_wildcards_kept_as_globs():
    path = FIXTURES / "future.dic"
    vocabulary = load_vocabulary(path)
    # Lines 3-4 are nested under 1 by a leading tab (LIWC2015); 量子科技 is in 1 and 2.
    assert terms_of(vocabulary) == [
        ("量子科技", ("未来产业", "未来产业/未来信息")), ("第六代移动通信", ("未来产业/未来信息",)),
        ("氢能", ("未来产业/未来能源",)), ("核聚变*", ("未来产业/未来能源",)), ("数字*", ("数字经济",)),
        ("人工智能", ("未来产业/未来信息", "数字经济")),
    ]
    assert vocabulary.warnings == (f"{path}: 2 " + GLOBS.format("核聚变*, 数字*"),)
    skipped = load_vocabulary(path, wildcards="skip")
    assert [term.name for term in skipped.terms] == ["量子科技", "第六代移动通信", "氢能", "人工智能"]
    assert skipped.warnings == (f"{path}:10: '核聚变*' {SKIPPED}", f"{path}:11: '数字*' {SKIPPED}")


def test_wildcards_prefix_counts_the_stem_and_says_so():
    path = FIXTURES / "future.dic"
    vocabulary = load_vocabulary(path, wildcards="prefix")
    assert ("核聚变", ("未来产业/未来能源",)) in terms_of(vocabulary)
    assert ("数字", ("数字经济",)) in terms_of(vocabulary)
    assert vocabulary.warnings[0] == f"{path}:10: '核聚变*' is a wildcard: counted as the term '核聚变' (--wildcards prefix)"


def test_liwc22_dicx_marks():
    path = FIXTURES / "future.dicx"
    vocabulary = load_vocabulary(path)
    assert terms_of(vocabulary) == [
        ("量子科技", ("未来信息",)), ("人工智能", ("未来信息", "数字经济")), ("氢能", ("未来能源",)),
        ("数字*", ("数字经济",)),
    ]
    assert vocabulary.warnings == (f"{path}: 1 " + GLOBS.format("数字*"),)


def test_wordstat_tree_weights_and_rules_are_reported():
    path = FIXTURES / "future.cat"
    vocabulary = load_vocabulary(path)
    assert terms_of(vocabulary) == [
        ("量子科技", ("未来产业/未来信息",)), ("第六代移动通信", ("未来产业/未来信息",)), ("6G", ("未来产业/未来信息",)),
        ("氢能", ("未来产业/未来能源",)), ("核聚变*", ("未来产业/未来能源",)), ("数字经济", ("数字经济",)),
    ]
    # Line 5: 6G (2); every other entry (1). A weight other than 1 makes them scores, kept.
    assert [term.weights for term in vocabulary.terms][2:4] == [(("未来产业/未来信息", 2.0),), (("未来产业/未来能源", 1.0),)]
    assert vocabulary.warnings == (
        f"{path}:11: the rule '@数字平台 [数字 NEAR/3 平台]' cannot be honoured by exact matching; left out",
        f"{path}: 1 " + GLOBS.format("核聚变*"),
    )


def test_lexicoder_categories():
    path = FIXTURES / "future.lc3"
    vocabulary = load_vocabulary(path)
    assert terms_of(vocabulary) == [
        ("量子科技", ("未来信息",)), ("第六代移动通信", ("未来信息",)), ("氢能", ("未来能源",)), ("核聚变*", ("未来能源",)),
    ]
    assert vocabulary.warnings == (f"{path}: 1 " + GLOBS.format("核聚变*"),)


def test_jieba_user_dictionary_takes_its_category_from_the_option_or_the_file_name():
    path = FIXTURES / "userdict.txt"
    assert terms_of(load_vocabulary(path)) == [("量子科技", ("userdict",)), ("具身智能", ("userdict",)), ("脑机接口", ("userdict",))]
    assert [t.category for t in load_vocabulary(path, category="未来产业").terms] == ["未来产业"] * 3
    # Two lines carry a frequency or a part of speech: segmentation hints, said once.
    assert load_vocabulary(path).warnings == (
        f"{path}: 2 entries' frequencies and parts of speech are jieba's segmentation hints: not used for counting, not kept",
    )


def test_word_list_skips_comments_and_takes_the_file_name_as_category():
    vocabulary = load_vocabulary(FIXTURES / "新兴产业.txt")
    assert terms_of(vocabulary) == [("低空经济", ("新兴产业",)), ("生物制造", ("新兴产业",)), ("商业航天", ("新兴产业",))]
    assert vocabulary.warnings == ()


def test_format_is_detected_by_content_when_the_suffix_says_nothing(tmp_path):
    liwc = (FIXTURES / "future.dic").read_text(encoding="utf-8")
    assert detect_format(liwc, suffix="") == "liwc"
    assert detect_format("+未来信息\n量子科技\n", suffix="") == "lexicoder"
    assert detect_format("量子科技 10 n\n", suffix="") == "jieba"
    assert detect_format("量子科技\n人工智能\n", suffix="") == "wordlist"
    assert detect_format("terms:\n  - 量子科技\n", suffix="") == "yaml"
    assert detect_format("Dictionary:\n  a: [量子科技]\n", suffix=".yaml") == "cntext"
    # A pipe (--vocab <(…)) has no suffix: read by content.
    assert terms_of(load_vocabulary(write(tmp_path, "dictionary", liwc)))[0] == ("量子科技", ("未来产业", "未来产业/未来信息"))


def test_one_word_in_two_spellings_is_one_term_with_a_warning(tmp_path):
    path = write(tmp_path, "通信.txt", "6G\n量子科技\n６Ｇ\n")
    vocabulary = load_vocabulary(path)
    assert terms_of(vocabulary) == [("6G", ("通信",)), ("量子科技", ("通信",))]
    assert vocabulary.warnings == (f"{path}:3: '６Ｇ' is the same term as '6G' (line 1) after normalization; counted once, as '6G'",)


@pytest.mark.parametrize(
    "name, text, problems",
    [
        ("a.dic", "%\n1\t未来信息\n%\n量子科技\t1\n氢能\t7\n", [":5: '氢能': unknown category id '7'"]),
        ("a.dic", "量子科技\t1\n", [":1: a LIWC dictionary starts with a block of categories ending in a '%' line"]),
        ("a.dic", "%\n1\t未来信息\n1\t未来能源\n%\n量子科技\t1\n", [":3: category id 1 given twice"]),
        ("a.dic", "%\n1\t未来信息\n%\n量子科技\n", [":4: '量子科技' names no category"]),
        ("a.lc3", "量子科技\n+未来信息\n氢能\n", [":1: '量子科技' comes before any '+category' line"]),
        ("a.dicx", "DicTerm\n量子科技\n", [":1: expected a header 'Entry,Category 1,Category 2,…'"]),
        ("a.dicx", "DicTerm,未来信息\n量子科技,X,X\n", [":2: '量子科技': more cells than the header has categories"]),
        ("a.yaml", "Dictionary:\n  未来信息: [量子科技\n", [":3: YAML syntax error"]),
        ("a.yaml", "Dictionary:\n\t未来信息: [量子科技]\n", [":2: YAML syntax error: a tab at column 1; indent with spaces, not tabs"]),
        ("a.yml", "未来信息:\n  - 量子科技\n\t- 6G\n", [":3: YAML syntax error: a tab at column 1; indent with spaces, not tabs"]),
        ("a.txt", "*\n", [": the dictionary has no terms it can count"]),
    ],
)
def test_bad_dictionaries_are_file_line_errors(tmp_path, name, text, problems):
    path = write(tmp_path, name, text)
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert [problem[len(str(path)):][: len(expected)] for problem, expected in zip(caught.value.problems, problems)] == problems
    assert len(caught.value.problems) == len(problems)


@pytest.mark.parametrize(
    "fixture, to, suffix",
    [
        ("future.dic", "liwc", ".dic"), ("future.dic", "dicx", ".dicx"), ("future-quanteda.yml", "quanteda", ".yml"),
        ("future-quanteda.yml", "liwc", ".dic"), ("digital-cntext.yaml", "cntext", ".yaml"),
        ("digital-cntext.yaml", "dicx", ".dicx"), ("future.cat", "quanteda", ".yaml"), ("future.lc3", "cntext", ".yaml"),
        ("future-project.yaml", "yaml", ".yaml"), ("future-quanteda.yml", "yaml", ".yaml"),
    ],
)
def test_import_export_import_gives_the_same_vocabulary(tmp_path, fixture, to, suffix):
    first = load_vocabulary(FIXTURES / fixture)
    text, lost = export_dictionary(first, to=to)
    again = load_vocabulary(write(tmp_path, f"again{suffix}", text))
    if to == "yaml":  # the project's own YAML keeps everything
        assert again.terms == first.terms and lost == []
    else:
        assert terms_of(again) == terms_of(first)
    if to in ("yaml", "cntext"):
        assert (again.name, again.description, again.reference) == (first.name, first.description, first.reference)
    if to == "yaml":
        assert again.version == first.version


def test_jieba_export_writes_every_term_and_alias():
    vocabulary = load_vocabulary(FIXTURES / "future-project.yaml")
    text, lost = export_dictionary(vocabulary, to="jieba")
    assert text == "人工智能\nAI\n量子科技\n核聚变能\n数字经济\n"
    assert lost == ["the description, reference and version are not kept (the format has no place for them)",
                    "categories are not kept (a jieba user dictionary has none)"]


def test_exports_name_what_the_format_cannot_hold():
    vocabulary = load_vocabulary(FIXTURES / "future-project.yaml")
    text, lost = export_dictionary(vocabulary, to="liwc")
    assert lost == [
        "the aliases of 1 terms are written as entries of their own (the format has no aliases)",
        "the description, reference and version are not kept (the format has no place for them)",
    ]
    # 未来产业 is written as a category of its own, its two subcategories nested under it.
    assert text.splitlines()[:6] == ["%", "1\t数字技术", "2\t未来产业", "\t3\t未来信息", "\t4\t未来能源", "%"]
    assert "人工智能\t1\t3" in text.splitlines() and "AI\t1\t3" in text.splitlines()


def test_quanteda_cannot_hold_words_and_subcategories_under_one_key():
    vocabulary = Vocabulary.from_terms([Term("未来产业", "未来产业"), Term("量子科技", "未来产业/未来信息")])
    with pytest.raises(VocabularyError, match="'未来产业' has both words and subcategories"):
        export_dictionary(vocabulary, to="quanteda")


def test_a_slash_in_a_category_name_is_not_a_level(tmp_path):
    path = write(tmp_path, "a.lc3", "+软件/信息服务\n工业软件\n")
    vocabulary = load_vocabulary(path)
    assert terms_of(vocabulary) == [("工业软件", ("软件／信息服务",))]
    assert vocabulary.warnings == (
        f"{path}:1: category '软件/信息服务' holds '/', which separates nested categories here; read as '软件／信息服务'",
    )


def test_cntext_problems_have_their_line(tmp_path):
    path = write(tmp_path, "a.yaml", "Name: 测试\nDictionary: [量子科技]\n")
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert caught.value.problems == [f"{path}:2: 'Dictionary' must map each category to its list of words"]
    unknown = load_vocabulary(write(tmp_path, "b.yaml", "Name: 测试\nAuthor: 某人\nDictionary:\n  未来信息: [量子科技]\n"))
    assert unknown.warnings == (f"{tmp_path / 'b.yaml'}:2: key 'Author' is not part of a cntext dictionary; ignored",)


def test_nesting_too_deep_is_an_error_not_a_crash(tmp_path):
    text = "".join(f"{'  ' * depth}层{depth}:\n" for depth in range(200)) + "  " * 200 + "- 量子科技\n"
    with pytest.raises(VocabularyError, match="nested more than 32 levels deep"):
        load_vocabulary(write(tmp_path, "deep.yml", text))


def test_liwc_ids_with_leading_zeros_are_the_same_ids(tmp_path):
    vocabulary = load_vocabulary(write(tmp_path, "a.dic", "%\n01\t未来信息\n02\t未来能源\n%\n量子科技\t1\n氢能\t02\n"))
    assert terms_of(vocabulary) == [("量子科技", ("未来信息",)), ("氢能", ("未来能源",))]


# ── the package's shape ────────────────────────────────────────────────────────────────────

PACKAGE = Path(__file__).parent.parent / "policyterms"


def module_imports(path: Path) -> set[str]:
    """The policyterms modules a file imports, anywhere in it (a function's lazy import too)."""
    import ast

    name = ".".join(("policyterms", *path.relative_to(PACKAGE).with_suffix("").parts))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    package = package.removesuffix(".__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("policyterms"))
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            target = ".".join(part for part in (base, node.module or "") if part) if node.level else node.module or ""
            if not target.startswith("policyterms"):
                continue
            for alias in node.names:  # from . import liwc: the module liwc, not the package
                module = f"{target}.{alias.name}"
                place = PACKAGE.parent / module.replace(".", "/")
                is_module = place.is_dir() or any(place.parent.glob(f"{place.name}.*"))  # .py, .c (_speedups)
                found.add(module if is_module else target)
    # A module's own packages are imported before it by Python itself: not an edge of a circle.
    return {other for other in found if not name.startswith(f"{other}.")}


def test_no_two_modules_of_the_package_import_each_other():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(("policyterms", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        graph[name] = module_imports(path)
    circles = []
    for module, imported in graph.items():  # any path back to itself: a depth-first walk from each
        seen, todo = set(), [(other, (module, other)) for other in imported]
        while todo:
            current, trail = todo.pop()
            if current == module:
                circles.append(" → ".join(trail))
                break
            if current in seen or current not in graph:
                continue
            seen.add(current)
            todo.extend((other, (*trail, other)) for other in graph[current])
    assert circles == []
    assert not any(name.startswith("policyterms.dictionaries") for name in graph["policyterms.vocab"])


# ── files as their own tools read them (issue 23): one fixture per quirk ─────────────────────

def test_jieba_user_dictionary_words_may_hold_spaces_as_jieba_reads_them():
    # jieba.load_userdict: the last one or two fields are a frequency (digits) and a tag (lowercase).
    path = FIXTURES / "jieba-spaces.txt"
    vocabulary = load_vocabulary(path)
    assert [term.name for term in vocabulary.terms] == ["Edu Trust认证", "量子科技", "云计算", "机器 学习"]
    assert vocabulary.warnings == (f"{path}: 3 entries' frequencies and parts of speech are jieba's segmentation hints: "
                                   "not used for counting, not kept",)


def test_jieba_dict_txt_loads_past_the_size_limit_when_allowed():
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"  # 349,046 lines, 5 MB: jieba's own dictionary
    words = [line.split(" ")[0] for line in path.read_text(encoding="utf-8").splitlines()]
    with pytest.raises(VocabularyError, match=r"limit of 1 MB \(--max-vocab-mb N allows more"):
        load_vocabulary(path)
    vocabulary = load_vocabulary(path, max_mb=6)
    # 349,046 lines; B超 is listed twice, and 4 words twice in two cases (C# and c#, 江南Style and 江南style …),
    # one term each after normalization, a warning naming both.
    assert len(words) == 349046 and len(set(words)) == 349045
    assert len(vocabulary) == len({word.lower() for word in words}) == 349041
    assert len([w for w in vocabulary.warnings if "is the same term as" in w]) == 4
    assert vocabulary.terms[0].name == "AT&T"  # the first line: "AT&T 3 nz"


def test_liwc_ids_separated_by_spaces_as_in_the_moral_foundations_dictionary():
    # Line 5: "量子科技<TAB><TAB><TAB>01 02"; line 7 has no tab: "核聚变 能 02", a phrase and its id.
    vocabulary = load_vocabulary(FIXTURES / "mfd-spaces.dic")
    assert terms_of(vocabulary) == [("量子科技", ("未来信息", "未来能源")), ("氢能", ("未来能源",)), ("核聚变 能", ("未来能源",))]


def test_liwc_without_the_opening_percent_and_nested_by_four_spaces():
    vocabulary = load_vocabulary(FIXTURES / "liwc-no-percent.dic")
    assert terms_of(vocabulary) == [
        ("量子科技", ("未来产业/未来信息",)), ("氢能", ("未来产业/未来能源",)), ("数字经济", ("数字经济",)),
    ]


def test_cntext_valence_file_is_words_with_scores():
    vocabulary = load_vocabulary(FIXTURES / "valence-cntext.yaml")
    assert [(term.name, term.categories, dict(term.weights)) for term in vocabulary.terms] == [
        ("人工智能", ("valence", "arousal"), {"valence": 6.5, "arousal": 5.0}),
        ("氢能", ("valence", "arousal"), {"valence": 5.5, "arousal": 4.0}),
        ("机器学习", ("valence", "arousal"), {"valence": 6.0, "arousal": 4.5}),
    ]
    assert vocabulary.name == "效价词典（测试用）"


def test_weighted_dicx_zero_is_no_mark_and_other_numbers_are_weights():
    vocabulary = load_vocabulary(FIXTURES / "weighted.dicx")
    # 人工智能: 1.5 in positive, 0 in negative; 氢能: 0.0 and -2; 量子科技: 2 and 0.0.
    assert [(term.name, term.categories, term.weights) for term in vocabulary.terms] == [
        ("人工智能", ("positive",), (("positive", 1.5),)), ("氢能", ("negative",), (("negative", -2.0),)),
        ("量子科技", ("positive",), (("positive", 2.0),)),
    ]


def test_wordstat_empty_category_is_a_category_and_a_stray_entry_has_none():
    path = FIXTURES / "empty-category.cat"
    vocabulary = load_vocabulary(path)
    assert terms_of(vocabulary) == [("人工智能", ()), ("量子科技", ("未来产业",)), ("氢能", ("未来产业",)), ("数字经济", ("数字经济",))]
    assert vocabulary.empty_categories == ("MODAL WORDS WEAK",)
    assert vocabulary.categories == ["", "未来产业", "数字经济", "MODAL WORDS WEAK"]
    assert vocabulary.warnings == (f"{path}:1: '人工智能' is under no category; counted without one",)
    assert dict(vocabulary.terms[2].weights) == {"未来产业": 3.0}  # "氢能 (3)"


def test_lexicoder_colour_codes_are_not_part_of_the_category():
    assert terms_of(load_vocabulary(FIXTURES / "colours.lc3")) == [("量子科技", ("未来信息",)), ("氢能", ("未来能源",))]


@pytest.mark.parametrize("name, text", [
    ("deep.dic", "%\n" + "".join(f"{chr(9) * depth}{depth + 1}\t层{depth}\n" for depth in range(1405)) + "%\n量子科技\t1405\n"),
    ("deep.cat", "".join(f"{chr(9) * depth}层{depth}\n" for depth in range(1405)) + "\t" * 1405 + "量子科技 (1)\n"),
    ("deep.yaml", "terms:\n  - {term: 量子科技, category: " + "/".join(f"层{depth}" for depth in range(1405)) + "}\n"),
])
def test_nesting_deeper_than_32_levels_is_one_clear_error(tmp_path, name, text):
    with pytest.raises(VocabularyError, match="nested more than 32 levels deep"):
        load_vocabulary(write(tmp_path, name, text))


def test_globs_are_kept_and_prefix_or_skip_are_chosen_by_the_option():
    path = FIXTURES / "globs-quanteda.yml"
    assert [term.name for term in load_vocabulary(path).terms] == ["量子*", "第?代移动通信", "数字*", "econom*"]
    prefix = load_vocabulary(path, wildcards="prefix")
    assert [term.name for term in prefix.terms] == ["量子", "数字", "econom"]
    assert prefix.warnings[1] == (f"{path}:2: '第?代移动通信': --wildcards prefix cuts only a final '*'; left out "
                                  "(the default, glob, counts it)")


def test_weights_in_the_project_yaml(tmp_path):
    path = write(tmp_path, "w.yaml", "terms:\n  - {term: 氢能, category: [正面, 负面], weight: {正面: 2, 负面: -1.5}}\n"
                                     "  - {term: 量子科技, weight: 0.5}\n  - {term: 核能, weight: 很多}\n")
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert caught.value.problems == [f"{path}:4: weight '很多' is not a number"]
    path.write_text(path.read_text(encoding="utf-8").replace("很多", "1"), encoding="utf-8")
    vocabulary = load_vocabulary(path)
    assert [term.weight_in(name) for term in vocabulary.terms for name in ("正面", "负面")] == [2.0, -1.5, 0.5, 0.5, 1.0, 1.0]


# ── every format round-trips its own files ──────────────────────────────────────────────────

def described(vocabulary: Vocabulary) -> list[tuple]:
    return [(term.name, term.categories, dict(term.weights)) for term in vocabulary.terms]


@pytest.mark.parametrize("fixture, to, suffix", [
    ("future.dic", "liwc", ".dic"), ("mfd-spaces.dic", "liwc", ".dic"), ("liwc-no-percent.dic", "liwc", ".dic"),
    ("future.dicx", "dicx", ".dicx"), ("weighted.dicx", "dicx", ".dicx"),
    ("future.cat", "wordstat", ".cat"), ("empty-category.cat", "wordstat", ".cat"),
    ("future.lc3", "lexicoder", ".lc3"), ("colours.lc3", "lexicoder", ".lc3"),
    ("digital-cntext.yaml", "cntext", ".yaml"), ("valence-cntext.yaml", "cntext", ".yaml"),
    ("future-quanteda.yml", "quanteda", ".yml"), ("globs-quanteda.yml", "quanteda", ".yml"),
    ("jieba-spaces.txt", "jieba", ".txt"), ("userdict.txt", "jieba", ".txt"),
    ("valence-cntext.yaml", "yaml", ".yaml"), ("globs-quanteda.yml", "yaml", ".yaml"), ("weighted.dicx", "yaml", ".yaml"),
])
def test_every_format_round_trips_its_own_files(tmp_path, fixture, to, suffix):
    """Terms, categories, wildcards and weights come back as they were read."""
    first = load_vocabulary(FIXTURES / fixture)
    text, lost = export_dictionary(first, to=to)
    again = load_vocabulary(write(tmp_path, f"{Path(fixture).stem}{suffix}", text))
    assert described(again) == described(first)
    assert again.empty_categories == first.empty_categories


def test_wordstat_and_lexicoder_exports_are_what_their_readers_read():
    vocabulary = load_vocabulary(FIXTURES / "future.cat")
    text, lost = export_dictionary(vocabulary, to="wordstat")
    # 6G (2) keeps its weight; the rule @数字平台 was not read, so it is not written.
    assert text == ("未来产业\n\t未来信息\n\t\t量子科技 (1)\n\t\t第六代移动通信 (1)\n\t\t6G (2)\n\t未来能源\n\t\t氢能 (1)\n"
                    "\t\t核聚变* (1)\n数字经济\n\t数字经济 (1)\n")
    assert lost == []
    text, lost = export_dictionary(load_vocabulary(FIXTURES / "globs-quanteda.yml"), to="lexicoder")
    assert text == "+未来信息\n量子*\n第?代移动通信\n+数字\n数字*\necon om*\n".replace("econ om", "econom")
    assert lost == ["1 entries hold a wildcard other than a final '*', which Lexicoder cannot: written as they are, "
                    "Lexicoder reads them literally (第?代移动通信)"]
    _, lost = export_dictionary(load_vocabulary(FIXTURES / "weighted.dicx"), to="lexicoder")
    assert lost == ["the weights of 3 terms are not kept (the format has no weights)"]
    _, lost = export_dictionary(load_vocabulary(FIXTURES / "globs-quanteda.yml"), to="cntext")
    assert lost[-1].startswith("4 entries hold a wildcard, which cntext cannot")
