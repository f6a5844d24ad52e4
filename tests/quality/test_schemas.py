"""Schemas: the clean commons passes; each kind of bad row is quarantined with its reason."""

from __future__ import annotations

import json
import shutil

import pytest

from partages_core.quality.records import read_records, records_from_patients
from partages_core.quality.schemas import QUARANTINE, SUMMARY, validate_folder, validate_records


def test_clean_commons_passes(commons):
    v = validate_records(records_from_patients(commons.patients))
    assert v.summary["total"]["failed"] == 0
    assert v.summary["tables"]["patients"]["passed"] == len(commons.patients)
    assert len(v.valid["documents"]) == sum(len(p.documents) for p in commons.patients)


@pytest.fixture()
def corrupted(commons, tmp_path):
    """A copy of the commons folder with one bad row of each kind."""
    folder = tmp_path / "bad"
    shutil.copytree(commons.folder, folder)
    lines = (folder / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines]
    with_pseudo = [r for r in rows if len(r["layers"].get("pseudo", [])) >= 3]
    a, b = with_pseudo[0], with_pseudo[1]
    a["layers"]["pseudo"][0]["start"] = "douze"                     # wrong type
    a["layers"]["pseudo"][1]["end"] = 10 ** 6                        # offsets past the end
    a["layers"]["pseudo"][2]["label"] = "CHAT"                       # unknown label
    (folder / "annotations.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                              encoding="utf-8")
    index = json.loads((folder / "patients.json").read_text(encoding="utf-8"))
    victim = next(p for p in index if all(d["id"] != b["document_id"] and d["id"] != a["document_id"]
                                          for d in p["documents"]))
    (folder / victim["documents"][0]["file"]).write_bytes(b"Compte rendu \xe9crit en latin-1\n")  # non-UTF-8
    index[-1]["suggested_scenario"]["primary_diagnosis"]["code"] = "Z99.99"   # not in the code list
    (folder / "patients.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return folder, a["document_id"], victim["documents"][0]["id"], index[-1]["id"]


def test_each_bad_row_is_quarantined_with_its_reason(corrupted, tmp_path):
    folder, doc_id, bad_doc, bad_patient = corrupted
    v = validate_folder(folder)
    q = {(r.table, r.row_id): r.reasons for r in v.quarantine.itertuples()}
    assert any("wrong type" in x and "douze" in x for x in q[("pseudo", f"{doc_id}:pseudo:0")])
    assert "offsets: end past the end of the text" in q[("pseudo", f"{doc_id}:pseudo:1")]
    assert "label: unknown pseudo label" in q[("pseudo", f"{doc_id}:pseudo:2")]
    assert q[("documents", bad_doc)] == ["text_error: text unreadable (missing file or not UTF-8)"]
    assert q[("patients", bad_patient)] == ["icd10: ICD-10 code not in the bundled CIM-10 list"]
    # children follow their parent, with that reason; the rest proceeds
    assert all(r == ["parent document quarantined"] for (t, rid), r in q.items() if rid.startswith(f"{bad_doc}:"))
    assert v.summary["tables"]["pseudo"]["passed"] > 0.9 * v.summary["tables"]["pseudo"]["rows"]
    # nothing dropped silently: every row is either valid or quarantined
    for table, s in v.summary["tables"].items():
        assert s["passed"] + s["failed"] == s["rows"]
        assert len(v.valid[table]) == s["passed"], table
    v.write(tmp_path / "out")
    lines = (tmp_path / "out" / QUARANTINE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == s_failed(v) and json.loads(lines[0])["reasons"]
    summary = json.loads((tmp_path / "out" / SUMMARY).read_text(encoding="utf-8"))
    assert summary["total"]["failed"] == len(lines)


def s_failed(v) -> int:
    return v.summary["total"]["failed"]


def test_overlap_and_text_mismatch_are_caught(commons):
    recs = records_from_patients(commons.patients[:5])
    spans = next(d for p in recs for d in p["documents"] if len(d["annotations"]["pseudo"]) > 2)["annotations"]["pseudo"]
    spans[1]["start"] = spans[0]["end"] - 1        # starts inside span 0, ends past it; text no longer matches
    v = validate_records(recs)
    reasons = v.quarantine.explode("reasons")["reasons"].tolist()
    assert "span crosses or repeats another span of the same layer" in reasons
    assert "span text differs from document text at its offsets" in reasons


def test_nested_spans_pass_and_a_repeated_span_is_caught(commons):
    """FORMAT.md: marks nest (a Site inside its Infection); the same span twice with one label is an error."""
    recs = records_from_patients(commons.patients[:1])
    doc = recs[0]["documents"][0]
    text = doc["text"]
    outer = {"start": 0, "end": 20, "label": "Infection", "text": text[0:20], "attrs": {"negation": "Present"}}
    inner = {"start": 5, "end": 10, "label": "Site", "text": text[5:10], "attrs": {"negation": "Present"}}
    doc["annotations"]["infectio"] = [outer, inner]
    assert validate_records(recs).summary["tables"]["infectio"]["failed"] == 0
    doc["annotations"]["infectio"] = [outer, dict(outer)]
    assert validate_records(recs).summary["tables"]["infectio"]["failed"] == 1


def test_read_records_keeps_unreadable_documents(corrupted):
    folder, _, bad_doc, _ = corrupted
    doc = next(d for p in read_records(folder) for d in p["documents"] if d["id"] == bad_doc)
    assert doc["text"] is None and "not UTF-8" in doc["text_error"]
