"""readers/zips.py: zip members inflated chunk by chunk under a measured limit."""

import io
import struct
import zipfile

import pytest

from policyterms.errors import InputError
from policyterms.readers import zips


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_members_come_out_as_they_went_in(method):
    members = {"a.xml": "量子科技".encode() * 50_000, "b/c.xml": b"", "d.bin": bytes(range(256)) * 999}
    assert zips.inflated_members(_zip(members, method), source="x.docx", limit=None) == members


def test_the_limit_counts_every_member_together():
    data = _zip({"a": b"0" * 600_000, "b": b"1" * 600_000})
    assert len(zips.inflated_members(data, source="x.docx", limit=1_200_000)) == 2
    with pytest.raises(InputError, match=r"stopped after 1\.1 MB, whatever its headers say"):
        zips.inflated_members(data, source="x.docx", limit=1_199_999)


def test_a_member_is_never_inflated_much_past_the_limit(monkeypatch):
    """Whatever a member's compressed bytes hold, at most CHUNK bytes come out of one step."""
    seen = []
    original = zips._inflate

    def counting(data, info):
        for chunk in original(data, info):
            seen.append(len(chunk))
            yield chunk

    monkeypatch.setattr(zips, "_inflate", counting)
    data = _zip({"bomb.xml": b"\0" * (64 * zips.CHUNK)})  # 4 MB of zeros: about 4 KB compressed
    with pytest.raises(InputError):
        zips.inflated_members(data, source="x.docx", limit=3 * zips.CHUNK)
    assert max(seen) <= zips.CHUNK and sum(seen) <= 4 * zips.CHUNK


def test_a_member_whose_data_does_not_match_its_crc_is_refused():
    data = bytearray(_zip({"a.xml": b"hello world" * 100}, zipfile.ZIP_STORED))
    data[data.find(b"hello")] = ord("j")
    with pytest.raises(InputError, match="bad CRC-32 for a.xml"):
        zips.inflated_members(bytes(data), source="x.docx", limit=None)


def test_corrupt_deflate_data_is_an_input_error():
    data = bytearray(_zip({"a.xml": bytes(range(256)) * 400}))
    offset = struct.unpack_from("<H", data, 26)[0] + 30  # the member's compressed data
    data[offset : offset + 40] = b"\xff" * 40
    with pytest.raises(InputError, match="not a readable .docx file"):
        zips.inflated_members(bytes(data), source="x.docx", limit=None)


def test_not_a_zip_is_zipfile_s_error():
    with pytest.raises(zipfile.BadZipFile):
        zips.inflated_members(b"not a zip", source="x.docx", limit=None)


def test_stored_zip_needs_no_inflating():
    members = {"word/document.xml": b"<w:document/>"}
    with zipfile.ZipFile(io.BytesIO(zips.stored_zip(members))) as archive:
        assert [info.compress_type for info in archive.infolist()] == [zipfile.ZIP_STORED]
        assert archive.read("word/document.xml") == b"<w:document/>"
