import pytest

from policyterms.normalize import apply_edits, fold_characters, join_han_lines, normalize, normalize_term


def test_full_width_digits_and_letters_become_ascii_lower_case(normalizer):
    assert normalize("启动第二阶段６Ｇ技术试验").text == "启动第二阶段6g技术试验"


def test_full_width_punctuation_becomes_ascii(normalizer):
    assert normalize("要推动量子科技、生物制造，氢能！").text == "要推动量子科技、生物制造,氢能!"


def test_whitespace_between_han_is_removed_but_not_elsewhere(normalizer):
    # 004: a page break inside "十五五"; 000: a page break between "50" and "厘米" stays.
    assert normalize("聚焦“十五\n\n五”时期主攻方向").text == "聚焦“十五五”时期主攻方向"
    assert normalize("能有效阻挡50\n\n厘米高的涝水").text == "能有效阻挡50\n\n厘米高的涝水"
    assert normalize("AI 芯片 and 5G").text == "ai 芯片 and 5g"
    assert normalize("平\u3000台").text == "平台"  # ideographic space is whitespace after NFKC


def test_invisible_characters_are_dropped(normalizer):
    assert normalize("脑机\u200b接口").text == "脑机接口"


@pytest.mark.parametrize(
    "original, start_word",
    [
        ("聚焦“十五\n\n五”时期", "十五五"),
        ("今天……量子科技", "量子科技"),  # "……" expands to "......" under NFKC
        ("\ufeff启动第二阶段６Ｇ技术", "6g"),
    ],
)
def test_offsets_map_back_to_the_original_surface(original, start_word, normalizer):
    normalized = normalize(original)
    start = normalized.text.index(start_word)
    surface = normalized.surface(start, start + len(start_word))
    assert normalize(surface).text == start_word
    expected = {"十五五": "十五\n\n五", "量子科技": "量子科技", "6g": "６Ｇ"}[start_word]
    assert surface == expected


def test_expanded_character_maps_to_itself(normalizer):
    normalized = normalize("a…b")
    assert normalized.text == "a...b"
    assert [normalized.to_original(i) for i in range(5)] == [0, 1, 1, 1, 2]
    assert normalized.surface(1, 4) == "…"


def test_apply_edits_deletion_at_start_is_mapped():
    text, offsets = apply_edits("  ab", [(0, 2, "")])
    assert text == "ab"
    assert offsets.to_input(0) == 2 and offsets.to_input(1) == 3


def test_identity_when_nothing_changes(normalizer):
    text = "量子科技"
    assert fold_characters(text)[0] == text
    assert join_han_lines(text)[0] == text
    assert normalize(text).maps == ()


def test_normalize_term_strips_and_folds():
    assert normalize_term(" ６Ｇ ") == "6g"
    assert normalize_term("第六代\n移动通信") == "第六代移动通信"


def test_every_normalized_span_maps_back_to_an_original_span_that_normalizes_to_it(normalizer):
    import random

    pieces = ["十五", "\n\n", "五", "６Ｇ", "…", "\u200b", "Ａ", "a", " ", "\u3000", "平", "台", "，", "㈠", "ﬁ", "1"]
    rng = random.Random(7)
    for _ in range(2000):
        original = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        normalized = normalize(original)
        n = len(normalized.text)
        for start in range(n):
            for end in range(start + 1, n + 1):
                o_start, o_end = normalized.original_span(start, end)
                assert 0 <= o_start < o_end <= len(original)
                # the original span holds the normalized span (it may hold more: a whole expanded
                # character, or whitespace joined away at its edges)
                assert normalized.text[start:end] in normalize(original[o_start:o_end]).text


# The fast paths against the definitions they replace ---------------------------------------------


def test_whitespace_is_every_character_python_takes_for_whitespace():
    import re
    import sys

    from policyterms.normalize import WHITESPACE

    spaces = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    assert list(WHITESPACE) == spaces
    assert all(re.fullmatch(r"\s", char) for char in spaces)


def test_fold_tables_hold_every_bmp_character_folded_alone():
    """Each BMP character must be in the tables exactly as fold_character folds it alone (the
    tables are computed from one NFKC call over all characters at once, and shipped: the test
    below checks that the shipped ones are the computed ones)."""
    from policyterms.normalize import _changing, _fold_tables, fold_character

    tables = _fold_tables()
    resizing = 0
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        folded = fold_character.__wrapped__(char)  # not the cache: every character anew
        if folded == char:
            assert char not in tables.one_to_one and not _changing().fullmatch(char), hex(code)
        elif len(folded) == 1:
            assert tables.one_to_one[char] == folded and _changing().fullmatch(char), hex(code)
        else:
            assert char not in tables.one_to_one and _changing().fullmatch(char), hex(code)
            resizing += 1
    assert resizing > 1000  # "…", "①", "ﬁ", the invisible ones …: none of the three cases is empty
    assert len(tables.one_to_one) > 2000


def test_the_shipped_fold_tables_are_this_unicode_versions():
    # policyterms/fold_tables.json saves each process computing them; if this fails after a
    # Python upgrade, write them again: python -c "from policyterms.normalize import write_fold_data; write_fold_data()"
    import json
    import unicodedata

    from policyterms.normalize import FOLD_DATA, _shipped_fold_data, fold_data

    shipped = json.loads(FOLD_DATA.read_text(encoding="utf-8"))
    assert shipped["unicode"] == unicodedata.unidata_version
    assert _shipped_fold_data() == fold_data()


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "平 台",
        " 平\n\n台 ",
        "平\u3000\u3000台，量子 科技；（６Ｇ）！？ AI 芯片",
        "十五\n\n五\t五 a 五",
        "𠀀 平",
        "…平 …台",
        "a b c",
        "中 国 人",
    ],
)
def test_normalize_equals_folding_each_character_then_removing_han_gaps(text, normalizer):
    import re

    from conftest import normalized_by_definition

    from policyterms.normalize import non_space_length

    expected = normalized_by_definition(text)
    assert normalize(text).text == expected
    assert normalize(text, offsets=False).text == expected
    assert non_space_length(expected) == len(re.sub(r"\s", "", expected))


def test_text_normalized_without_offsets_refuses_to_map_back():
    normalized = normalize("十五\n\n五", offsets=False)
    assert normalized.text == "十五五" and normalized.maps is None
    with pytest.raises(ValueError, match="without offsets"):
        normalized.to_original(2)


def test_han_gaps_of_a_long_text_are_found_one_at_a_time_alike(monkeypatch):
    import importlib

    normalize_module = importlib.import_module("policyterms.normalize")  # (the package exports the function)
    # Per copy, 4 gaps between Han characters: 平 台 / 台\n\n量 / 子 科 / 片\u3000发; none beside 6G or a.
    text = "平 台\n\n量子 科技 6G 芯片\u3000发展 a 中" * 50
    expected = normalize_module._han_gaps(text)  # in Python
    assert len(expected) == 4 * 50
    assert normalize_module.han_gaps(text) == expected
    monkeypatch.setattr(normalize_module, "_SPLIT_AT_MOST", 10)  # this text counts as long now
    assert normalize_module._han_gaps(text) == expected


def test_the_compiled_normalizer_is_built():
    import importlib

    assert importlib.import_module("policyterms.normalize")._speedups is not None, (
        "policyterms/_speedups.c was not built: `pip install -e .` needs a C compiler (gcc) and Python's headers")


def test_the_compiled_loops_agree_with_python_on_every_character():
    """Over every code point: the one-to-one fold (and which characters are left to fold alone),
    the gaps between Han characters, and the non-space length, in C and in Python alike."""
    import importlib
    import sys

    from conftest import python_normalizer

    normalize_module = importlib.import_module("policyterms.normalize")
    compiled = normalize_module._speedups
    every = "".join(chr(code) for code in range(sys.maxunicode + 1))
    between_han = "平" + "平".join(every) + "平"  # a gap wherever a character is whitespace
    folded = "".join(normalize_module.fold_character(char) for char in every)
    in_c = (compiled.fold_one_to_one(every, normalize_module._fold_table()), compiled.han_gaps(between_han),
            compiled.non_space_length(folded))
    with python_normalizer():
        in_python = (normalize_module._fold_one_to_one(every), normalize_module.han_gaps(between_han),
                     normalize_module.non_space_length(folded))
    assert in_c == in_python
    assert len(in_c[1]) == len(normalize_module.WHITESPACE) and len(in_c[0][1]) > 1000


def test_is_han_is_the_han_character_class():
    import re
    import sys

    from policyterms.normalize import HAN, is_han

    han = re.compile(f"[{HAN}]")
    assert all(is_han(chr(code)) == bool(han.match(chr(code))) for code in range(sys.maxunicode + 1))
