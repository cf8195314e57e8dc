"""Bytes → text: the given encoding, else a byte-order mark, UTF-8, or a detected Chinese encoding.

Policy documents come in UTF-8 (with or without a BOM) and, from older sites and Windows tools,
GB18030/GBK; Traditional-Chinese sources sometimes in Big5. Plain UTF-8 is tried first (strict:
a file that decodes is UTF-8 with near certainty). When it fails, GB18030 (a superset of GBK and
GB2312) and Big5 are tried, strictly: one that decodes the file into mostly Han text
(``HAN_SHARE`` of its non-ASCII characters) is chosen. Only when both do — they decode much of the
other's bytes into nonsense Han, so "it decodes" is not always enough — does charset-normalizer
choose between them, by how plausible the decoded text is. (It once overruled a GBK file that
decodes cleanly: it was given the first megabyte cut in the middle of a character.)

Scraped pages often carry a stray byte or two in otherwise valid UTF-8. ``decode_text`` (unless
``strict``) replaces such bytes with U+FFFD when they are at most 1 in 1,000 of the file and the
rest reads as UTF-8 Chinese text, and says how many it replaced: the document is counted, the
user warned.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..errors import InputError, UsageError
from ..normalize import HAN

SNIFF_BYTES = 8192
DETECT_BYTES = 1 << 20  # how much of a large file the detector reads
_MIN_TELLING_BYTES = 64  # enough text before a bad byte to tell the encoding by
_MIN_UTF8_CHARACTERS = 3
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Candidates when a file is not UTF-8, in order of preference when they are equally plausible
# (mainland policy text is far more often GB18030 than Big5).
_CHINESE_ENCODINGS = ("gb18030", "big5")
STRAY_BYTES_PER_MILLE = 1  # at most this many invalid bytes per 1,000 are replaced, not an error
_STRAY_TEXT_RATIO = 10  # and the file holds at least 10 valid multi-byte characters per stray byte
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
HAN_SHARE = 0.6  # of a text's non-ASCII characters, for "mostly Han" (the rest: punctuation, symbols)
_NOT_HAN = re.compile(f"[^{HAN}]+")  # what errors="surrogateescape" makes of one invalid byte


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    replaced_bytes: int = 0  # invalid UTF-8 bytes replaced with U+FFFD


def check_encoding(encoding: str | None) -> None:
    """A usage error for an encoding Python does not know: said once, not once per file."""
    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding '{encoding}' for --encoding (e.g. utf-8, gb18030, big5)") from None


def decode_text(data: bytes, *, source: str, encoding: str | None = None, strict: bool = True) -> Decoded:
    """``decode``, and (unless ``strict``) a few stray bytes in UTF-8 text replaced, not an error."""
    try:
        return Decoded(decode(data, source=source, encoding=encoding))
    except InputError:
        if strict or encoding not in (None, "utf-8", "utf8", "utf_8"):
            raise
        repaired = _with_stray_bytes_replaced(data)
        if repaired is None:
            raise
        return repaired


def _with_stray_bytes_replaced(data: bytes) -> Decoded | None:
    """UTF-8 text with its few invalid bytes (each) replaced by U+FFFD; None when there are too
    many of them, or too little valid UTF-8 text around them, to call it UTF-8."""
    if data.startswith(_UTF16_BOMS) or b"\x00" in data[:SNIFF_BYTES]:
        return None
    escaped = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "surrogateescape")
    stray = len(_ESCAPED_BYTE.findall(escaped))
    if not stray or stray * 1000 > len(data) * STRAY_BYTES_PER_MILLE:
        return None
    multibyte = sum(1 for char in escaped if ord(char) > 0x7F) - stray
    if multibyte < max(_MIN_UTF8_CHARACTERS, _STRAY_TEXT_RATIO * stray):
        return None  # mostly ASCII with a few high bytes: more likely another encoding
    return Decoded(_ESCAPED_BYTE.sub("\ufffd", escaped), stray)


def decode(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """Decode a whole document; raises ``InputError`` naming ``source`` and the cause."""
    if not data.strip():
        raise InputError(source, "empty file")
    if encoding is None and not data.startswith((codecs.BOM_UTF8, *_UTF16_BOMS)) and b"\x00" not in data[:SNIFF_BYTES]:
        try:
            return data.decode("utf-8")  # the common case, decoded once
        except UnicodeDecodeError:
            pass
    chosen = encoding or detect_encoding(data, source=source)
    try:
        return data.decode(chosen)
    except LookupError:
        raise InputError(source, f"unknown encoding '{encoding}'") from None
    except UnicodeDecodeError as exc:
        raise InputError(source, decode_failure(chosen, exc, given=encoding is not None)) from None


def detect_encoding(data: bytes, *, source: str) -> str:
    """The encoding of ``data`` (the whole file, or its first bytes when ``data`` is a prefix).

    Raises ``InputError`` for binary data and for text in no encoding it can tell."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(source, "binary file (contains NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)  # a prefix may end mid-character
        return "utf-8"
    except UnicodeDecodeError as utf8_error:
        if _reads_as_utf8(data[: utf8_error.start]):
            raise InputError(source, decode_failure("utf-8", utf8_error, given=False)) from None
        decodable = [name for name in _CHINESE_ENCODINGS if decodes_as_han(data, name)]
        if len(decodable) == 1:
            return decodable[0]
        detected = _detect_chinese(_whole_lines(data[:DETECT_BYTES]), among=decodable or _CHINESE_ENCODINGS)
        if decodable:
            return detected if detected in decodable else decodable[0]
        if detected is None:
            _raise_if_broken_chinese(data, source=source)
            raise InputError(
                source,
                f"not UTF-8 (invalid byte at {utf8_error.start}) and not GB18030 or Big5 text; "
                "name the encoding with --encoding",
            ) from None
        return detected


def _reads_as_utf8(prefix: bytes) -> bool:
    """True when the text before a bad byte already holds several multi-byte UTF-8 characters:
    then the file is UTF-8 with a broken byte (GB18030 text is almost never valid UTF-8 for long)."""
    return sum(1 for char in prefix.decode("utf-8", "ignore") if ord(char) > 0x7F) >= _MIN_UTF8_CHARACTERS


def decodes_as_han(data: bytes, encoding: str) -> bool:
    """True when ``data`` (a whole file, or its first bytes) decodes strictly as ``encoding``
    into mostly Han text: ``HAN_SHARE`` of its non-ASCII characters, among its first megabyte's."""
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(data, final=False)  # a prefix may end mid-character
    except UnicodeDecodeError:
        return False
    return mostly_han(text[:DETECT_BYTES])


def mostly_han(text: str) -> bool:
    wide = len(text) - len(text.encode("ascii", "ignore"))
    han = len(_NOT_HAN.sub("", text))
    return wide >= _MIN_UTF8_CHARACTERS and han >= HAN_SHARE * wide


def _whole_lines(prefix: bytes) -> bytes:
    """A prefix cut back to its last line break (never inside a GB18030 or Big5 character, whose
    bytes after the first are all 0x30 or more), so that the detector sees no broken character."""
    end = prefix.rfind(b"\n")
    return prefix[: end + 1] if end > 0 else prefix


def _detect_chinese(data: bytes, *, among: tuple[str, ...] | list[str] = _CHINESE_ENCODINGS) -> str | None:
    from charset_normalizer import from_bytes  # imported only for the rare non-UTF-8 file

    matches = list(from_bytes(data, cp_isolation=list(among)))
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    plausible = {match.encoding for match in matches if match.chaos == least_chaos}
    return next((name for name in _CHINESE_ENCODINGS if name in plausible), None)


def _raise_if_broken_chinese(data: bytes, *, source: str) -> None:
    """A GB18030 (or Big5) file with a few invalid bytes is not "in no encoding": say where it breaks."""
    for candidate in _CHINESE_ENCODINGS:
        try:
            data.decode(candidate)
        except UnicodeDecodeError as exc:
            if exc.start >= _MIN_TELLING_BYTES and _detect_chinese(data[: exc.start]) == candidate:
                raise InputError(source, decode_failure(candidate, exc, given=False)) from None


def decode_failure(encoding: str, exc: UnicodeDecodeError, *, given: bool) -> str:
    """The cause, for a user, of a failed decode at ``exc.start``."""
    hint = "" if given else "; name the encoding with --encoding"
    return f"cannot decode as {encoding} (invalid byte at {exc.start}: {exc.reason}){hint}"
