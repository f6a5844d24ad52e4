"""Issue 19: each defect found by the hostile command-line test, as a test (failed before, passes now)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from partages_core.access import AccessDenied, gate, new_steward_key, parse_agreement, sign_agreement, trust_steward
from partages_core.access import signed_document
from partages_core.keys import load_private_key
from partages_core.errors import InputError
from partages_core.governance.catalog import Catalog
from partages_core.governance.disclosure import ReleaseLedger, attack, release, suppress
from partages_core.store import MAX_ENTRY_BYTES, AuditLog, Store, verify_log
from tests.clirun import invoke

TODAY = dt.date(2025, 6, 1)


def _parhaf(folder: Path, files: dict[str, str], rows: list | None = None) -> Path:
    """A minimal PARHAF folder: one patient whose documents point at ``files`` (name -> text)."""
    folder.mkdir(parents=True, exist_ok=True)
    docs = []
    for i, (rel, text) in enumerate(files.items()):
        if text is not None and not Path(rel).is_absolute() and ".." not in rel:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
        docs.append({"id": f"P1-{i:02d}", "type": "CR", "header": "", "file": rel})
    index = rows if rows is not None else [{
        "id": "P1", "specialty": "onco", "author": "a", "reviewer": "r", "pool": "train", "facility": "CHU A",
        "suggested_scenario": {"primary_diagnosis": {"code": "C50"}}, "documents": docs}]
    (folder / "patients.json").write_text(json.dumps(index), encoding="utf-8")
    return folder


# 1. files outside --out -------------------------------------------------------------------------

def test_paths_in_data_cannot_leave_their_folder(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("Mme Jeanne DUPONT, note originale.", encoding="utf-8")
    src = _parhaf(tmp_path / "src", {"onco/a.txt": "M. Paul MARTIN, 12/03/1950.", str(victim): None,
                                     "../victim.txt": None})
    r = invoke("pseudonymize", "--batch", str(src), "--out", str(tmp_path / "out"))
    assert r.code == 0, r.err
    assert victim.read_text(encoding="utf-8") == "Mme Jeanne DUPONT, note originale."  # untouched
    quarantine = json.loads((tmp_path / "out" / "quarantine.json").read_text())
    assert {q["file"] for q in quarantine} == {str(victim), "../victim.txt"}
    assert all("absolute" in q["reason"] or "leaves its folder" in q["reason"] for q in quarantine)
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.txt")) == ["a.txt"]
    # the stats reader refuses them too (one line, exit 2) and the quality reader quarantines them
    r = invoke("corpus", "stats", str(src))
    assert r.code == 2 and ("leaves its folder" in r.err or "absolute" in r.err) and not r.stdout
    from partages_core.quality.records import read_records

    docs = read_records(src)[0]["documents"]
    assert [d["text"] is None for d in docs] == [False, True, True]


# 2. existing folders deleted ------------------------------------------------------------------------

def test_out_that_holds_the_input_or_is_not_empty_is_refused(tmp_path):
    project = tmp_path / "project"
    src = _parhaf(project / "src", {"onco/a.txt": "M. Paul MARTIN."})
    (project / "notes.md").write_text("keep me", encoding="utf-8")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    r = invoke("pseudonymize", "--batch", str(src), "--out", str(project), "--force")
    assert r.code == 2 and "must not be, contain or lie inside the input" in r.err
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
    other = tmp_path / "results"
    other.mkdir()
    (other / "keep.txt").write_text("x", encoding="utf-8")
    r = invoke("corpus", "generate", "--patients", "2", "--out", str(other))
    assert r.code == 2 and "not empty; pass --force" in r.err and (other / "keep.txt").is_file()
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    r = invoke("corpus", "generate", "--patients", "2", "--out", str(a_file), "--force")
    assert r.code == 2 and "not a folder" in r.err and a_file.read_text() == "x"
    assert not [p for p in tmp_path.rglob(".*") if p.name.startswith((".pseudo", ".results", ".adir"))]


# 3. the access gate -------------------------------------------------------------------------------

@pytest.fixture
def governed(tmp_path, monkeypatch):
    """A restricted dataset in a governance database, a trusted steward and a signed agreement."""
    db = tmp_path / "gov" / "governance.sqlite"
    monkeypatch.setenv("PARTAGES_GOVERNANCE_DB", str(db))
    data = _parhaf(tmp_path / "restricted", {"onco/a.txt": "M. Paul MARTIN, 12/03/1950."})
    store = Store(db)
    Catalog(store).add(data, "cohort", "1", "restricted-use", "restricted", "CHU A")
    key_file = tmp_path / "steward.pem"
    trust_steward(store, "dpo", new_steward_key(key_file))
    body = parse_agreement({"id": "DUA-1", "who": "alice", "organisation": "Inserm", "purpose": "CU1",
                            "datasets": ["cohort"], "expires": "2099-12-31", "allowed_outputs": ["aggregates"]})
    signed = tmp_path / "dua.json"
    signed.write_text(json.dumps(signed_document(sign_agreement(body, load_private_key(key_file), "dpo"))))
    return store, data, signed, key_file


def test_commands_on_a_restricted_dataset_go_through_the_gate(governed, tmp_path):
    store, data, signed, _ = governed
    r = invoke("corpus", "stats", str(data), "--json")
    assert r.code == 2 and "refused" in r.err and "no valid agreement" in r.err and not r.stdout
    r = invoke("pseudonymize", "--batch", str(data), "--out", str(tmp_path / "o1"))
    assert r.code == 2 and "refused" in r.err and not (tmp_path / "o1").exists()
    r = invoke("corpus", "stats", str(data), "--json", "--user", "alice", "--purpose", "CU1", "--agreement", str(signed))
    assert r.code == 0, r.err
    assert json.loads(r.out)["totals"]["patients"] == 1
    # allowed outputs are enforced: this agreement allows aggregates, not pseudonymised text
    r = invoke("pseudonymize", "--batch", str(data), "--out", str(tmp_path / "o2"), "--user", "alice",
               "--purpose", "CU1", "--agreement", str(signed))
    assert r.code == 2 and "does not allow output 'pseudonymised-text'" in r.err
    log = AuditLog(store).entries()
    decisions = [(e["action"], e["decision"]) for e in log if e["dataset"] == "cohort" and e["action"] != "register"]
    assert decisions == [("corpus-stats", "refused"), ("pseudonymize", "refused"), ("corpus-stats", "granted"),
                         ("pseudonymize", "refused")]
    assert verify_log(store).ok


def test_an_agreement_anyone_can_write_is_refused(governed, tmp_path):
    store, data, signed, _ = governed
    forged = json.loads(signed.read_text())
    forged["agreement"]["allowed_outputs"] = ["aggregates", "record-level", "pseudonymised-text"]
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    unsigned = {**forged["agreement"]}
    (tmp_path / "plain.json").write_text(json.dumps(unsigned))
    mallory = tmp_path / "mallory.pem"
    new_steward_key(mallory)
    self_signed = sign_agreement(parse_agreement(unsigned), load_private_key(mallory), "dpo")
    (tmp_path / "self.json").write_text(json.dumps(signed_document(self_signed)))
    for name, why in (("forged.json", "signature does not verify"), ("plain.json", "not signed"),
                      ("self.json", "signature does not verify")):
        with pytest.raises(AccessDenied, match=why):
            from partages_core.access import load_agreements

            gate(store, "alice", "CU1", "record-level", folder=data, agreements=load_agreements(tmp_path / name))


# 4. the audit log cannot be cut -------------------------------------------------------------------

def _log_with(tmp_path, n=8) -> AuditLog:
    log = AuditLog(Store(tmp_path / "audit.sqlite"))
    for i in range(n):
        log.append("alice", "open", "cohort", "granted", f"entry {i}")
    return log


@pytest.mark.parametrize("cut", [1, 5])
def test_removing_the_last_entries_is_detected(tmp_path, cut):
    log = _log_with(tmp_path)
    with sqlite3.connect(log.path) as con:
        con.execute("DELETE FROM audit WHERE seq > ?", (8 - cut,))
        con.execute("UPDATE audit_head SET count = ?", (8 - cut,))
    report = verify_log(log.store)
    assert not report.ok and ("cut" in report.reason or "head" in report.reason)
    r = invoke("audit", "verify", str(log.path))
    assert r.code == 1 and "TAMPERED" in r.out


def test_emptying_or_deleting_the_log_is_detected(tmp_path):
    log = _log_with(tmp_path)
    with sqlite3.connect(log.path) as con:
        con.execute("DELETE FROM audit")
        con.execute("DELETE FROM audit_head")
    assert not verify_log(log.store).ok
    for suffix in ("", "-wal", "-shm"):
        Path(str(log.path) + suffix).unlink(missing_ok=True)
    r = invoke("audit", "verify", str(log.path))
    assert r.code == 1 and "entries cut" in r.out


def test_a_rewritten_chain_with_recomputed_hashes_is_detected(tmp_path):
    import hashlib

    log = _log_with(tmp_path)
    with sqlite3.connect(log.path) as con:  # what an attacker without the key can do: plain SHA-256
        prev = "0" * 64
        for seq, body in con.execute("SELECT seq, body FROM audit ORDER BY seq").fetchall():
            e = json.loads(body)
            e["decision"], e["prev"] = "refused", prev
            e["hash"] = hashlib.sha256(json.dumps({k: v for k, v in e.items() if k != "hash"}).encode()).hexdigest()
            con.execute("UPDATE audit SET body = ?, prev = ?, hash = ? WHERE seq = ?", (json.dumps(e), prev, e["hash"], seq))
            prev = e["hash"]
    report = verify_log(log.store)
    assert not report.ok and report.first_bad == 1 and "HMAC" in report.reason


def test_the_key_is_random_and_private(tmp_path):
    a, b = Store(tmp_path / "a.sqlite"), Store(tmp_path / "b.sqlite")
    assert a.key() != b.key() and (a.key_path.stat().st_mode & 0o777) == 0o600


def test_an_oversized_entry_is_refused_and_does_not_block_the_log(tmp_path):
    log = _log_with(tmp_path, 2)
    with pytest.raises(InputError, match="audit entry too large"):
        log.append("alice", "open", "cohort", "granted", "x" * (MAX_ENTRY_BYTES + 10))
    log.append("alice", "open", "cohort", "granted", "after")
    assert verify_log(log.store).ok and verify_log(log.store).entries == 3


def test_audit_export_for_auditors(tmp_path):
    log = _log_with(tmp_path, 3)
    r = invoke("audit", "export", str(log.path), "--out", str(tmp_path / "export.jsonl"))
    assert r.code == 0, r.err
    rows = [json.loads(x) for x in (tmp_path / "export.jsonl").read_text().splitlines()]
    assert [e["seq"] for e in rows[:-1]] == [1, 2, 3] and rows[-1]["head"]["count"] == 3


# 6. suppression cannot be undone ------------------------------------------------------------------

def test_the_issue_table_no_longer_reveals_a_cell():
    s = suppress(pd.DataFrame([[0, 3, 0], [8, 20, 0], [5, 40, 20]]), k=11)
    intervals = attack(s)
    assert intervals and all(hi - lo >= 11 for lo, hi in intervals.values())
    assert s.hidden.iloc[1, 0]  # the 8 is still hidden


def test_linear_programming_attack_recovers_no_hidden_cell():
    """2,000 random small tables: the attacker's exact range of every hidden cell is ≥ k wide."""
    rng = np.random.default_rng(19)
    exact = narrow = hidden = 0
    for _ in range(2000):
        shape = tuple(rng.integers(2, 4, size=2))
        t = pd.DataFrame(rng.integers(0, 50, size=shape))  # about one cell in five under 11
        s = suppress(t, k=11)
        for lo, hi in attack(s).values():
            hidden += 1
            exact += abs(hi - lo) < 0.5
            narrow += hi - lo < 11
    assert hidden > 5000 and exact == 0 and narrow == 0


def test_the_one_call_attack_equals_two_linear_programmes_per_cell():
    """The block-diagonal LP used above gives the same intervals as solving each bound alone."""
    from scipy.optimize import linprog

    rng = np.random.default_rng(7)
    for _ in range(40):
        s = suppress(pd.DataFrame(rng.integers(0, 30, size=(3, 3))), k=11)
        grid, hidden = s.counts.to_numpy(dtype=float), s.hidden.to_numpy()
        cells = [tuple(c) for c in np.argwhere(hidden)]
        a, b = [], []
        for line in [[(i, j) for j in range(4)] for i in range(4)] + [[(i, j) for i in range(4)] for j in range(4)]:
            coef = np.array([sum(1 if c == x else 0 for x in line[:-1]) - (c == line[-1]) for c in cells], float)
            b.append(-sum(grid[x] for x in line[:-1] if x not in cells) + (grid[line[-1]] if line[-1] not in cells else 0))
            a.append(coef)
        for n, (cell, (lo, hi)) in enumerate(sorted(attack(s).items())):
            i = cells.index(cell)
            unit = np.eye(len(cells))[i]
            low = linprog(unit, A_eq=np.array(a), b_eq=np.array(b), bounds=(0, None), method="highs")
            high = linprog(-unit, A_eq=np.array(a), b_eq=np.array(b), bounds=(0, None), method="highs")
            assert low.fun == pytest.approx(lo, abs=1e-6) and -high.fun == pytest.approx(hi, abs=1e-6)


def test_differencing_two_releases_is_refused(tmp_path):
    ledger = ReleaseLedger(Store(tmp_path / "gov.sqlite"))
    everyone = pd.DataFrame({"F": [30, 20], "M": [25, 25]}, index=["CHU A", "CHU B"])
    adults = pd.DataFrame({"F": [28, 19], "M": [24, 25]}, index=["CHU A", "CHU B"])  # 4 minors
    release(everyone, "cohort", "all patients", ledger)
    with pytest.raises(InputError, match=r"differs from .* by \d+ < 11"):
        release(adults, "cohort", "adults", ledger)
    release(adults, "other-dataset", "adults", ledger)  # the ledger is per dataset
    assert [r["label"] for r in ledger.released("cohort")] == ["all patients"]


# 8. one line and exit 2 for user errors; no partial output; nothing dropped silently -------------------

def _one_line(r, *needles):
    assert r.code == 2 and r.stdout == b"" and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    for needle in needles:
        assert needle in r.err, r.err


def test_silent_drops_are_now_refused_with_file_record_and_field(tmp_path):
    from partages_core.corpus.io.parhaf import read_parhaf

    text = "M. Paul MARTIN, 12/03/1950."
    src = _parhaf(tmp_path / "p", {"onco/a.txt": text})
    ann = src / "annotations.jsonl"
    span = {"start": 3, "end": 7, "label": "PRENOM", "text": "Paul", "attrs": {}}
    line = lambda doc, s: json.dumps({"document_id": doc, "layers": {"pseudo": [s]}})  # noqa: E731
    cases = [
        ([line("P1-00", span), line("P1-00", span)], "repeats an earlier line"),
        ([line("P1-00", span), line("P9-99", span)], "not in patients.json"),
        ([line("P1-00", {**span, "start": -2, "end": 2, "text": text[-2:2]})], "outside the text"),
        ([line("P1-00", {**span, "start": 20, "end": 99, "text": text[20:99]})], "outside the text"),
        ([line("P1-00", {**span, "colour": "red"})], "colour"),
    ]
    for lines, why in cases:
        ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=why):
            read_parhaf(src)
        _one_line(invoke("corpus", "stats", str(src)), "annotations.jsonl", why)
    ann.unlink()
    rows = json.loads((src / "patients.json").read_text())
    (src / "patients.json").write_text(json.dumps(rows + ["not a patient"]))
    _one_line(invoke("corpus", "stats", str(src)), "patient #1", "expected an object")
    _one_line(invoke("pseudonymize", "--batch", str(src), "--out", str(tmp_path / "o")), "patient #1")
    assert not (tmp_path / "o").exists()


def test_brat_and_uima_readers_refuse_what_they_used_to_drop(tmp_path):
    from partages_core.corpus.io.brat import read_brat
    from partages_core.corpus.io.uima import read_cas_json, write_cas_json
    from partages_core.corpus.model import Document, Span

    (tmp_path / "d.txt").write_text("Paul MARTIN", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tNOM 5 11\tMARTIN\nT1\tPRENOM 0 4\tPaul\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d.ann:2: entity id T1 repeats"):
        read_brat(tmp_path / "d.ann")
    (tmp_path / "d.ann").write_text("T1\tNOM 5 11\tDUPONT\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d.ann:1: T1 surface text 'DUPONT' does not match"):
        read_brat(tmp_path / "d.ann")
    doc = Document("u", "", "", "Paul MARTIN", {"pseudo": [Span(0, 4, "PRENOM", "Paul", {})]})
    path = write_cas_json(doc, tmp_path / "u.json")
    cas = json.loads(path.read_text())
    for fs in cas["%FEATURE_STRUCTURES"]:
        if fs.get("%TYPE") == "de.partages.Span":
            fs["end"] = 40
    path.write_text(json.dumps(cas))
    with pytest.raises(InputError, match="outside the text"):
        read_cas_json(path)


def test_stdin_and_option_errors_are_one_line(tmp_path):
    for which in ("oncology", "infectiology"):
        for data, why in ((b"", "empty text"), (b"abc\x00def", "binary data"), (b"\xff\xfeabc", "not UTF-8")):
            _one_line(invoke("extract", which, "-", stdin=data), why)
    ctx = tmp_path / "ctx.json"
    for content, why in (("[1, 2]", "expected a JSON object"), ("{", "malformed JSON")):
        ctx.write_text(content)
        _one_line(invoke("pseudonymize", "--context", str(ctx), "-", stdin=b"M. Paul MARTIN"), why)
    (tmp_path / "catalog.sqlite").write_text("not a database")
    _one_line(invoke("catalog", "list", "--catalog", str(tmp_path / "catalog.sqlite")), "not a governance database")
    a_file = tmp_path / "exists.txt"
    a_file.write_text("x")
    src = _parhaf(tmp_path / "src", {"onco/a.txt": "M. Paul MARTIN."})
    _one_line(invoke("pseudonymize", "--batch", str(src), "--out", str(a_file)), "not a folder")
    (src / "patients.json").write_text("[]")
    _one_line(invoke("quality", "split", str(src), "--out", str(tmp_path / "split")), "no patient to split")
    _one_line(invoke("quality", "report", str(src), "--out", str(tmp_path / "qc")), "no patient to report on")
    assert not (tmp_path / "split").exists() and not (tmp_path / "qc").exists()


def test_no_partial_stdout_when_input_fails_late():
    good = ("Le patient M. Paul MARTIN est suivi pour une pneumopathie.\n\n" * 4000).encode()
    r = invoke("pseudonymize", "--json", "-", stdin=good + b"\xff")
    _one_line(r, "not UTF-8")
    r = invoke("pseudonymize", "-", stdin=good + b"\x00")
    _one_line(r, "binary data")
    ok = invoke("pseudonymize", "--json", "-", stdin=good[:2000])
    assert ok.code == 0 and json.loads(ok.stdout)["text"]


def test_training_on_a_restricted_folder_goes_through_the_gate(governed, tmp_path):
    store, data, _, _ = governed
    r = invoke("models", "train-tokenizer", "--commons", str(data), "--out", str(tmp_path / "tok"))
    _one_line(r, "refused", "no valid agreement")
    assert not (tmp_path / "tok").exists()
    last = AuditLog(store).entries()[-1]
    assert (last["action"], last["decision"], last["details"]["output"]) == ("models", "refused", "models")
