"""CU6 infectiology extractor: hand-written snippets, schema, antibiograms, alerts, cohort, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from partages_core.errors import InputError
from partages_core.usecases import infectiology as inf

SNIPPETS = yaml.safe_load((Path(__file__).parent / "fixtures" / "infectiology_snippets.yaml").read_text("utf-8"))


def test_enough_snippets():
    assert len(SNIPPETS) >= 20


@pytest.mark.parametrize("case", SNIPPETS, ids=[c["text"][:40] for c in SNIPPETS])
def test_snippet(case):
    out = inf.extract(case["text"])
    text = case["text"]
    for e in out["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    if "entities" in case:
        got = [[e["label"], e["text"], e["negation"], e["normalized"]] for e in out["entities"]]
        assert got == case["entities"]
    if "susceptibility" in case:
        got = [[s["organism"], s["antibiotic"], s["atc"], s["result"]] for s in out["susceptibility"]]
        assert got == case["susceptibility"]
    if "resistance" in case:
        got = [[r["phenotype"], r["organism"], r["negation"], r["inferred"]] for r in out["resistance"]]
        assert got == case["resistance"]


def test_schema_exact_keys():
    out = inf.extract("Bactériémie à E. coli. ANTIBIOGRAMME (E. coli)\nCTX: R\nFEP: R\nConclusion : BLSE.\n")
    assert set(out) == {"entities", "susceptibility", "resistance"}
    assert all(set(e) == {"label", "text", "start", "end", "negation", "normalized"} for e in out["entities"])
    assert all(set(s) == {"organism", "antibiotic", "atc", "result"} for s in out["susceptibility"])
    assert all(set(r) == {"phenotype", "organism", "negation", "inferred", "text", "start", "end"}
               for r in out["resistance"])
    assert {r["inferred"] for r in out["resistance"]} == {True, False}


def test_triplets_link_bacterium_and_site():
    text = "Diagnostic de pyélonéphrite aiguë (site rein gauche). Bactériémie à E. coli."
    assert [(t["bacterium"], t["site"]) for t in inf.triplets(inf.extract(text), text)] == [("Escherichia coli", "urinaire")]
    text = "Absence de bactériémie."
    assert inf.triplets(inf.extract(text), text) == []


def test_bad_input_and_model_method(empty_home):
    with pytest.raises(InputError, match="method"):
        inf.extract("x", method="llm")
    with pytest.raises(InputError, match="text"):
        inf.extract(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not trained"):
        inf.extract("Bactériémie à E. coli.", method="model")


def test_unmapped_antibiogram_rows_are_reported():
    rows, unmapped = inf.parse_antibiogram("Germe : E. coli\nAmoxicilline ..... R\nZorbamycine ..... S\n")
    assert [r["antibiotic"] for r in rows] == ["amoxicilline"]
    assert len(unmapped) == 1 and "Zorbamycine" in unmapped[0]["reason"]


def test_atc_from_edsnlp_for_names_outside_the_corpus_lexicon():
    rows, _ = inf.parse_antibiogram("Cloxacilline : S\nTeicoplanine : S\nRifampicine : R\n")
    atc = {r["antibiotic"]: r["atc"] for r in rows}
    assert atc["oxacilline"] == "J01CF04" and atc["teicoplanine"] == "J01XA02"
    assert any(a.startswith("J04AB") for a in atc.values())  # rifampicine from EDS-NLP (J04AB02)


def test_alerts_with_provenance():
    docs = {"D1": "Bactériémie à E. coli, porte d'entrée urinaire.",
            "D2": "Germe : K. pneumoniae\nErtapénème ..... R\nConclusion : carbapénémase de type KPC. Portage de BHRe."}
    summary = inf.alerts(docs)
    assert summary["isolation"] is True
    first = summary["alerts"][0]
    assert first["severity"] == "critical" and first["phenotype"] in ("BHRe", "EPC")
    kinds = {(a["kind"], a.get("phenotype"), a["organism"]) for a in summary["alerts"]}
    assert ("bacteremia", None, "Escherichia coli") in kinds
    for a in summary["alerts"]:
        for prov in a["provenance"]:
            assert docs[prov["document"]][prov["start"]:prov["end"]] == prov["text"]


def test_highlight_html_marks_negated_entities():
    html = inf.highlight_html("Pas de E. coli retrouvé. Absence de BLSE.")
    assert 'data-label="Bacterie (Absent)"' in html and 'data-label="BLSE (Absent)"' in html


def test_commons_gold_agreement(commons):
    """On the session commons the rules agree with most of the gold.

    Since issue 17 the commons varies its layouts and phrasings independently of the extractors' lexicons
    (bacteraemia negated or suspected many ways, antibiograms with MIC columns, pipes, two organisms
    side by side), so the rules no longer score 1.000 on it. Measured (entity, triple,
    susceptibility, resistance): 0.966, 0.800, 0.822, 1.000 on this 60-patient commons and 0.927,
    0.816, 0.857, 1.000 on 400 patients. Floors leave room for the small sample's variation.
    """
    from partages_core.metrics import micro
    from partages_core.usecases.infectiology.scoring import evaluate

    docs = [d for p in commons.patients if p.pool.startswith("CU 6") for d in p.documents]
    counts = evaluate(docs)
    floors = {"entity": 0.88, "entity+negation": 0.88, "triple": 0.7, "susceptibility": 0.75,
              "resistance+negation": 0.95}
    for task, floor in floors.items():
        assert micro(counts[task]).f1 >= floor, task


def test_resistance_rates_suppress_small_cells(commons):
    table = inf.resistance_rates(commons.patients, k=3)
    assert set(table.columns) == {"facility", "phenotype", "isolates", "resistant", "rate"}
    assert not ((table["resistant"] > 0) & (table["resistant"] < 3)).any()
    shown = table.dropna(subset=["rate"])
    assert ((shown["rate"] >= 0) & (shown["rate"] <= 1)).all()


def test_resistance_suppression_is_complementary():
    import pandas as pd

    t = pd.DataFrame({"isolates": [40, 30, 25], "BLSE": [2, 15, 12]}, index=["A", "B", "C"])
    out = inf._suppress(t, 11)
    assert out["BLSE"].isna().sum() >= 2  # the small cell and one more, so the total cannot reveal it
    assert inf.DEFAULT_K == 11


def test_cli_command(tmp_path):
    import typer
    from typer.testing import CliRunner

    from partages_core.usecases.cli import register

    app = typer.Typer()
    register(app)
    f = tmp_path / "r.txt"
    f.write_text("Hémocultures positives à E. coli.", encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", "infectiology", str(f)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["entities"][1]["normalized"] == "Escherichia coli"
    res = CliRunner().invoke(app, ["extract", "infectiology", "-", "--method", "rules"], input="SARM.")
    assert json.loads(res.output)["resistance"][0]["phenotype"] == "SARM"
