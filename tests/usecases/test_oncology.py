"""Oncology use case: hand-written snippets (not generated), schema, commons F1, tables, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from partages_core.corpus.model import BIOMARKER_STATUSES, RESPONSE_LABELS
from partages_core.errors import InputError
from partages_core.usecases import oncology

SNIPPETS = yaml.safe_load((Path(__file__).parent / "fixtures" / "oncology_snippets.yaml").read_text(encoding="utf-8"))
KEYS = set(oncology.BIOMARKER_KEYS)


def test_fixture_has_twenty_hand_written_snippets():
    assert len(SNIPPETS) >= 20
    assert len({s["id"] for s in SNIPPETS}) == len(SNIPPETS)


@pytest.mark.parametrize("case", [s for s in SNIPPETS if "biomarkers" in s], ids=lambda s: s["id"])
def test_snippet_biomarkers(case):
    found = oncology.extract(case["text"])["biomarkers"]
    assert [{k: b[k] for k in want} for b, want in zip(found, case["biomarkers"])] == case["biomarkers"]
    assert len(found) == len(case["biomarkers"]), found
    for b in found:
        assert set(b) == KEYS
        assert b["text"] == case["text"][b["start"]:b["end"]]
        assert b["status"] is None or b["status"] in BIOMARKER_STATUSES


@pytest.mark.parametrize("case", [s for s in SNIPPETS if "tnm" in s or "grade" in s], ids=lambda s: s["id"])
def test_snippet_tnm_and_grade(case):
    out = oncology.extract(case["text"])
    assert [t["text"] for t in out["tnm"]] == case.get("tnm", [])
    assert [g["value"] for g in out["grade"]] == case.get("grade", [])
    for t in out["tnm"] + out["grade"]:
        assert case["text"][t["start"]:t["end"]] == t["text"]


@pytest.mark.parametrize("case", [s for s in SNIPPETS if "response" in s], ids=lambda s: s["id"])
def test_snippet_response(case):
    r = oncology.classify_response(case["text"])
    assert r["label"] == case["response"]
    assert r["label"] in RESPONSE_LABELS
    assert case["text"][r["start"]:r["end"]] == r["text"]
