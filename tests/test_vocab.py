import pytest

from policyterms import Term, Vocabulary, VocabularyError, load_vocabulary
from policyterms.dictionaries import check_vocabulary, default_vocabulary_path


def write(tmp_path, text: str):
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_design_shape_loads(tmp_path):
    path = write(tmp_path, "terms:\n  - {term: 第六代移动通信, aliases: [6G], category: 未来信息}\n  - term: 核聚变能\n    category: 未来能源\n")
    vocab = load_vocabulary(path)
    assert [t.name for t in vocab.terms] == ["第六代移动通信", "核聚变能"]
    assert vocab.terms[0].aliases == ("6G",)
    assert vocab.terms[1].category == "未来能源"
    assert vocab.name == "v" and len(vocab.digest) == 64


def test_bare_strings_and_single_alias(tmp_path):
    vocab = load_vocabulary(write(tmp_path, "name: t\nterms:\n  - 新质生产力\n  - {term: 人工智能, aliases: AI}\n"))
    assert vocab.terms == (Term("新质生产力"), Term("人工智能", aliases=("AI",)))
    assert vocab.name == "t"


def test_every_problem_is_reported_with_its_line(tmp_path):
    path = write(
        tmp_path,
        "terms:\n"
        "  - {term: 量子科技, category: 未来信息}\n"   # 2
        "  - {term: 量子科技}\n"                       # 3 duplicate term
        "  - {term: 人工智能, aliases: [AI]}\n"        # 4
        "  - {term: 机器学习, aliases: [ai]}\n"        # 5 alias claimed (case-insensitive)
        "  - {term: '  '}\n"                           # 6 empty term
        "  - {term: 脑机接口, colour: red}\n"          # 7 unknown key
        "  - {category: 未来信息}\n",                  # 8 missing term
    )
    problems = check_vocabulary(path)
    assert problems == [
        f"{path}:3: duplicate term '量子科技' (first at line 2)",
        f"{path}:5: alias 'ai' is already claimed by term '人工智能' (line 4)",
        f"{path}:6: empty term",
        f"{path}:7: unknown key 'colour' (allowed: term, aliases, category, note, weight)",
        f"{path}:8: missing 'term'",
    ]


def test_full_width_duplicate_is_a_duplicate(tmp_path):
    problems = check_vocabulary(write(tmp_path, "terms:\n  - 6G\n  - ６Ｇ\n"))
    assert problems and "duplicate term '６Ｇ'" in problems[0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("terms: [a, b\n", "YAML syntax error"),
        ("", "empty vocabulary file"),
        ("- a\n- b\n", "expected a mapping"),
        ("words: []\n", "unknown key 'words'"),
        ("terms: 量子科技\n", "'terms' must be a list"),
        ("terms:\n  - {term: [a, b]}\n", "term must be a string"),
        ("a: &x [1]\nterms: *x\n", "anchors and aliases"),
    ],
)
def test_broken_files_raise_one_error_with_the_file_name(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert str(path) in caught.value.problems[0]
    assert message in " ".join(caught.value.problems)


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("terms:\n\t- 量子科技\n", 2, 1),  # libyaml: "found character that cannot start any token"
        ("terms:\n  - 6G\n\t- 核聚变能\n", 3, 1),  # libyaml: "found a tab character that violates indentation"
        ("terms:\n  - term: 量子科技\n  \tcategory: 未来信息\n", 3, 3),  # after two spaces
        ("terms:\n  - 6G\n\t\n  - 核聚变能\n", 3, 1),  # a line of nothing but a tab, which looks blank
    ],
)
def test_a_tab_in_the_indentation_is_named_with_its_line_and_what_to_do(tmp_path, text, line, column):
    path = write(tmp_path, text)
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert caught.value.problems == [f"{path}:{line}: YAML syntax error: a tab at column {column}; indent with spaces, not tabs"]


def test_a_tab_is_named_by_the_pure_python_parser_too(tmp_path, monkeypatch):
    import yaml

    monkeypatch.setattr("policyterms.safe_yaml.Loader", yaml.SafeLoader)  # PyYAML without libyaml
    path = write(tmp_path, "terms:\n  - term: 量子科技\n  \tcategory: 未来信息\n")
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert caught.value.problems == [f"{path}:3: YAML syntax error: a tab at column 3; indent with spaces, not tabs"]


def test_a_tab_the_yaml_allows_is_no_error(tmp_path):
    # After "key:" and inside a {} entry a tab separates as a space does.
    path = write(tmp_path, "terms:\n  - term:\t量子科技\n  - {term: 6G,\tcategory: 未来信息}\n")
    assert [t.name for t in load_vocabulary(path).terms] == ["量子科技", "6G"]


def test_missing_file(tmp_path):
    with pytest.raises(VocabularyError, match="no such vocabulary file"):
        load_vocabulary(tmp_path / "nope.yaml")


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]")
    lines.append("terms: [*j]")
    with pytest.raises(VocabularyError, match="anchors and aliases"):
        load_vocabulary(write(tmp_path, "\n".join(lines) + "\n"))


def test_from_terms_validates_like_a_file():
    with pytest.raises(VocabularyError, match="duplicate term"):
        Vocabulary.from_terms(["量子科技", "量子科技"])


def test_patterns_are_normalized():
    vocab = Vocabulary.from_terms([Term("第六代移动通信", aliases=("6G",))])
    assert list(vocab.patterns()) == [("第六代移动通信", 0), ("6g", 0)]


def test_default_vocabulary_is_found_and_valid():
    path = default_vocabulary_path()
    assert path.is_file()
    assert check_vocabulary(path) == []
    vocab = load_vocabulary()
    names = {t.name for t in vocab.terms}
    for required in ("量子科技", "生物制造", "氢能", "核聚变能", "脑机接口", "具身智能", "第六代移动通信",
                     "元宇宙", "量子信息", "人形机器人", "生成式人工智能", "未来显示", "未来网络", "新型储能",
                     "太空制造", "原子级制造", "太赫兹", "人工智能", "新质生产力", "未来产业", "战略性新兴产业",
                     "集成电路", "数字经济"):
        assert required in names, required
    assert "6G" in next(t for t in vocab.terms if t.name == "第六代移动通信").aliases
    categories = set(vocab.categories)
    assert {"未来制造", "未来信息", "未来材料", "未来能源", "未来空间", "未来健康"} <= categories
    assert all(t.category for t in vocab.terms)


# ── several categories, nested categories, the vocabulary's own metadata ─────────────────────

def test_a_term_in_several_categories_and_category_paths(tmp_path):
    vocab = load_vocabulary(write(tmp_path, (
        "name: 测试\ndescription: 两个类别\nreference: 作者. 题名, 2026.\nversion: '2.0'\nterms:\n"
        "  - {term: 人工智能, category: [数字技术, 未来产业/未来信息]}\n"
        "  - {term: 量子科技, category: ' 未来产业 / 未来信息 '}\n"
    )))
    assert vocab.terms[0].categories == ("数字技术", "未来产业/未来信息")
    assert vocab.terms[0].category == "数字技术; 未来产业/未来信息"  # the tables' category column
    assert vocab.terms[1].categories == ("未来产业/未来信息",)  # spaces around a level are not part of it
    assert vocab.categories == ["数字技术", "未来产业/未来信息"]
    assert (vocab.name, vocab.description, vocab.reference, vocab.version) == ("测试", "两个类别", "作者. 题名, 2026.", "2.0")
    assert vocab.metadata == {"name": "测试", "description": "两个类别", "reference": "作者. 题名, 2026.", "version": "2.0",
                              "source": str(tmp_path / "v.yaml"), "sha256": vocab.digest}


def test_category_problems_have_their_line(tmp_path):
    path = write(tmp_path, (
        "terms:\n"
        "  - {term: 人工智能, category: [数字技术, 数字技术]}\n"
        "  - {term: 量子科技, category: 未来产业//未来信息}\n"
        "  - {term: 氢能, category: [未来能源, '']}\n"
    ))
    assert check_vocabulary(path) == [
        f"{path}:2: category '数字技术' given twice for the same term",
        f"{path}:3: category '未来产业//未来信息' has an empty level (a path is like 未来产业/未来信息)",
        f"{path}:4: empty category",
    ]


def test_a_term_listed_twice_under_two_spellings_names_both(tmp_path):
    path = write(tmp_path, "terms:\n  - {term: 6G, category: 未来信息}\n  - {term: ６Ｇ, category: 通信}\n")
    assert check_vocabulary(path) == [
        f"{path}:3: duplicate term '６Ｇ', the same as '6G' after normalization (first at line 2; "
        "a term in several categories is one entry: category: [未来信息, 通信])"
    ]


def test_by_category_gives_each_term_all_its_categories_cut_to_a_depth():
    vocab = Vocabulary.from_terms([
        Term("人工智能", ("数字技术", "未来产业/未来信息")), Term("量子科技", "未来产业/未来信息"),
        Term("核聚变能", "未来产业/未来能源"), Term("新质生产力"),
    ])
    categories, labels = vocab.by_category()
    assert [t.name for t in categories.terms] == ["数字技术", "未来产业/未来信息", "未来产业/未来能源", "(none)"]
    assert labels == [(0, 1), (1,), (2,), (3,)]
    rolled, labels = vocab.by_category(1)
    assert [t.name for t in rolled.terms] == ["数字技术", "未来产业", "(none)"]
    assert labels == [(0, 1), (1,), (1,), (2,)]  # 未来信息 and 未来能源 both roll up to 未来产业


def test_a_term_listed_again_under_another_category_says_how_to_write_it(tmp_path):
    path = write(tmp_path, "terms:\n  - {term: 人工智能, category: 数字技术}\n  - {term: 人工智能, category: 未来信息}\n")
    assert check_vocabulary(path) == [
        f"{path}:3: duplicate term '人工智能' (first at line 2; a term in several categories is one entry: "
        "category: [数字技术, 未来信息])"
    ]


@pytest.mark.parametrize("aliases, shown", [
    ('"低空飞行, 低空旅游"', "低空飞行, 低空旅游"),  # one string, not a list: it would only match "低空飞行, 低空旅游"
    ("[低空飞行、低空旅游]", "低空飞行、低空旅游"),
])
def test_aliases_written_as_one_string_with_separators_are_an_error_with_the_line(tmp_path, aliases, shown):
    path = tmp_path / "v.yaml"
    path.write_text(f"terms:\n  - term: 低空经济\n    aliases: {aliases}\n    category: 未来空间\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(path)
    assert caught.value.problems == [
        f"{path}:3: alias '{shown}' is one string holding a list: write aliases: [低空飞行, 低空旅游]"
    ]
