"""The conclusion of a generated report, whatever its section title looks like."""

from __future__ import annotations

import pytest

from partages_core.corpus.builder import strip_accents
from partages_core.corpus.conclusions import lead_ins, locate_conclusion

BODY = "MOTIF\nDouleur abdominale.\nÉVOLUTION\nÉvolution favorable sous amoxicilline."
# every way the generator writes the section title (generator._section), and dictated letters without one
TITLES = ["\nConclusion :\n", "\nCONCLUSION\n", "\nCONCLUSION : ", "\n- Conclusion -\n", "\n",
          "\nCONCLUISON : ", "\nConclusino :\n", "\nCONCLUSION :\n"]
LEADS = ["Conclusion : ", "Au total : ", "Diagnostic retenu : ", "Diagnostic principal : ", "En conclusion, ",
         "Au total, ", "En résumé, ", "CCL : ", "Dg : ", "Au total, il s'agit donc d'une patiente de 54 ans présentant ",
         "Au total, il s'agit donc d'un patient de 7 ans présentant ", "Diagnositc retenu : ", "En conlcusion, "]


def test_lead_ins_come_from_the_grammar():
    found = lead_ins()
    assert {"ccl :", "dg :", "au total :", "en resume,", "diagnostic retenu :"} <= found
    assert "au total, il s'agit donc d'une patiente de n ans presentant" in found


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("lead", LEADS)
def test_every_title_and_lead_in(title, lead):
    text = BODY + title + lead + "appendicite aiguë, d'évolution favorable. \nTRAITEMENT\nParacétamol 1 g.\n"
    found = locate_conclusion(text, "Appendicite aiguë")
    assert found is not None
    assert found.reference == "appendicite aiguë, d'évolution favorable."
    assert found.prompt == BODY  # the title is not part of the prompt, nor anything after the conclusion
    assert text[found.start:found.end] == found.reference


@pytest.mark.parametrize("noise", [str.upper, strip_accents, lambda t: t.replace("aiguë", "agiuë")])
def test_the_generators_noise_on_the_diagnosis(noise):
    text = BODY + "\nCONCLUSION\n" + noise("Au total : appendicite aiguë.") + "\n"
    found = locate_conclusion(text, "Appendicite aiguë")
    assert found is not None and found.reference == noise("appendicite aiguë.")


def test_no_conclusion_line_no_pair():
    # the diagnosis in a sentence that is not a conclusion (pathology and microbiology reports)
    text = "Consultation du 03/02/2024. Mme X, 54 ans, suivie pour tumeur maligne du sein.\nMICROSCOPIE\nRAS."
    assert locate_conclusion(text, "Tumeur maligne du sein") is None
    assert locate_conclusion(BODY + "\nConclusion :\nAu total : appendicite aiguë.", "Sigmoïdite") is None
    assert locate_conclusion(BODY, "") is None


def test_every_generated_report_with_a_conclusion_section(commons):
    # the generator gives every report a conclusion section except pathology and microbiology
    # reports (their own bodies): each one is found, and it states the gold diagnosis
    found = 0
    for p in commons.patients:
        label = p.suggested_scenario["primary_diagnosis"]["label"]
        for d in p.documents:
            c = locate_conclusion(d.text, label)
            if d.type in ("ANAPATH", "MICROBIOLOGIE"):
                continue
            assert c is not None, (d.id, d.text[-300:])
            assert c.reference and c.prompt and d.text[c.start:c.end] == c.reference
            assert c.end > len(c.prompt)
            found += 1
    assert found > 50
