"""``benchmarks/bench_oncology_mentions_hybrid.py``: the arbitrations it scores (rules' marker and status, the
NER's boundaries) on hand-made snippets."""

from __future__ import annotations

import pytest

@pytest.fixture(scope="module")
def bench(load_benchmark):
    return load_benchmark("bench_oncology_mentions_hybrid")


def _at(text: str, piece: str, **extra) -> dict:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece, **extra}


def test_the_ner_sets_the_boundaries_of_the_one_mention_it_overlaps(bench):
    text = "Statut HER2 : score 3+ en IHC, donc positif. Ki67 à 20 %."
    rules = [_at(text, "HER2 : score 3+", biomarker="HER2", status="positive"),
             _at(text, "Ki67 à 20 %", biomarker="Ki67", status="high")]
    found = [_at(text, "HER2 : score 3+ en IHC, donc positif", label="BIOMARKER")]
    out = bench.take_boundaries(text, rules, found)
    assert [(o["text"], o["biomarker"], o["status"]) for o in out] == [
        ("HER2 : score 3+ en IHC, donc positif", "HER2", "positive"), ("Ki67 à 20 %", "Ki67", "high")]


def test_a_span_over_two_mentions_or_two_spans_over_one_leave_the_rules_boundaries(bench):
    text = "RE et RP positifs à 80 %. PD-L1 TPS 5 % ; CPS 10."
    rules = [_at(text, "RE", biomarker="ER", status="positive"), _at(text, "RP positifs à 80 %", biomarker="PR",
                                                                       status="positive"),
             _at(text, "PD-L1 TPS 5 % ; CPS 10", biomarker="PD-L1", status="positive")]
    found = [_at(text, "RE et RP positifs à 80 %", label="BIOMARKER"),      # covers two rules mentions
             _at(text, "PD-L1 TPS 5 %", label="BIOMARKER"), _at(text, "CPS 10", label="BIOMARKER")]  # two over one
    assert bench.take_boundaries(text, rules, found) == rules


def test_only_new_spans_with_a_marker_and_a_status_are_added(bench):
    text = "Recherche de mutation : KRAS muté (G12C). Bilan moléculaire complémentaire en cours."
    found = [_at(text, "KRAS muté (G12C)", label="BIOMARKER"),
             _at(text, "Bilan moléculaire complémentaire", label="BIOMARKER")]   # no marker named: not a mention
    added = bench.ner_mentions(text, [], found, only_new=True)
    assert [(a["text"], a["biomarker"]) for a in added] == [("KRAS muté (G12C)", "KRAS")]
    assert added[0]["status"] is not None
    # a span over a rules mention is not "new"; read as the NER alone, it takes that mention's marker and status
    rule = _at(text, "KRAS muté", biomarker="KRAS", status="mutated")
    assert bench.ner_mentions(text, [rule], found[:1], only_new=True) == []
    alone = bench.ner_mentions(text, [rule], found[:1])
    assert [(a["text"], a["biomarker"], a["status"]) for a in alone] == [("KRAS muté (G12C)", "KRAS", "mutated")]


def test_the_fold_of_a_patient_is_fixed_by_its_id_and_the_seed(bench):
    folds = [bench.patient_fold(f"HWP-{k:03d}") for k in range(1, 41)]
    assert folds == [bench.patient_fold(f"HWP-{k:03d}") for k in range(1, 41)]
    assert set(folds) == {0, 1}


def test_a_longer_only_arbitration_keeps_the_rules_span_when_the_ner_cuts_it(bench):
    text = "EGFR : absence de mutation des exons 18 à 21 (NGS). ALK négatif."
    rules = [_at(text, "EGFR : absence de mutation des exons 18 à 21", biomarker="EGFR", status="wild-type"),
             _at(text, "ALK négatif", biomarker="ALK", status="negative")]
    found = [_at(text, "EGFR : absence de mutation", label="BIOMARKER"),           # shorter: refused
             _at(text, "ALK négatif.", label="BIOMARKER")]                         # longer: taken
    out = bench.take_boundaries(text, rules, found, when="extends")
    assert [o["text"] for o in out] == ["EGFR : absence de mutation des exons 18 à 21", "ALK négatif."]
    inside = bench.take_boundaries(text, rules, found, when="inside")
    assert [o["text"] for o in inside] == ["EGFR : absence de mutation", "ALK négatif"]
