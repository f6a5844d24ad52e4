"""CU6 infectiology extractor: hand-written snippets, schema, antibiograms, alerts, cohort, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    assert set(out) == {"entities", "susceptibility", "resistance", "alerts"}
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
    """On the session commons, the rules agree with the gold on the views whose conventions the
    generator shares with the hand-written set (antibiogram, resistance). Entity spans follow the
    hand-written (PARHAF) conventions, which the generator does not ("Absence de bactériémie" with its
    cue, "bactériémie" without "à E. coli", table headings unmarked): strict spans are measured on
    hand-written text instead (benchmarks/bench_usecases_realtext.py), overlap is checked here."""
    from partages_core.evaluation import runner

    data = runner.on_patients("infectiology", commons.patients, "fixture")
    res = runner.evaluate("infectiology", "infectio-rules", data=data, n_boot=20)
    # Since issue 17 antibiograms come in layouts drawn independently of the rules (MIC column, pipe
    # table, two organisms side by side): antibiogram F1 measured 0.748 on this 60-patient commons,
    # 0.935 on 300 patients; resistance 1.000 on both.
    assert res["metrics"]["antibiogram_f1"]["value"] >= 0.7
    assert res["metrics"]["resistance_f1"]["value"] >= 0.95
    assert res["metrics"]["entity_f1_overlap"]["value"] >= 0.75


def test_resistance_rates_suppress_small_cells(commons):
    table = inf.resistance_rates(commons.patients, k=3)
    assert set(table.columns) == {"facility", "phenotype", "denominator", "isolates", "resistant", "rate"}
    assert set(table.loc[table["phenotype"] == "SARM", "denominator"]) <= {"Staphylococcus aureus isolates"}
    assert not ((table["resistant"] > 0) & (table["resistant"] < 3)).any()
    shown = table.dropna(subset=["rate"])
    assert ((shown["rate"] >= 0) & (shown["rate"] <= 1)).all()


def test_sarm_rate_counts_only_staphylococcus_aureus_isolates():
    from types import SimpleNamespace

    mrsa = "ANTIBIOGRAMME (Staphylococcus aureus)\nOxacilline .......... R\nVancomycine ......... S\n\nSARM."
    mssa = "ANTIBIOGRAMME (Staphylococcus aureus)\nOxacilline .......... S\nVancomycine ......... S\n"
    coli = "ANTIBIOGRAMME (Escherichia coli)\nAmoxicilline ........ R\nImipénème ........... S\n"
    texts = [mrsa, mrsa, mssa, coli, coli, coli]
    patients = [SimpleNamespace(id=f"P{i}", facility="F", documents=[SimpleNamespace(id=f"D{i}", text=t)])
                for i, t in enumerate(texts)]
    table = inf.resistance_rates(patients, k=2)
    sarm = table[table["phenotype"] == "SARM"].iloc[0]
    assert (sarm["isolates"], sarm["resistant"]) == (3, 2)  # 2 of the 3 S. aureus, not 2 of all 6 isolates
    assert abs(sarm["rate"] - 2 / 3) < 1e-9 and sarm["denominator"] == "Staphylococcus aureus isolates"


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


def test_alerts_deduplicated_with_basis():
    """Four mentions of one phenotype make one alert, with its evidence spans stated and inferred."""
    text = ("Culture : Escherichia coli BLSE.\nANTIBIOGRAMME (Escherichia coli)\nCéfotaxime ..... R\n"
            "Céfépime ..... R\nConclusion : E. coli BLSE, bêta-lactamase à spectre étendu. BLSE : précautions.\n")
    out = inf.extract(text)
    blse = [a for a in out["alerts"] if a["phenotype"] == "BLSE"]
    assert len(blse) == 1 and blse[0]["organism"] == "Escherichia coli"
    assert blse[0]["basis"] == "stated+inferred"
    assert {e["basis"] for e in blse[0]["evidence"]} == {"stated", "inferred"}
    assert all(text[e["start"]:e["end"]] == e["text"] for e in blse[0]["evidence"])


def test_no_carbapenemase_alert_on_proteus_imipenem():
    """Proteus is intrinsically less susceptible to imipenem (EUCAST expert rules): no EPC alert."""
    text = "ANTIBIOGRAMME (Proteus mirabilis)\nAmoxicilline ..... S\nImipénème ..... I\nErtapénème ..... S\n"
    out = inf.extract(text)
    assert out["alerts"] == [] and not [r for r in out["resistance"] if r["phenotype"] == "EPC"]
    text = text.replace("Proteus mirabilis", "Klebsiella pneumoniae")
    assert [a["phenotype"] for a in inf.extract(text)["alerts"]] == ["EPC"]


def test_antibiogram_layouts():
    """Organisms in columns (declared as 'Germe 1/2'), EUCAST SFP = I, side-by-side blocks, prose."""
    text = ("Germe 1 : Klebsiella pneumoniae\nGerme 2 : Enterococcus faecium\n\n"
            "                 Germe 1  Germe 2\nAmoxicilline       R        R\nImipeneme          SFP      /\n"
            "Vancomycine        /        R\n")
    rows = {(s["organism"], s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("Klebsiella pneumoniae", "amoxicilline", "R"), ("Enterococcus faecium", "amoxicilline", "R"),
                    ("Klebsiella pneumoniae", "imipénème", "I"), ("Enterococcus faecium", "vancomycine", "R")}
    text = "   S. aureus        |   P. aeruginosa\nOXA   R   GEN   S   |   TZP  S   IPM  R\n"
    rows = {(s["organism"], s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("Staphylococcus aureus", "oxacilline", "R"), ("Staphylococcus aureus", "gentamicine", "S"),
                    ("Pseudomonas aeruginosa", "pipéracilline-tazobactam", "S"),
                    ("Pseudomonas aeruginosa", "imipénème", "R")}
    text = ("E. coli sensible aux C3G, à l'ofloxacine et au cotrimoxazole,\nrésistante à l'amoxicilline.")
    rows = {(s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("céfotaxime", "S"), ("ceftazidime", "S"), ("ofloxacine", "S"), ("cotrimoxazole", "S"),
                    ("amoxicilline", "R")}


def test_antibiogram_columns_named_on_one_heading_line():
    """'Germe 1 : X   Germe 2 : Y' on one line heads two (MIC, category) column pairs; 'HN : S' (the
    enterococcus high-level aminoglycoside screen) stands in the MIC column; '-' is not tested."""
    text = ("Antibiogramme (CMI mg/L, EUCAST)\n"
            "              Germe 1 : Proteus mirabilis   Germe 2 : Enterococcus faecium\n"
            "              CMI     cat.                  CMI     cat.\n"
            "Amoxicilline  2       S                     >32     R\n"
            "Céfotaxime    <=0,25  S                     -       -\n"
            "Imipénème     2       SFP                   -       -\n"
            "Gentamicine   0,5     S                     HN : R  (pas de synergie)\n"
            "Vancomycine   -       -                     0,5     S\n")
    rows = {(s["organism"], s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("Proteus mirabilis", "amoxicilline", "S"), ("Enterococcus faecium", "amoxicilline", "R"),
                    ("Proteus mirabilis", "céfotaxime", "S"), ("Proteus mirabilis", "imipénème", "I"),
                    ("Proteus mirabilis", "gentamicine", "S"), ("Enterococcus faecium", "gentamicine", "R"),
                    ("Enterococcus faecium", "vancomycine", "S")}


def test_prose_results_item_by_item_and_all_but():
    """'X sensible à forte posologie, Y sensible à forte posologie' gives I to each item (not 'sensible à
    [forte posologie, Y]'); 'sensible à tout sauf A et B' gives the exceptions the other result."""
    text = "Pseudomonas aeruginosa : ceftazidime sensible à forte posologie, céfépime sensible à forte posologie, amikacine sensible."
    rows = {(s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("ceftazidime", "I"), ("céfépime", "I"), ("amikacine", "S")}
    text = "Acinetobacter baumannii résistant à tous les antibiotiques testés sauf la colistine."
    assert [(s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]] == [("colistine", "S")]
    text = "Serratia marcescens sensible à tout, sauf amoxicilline et céfuroxime."
    rows = {(s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("amoxicilline", "R"), ("céfuroxime", "R")}


def test_letters_in_brackets_and_grouped_lists_inside_a_line():
    """'pénicilline G (S)'; 'Sensible : ...' after a sentence on the same line, a class in it read as its molecules,
    and a class name never read as the antibiotic code inside it ('carbapénèmes' is not 'pen')."""
    text = "Streptococcus pyogenes. Résultats : pénicilline G (S), érythromycine (R)."
    rows = {(s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("benzylpénicilline", "S"), ("érythromycine", "R")}
    text = "Enterobacter cloacae. Résistant : céfoxitine. Sensible : céfépime, carbapénèmes."
    rows = {(s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("céfoxitine", "R"), ("céfépime", "S"), ("imipénème", "S"), ("méropénème", "S")}


def test_grouped_results_and_bacteraemia_without_severity():
    text = ("Culture : Staphylococcus aureus.\nSensible : oxacilline, gentamicine, rifampicine et acide fusidique.\n"
            "Résistant : pénicilline G, érythromycine.\n")
    rows = {(s["atc"], s["result"]) for s in inf.extract(text)["susceptibility"]}
    assert rows == {("J01CF04", "S"), ("J01GB03", "S"), ("J04AB02", "S"), ("J01XC01", "S"), ("J01CE01", "R"),
                    ("J01FA01", "R")}
    ents = inf.extract("Sepsis sur bactériémie à E. coli.")["entities"]
    assert [(e["label"], e["text"]) for e in ents] == [("Bacteriemie", "bactériémie à E. coli"), ("Bacterie", "E. coli")]


def test_culture_and_timing_words_are_whole_words():
    """One blood-culture word pattern, and dating words, match whole words only (reviewer items, issue 16)."""
    from partages_core.usecases.infectiology.rules import _CULTURE_WORD, _TIMED_CULTURE, _WORD_RULED_OUT

    assert [bool(_CULTURE_WORD.search(t)) for t in ("hemocultures", "hc x2", "hemocs", "chc", "hc-1", "post-hemoc")] \
        == [True, True, True, False, False, False]
    dated = ("hemocultures de controle", "a j+3", "la veille", "avant-hier", "sous antibiotiques", "d'entree",
             "initialement")
    undated = ("d'apres le labo", "surveillee", "poursuivi", "rentree", "kt sous-clavier", "controlateral", "hierarchie")
    assert all(_TIMED_CULTURE.search(t) for t in dated) and not any(_TIMED_CULTURE.search(t) for t in undated)
    assert all(_WORD_RULED_OUT.match(t) for t in (" eliminee", " elimine", " ecartees", " sont exclus", " non retenu"))
    assert not any(_WORD_RULED_OUT.match(t) for t in (" redoutee", " eliminer", " evoquee"))


def test_realtext_benchmark_scores_a_dev_range_and_refuses_test_ids():
    """``bench_usecases_realtext.py --docs``: an old dev batch is scored alone; a range with a frozen id exits 2."""
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, str(root / "benchmarks" / "bench_usecases_realtext.py"), "--no-speed", "--docs"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([*cmd, "hw-161", "hw-165"], capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "infectio-rules), dev documents hw-161..hw-165: 5 documents" in done.stdout
    assert "(micro)                            n=36" in done.stdout  # batch 8's 36 entities (FORMAT.md)
    from partages_core.corpus.handwritten import splits

    frozen = min(i for i, s in splits().items() if s == "test")  # an id, its text is not read
    bad = subprocess.run([*cmd, "hw-001", frozen], capture_output=True, text=True, env=env, cwd=root)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == (f"error: --docs hw-001 {frozen}: {frozen} is in the frozen test split "
                                  "(1 test document(s) in the range); --docs scores dev documents only")


_LAYOUTS = {  # layouts French lab systems print, written for this test (none copied from the hand-written set)
    "markdown pipes, organisms in the heading":
        ("Culture : E. coli et Klebsiella pneumoniae.\n| Antibiotique | E. coli | K. pneumoniae |\n|---|---|---|\n"
         "| Amoxicilline | R | R |\n| Céfotaxime | S | R |\n| Ertapénème | S | S |\n",
         {("Escherichia coli", "amoxicilline", "R"), ("Escherichia coli", "céfotaxime", "S"),
          ("Escherichia coli", "ertapénème", "S"), ("Klebsiella pneumoniae", "amoxicilline", "R"),
          ("Klebsiella pneumoniae", "céfotaxime", "R"), ("Klebsiella pneumoniae", "ertapénème", "S")}),
    "tabs, '-' not tested":
        ("Antibiogramme\nAntibiotique\tE. coli\tProteus mirabilis\nAmoxicilline\tR\t-\nCeftriaxone\tS\tS\nColistine\t-\tR\n",
         {("Escherichia coli", "amoxicilline", "R"), ("Escherichia coli", "ceftriaxone", "S"),
          ("Proteus mirabilis", "ceftriaxone", "S"), ("Proteus mirabilis", "colistine", "R")}),
    "dot leaders, MIC after the result":
        ("Souche : Escherichia coli\nAmoxicilline ........ R   (CMI >8)\nGentamicine ......... S   (CMI 0,5)\n",
         {("Escherichia coli", "amoxicilline", "R"), ("Escherichia coli", "gentamicine", "S")}),
    "MIC with its unit, then the category":
        ("Enterobacter cloacae complex\nAntibiotique       CMI          Cat.\nCéfotaxime         8 mg/l       R\n"
         "Céfépime           0,5 mg/l     S\n",
         {("Enterobacter cloacae", "céfotaxime", "R"), ("Enterobacter cloacae", "céfépime", "S")}),
    "results in words, 'sensible à forte posologie' in a cell":
        ("Pseudomonas aeruginosa\nPipéracilline-tazobactam     sensible à forte posologie\nImipénème                    résistant\n"
         "Amikacine                    Sensible\n",
         {("Pseudomonas aeruginosa", "pipéracilline-tazobactam", "I"), ("Pseudomonas aeruginosa", "imipénème", "R"),
          ("Pseudomonas aeruginosa", "amikacine", "S")}),
    "three organisms aligned under their names, NT":
        ("                 S. aureus     E. faecalis    E. coli\nAmoxicilline     R             S              R\n"
         "Vancomycine      S             S              NT\nGentamicine      S             NT             S\n",
         {("Staphylococcus aureus", "amoxicilline", "R"), ("Enterococcus faecalis", "amoxicilline", "S"),
          ("Escherichia coli", "amoxicilline", "R"), ("Staphylococcus aureus", "vancomycine", "S"),
          ("Enterococcus faecalis", "vancomycine", "S"), ("Staphylococcus aureus", "gentamicine", "S"),
          ("Escherichia coli", "gentamicine", "S")}),
    "'Germe n' in the heading and in the table, a bracketed name and comment, 'R*'":
        ("Germe 1 : Staphylococcus aureus\nGerme 2 : Pseudomonas aeruginosa\n\n"
         "Antibiotique              Germe 1 S. aureus     Germe 2 P. aeruginosa\n"
         "Céfoxitine (dépistage)    R                     -\n"
         "Clindamycine              S (pas de résistance inductible)   -\n"
         "Ceftazidime               -                     SFP\n"
         "Cotrimoxazole             S                     R*\n",
         {("Staphylococcus aureus", "céfoxitine", "R"), ("Staphylococcus aureus", "clindamycine", "S"),
          ("Pseudomonas aeruginosa", "ceftazidime", "I"), ("Staphylococcus aureus", "cotrimoxazole", "S"),
          ("Pseudomonas aeruginosa", "cotrimoxazole", "R")}),
    "declared 'Germe n' columns split by pipes":
        ("Germe 1 : Escherichia coli\nGerme 2 : Staphylococcus aureus\nAntibiotique | Germe 1 | Germe 2\n"
         "Amoxicilline | R | R\nOxacilline | - | S\n",
         {("Escherichia coli", "amoxicilline", "R"), ("Staphylococcus aureus", "amoxicilline", "R"),
          ("Staphylococcus aureus", "oxacilline", "S")}),
    "an OCR'd fax: '1' for 'l' in a name, 'O' for '0' in a MIC":
        ("ANTIBIOGRAMME - Klebsiella pneumoniae\nAmikacine          4          S\nCéfotaxime         <=O,25     S\n"
         "Ciprof1oxacine     O,5        R\n",
         {("Klebsiella pneumoniae", "amikacine", "S"), ("Klebsiella pneumoniae", "céfotaxime", "S"),
          ("Klebsiella pneumoniae", "ciprofloxacine", "R")}),
    "a spreadsheet export split by ';'":
        ("Antibiotique;E. coli;S. aureus\nGentamicine;S;S\nOxacilline;-;R\n",
         {("Escherichia coli", "gentamicine", "S"), ("Staphylococcus aureus", "gentamicine", "S"),
          ("Staphylococcus aureus", "oxacilline", "R")}),
    "declared 'Souche n' columns, results in words under each organism":
        ("Souche 1 : Escherichia coli\nSouche 2 : Klebsiella pneumoniae\n              Souche 1      Souche 2\n"
         "Amoxicilline  Résistant     Résistant\nCéfotaxime    Sensible      Résistant\n",
         {("Escherichia coli", "amoxicilline", "R"), ("Klebsiella pneumoniae", "amoxicilline", "R"),
          ("Escherichia coli", "céfotaxime", "S"), ("Klebsiella pneumoniae", "céfotaxime", "R")}),
    "column headings cut short ('E. fae', 'K. pneumo'), read as the species the report names, split by pipes":
        ("Enterococcus faecium et Klebsiella pneumoniae isolés.\nATB          | E. fae | K. pneumo\n"
         "Amoxicilline | R      | R\nVancomycine  | S      | -\nCéfotaxime   | -      | S\n",
         {("Enterococcus faecium", "amoxicilline", "R"), ("Enterococcus faecium", "vancomycine", "S"),
          ("Klebsiella pneumoniae", "amoxicilline", "R"), ("Klebsiella pneumoniae", "céfotaxime", "S")}),
    "column headings cut short, aligned with spaces, no species named in full":
        ("Antibiogramme\n              P. aerug    S. aur.\nCeftazidime   S           -\nOxacilline    -           R\n"
         "Amikacine     I           S\n",
         {("Pseudomonas aeruginosa", "ceftazidime", "S"), ("Pseudomonas aeruginosa", "amikacine", "I"),
          ("Staphylococcus aureus", "oxacilline", "R"), ("Staphylococcus aureus", "amikacine", "S")}),
    "look-alike: a lab table headed by people's initials is no antibiogram":
        ("Escherichia coli dans les urines.\nExamen       J. Martin   P. Durand\nCRP          120         45\n"
         "Leucocytes   15,2        9,1\n", set()),
    "prose: a list item followed by its own result ('..., vancomycine sensible') leaves the list":
        ("Staphylococcus aureus résistant à la pénicilline et à l'acide fusidique, vancomycine sensible. "
         "Escherichia coli résistante à l'amoxicilline et au cotrimoxazole, ceftriaxone et ciprofloxacine sensibles.",
         {("Staphylococcus aureus", "benzylpénicilline", "R"), ("Staphylococcus aureus", "acide fusidique", "R"),
          ("Staphylococcus aureus", "vancomycine", "S"), ("Escherichia coli", "amoxicilline", "R"),
          ("Escherichia coli", "cotrimoxazole", "R"), ("Escherichia coli", "ceftriaxone", "S"),
          ("Escherichia coli", "ciprofloxacine", "S")}),
    "prose look-alike: a result word opening a new list ('..., et la rifampicine sensible à la vancomycine')":
        ("Staphylococcus aureus résistant à l'acide fusidique, à la rifampicine, sensible à la vancomycine.",
         {("Staphylococcus aureus", "acide fusidique", "R"), ("Staphylococcus aureus", "rifampicine", "R"),
          ("Staphylococcus aureus", "vancomycine", "S")}),
    "prose: a bracket holding a result word does not end the list":
        ("La souche d'Escherichia coli est résistante à l'amoxicilline (résistance naturelle), au céfotaxime et à la "
         "ceftazidime. Elle reste sensible à l'ertapénème.",
         {("Escherichia coli", "amoxicilline", "R"), ("Escherichia coli", "céfotaxime", "R"),
          ("Escherichia coli", "ceftazidime", "R"), ("Escherichia coli", "ertapénème", "S")}),
}


@pytest.mark.parametrize("layout", list(_LAYOUTS))
def test_antibiogram_read_by_content_whatever_the_layout(layout):
    """An antibiotic name followed by result cells is a row, whatever separates the cells; the organism columns come
    from the heading line that names them (rules.py, '_column_rows')."""
    text, expected = _LAYOUTS[layout]
    assert {(s["organism"], s["antibiotic"], s["result"]) for s in inf.extract(text)["susceptibility"]} == expected


def test_infection_boundaries_of_batch_27_classes():
    """A timing right after a name with no complement is inside ('PAVM tardive'), after a closed complement outside;
    an adverb ends a site phrase; the tendons after a tenosynovitis are its name, no Site; two places joined by
    'et de' under one plural side are two Sites inside one infection (FORMAT.md, 'Adjudicated, batch 27')."""
    def spans(text):
        return [(e["label"], e["text"]) for e in inf.extract(text)["entities"]]
    assert spans("Diagnostic : PAVM précoce, ATB probabiliste.") == [("Infection", "PAVM précoce")]
    assert ("Infection", "infection de prothèse totale de hanche droite") in spans(
        "Infection de prothèse totale de hanche droite tardive, reprise prévue.".lower())
    assert spans("Pas de ténosynovite des extenseurs cliniquement.") == [("Infection", "ténosynovite des extenseurs")]
    assert ("Site", "cheville") in spans("Arthrite septique de la cheville probablement.")
    assert spans("Érysipèle de la jambe et du pied droits.") == [
        ("Infection", "Érysipèle de la jambe et du pied droits"), ("Site", "jambe"), ("Site", "pied droits")]
    assert ("Infection", "Érysipèle de la jambe gauche") in spans("Érysipèle de la jambe gauche et du pied.")



def test_negative_blood_cultures_then_a_bracketed_date():
    """'HC x2 : nég (J3)' is an Absent bacteraemia, the bracket outside; '(16/11)' (more positive bottles than bottles)
    is a date, outside, where '(2/4)' stays the count inside (look-alike)."""
    def spans(text):
        return [(e["label"], e["text"], e["negation"]) for e in inf.extract(text)["entities"]]
    assert spans("Hémocs x3 : nég (J5), ATB arrêtée.") == [("Bacteriemie", "Hémocs x3 : nég", "Absent")]
    assert spans("HC : négatives (24/10).") == [("Bacteriemie", "HC : négatives", "Absent")]
    assert spans("HC : positives (2/4).") == [("Bacteriemie", "HC : positives (2/4)", "Present")]



def test_vibrio_by_its_french_common_name():
    """'vibrion' is the genus Vibrio (a treatment 'pour couvrir le vibrion': undecided); a species keeps its name."""
    ents = inf.extract("Doxycycline ajoutée pour couvrir le vibrion (baignade en eau saumâtre).")["entities"]
    assert [(e["text"], e["normalized"], e["negation"]) for e in ents] == [("vibrion", "Vibrio", "Indetermine")]
    assert inf.extract("Vibrio parahaemolyticus à la coproculture.")["entities"][0]["normalized"] == "Vibrio parahaemolyticus"


def test_heading_cut_short_is_a_bacterie_mention():
    """A heading cell read as a species ('P. aerug') is a Bacterie mention of that species; an ambiguous one is none."""
    text = "Antibiogramme\n              P. aerug    S. aur.\nCeftazidime   S           -\nOxacilline    -           R\n"
    ents = [(e["label"], e["text"], e["normalized"]) for e in inf.extract(text)["entities"]]
    assert ents == [("Bacterie", "P. aerug", "Pseudomonas aeruginosa"), ("Bacterie", "S. aur.", "Staphylococcus aureus")]
    text = "Hémocultures : E. coli.\nATB          | E. fae | K. pneumo\nAmoxicilline | R      | R\n"
    assert not any(e["text"] == "E. fae" for e in inf.extract(text)["entities"])


def test_heading_cut_short_without_the_space():
    """'P.aeru', 'S.aur.' (no space after the initial) head columns as 'P. aeru' does, and are Bacterie mentions;
    look-alike: people's initials written without the space ('J.Martin') head no antibiogram."""
    text = "Antibiogramme\n              P.aerug    S.aur.\nCeftazidime   S           -\nOxacilline    -           R\n"
    out = inf.extract(text)
    assert {(s["organism"], s["antibiotic"], s["result"]) for s in out["susceptibility"]} == {
        ("Pseudomonas aeruginosa", "ceftazidime", "S"), ("Staphylococcus aureus", "oxacilline", "R")}
    assert [(e["label"], e["text"], e["normalized"]) for e in out["entities"]] == [
        ("Bacterie", "P.aerug", "Pseudomonas aeruginosa"), ("Bacterie", "S.aur.", "Staphylococcus aureus")]
    text = "Escherichia coli dans les urines.\nExamen       J.Martin   P.Durand\nCRP          120         45\n"
    assert inf.extract(text)["susceptibility"] == []


def test_heading_cut_short_to_two_species_is_no_column():
    """'E. fae' fits E. faecalis and E. faecium: with neither named in the report the column is not guessed."""
    text = "Hémocultures : E. coli.\nATB          | E. fae | K. pneumo\nAmoxicilline | R      | R\nVancomycine  | S      | -\n"
    assert not any(s["organism"].startswith("Enterococcus") for s in inf.extract(text)["susceptibility"])


def test_content_reader_leaves_prose_and_doses_alone():
    """A treatment line with a dose, or a word that is no result cell, is not an antibiogram row (look-alike)."""
    text = "Escherichia coli.\nTraitement      : amoxicilline  3 g/j\nCotrimoxazole   forte dose prévue\nGentamicine     à discuter  R0\n"
    assert inf.extract(text)["susceptibility"] == []


# --- session 25 (h16): batch 28's classes, own phrasings and look-alikes -----------------------------------------------

def _ents(text):
    return [(e["label"], e["text"], e["negation"]) for e in inf.extract(text)["entities"]]


def test_how_seen_qualifier_keeps_the_site_and_joint_prosthesis_abbreviation():
    """'ostéite macroscopique du ...' nests its site as FORMAT.md's 'ostéite macroscopique du fût fémoral' (how it was
    seen, like 'chronique'); 'IPA' (infection de prothèse articulaire) is an Infection whose 'de <prothèse>' nests.
    Look-alike: an organ adjective still leaves a 'sur' complement a Site of its own."""
    assert _ents("Pas d'ostéite histologique de la tête humérale.") == [
        ("Infection", "ostéite histologique de la tête humérale", "Absent"), ("Site", "tête humérale", "Absent")]
    assert _ents("Conclusion : IPA aiguë de PTH G.") == [
        ("Infection", "IPA aiguë de PTH G", "Present"), ("Site", "PTH G", "Present")]
    assert _ents("Infection urinaire sur sonde.") == [
        ("Infection", "Infection urinaire", "Present"), ("Site", "sonde", "Present")]


def test_fulminant_is_a_qualifier_inside():
    """'colite fulminante' (a form of the infection, as 'nécrosante'); look-alike: 'purpura fulminans' stays one name."""
    assert _ents("Tableau de colite fulminante à la TDM.") == [("Infection", "colite fulminante", "Present")]
    assert _ents("Purpura fulminans à l'admission.")[0][1] == "Purpura fulminans"


def test_question_answered_by_a_mention_of_its_own():
    """'X ? ... X non retenue': the answer repeats the name, a mention of its own (Absent); the question stays
    Indetermine. Look-alike: a bare verdict answers the question itself ('Méningite ? PL normale, non retenue')."""
    assert _ents("Toux et fièvre : pneumopathie ? -> radio : pas de foyer, pneumopathie non retenue.") == [
        ("Infection", "pneumopathie", "Indetermine"), ("Infection", "pneumopathie", "Absent")]
    assert _ents("Méningite ? PL normale, non retenue.") == [("Infection", "Méningite", "Absent")]


def test_condition_after_the_mention_is_a_doubt():
    """'en faveur d'une pyélonéphrite si la clinique le confirme': the lab's conclusion waits for the clinician.
    Look-alike: 'en faveur d'une ...' alone is Present (FORMAT.md, hw-228); 'si fièvre :' after a comma is another clause."""
    assert _ents("Bactériurie : en faveur d'une pyélonéphrite si la clinique le confirme.")[0] == (
        "Infection", "pyélonéphrite", "Indetermine")
    assert _ents("Conclusion : en faveur d'une pyélonéphrite.") == [("Infection", "pyélonéphrite", "Present")]
    assert _ents("Infection urinaire, si fièvre : ECBU.") == [("Infection", "Infection urinaire", "Present")]


def test_search_not_done_names_no_phenotype():
    """'recherche de carbapénémase non réalisée / non indiquée' names no EPC (as batch 27's 'non faite'); look-alikes:
    a search with its result is marked ('Recherche de carbapénémase : négative' Absent, '... positive' Present)."""
    assert inf.extract("E. coli BLSE. Recherche de carbapénémase non réalisée.")["resistance"][-1]["phenotype"] == "BLSE"
    assert [r["phenotype"] for r in inf.extract("Recherche d'EPC non indiquée.")["resistance"]] == []
    res = inf.extract("K. pneumoniae. Recherche de carbapénémase : négative.")["resistance"]
    assert [(r["phenotype"], r["negation"]) for r in res] == [("EPC", "Absent")]


def test_screening_result_in_the_value_column_and_teico():
    """A screening row writes its own result where a MIC goes ('| Céfoxitine (dépistage) | positif | R |'): the
    interpretation cell is the result; 'teico' is teicoplanin as 'vanco' is vancomycin. Look-alike: the screening row
    without an interpretation cell reads nothing."""
    head = "Hémocultures positives à S. aureus.\n\n| Antibiotique | CMI | Interprétation |\n|---|---|---|\n"
    out = inf.extract(head + "| Oxacilline | > 2 | R |\n| Céfoxitine (dépistage) | négatif | S |\n")["susceptibility"]
    assert [(s["atc"], s["result"]) for s in out] == [("J01CF04", "R"), ("J01DC01", "S")]
    out = inf.extract(head + "| Céfoxitine (dépistage) | positif |\n| Oxacilline | > 2 | R |\n")["susceptibility"]
    assert [(s["atc"], s["result"]) for s in out] == [("J01CF04", "R")]
    out = inf.extract("S. epidermidis : vanco S, teico R, dapto S.")["susceptibility"]
    assert [(s["atc"], s["result"]) for s in out] == [("J01XA01", "S"), ("J01XA02", "R"), ("J01XX09", "S")]


def test_long_bone_shaft_is_a_site():
    """'fût' folds to the verb 'fut' (a stop word): 'du fût fémoral / tibial' is a site (FORMAT.md's example, hw-435).
    Look-alike: the verb ('L'ostéite fut traitée', '..., qui fut ponctionnée') still closes or opens no site."""
    assert _ents("Pas d'ostéite macroscopique du fût fémoral.") == [
        ("Infection", "ostéite macroscopique du fût fémoral", "Absent"), ("Site", "fût fémoral", "Absent")]
    assert _ents("Ostéite du fût tibial droit.")[1] == ("Site", "fût tibial droit", "Present")
    assert _ents("L'ostéite fut traitée six semaines.") == [("Infection", "ostéite", "Present")]
    assert _ents("Arthrite septique du genou, qui fut ponctionnée.") == [
        ("Infection", "Arthrite septique du genou", "Present"), ("Site", "genou", "Present")]


def test_running_culture_beside_a_positive_test_of_the_same_line():
    """'culture Legionella pneumophila en cours (BCYE), PCR Legionella pneumophila positive': the organism is found,
    Present (FORMAT.md, adjudicated batch 28). Look-alikes: the finding on a later line leaves the running culture
    Indetermine (the dev golds hw-164, hw-357, hw-388), as a running culture alone."""
    line = "Aspiration bronchique : culture Legionella pneumophila en cours (BCYE), PCR Legionella pneumophila positive."
    assert [e[2] for e in _ents(line)] == ["Present", "Present"]
    assert [e[2] for e in _ents(line.replace(" (BCYE),", " (BCYE).\n"))] == ["Indetermine", "Present"]
    assert _ents("Coproculture : culture Salmonella en cours.") == [("Bacterie", "Salmonella", "Indetermine")]


def test_portal_place_in_apposition_is_a_second_site():
    """'probablement cutanée, une lésion de grattage de la nuque': the portal's place after its tissue is a second Site
    with its doubt (FORMAT.md, adjudicated batch 28; as '(plaie du pied droit)' and 'au niveau du pouce'). Look-alike: a
    lesion in the next sentence is not the portal's."""
    assert _ents("La porte d'entrée est probablement cutanée, une lésion de grattage de la nuque.") == [
        ("Site", "cutanée", "Indetermine"), ("Site", "nuque", "Indetermine")]
    assert _ents("Porte d'entrée cutanée, une morsure de la main droite.")[1] == ("Site", "main droite", "Present")
    assert _ents("Porte d'entrée cutanée. Lésion de la nuque.") == [("Site", "cutanée", "Present")]
