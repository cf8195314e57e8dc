"""Zip members (a ``.docx`` and any other zip-based format) inflated under a limit that is
measured, not declared.

A zip's headers say how large each member is, but the sizes are the writer's word: a member that
says 100,000 bytes may inflate to gigabytes, and ``zipfile`` inflates a member's compressed bytes
in one call before it cuts them to the declared size (a 3 MB file took 2 GB and 10 s to fail).
Here every member is inflated in chunks of ``CHUNK`` bytes, the bytes counted as they come out,
and reading stops as soon as the archive's members together pass the limit, whatever the headers
say. The members that passed are handed on as a zip of stored (uncompressed) members, which the
format's own reader (python-docx) opens with nothing left to inflate.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from ..errors import InputError
from .limits import EXPANSION_PER_TEXT, MB

CHUNK = 1 << 16  # bytes inflated at a time: the most one step holds beyond what was counted
_INPUT_CHUNK = 1 << 14
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_MAGIC = b"PK\x03\x04"


class MemberError(Exception):
    """A member that cannot be inflated (bad data, a method other than stored or deflate)."""


def inflated_members(data: bytes, *, source: str, limit: int | None, what: str = ".docx") -> dict[str, bytes]:
    """Every member of the zip in ``data`` by name, inflated chunk by chunk; ``InputError`` as
    soon as they come to more than ``limit`` bytes (None: no limit), or when one is corrupt.
    ``zipfile.BadZipFile`` when ``data`` is not a zip at all."""
    members: dict[str, bytes] = {}
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            try:
                chunks = []
                crc = 0
                for chunk in _inflate(data, info):
                    total += len(chunk)
                    if limit is not None and total > limit:
                        raise _too_large(source, total, limit, what)
                    crc = zlib.crc32(chunk, crc)
                    chunks.append(chunk)
            except MemberError as error:
                raise InputError(source, f"not a readable {what} file ({info.filename}: {error})") from None
            if crc != info.CRC:
                raise InputError(source, f"not a readable {what} file (bad CRC-32 for {info.filename})")
            members[info.filename] = b"".join(chunks)
    return members


def _inflate(data: bytes, info: zipfile.ZipInfo):
    """The member's bytes, ``CHUNK`` at a time, from its compressed bytes (the central
    directory's offset and compressed size, which cannot point past the file)."""
    offset = info.header_offset
    if offset + _LOCAL_HEADER.size > len(data):
        raise MemberError("its header is past the end of the file")
    fields = _LOCAL_HEADER.unpack_from(data, offset)
    if fields[0] != _LOCAL_MAGIC:
        raise MemberError("no local header where the directory says")
    start = offset + _LOCAL_HEADER.size + fields[9] + fields[10]
    compressed = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(compressed), CHUNK):
            yield bytes(compressed[at : at + CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise MemberError(f"compression method {info.compress_type} is not read")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        # Compressed bytes go in a little at a time (zlib copies what it has not used yet on
        # every call), and at most CHUNK bytes come out of each call.
        for at in range(0, len(compressed), _INPUT_CHUNK):
            pending = bytes(compressed[at : at + _INPUT_CHUNK])
            while pending:
                chunk = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if chunk:
                    yield chunk
                if inflater.eof:
                    return
        while not inflater.eof and (chunk := inflater.decompress(b"", CHUNK)):
            yield chunk
    except zlib.error as exc:
        raise MemberError(f"corrupt data: {exc}") from None


def stored_zip(members: dict[str, bytes]) -> bytes:
    """The members as a zip that stores them uncompressed: what python-docx then opens."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def expansion_limit(max_bytes: int | None) -> int | None:
    """What a zip's members may inflate to, together: ``EXPANSION_PER_TEXT`` × ``--max-mb``."""
    return None if max_bytes is None else EXPANSION_PER_TEXT * max_bytes


def _too_large(source: str, total: int, limit: int, what: str) -> InputError:
    return InputError(
        source,
        f"too large: a {what} whose members inflate to more than the {limit / MB:g} MB "
        f"({EXPANSION_PER_TEXT} × --max-mb) it may (stopped after {total / MB:,.1f} MB, whatever its "
        "headers say); a zip bomb? If not, raise the limit with --max-mb",
    )
