"""Clinical coherence of the commons: 0 violations over 5,000 patients, and each rule does fire
on a report that breaks it (so 0 means coherent, not blind)."""

from __future__ import annotations

import copy
import datetime as dt
import ast
from pathlib import Path

import pytest

from partages_core.corpus import coherence as co
from partages_core.corpus.generator import generate
from partages_core.corpus.model import Span, Susceptibility


@pytest.fixture(scope="module")
def cohort():
    return list(generate(5000, 13))


@pytest.mark.parametrize("rule", sorted(co.CHECKS))
def test_no_violation_over_5000_patients(cohort, rule):
    check = co.CHECKS[rule]
    found = [v for p in cohort for v in check(p)]
    assert found == [], found[:5]


def _first(cohort, pred):
    return copy.deepcopy(next(p for p in cohort if pred(p)))


def _anapath(p):
    return next(d for d in p.documents if d.type == "ANAPATH")


def test_grading_system_must_match_the_organ(cohort):
    glioma = _first(cohort, lambda p: co.site_of(p) == "cerveau" and p.pool.startswith("CU 5"))
    doc = _anapath(glioma)
    doc.text += "\nGrade histopronostique SBR II (2+2+2)."
    assert {v.rule for v in co.check_grading(glioma)} == {"grading_matches_organ"}
    prostate = _first(cohort, lambda p: co.site_of(p) == "prostate" and p.pool.startswith("CU 5"))
    _anapath(prostate).text += " Score de Gleason 4+3 = 7 (groupe ISUP 2)."
    assert "gleason_isup_group" in {v.rule for v in co.check_grading(prostate)}


def test_no_tnm_for_glioma_and_categories_of_the_site(cohort):
    glioma = _first(cohort, lambda p: co.site_of(p) == "cerveau" and p.pool.startswith("CU 5"))
    doc = _anapath(glioma)
    doc.annotations.setdefault("oncology", []).append(Span(0, 7, "TNM", "pT2N0M0", {}))
    assert {v.rule for v in co.check_tnm(glioma)} == {"tnm_matches_site"}
    breast = _first(cohort, lambda p: co.site_of(p) == "sein" and p.pool.startswith("CU 5") and any(
        s.label == "TNM" for s in _anapath(p).spans("oncology")))
    _anapath(breast).annotations["oncology"].append(Span(0, 6, "TNM", "pT2bN0", {}))
    assert "tnm_matches_site" in {v.rule for v in co.check_tnm(breast)}


def _micro(cohort, species, phenotype=None):
    def ok(p):
        return any(r.organism == species for d in p.documents for r in d.antibiogram)
    p = _first(cohort, ok)
    doc = next(d for d in p.documents if any(r.organism == species for r in d.antibiogram))
    doc.annotations["resistance"] = []
    return p, doc


def _set(doc, species, antibiotic, result):
    for r in doc.antibiogram:
        if r.organism == species and r.antibiotic == antibiotic:
            r.result = result


def test_proteus_with_hyperproduced_cephalosporinase_is_refused(cohort):
    """The issue's example: P. mirabilis has no chromosomal AmpC; AMC S with TZP R is incoherent."""
    p, doc = _micro(cohort, "Proteus mirabilis")
    doc.annotations["resistance"] = [Span(0, 5, "CASE_HP", "céphalosporinase hyperproduite",
                                          {"organism": "Proteus mirabilis", "negation": "Present"})]
    _set(doc, "Proteus mirabilis", "amoxicilline-acide clavulanique", "S")
    _set(doc, "Proteus mirabilis", "pipéracilline-tazobactam", "R")
    rules = {v.rule for v in co.check_antibiograms(p)}
    assert {"mechanism_possible_for_species", "antibiogram_matches_mechanism", "beta_lactam_hierarchy"} <= rules


def test_intrinsic_resistance_and_mechanism_markers(cohort):
    p, doc = _micro(cohort, "Klebsiella pneumoniae")
    _set(doc, "Klebsiella pneumoniae", "amoxicilline", "S")
    assert "intrinsic_resistance" in {v.rule for v in co.check_antibiograms(p)}
    p, doc = _micro(cohort, "Staphylococcus aureus")
    doc.annotations["resistance"] = [Span(0, 4, "SARM", "SARM", {"organism": "Staphylococcus aureus",
                                                                 "negation": "Present"})]
    _set(doc, "Staphylococcus aureus", "oxacilline", "S")
    assert "antibiogram_matches_mechanism" in {v.rule for v in co.check_antibiograms(p)}


def test_biomarkers_plausible_for_the_tumour(cohort):
    breast = _first(cohort, lambda p: co.site_of(p) == "sein" and p.pool.startswith("CU 5"))
    doc = _anapath(breast)
    doc.annotations["oncology"].append(Span(0, 4, "BIOMARKER", "EGFR muté", {
        "biomarker": "EGFR", "status": "mutated", "method": "NGS", "value": None}))
    doc.annotations["oncology"].append(Span(0, 4, "BIOMARKER", "HER2 amplifié en IHC", {
        "biomarker": "HER2", "status": "amplified", "method": "IHC", "value": None}))
    doc.annotations["oncology"].append(Span(0, 4, "BIOMARKER", "HER2 score 3+", {
        "biomarker": "HER2", "status": "negative", "method": "IHC", "value": "3+"}))
    rules = {v.rule for v in co.check_biomarkers(breast)}
    assert {"biomarker_plausible_for_tumour", "biomarker_method_gives_status",
            "her2_score_matches_status"} <= rules


def test_mmr_proteins_read_as_written_and_checked(cohort):
    from partages_core.corpus.generator import _mmr_end, _mmr_proteins
    text = "MMR : perte d'expression de MLH1 et PMS2 en IHC, expression conservée de MSH2 et MSH6 (dMMR)"
    assert [(p, st, text[a:b]) for p, st, a, b in _mmr_proteins(text)] == [
        ("MLH1", "negative", "MLH1"), ("PMS2", "negative", "PMS2"), ("MSH2", "positive", "MSH2"), ("MSH6", "positive", "MSH6")]
    # a panel written whole with one result marks each protein alone (FORMAT.md, hw-217); "profil pMMR" is the MMR's
    panel = "MLH1/MSH2/MSH6/PMS2 : conservées (IHC)"
    assert [(p, st, panel[a:b]) for p, st, a, b in _mmr_proteins(panel)] == [
        ("MLH1", "positive", "MLH1"), ("MSH2", "positive", "MSH2"), ("MSH6", "positive", "MSH6"), ("PMS2", "positive", "PMS2")]
    assert _mmr_end(panel, "conservées") is None and _mmr_proteins("MLH1/MSH2/MSH6/PMS2 : profil pMMR (IHC)") == []
    bracket = "Protéines MMR : déficientes (perte de MLH1 et PMS2) (IHC)"  # the parenthesis holds mentions of its own
    assert bracket[:_mmr_end(bracket, "déficientes (perte de MLH1 et PMS2)")] == "Protéines MMR : déficientes"
    assert [p for p, st, a, b in _mmr_proteins(bracket, "negative")] == ["MLH1", "PMS2"]
    assert _mmr_end("Protéines MMR : perte d'expression de MSH2 et MSH6", "perte d'expression de MSH2 et MSH6") is None
    has_mmr = lambda d: d.type == "ANAPATH" and any(s.attrs.get("biomarker") == "MMR" for s in d.spans("oncology"))  # noqa: E731
    patient = _first(cohort, lambda p: any(has_mmr(d) for d in p.documents))
    doc = next(d for d in patient.documents if has_mmr(d))
    proteins = co._rules()["mmr_proteins"]
    doc.annotations["oncology"] = [s for s in doc.annotations["oncology"] if s.attrs.get("biomarker") not in proteins]
    mmr = next(s for s in doc.spans("oncology") if s.attrs.get("biomarker") == "MMR")
    contrary = "positive" if mmr.attrs["status"] == "negative" else "negative"
    doc.annotations["oncology"].append(Span(0, 4, "BIOMARKER", "MSH2", {
        "biomarker": "MSH2", "status": contrary, "method": "IHC", "value": None}))
    doc.annotations["oncology"].append(Span(0, 4, "BIOMARKER", "MSH6", {
        "biomarker": "MSH6", "status": "amplified", "method": "FISH", "value": None}))
    rules = {v.rule for v in co.check_biomarkers(patient)}
    assert {"mmr_matches_proteins", "biomarker_status_exists"} <= rules


def test_dates_and_ages(cohort):
    p = _first(cohort, lambda p: any(s.label == "DATE_NAISSANCE" for d in p.documents for s in d.spans("pseudo")))
    p.suggested_scenario["age"]["value"] += 3
    doc = next(d for d in p.documents if any(s.label == "DATE_NAISSANCE" for s in d.spans("pseudo")))
    span = next(s for s in doc.spans("pseudo") if s.label == "DATE_NAISSANCE")
    span.text = "01/01/1990" if span.text != "01/01/1990" else "02/01/1990"
    assert "age_matches_birth_date" in {v.rule for v in co.check_ages(p)}
    assert "birth_date_as_written" in {v.rule for v in co.check_dates(p)}
    p.suggested_scenario["admission_date"] = (dt.date.fromisoformat(p.identity["birth_date"])
                                              - dt.timedelta(days=3)).isoformat()
    assert "dates_in_order" in {v.rule for v in co.check_dates(p)}


def test_parse_date_reads_every_format_the_generator_prints():
    from partages_core.corpus.identities import format_date

    for day in (dt.date(1987, 3, 1), dt.date(1949, 2, 28), dt.date(2026, 12, 5)):   # "mars" whole, "févr.", "déc."
        for style in ("slash4", "slash2", "dot2", "long", "iso", "dash4", "weekday_long", "long_abbr", "slash4_loose"):
            assert co.parse_date(format_date(day, style)) == day, (style, format_date(day, style))
    assert format_date(dt.date(2026, 11, 20), "long_abbr") == "20 nov. 2026"
    assert co.parse_date(format_date(dt.date(2026, 12, 9), "day_month_abbr")) is None   # "9 déc.": no year, no whole date


def test_generator_reads_no_extractor_lexicon():
    """Variety is drawn independently of the extractors: no corpus module imports `usecases`
    or `governance`, nor names their lexicon files."""
    root = Path(co.__file__).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("partages_core.usecases", "partages_core.governance")), (path, name)
        source = path.read_text(encoding="utf-8")
        assert "oncology_rules" not in source and "infectiology_extra" not in source, path
