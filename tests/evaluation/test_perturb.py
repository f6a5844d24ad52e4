import pytest

from partages_core.corpus.generator import generate
from partages_core.evaluation.perturb import PERTURBATIONS, apply_edits, perturb_example
from partages_core.evaluation.tasks import get_task


def test_alignment_moves_boundaries_through_edits():
    al = apply_edits("le patient va bien", [(3, 10, "pt"), (14, 18, "BIEN")])
    assert al.text == "le pt va BIEN"
    assert al.span(3, 10) == (3, 5) and al.text[slice(*al.span(11, 13))] == "va"
    assert al.span(5, 10) == (3, 5)  # a start inside an edit snaps to the edit's start


@pytest.fixture(scope="module")
def examples():
    patients = list(generate(12, 3))
    return get_task("pseudonymisation").examples(patients) + get_task("infectiology").examples(patients)


@pytest.mark.parametrize("kind", sorted(PERTURBATIONS))
def test_gold_offsets_stay_consistent_and_seeded(examples, kind):
    changed = 0
    for ex in examples:
        layers = ("spans",) if "spans" in ex.gold else ("entities", "resistance")
        out = perturb_example(ex, kind, 7, layers)
        assert out == perturb_example(ex, kind, 7, layers)
        changed += out.text != ex.text
        for layer in layers:
            assert len(out.gold[layer]) == len(ex.gold[layer])
            for old, new in zip(ex.gold[layer], out.gold[layer]):
                assert new["text"] == out.text[new["start"]:new["end"]]
                if kind in ("accents", "casing", "whitespace"):  # token content is kept, only its form
                    assert new["text"].split() and len(new["text"].split()) == len(old["text"].split())
    assert changed > 0
    other = perturb_example(examples[0], kind, 8, ("spans",))
    assert kind in ("accents", "abbreviations") or other.text != perturb_example(examples[0], kind, 7, ("spans",)).text
