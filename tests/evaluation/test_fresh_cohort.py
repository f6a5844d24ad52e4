"""CU5b on enough documents: a fresh held-out cohort drawn until the task has the documents asked,
never with the commons' seed; the classifier-vs-rules table names the classifier."""

from __future__ import annotations

import pytest


def test_fresh_cohort_has_enough_documents_and_is_reproducible():
    from partages_core.evaluation.runner import FRESH_SEED, fresh_cohort

    cohort = fresh_cohort("response", min_documents=20)
    again = fresh_cohort("response", min_documents=20)
    assert len(cohort.eval) >= 20 and all(ex.gold["label"] for ex in cohort.eval)
    assert [ex.doc_id for ex in cohort.eval] == [ex.doc_id for ex in again.eval]
    assert [ex.text for ex in cohort.eval] == [ex.text for ex in again.eval]
    assert f"seed {FRESH_SEED}" in cohort.source and f"{len(cohort.eval)} response documents" in cohort.source


def test_the_classifier_learns_from_another_seed_than_the_cohorts_it_is_judged_on():
    from partages_core.config import get_profile
    from partages_core.evaluation.runner import FRESH_SEED
    from partages_core.models.usecase_models import RESPONSE_TRAIN_SEED

    assert RESPONSE_TRAIN_SEED not in (FRESH_SEED, get_profile().seed)


def test_fresh_cohort_refuses_the_commons_seed_and_impossible_sizes():
    from partages_core.config import get_profile
    from partages_core.errors import InputError
    from partages_core.evaluation.runner import fresh_cohort

    with pytest.raises(InputError, match="commons' seed"):
        fresh_cohort("response", 10, seed=get_profile().seed)
    with pytest.raises(InputError, match="fewer than the 1000 asked"):
        fresh_cohort("response", 1000, max_patients=200)


def test_response_table_says_whether_the_classifier_beats_the_rules():
    from partages_core.evaluation.taggers import markdown

    cell = lambda v: {"value": v, "ci_low": v - 0.1, "ci_high": min(1.0, v + 0.1)}  # noqa: E731
    rows = [{"system": s, "data_label": "fresh held-out cohort", "n_documents": 64,
             "metrics": {"macro_f1": cell(f), "accuracy": cell(a)}}
            for s, f, a in (("response-model", 0.33, 0.34), ("response-rules", 1.0, 1.0))]
    text = markdown("response", rows, model_word="the classifier")
    assert "| fresh held-out cohort | response-model | 64 | 0.330 [0.230–0.430] | 0.340 [0.240–0.440] |" in text
    assert "fresh held-out cohort, macro_f1: the classifier (0.330) **does not beat** the rules (1.000)." in text
