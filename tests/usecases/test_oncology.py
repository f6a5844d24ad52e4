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
    out = oncology.extract(case["text"])
    found = out["biomarkers"]
    assert [p["biomarker"] for p in out["pending"]] == case.get("pending", [])
    assert [{k: b[k] for k in want} for b, want in zip(found, case["biomarkers"])] == case["biomarkers"]
    assert len(found) == len(case["biomarkers"]), found
    for b in found:
        assert set(b) == KEYS
        assert b["text"] == case["text"][b["start"]:b["end"]]
        assert b["status"] in BIOMARKER_STATUSES  # never null: the evaluation rejects it


@pytest.mark.parametrize("case", [s for s in SNIPPETS if "tnm" in s or "grade" in s], ids=lambda s: s["id"])
def test_snippet_tnm_and_grade(case):
    out = oncology.extract(case["text"])
    assert [t["text"] for t in out["tnm"]] == case.get("tnm", [])
    assert [g["value"] for g in out["grade"]] == case.get("grade", [])
    if "document_grade" in case:
        got = out["document_grade"]
        assert (got and [got["system"], got["value"]]) == (case["document_grade"] or None)
    for t in out["tnm"] + out["grade"]:
        assert case["text"][t["start"]:t["end"]] == t["text"]


def test_response_abbreviation_needs_its_criteria():
    """'RP selon RECIST' is a partial response; a bare 'RP' in a pathology report is the progesterone receptor."""
    assert oncology.classify_response("Biopsie mammaire : RE 90 %, RP en IHC 40 %.")["label"] == "NonApplicable"
    assert oncology.classify_response("TDM : PD selon iRECIST, nouvelles cibles hépatiques.")["label"] == "MaladieProgressive"


@pytest.mark.parametrize("case", [s for s in SNIPPETS if "response" in s], ids=lambda s: s["id"])
def test_snippet_response(case):
    r = oncology.classify_response(case["text"])
    assert r["label"] == case["response"]
    assert r["label"] in RESPONSE_LABELS
    assert case["text"][r["start"]:r["end"]] == r["text"]
    if "justification" in case:  # the shortest phrase that justifies the class (PARHAF CU5b)
        assert r["text"] == case["justification"]


def test_schema_is_exact_and_offsets_point_into_text():
    text = "Il s'agit d'un adénocarcinome, grade 2 selon Elston-Ellis. Stade pT2N0M0.\nEGFR non muté en NGS.\n"
    out = oncology.extract(text)
    assert set(out) == {"biomarkers", "pending", "tnm", "grade", "document_grade"}
    (b,) = out["biomarkers"]
    assert b == {"biomarker": "EGFR", "status": "wild-type", "value": None, "unit": None, "method": "NGS",
                 "variant": None, "vaf": None, "start": text.index("EGFR"), "end": text.index(".\n", 75),
                 "text": "EGFR non muté en NGS", "negated": True}
    assert out["tnm"] == [{"text": "pT2N0M0", "start": text.index("pT2"), "end": text.index("pT2") + 7}]
    assert out["grade"][0]["value"] == 2 and out["grade"][0]["system"] == "SBR"  # Elston-Ellis = Nottingham = SBR


def test_bad_arguments_raise_input_error(empty_home):
    with pytest.raises(InputError, match="method"):
        oncology.extract("HER2 3+", method="llm")
    with pytest.raises(InputError, match="not trained"):
        oncology.extract("HER2 3+", method="model")
    with pytest.raises(InputError, match="text"):
        oncology.extract(None)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"patient_docs\[0\]"):
        oncology.patient_table([{"text": "HER2 3+"}])


def test_commons_gold_is_recovered(commons):
    """Entity (strict), (marker, status) on 600 generated patients, TNM and CU5b on the session commons reach the targets,
    scored by the evaluation tasks (the leaderboard's definitions)."""
    from partages_core.evaluation import runner

    def metrics(task, system, patients=commons.patients):
        res = runner.evaluate(task, system, data=runner.on_patients(task, patients, "fixture"), n_boot=20)
        return {m: v["value"] for m, v in res["metrics"].items() if v}, res

    # judged on 300 generated patients, not the 60-patient fixture: at 60 patients (a few dozen biomarker
    # spans) the score moved with the generator's draw (strict 0.759, marker/status 0.916 after issue 17's
    # fourth variety pass, which only changed letterheads, dates and places), while 300 patients read
    # 0.88 / 0.96. Issue 17's fifth pass (lab values, tables, documents typed without accents; biomarker
    # phrasing unchanged) moved the draw again: 300 patients read 0.850 strict (0.852 with no accentless
    # document, so the draw, not the accents), 600 patients 0.862 / 0.966: judged on 600 patients, floors unchanged.
    from partages_core.corpus.generator import generate

    onco, res = metrics("oncology-biomarkers", "oncology-rules", list(generate(600, 7)))
    assert sum(r["support"] for r in res["per_label"]["entity_strict"].values()) > 20
    # Since issue 17 biomarkers are phrased independently of the rules (dMMR/pMMR, MSS/MSI-H, fusions,
    # TPS/CPS, "Ki67 = 35 %"): strict entity F1 measured 0.916 here and 0.868 on 300 patients, where
    # (marker, status) stays 0.962 / 0.963 and TNM overlap 0.941 (8/9) / 1.000.
    # Issue 16's follow-up (h16, session 15) makes the rules read an MMR panel as FORMAT.md and the hand-written dev
    # gold do, where the commons gold does not (below): strict entity 0.870 -> 0.839 ("statut pMMR" read whole: +0.015),
    # floor 0.83. Issue 17's follow-up (h17, session 15) makes the generator's gold follow FORMAT.md there (below):
    # strict entity 0.899 [0.872, 0.928] (484 gold mentions, 228 documents, scored as here): floor back to 0.85.
    assert onco["entity_f1_strict"] >= 0.85
    # Issue 17's fourteenth pass (dates only: no year, abbreviated months) redraws the 600 patients: (marker, status)
    # 0.948 with the same rules (0.972 with the generator before it, 0.953 on 1000 patients). The loss is the draw:
    # 12 MLH1 / MSH2 / MSH6 / PMS2 mentions the rules read per protein ("perte d'expression de MSH2 et MSH6", as the
    # hand-written gold marks them since batch 16) where the commons gold marked only "MMR", and PD-L1 (0.52).
    # Issue 17's fifteenth pass gives those proteins their own gold (FORMAT.md): (marker, status) 0.956, strict
    # entity 0.870 (MMR 0.974, MSH2 / MSH6 1.0, MLH1 / PMS2 0.571: "déficientes (perte de MLH1 et PMS2)" the rules
    # read as MMR alone), PD-L1 still 0.52: floor back to 0.95.
    # Issue 16's follow-up (h16, session 15): the rules read the proteins in that parenthesis (MLH1 / PMS2 FN gone) and
    # "score combiné (CPS) à 25" (PD-L1 0.52 -> 0.63, strict 0.92 -> 1.0), and follow FORMAT.md and the dev gold where
    # the commons gold does not, so (marker, status) reads 0.919 (0.956 before). Every MMR-family and PD-L1 difference
    # left on these 600 patients is such a place: a panel written whole with one result ("MLH1/MSH2/MSH6/PMS2 :
    # conservées", "des 4 protéines (MLH1, ...)"; 10 documents) is each protein alone in FORMAT.md (hw-252, hw-296),
    # one MMR mention in the commons (generator `_mmr_proteins`); "PD-L1 CPS < 1" is status value in FORMAT.md
    # (batch 11) and every dev PD-L1 with a figure, `negative` in the commons (10 documents); "Protéines MMR : perte de
    # MSH2 ..." is a heading over the proteins (unmarked in the dev gold: hw-232, hw-280), an MMR mention in the commons
    # (2 documents). Issue 17's follow-up (h17, session 15) gives the commons those three readings (generator
    # `_mmr_proteins`, `_mmr_end`, PD-L1 "< 1" status value): (marker, status) 0.991 [0.984, 0.996] (476 gold pairs,
    # 228 documents), MMR-family and PD-L1 per label 0.97-1.0: floor back to 0.95.
    assert onco["marker_status_f1"] >= 0.95
    # the generator appends the edition ("(TNM 8e édition)") inside its TNM span; the hand-written gold
    # (FORMAT.md) leaves it out, as the rules do: on the commons the TNM check is on overlap
    from partages_core.metrics import merge, micro, span_counts

    tnm = [span_counts([{"start": s.start, "end": s.end} for s in doc.spans("oncology") if s.label == "TNM"],
                       oncology.extract(doc.text)["tnm"], lambda x: "TNM", "overlap")
           for _, doc in commons.documents()]
    assert micro(merge(*tnm)).tp > 0 and micro(merge(*tnm)).f1 >= 0.9
    response, res = metrics("response", "response-rules")
    assert res["n_documents"] > 0 and response["accuracy"] >= 0.95


def test_patient_table_keeps_latest_status_with_provenance():
    docs = [{"id": "d1", "date": "2024-01-10", "text": "EGFR non muté en NGS. HER2 score 2+ en IHC."},
            {"id": "d3", "date": "2024-06-02", "text": "Recherche EGFR en cours. HER2 amplifié en FISH."},
            {"id": "d2", "date": "2024-03-01", "text": "EGFR muté (L858R) en PCR."}]
    table = {row["biomarker"]: row for row in oncology.patient_table(docs)}
    assert table["EGFR"]["status"] == "mutated" and table["EGFR"]["document"] == "d2"
    assert table["EGFR"]["variant"] == "L858R" and table["EGFR"]["mentions"] == 3
    assert table["HER2"]["status"] == "amplified" and table["HER2"]["document"] == "d3"
    assert docs[1]["text"][table["HER2"]["start"]:table["HER2"]["end"]] == table["HER2"]["text"]


def test_cohort_summary_suppresses_small_cells(commons):
    patients = [p for p in commons.patients if p.pool.startswith("CU 5")]
    raw = oncology.cohort_counts(patients)
    safe = oncology.cohort_summary(patients, k=11)
    assert raw.keys() == safe.keys() and raw
    for marker, cols in safe.items():
        for status, n in cols.items():
            assert n is None or n == 0 or n >= 11
            if n is not None:
                assert n == raw[marker][status]
    assert sum(n is None for cols in safe.values() for n in cols.values()) > 0


def test_cohort_summary_is_governance_suppression():
    """The cohort table hides exactly what ``governance.disclosure.suppress`` hides (one rule)."""
    from partages_core.governance.disclosure import suppress

    table = {"HER2": {"positive": 30, "negative": 5}, "ER": {"positive": 40, "negative": 20}}
    safe = oncology._suppress(table, 11)
    assert safe["HER2"]["negative"] is None and safe["HER2"]["positive"] is None  # row total reveals it
    assert safe["ER"]["positive"] is None or safe["ER"]["negative"] is None  # column totals too
    hidden = suppress(table, 11, margins=False).hidden
    assert {(r, c) for r, cols in safe.items() for c, n in cols.items() if n is None} == \
        {(r, c) for r in hidden.index for c in hidden.columns if hidden.loc[r, c]}
    assert oncology.DEFAULT_K == 11
    with pytest.raises(InputError, match="k"):
        oncology._suppress(table, 0)


def test_highlight_html_marks_marker_and_status():
    html = oncology.highlight_html("HER2 négatif (score 1+) <IHC>. Stade pT1N0.")
    assert 'data-label="HER2:negative"' in html and 'data-label="TNM"' in html
    assert "&lt;IHC&gt;" in html


def test_cohort_tested_counts_patients_per_marker(commons):
    patients = [p for p in commons.patients if p.pool.startswith("CU 5")]
    raw = oncology.cohort_counts(patients)
    tested = oncology.cohort_tested(patients, k=11)
    assert tested.keys() == raw.keys()
    for marker, cols in tested.items():
        assert cols["patients"] is None or cols["patients"] == sum(raw[marker].values()) >= 11


def test_mention_ends_of_batch_27_classes():
    """A mention stops before the specimen it was tested on ('HER2 0 sur biopsie'), runs to the variant's class
    (', variant de classe 4 (probablement pathogène)', its bracket kept, batches 12, 23) and keeps a lead-in written
    with 'de l'' before a gene ('Mutation activatrice de l'EGFR ...')."""
    def spans(text):
        return [(b["biomarker"], b["text"]) for b in oncology.extract(text)["biomarkers"]]
    assert spans("Sur microbiopsie : RE+ RP- HER2 1+ sur la biopsie. Chirurgie prévue.") == [
        ("ER", "RE+"), ("PR", "RP-"), ("HER2", "HER2 1+")]
    assert spans("- BRCA1 : c.68_69del p.(Glu23Valfs*17), VAF 48 %, variant de classe 4 (probablement pathogène) "
                 "justifiant une consultation d'oncogénétique.\n")[0] == (
        "BRCA1", "BRCA1 : c.68_69del p.(Glu23Valfs*17), VAF 48 %, variant de classe 4 (probablement pathogène)")
    assert spans("Conclusion : mutation de l'ALK non retrouvée.")[0][1].startswith("mutation de l'ALK")
    # the last name of a list sharing one result keeps the exon bracket that completes it (batch 26's "HER2 (exon 20)")
    assert spans("- NRAS, BRAF, HER2 (exons 19-20) : pas de variant détecté.") == [
        ("NRAS", "NRAS"), ("BRAF", "BRAF"), ("HER2", "HER2 (exons 19-20)")]
    # a bracket inside the enclosing one is the mention's own ("(pT3 N0, KRAS muté (G12D), NRAS sauvage)")
    assert spans("Rappel : côlon opéré (pT3 N0, KRAS muté (G12D), NRAS sauvage), sous surveillance.")[:2] == [
        ("KRAS", "KRAS muté (G12D)"), ("NRAS", "NRAS sauvage")]
