import datetime as dt
import json

import pytest

from partages_core.errors import InputError
from partages_core.governance.agreements import (AccessDenied, load_agreements, new_steward_key, open_dataset,
                                                 parse_agreement, sign_agreement, trust_steward)
from partages_core.keys import load_private_key
from partages_core.governance.audit import AuditLog, verify_log
from partages_core.governance.catalog import Catalog

TODAY = dt.date(2025, 6, 1)


def _clock():
    n = iter(range(10_000))
    return lambda: f"2025-06-01T00:00:{next(n):02d}"


@pytest.fixture
def setup(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("alpha", encoding="utf-8")
    (data / "sub").mkdir()
    (data / "sub" / "b.txt").write_text("beta", encoding="utf-8")
    cat = Catalog(tmp_path / "governance.sqlite")
    cat.add(data, "commons", "1.0", "CC-BY-4.0", "restricted", "CHU de Valmont", today=TODAY)
    cat.add(data, "open-lexicon", "1.0", "CC0-1.0", "open", "PARTAGES", today=TODAY)
    audit = AuditLog(tmp_path / "audit.sqlite", clock=_clock())
    trust_steward(cat.store, "dpo", new_steward_key(tmp_path / "dpo.pem"))
    agreement = parse_agreement({"id": "DUA-1", "who": "alice", "organisation": "Inserm", "purpose": "CU1 evaluation",
                                 "datasets": ["commons"], "expires": "2025-12-31", "allowed_outputs": ["aggregates"]})
    return data, cat, audit, sign_agreement(agreement, load_private_key(tmp_path / "dpo.pem"), "dpo")


def test_catalog_registers_hashes_and_detects_changes(setup, tmp_path):
    data, cat, _, _ = setup
    again = Catalog(tmp_path / "governance.sqlite")
    assert [d.name for d in again.list()] == ["commons", "open-lexicon"]
    assert set(again.get("commons").files) == {"a.txt", "sub/b.txt"}
    assert again.verify("commons").ok
    (data / "a.txt").write_text("alpha!", encoding="utf-8")
    (data / "c.txt").write_text("new", encoding="utf-8")
    (data / ".hidden").write_text("added dot-file", encoding="utf-8")
    (data / "sub" / "b.txt").unlink()
    res = again.verify("commons")
    assert (res.changed, res.missing, res.added) == (["a.txt"], ["sub/b.txt"], [".hidden", "c.txt"])
    with pytest.raises(InputError, match="access"):
        again.add(data, "x", "1", "MIT", "secret", "me")


def test_access_needs_a_valid_agreement_and_every_attempt_is_logged(setup):
    _, cat, audit, agreement = setup
    with pytest.raises(AccessDenied, match="no valid agreement"):
        open_dataset(cat, "commons", "alice", "CU1 evaluation", [], audit, today=TODAY)
    with pytest.raises(AccessDenied, match="purpose"):
        open_dataset(cat, "commons", "alice", "marketing", [agreement], audit, today=TODAY)
    with pytest.raises(AccessDenied, match="expired"):
        open_dataset(cat, "commons", "alice", "CU1 evaluation", [agreement], audit, today=dt.date(2026, 1, 2))
    with pytest.raises(AccessDenied, match="not 'bob'"):
        open_dataset(cat, "commons", "bob", "CU1 evaluation", [agreement], audit, today=TODAY)
    entry = open_dataset(cat, "commons", "alice", "CU1 evaluation", [agreement], audit, today=TODAY)
    assert entry.name == "commons"
    open_dataset(cat, "open-lexicon", "", "anything", [], audit, today=TODAY)
    decisions = [(e["actor"], e["decision"]) for e in audit.entries()]
    assert decisions == [("alice", "refused")] * 3 + [("bob", "refused"), ("alice", "granted"), ("anonymous", "granted")]
    assert audit.entries()[4]["details"]["agreement"] == "DUA-1"
    assert audit.verify().ok and audit.verify().entries == 6


def test_audit_verify_names_first_tampered_or_missing_entry(setup):
    import sqlite3

    _, cat, audit, agreement = setup
    for _ in range(4):
        open_dataset(cat, "commons", "alice", "CU1 evaluation", [agreement], audit, today=TODAY)
    with sqlite3.connect(audit.path) as con:
        body = json.loads(con.execute("SELECT body FROM audit WHERE seq = 3").fetchone()[0])
        body["decision"] = "refused"
        con.execute("UPDATE audit SET body = ? WHERE seq = 3", (json.dumps(body),))
    report = verify_log(audit.path)
    assert not report.ok and report.first_bad == 3 and "hash" in report.reason
    with sqlite3.connect(audit.path) as con:
        con.execute("DELETE FROM audit WHERE seq = 2")
    report = verify_log(audit.path)
    assert not report.ok and report.first_bad == 2 and "missing" in report.reason


def test_unsigned_agreement_is_refused(setup):
    _, cat, audit, agreement = setup
    plain = parse_agreement({**agreement.body()})
    with pytest.raises(AccessDenied, match="not signed"):
        open_dataset(cat, "commons", "alice", "CU1 evaluation", [plain], audit, today=TODAY)


def test_invalid_agreements_are_refused_with_the_field(tmp_path):
    with pytest.raises(InputError, match="expires"):
        parse_agreement({"id": "x", "who": "a", "organisation": "o", "purpose": "p", "datasets": ["d"],
                         "expires": "31/12/2025", "allowed_outputs": ["aggregates"]})
    with pytest.raises(InputError, match="missing or empty field.*datasets"):
        parse_agreement({"id": "x", "who": "a", "organisation": "o", "purpose": "p", "expires": "2025-01-01",
                         "allowed_outputs": ["aggregates"]})
    with pytest.raises(InputError, match="allowed_outputs"):
        parse_agreement({"id": "x", "who": "a", "organisation": "o", "purpose": "p", "datasets": ["d"],
                         "expires": "2025-01-01", "allowed_outputs": ["everything"]})
    f = tmp_path / "dua.yaml"
    f.write_text("id: DUA-2\nwho: bob\norganisation: APHP\npurpose: test\ndatasets: [commons]\n"
                 "expires: 2030-01-01\nallowed_outputs: [aggregates, models]\n", encoding="utf-8")
    assert load_agreements(tmp_path)[0].expires == dt.date(2030, 1, 1)
    (tmp_path / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.yaml"):
        load_agreements(tmp_path)
