"""readers/decoding.py: UTF-8 (BOM or not), UTF-16 with a BOM, GB18030 and Big5 detected."""

import pytest

from conftest import seed_text

from policyterms import InputError
from policyterms.errors import UsageError
from policyterms.readers import check_encoding, decode, decode_text, detect_encoding

SEED_000 = seed_text("000_f7f3963a21b11a20.txt")


@pytest.mark.parametrize(
    "data, cause",
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"\x80\x80 abc", "not UTF-8 (invalid byte at 0) and not GB18030 or Big5 text; name the encoding with --encoding"),
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
    assert decode(text.encode("gbk"), source="a") == text
    assert decode(text.encode("utf-16"), source="a") == text
    traditional = "推動量子科技發展"
    assert decode(traditional.encode("big5"), source="a", encoding="big5") == traditional
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"x", source="a", encoding="nope")


def test_a_whole_seed_in_gb18030_or_gbk_is_detected():
    assert decode(SEED_000.encode("gb18030"), source="a") == SEED_000
    assert detect_encoding(SEED_000.encode("gbk"), source="a") == "gb18030"  # GB18030 is a superset of GBK


def test_big5_is_told_apart_from_gb18030():
    # Big5 bytes mostly decode as GB18030 too, into nonsense ("推動量子科技發展" → "崩笆秖м祇甶"):
    # decoding without error is not enough, the detector weighs which reading is Chinese text.
    traditional = "推動量子科技發展，布局未來產業。"
    assert detect_encoding(traditional.encode("big5"), source="a") == "big5"
    assert decode(traditional.encode("big5"), source="a") == traditional


def test_invalid_bytes_in_the_middle_of_a_gb18030_file_name_the_position():
    data = SEED_000[:2000].encode("gb18030") + b"\xff\xff" + SEED_000[2000:4000].encode("gb18030")
    with pytest.raises(InputError) as caught:
        decode(data, source="x.txt")
    message = str(caught.value)
    assert message.startswith("x.txt: cannot decode as gb18030 (invalid byte at ") and "--encoding" in message


def test_a_given_encoding_that_does_not_fit_says_so():
    with pytest.raises(InputError, match=r"x.txt: cannot decode as utf-8 \(invalid byte at 0"):
        decode("量子".encode("gb18030"), source="x.txt", encoding="utf-8")



# A scraped page in UTF-8 with four stray bytes: a truncated character (2 bytes), a lone 0xFF and
# a Latin-1 é, in about 5,500 bytes (at most 1 in 1,000 may be replaced).
SENTENCE = "各地区各部门要前瞻布局未来产业，推动量子科技、生物制造、氢能和核聚变能等领域取得突破。"
TITLE = "国务院关于培育未来产业的指导意见\n\n"


def page_with_stray_bytes() -> bytes:
    body = SENTENCE.encode("utf-8")
    return TITLE.encode("utf-8") + b"\xe6\x9c" + body * 20 + b"\xff" + body * 20 + "café".encode("latin-1")


def test_a_few_stray_bytes_in_utf8_are_replaced_and_counted():
    data = page_with_stray_bytes()
    # 16-character title and two newlines (50 bytes), 40 sentences, "caf", and the 4 stray bytes
    assert len(data) == 50 + 40 * len(SENTENCE.encode("utf-8")) + 3 + 4 > 4000
    decoded = decode_text(data, source="page.txt", strict=False)
    assert decoded.replaced_bytes == 4
    assert decoded.text == TITLE + "\ufffd\ufffd" + SENTENCE * 20 + "\ufffd" + SENTENCE * 20 + "caf\ufffd"


def test_stray_bytes_stay_an_error_when_strict_or_too_many():
    with pytest.raises(InputError, match="page.txt: cannot decode as utf-8"):
        decode_text(page_with_stray_bytes(), source="page.txt", strict=True)
    too_many = (SENTENCE * 7).encode("utf-8") + b"\xff\xff"  # 2 in 905 bytes
    with pytest.raises(InputError, match="page.txt: cannot decode as utf-8"):
        decode_text(too_many, source="page.txt", strict=False)
    with pytest.raises(InputError, match="unknown encoding"):
        decode_text(b"x", source="page.txt", encoding="nope", strict=False)


def test_a_few_high_bytes_in_ascii_text_are_not_taken_for_utf8():
    # No UTF-8 Chinese around the one bad byte: nothing says the file is UTF-8, so nothing is replaced.
    latin1 = ("Future industries and the new quality productive forces. " * 100 + "café").encode("latin-1")
    try:
        decoded = decode_text(latin1, source="x.txt", strict=False)
    except InputError:
        return
    assert decoded.replaced_bytes == 0 and "\ufffd" not in decoded.text


def test_an_unknown_encoding_is_one_usage_error():
    with pytest.raises(UsageError, match="unknown encoding 'foo' for --encoding"):
        check_encoding("foo")
    check_encoding("GB18030")
    check_encoding(None)


def test_mostly_han_counts_han_among_the_non_ascii_characters():
    from policyterms.readers.decoding import mostly_han

    assert mostly_han("量子科技，发展6G。")  # 4 Han of 6 non-ASCII
    assert not mostly_han("ÄÖÜßéèêë量子")  # 2 of 10
    assert not mostly_han("ab量")  # too few to tell


def test_a_gbk_prefix_cut_inside_a_character_is_still_gb18030():
    from policyterms.readers.decoding import detect_encoding

    data = ("x" + "政府工作报告提出加快发展新质生产力。\n" * 200).encode("gbk")
    assert detect_encoding(data[:1001], source="t.txt") == "gb18030"  # 1 + 500 characters: cut after a first byte
