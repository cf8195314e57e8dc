"""A partition's record (``OUT/_partitions/part-NNNNN.json``) as data, and the checks that decide
whether a rerun may reuse it.

A record is what a partition's task returned: the documents it counted, its errors and warnings,
its additive partial (``stats.Partial``) and its rows per table. It is plain JSON — never a pickle:
anyone who can write to an output location (a shared bucket, a group-writable folder) could
otherwise run code as the user who reruns.

A record is reused only when all of these hold; otherwise its partition is counted again, with one
line saying why (``RecordRefused``):

- it parses as a record of this format and version, with the expected types throughout;
- it was made with the run's settings (run id, settings id, vocabulary hash) for the same
  partition (its key: the items and every input's size, mtime or ETag and content hash);
- its checksum — an HMAC-SHA256 of its bytes under a key kept outside the output location
  (``record_key``) — is the one the manifest lists for it. A record or manifest written by
  someone else, without the key, cannot carry a checksum that verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections import Counter
from pathlib import Path

from .errors import InputError, InputWarning, PolicytermsError
from .stats import Partial, Sums

RECORD_FORMAT = "policyterms partition record"
RECORD_VERSION = 2
MAX_RECORD_BYTES = 256 * 2**20  # a record is the sums of one partition: far smaller than this
KEY_ENV = "POLICYTERMS_RECORD_KEY"  # hex: one key shared by the machines of a team that rerun into one OUT
STATE_ENV = "POLICYTERMS_STATE_DIR"
KEY_FILE = "record-key"
KEY_BYTES = 32


class RecordRefused(PolicytermsError):
    """A record that is not reused; the message is the reason, shown once per partition."""


# The partial as JSON ------------------------------------------------------------------------


def _counter_json(counts: Counter) -> list:
    return sorted([list(key) if isinstance(key, tuple) else key, value] for key, value in counts.items())


def sums_json(sums: Sums) -> dict:
    return {"documents": sums.documents, "chars": sums.chars, "tokens": sums.tokens,
            "term_counts": _counter_json(sums.term_counts), "term_documents": _counter_json(sums.term_documents),
            "shadowed_counts": _counter_json(sums.shadowed_counts)}


def partial_json(partial: Partial) -> dict:
    return {"corpus": sums_json(partial.corpus), "pair_counts": _counter_json(partial.pair_counts),
            "pair_documents": _counter_json(partial.pair_documents), "units": partial.units,
            "term_units": _counter_json(partial.term_units),
            "groups": [[name, sums_json(sums)] for name, sums in sorted(partial.groups.items())],
            "fields": sorted(partial.fields)}


def count_of(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        raise RecordRefused(f"{what} is not a count")
    return value


def _counter(value: object, what: str, *, pairs: bool = False) -> Counter:
    if not isinstance(value, list):
        raise RecordRefused(f"{what} is not a list")
    counts: Counter = Counter()
    for entry in value:
        if not (isinstance(entry, list) and len(entry) == 2):
            raise RecordRefused(f"{what} holds an entry that is not [key, count]")
        key, number = entry
        if pairs:
            if not (isinstance(key, list) and len(key) == 2 and all(type(k) is int and k >= 0 for k in key)):
                raise RecordRefused(f"{what} holds a key that is not a pair of term indices")
            key = tuple(key)
        elif type(key) is not int or key < 0:
            raise RecordRefused(f"{what} holds a key that is not a term index")
        counts[key] = count_of(number, what)
    return counts


def _object(value: object, keys: set[str], what: str) -> dict:
    if not isinstance(value, dict) or set(value) != keys:
        raise RecordRefused(f"{what} does not have the fields of a record")
    return value


def sums_from_json(value: object, what: str = "sums") -> Sums:
    data = _object(value, {"documents", "chars", "tokens", "term_counts", "term_documents", "shadowed_counts"}, what)
    tokens = None if data["tokens"] is None else count_of(data["tokens"], f"{what}.tokens")
    return Sums(count_of(data["documents"], f"{what}.documents"), count_of(data["chars"], f"{what}.chars"), tokens,
                _counter(data["term_counts"], f"{what}.term_counts"),
                _counter(data["term_documents"], f"{what}.term_documents"),
                _counter(data["shadowed_counts"], f"{what}.shadowed_counts"))


def partial_from_json(value: object) -> Partial:
    """The partial ``partial_json`` wrote, or ``RecordRefused`` for anything else."""
    data = _object(value, {"corpus", "pair_counts", "pair_documents", "units", "term_units", "groups", "fields"},
                   "partial")
    groups = data["groups"]
    if not (isinstance(groups, list) and all(isinstance(g, list) and len(g) == 2 and isinstance(g[0], str)
                                             for g in groups)):
        raise RecordRefused("partial.groups is not a list of [group, sums]")
    fields = data["fields"]
    if not (isinstance(fields, list) and all(isinstance(f, str) for f in fields)):
        raise RecordRefused("partial.fields is not a list of names")
    return Partial(sums_from_json(data["corpus"], "partial.corpus"),
                   _counter(data["pair_counts"], "partial.pair_counts", pairs=True),
                   _counter(data["pair_documents"], "partial.pair_documents", pairs=True),
                   count_of(data["units"], "partial.units"), _counter(data["term_units"], "partial.term_units"),
                   {name: sums_from_json(sums, f"partial.groups[{name}]") for name, sums in groups}, set(fields))


# Errors and warnings as JSON ----------------------------------------------------------------


def problems_json(problems: list) -> list:
    return [[problem.source, problem.cause if isinstance(problem, InputError) else problem.message]
            for problem in problems]


def _problems(value: object, kind: type, what: str) -> list:
    if not (isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p)
                                            for p in value)):
        raise RecordRefused(f"{what} is not a list of [input, message]")
    return [kind(source, message) for source, message in value]


def errors_from_json(value: object) -> list[InputError]:
    return _problems(value, InputError, "errors")


def warnings_from_json(value: object) -> list[InputWarning]:
    return _problems(value, InputWarning, "warnings")


# Bytes, and their checksum ------------------------------------------------------------------


def encode(record: dict) -> bytes:
    """A record's bytes: sorted keys, ASCII (a name that is not UTF-8, escaped, stays as it is)."""
    return json.dumps({"format": RECORD_FORMAT, "version": RECORD_VERSION, **record},
                      sort_keys=True, ensure_ascii=True, allow_nan=False).encode("ascii")


def _no_constants(name: str) -> object:
    raise RecordRefused(f"it holds {name}, which a record never does")


def decode(data: bytes) -> dict:
    """The record in ``data``, or ``RecordRefused`` saying why it is not one."""
    if len(data) > MAX_RECORD_BYTES:
        raise RecordRefused(f"it is larger ({len(data):,} bytes) than a record may be")
    try:
        record = json.loads(data.decode("ascii"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RecordRefused("it is not a record (not JSON)") from None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        raise RecordRefused("it is not a partition record")
    if record.get("version") != RECORD_VERSION:
        raise RecordRefused(f"it is a record of version {record.get('version')!r}, not {RECORD_VERSION}")
    return record


def checksum(sha256: str, key: bytes) -> str:
    """The record's checksum: HMAC-SHA256, under the user's key, of the SHA-256 of its bytes
    (which the worker that wrote it reports: the key never leaves the client). 64 hex digits."""
    return hmac.new(key, sha256.encode("ascii"), hashlib.sha256).hexdigest()


def verify(data: bytes, key: bytes | None, listed: object) -> None:
    """``RecordRefused`` unless ``listed`` (the manifest's checksum for it) is ``data``'s."""
    if key is None:
        raise RecordRefused("no key to check records with (see POLICYTERMS_STATE_DIR)")
    if not isinstance(listed, str):
        raise RecordRefused("the manifest lists no checksum for it (a run that stopped before saying it was done)")
    if not hmac.compare_digest(checksum(hashlib.sha256(data).hexdigest(), key), listed):
        raise RecordRefused("its checksum is not the one the manifest lists (changed, or written by another user)")


def expect(record: dict, name: str, wanted: object, what: str) -> None:
    if record.get(name) != wanted:
        raise RecordRefused(f"it was made {what}")


# The key ------------------------------------------------------------------------------------


def state_dir() -> Path:
    """``$POLICYTERMS_STATE_DIR``, else ``$XDG_STATE_HOME/policyterms`` (``~/.local/state/policyterms``)."""
    if os.environ.get(STATE_ENV):
        return Path(os.environ[STATE_ENV])
    xdg = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(xdg) / "policyterms"


def record_key() -> bytes | None:
    """The key that signs this user's records: ``$POLICYTERMS_RECORD_KEY`` (hex), else a random
    key kept in ``state_dir()/record-key`` (mode 0600, made on first use). None when neither can
    be had: records are then written but never reused."""
    if os.environ.get(KEY_ENV):
        try:
            key = bytes.fromhex(os.environ[KEY_ENV])
        except ValueError:
            return None
        return key if len(key) >= 16 else None
    path = state_dir() / KEY_FILE
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = _new_key(path)
    except OSError:
        return None
    return key if key is not None and len(key) == KEY_BYTES else None


def _new_key(path: Path) -> bytes | None:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another run made it first
        try:
            return path.read_bytes()
        except OSError:
            return None
    except OSError:
        return None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key
