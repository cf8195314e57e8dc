"""records.py: a partition's record as data, and the checks before a rerun reuses it."""

from collections import Counter

import pytest

from policyterms import records
from policyterms.errors import InputError, InputWarning
from policyterms.records import RecordRefused
from policyterms.stats import Partial, Sums


def _partial() -> Partial:
    corpus = Sums(3, 120, None, Counter({0: 5, 2: 1}), Counter({0: 2, 2: 1}), Counter({1: 4}))
    return Partial(corpus, Counter({(0, 2): 1}), Counter({(0, 2): 1}), 9, Counter({0: 3, 2: 1}),
                   {"2025": Sums(1, 40, 10, Counter({0: 1}), Counter({0: 1}), Counter())}, {"date"})


def test_a_partial_goes_through_json_unchanged():
    partial = _partial()
    data = records.encode({"partial": records.partial_json(partial)})
    assert records.partial_from_json(records.decode(data)["partial"]) == partial


def test_errors_and_warnings_go_through_json():
    problems = [InputError("a.txt", "not UTF-8"), InputWarning("b.txt", "traditional")]
    back = records.errors_from_json(records.problems_json(problems[:1])) + \
        records.warnings_from_json(records.problems_json(problems[1:]))
    assert [str(p) for p in back] == ["a.txt: not UTF-8", "b.txt: traditional"]


@pytest.mark.parametrize("change, reason", [
    (lambda p: p["corpus"].update(documents=-1), "not a count"),
    (lambda p: p["corpus"].update(chars=1.5), "not a count"),
    (lambda p: p["corpus"].update(term_counts=[["0", 1]]), "not a term index"),
    (lambda p: p.update(pair_counts=[[[0], 1]]), "not a pair"),
    (lambda p: p.update(units=True), "not a count"),
    (lambda p: p.update(extra=1), "fields of a record"),
    (lambda p: p.update(groups=[[1, {}]]), "groups"),
])
def test_a_partial_of_the_wrong_shape_is_refused(change, reason):
    value = records.partial_json(_partial())
    change(value)
    with pytest.raises(RecordRefused, match=reason):
        records.partial_from_json(value)


@pytest.mark.parametrize("data, reason", [
    (b"\x80\x04\x95", "not JSON"),  # a pickle's first bytes
    (b"[1, 2]", "not a partition record"),
    (b'{"format": "policyterms partition record", "version": 1}', "version 1"),
    (b'{"format": "policyterms partition record", "version": 2, "x": NaN}', "NaN"),
])
def test_what_is_not_a_record_is_refused(data, reason):
    with pytest.raises(RecordRefused, match=reason):
        records.decode(data)


def test_a_checksum_verifies_only_under_its_key():
    import hashlib

    data = records.encode({"n": 1})
    listed = records.checksum(hashlib.sha256(data).hexdigest(), b"k" * 32)
    assert len(listed) == 64
    records.verify(data, b"k" * 32, listed)
    with pytest.raises(RecordRefused, match="checksum"):
        records.verify(data, b"x" * 32, listed)
    with pytest.raises(RecordRefused, match="checksum"):
        records.verify(data + b" ", b"k" * 32, listed)
    with pytest.raises(RecordRefused, match="lists no checksum"):
        records.verify(data, b"k" * 32, None)
    with pytest.raises(RecordRefused, match="no key"):
        records.verify(data, None, listed)


def test_the_key_is_made_once_private_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYTERMS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("POLICYTERMS_RECORD_KEY", raising=False)
    key = records.record_key()
    assert key is not None and len(key) == 32
    assert (tmp_path / "state" / "record-key").stat().st_mode & 0o777 == 0o600
    assert records.record_key() == key
    monkeypatch.setenv("POLICYTERMS_RECORD_KEY", "ab" * 32)
    assert records.record_key() == bytes.fromhex("ab" * 32)
    monkeypatch.setenv("POLICYTERMS_RECORD_KEY", "not hex")
    assert records.record_key() is None
