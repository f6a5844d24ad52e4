"""Terminology: ATC from EDS-NLP's drug resource, species, units, bundled ICD-10 list."""

from __future__ import annotations

from partages_core.corpus.grammar import lexicon
from partages_core.quality.terminology import (
    drug_atc, find_quantities, harmonise_unit, icd10_codes, icd10_problem, normalise_bacterium,
)


def test_every_lexicon_antibiotic_gets_its_atc_from_the_eds_resource():
    for name, info in lexicon("infectiology")["antibiotics"].items():
        assert drug_atc(name) == info["atc"], name
        assert drug_atc(info["abbr"]) == info["atc"], info["abbr"]
    assert drug_atc("AUGMENTIN") == "J01CR02"
    assert drug_atc("pas un médicament") is None


def test_gold_bacteria_normalise_to_their_species(commons):
    n = 0
    for _, d in commons.documents():
        for s in d.spans("infectio"):
            if s.label == "Bacterie":
                assert normalise_bacterium(s.text) == s.attrs["normalized"], s.text
                n += 1
    assert n > 0
    assert normalise_bacterium("staphylocoque dore") == "Staphylococcus aureus"


def test_units_are_harmonised():
    assert harmonise_unit("g/l") == "g/L"
    assert harmonise_unit("mmol/l") == "mmol/L"
    assert harmonise_unit("mcg/j") == "µg/j"
    q = find_quantities("glycémie 1,2 g/l et K 4.1 mmol/L")
    assert [(x.value, x.unit) for x in q] == [(1.2, "g/L"), (4.1, "mmol/L")]


def test_icd10_codes_checked_against_bundled_list(commons):
    assert len(icd10_codes()) > 40000
    assert all(icd10_problem(p.icd10) is None for p in commons.patients)
    assert "malformed" in icd10_problem("K8")
    assert "not in the bundled" in icd10_problem("Z99.99")
