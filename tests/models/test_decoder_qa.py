"""QA scoring of the decoder: answers chosen among the training answers (lm-eval multiple-choice
style), the majority baseline, and the pairs' evidence input."""

from __future__ import annotations


def _pairs():
    qa = lambda q, a, k, doc: {"task": "qa-gold", "instruction": q, "input": f"{q} {a}.", "output": a,  # noqa: E731
                               "kind": k, "document": doc, "patient": doc}
    return [qa("Quel est le statut HER2 ?", "négatif", "biomarker", "d1"),
            qa("Quel est le statut HER2 ?", "négatif", "biomarker", "d2"),
            qa("Quel est le statut HER2 ?", "amplifié", "biomarker", "d3"),
            qa("Quel est le statut KRAS ?", "muté", "biomarker", "d4"),
            qa("Quel germe est identifié ?", "Proteus mirabilis", "germ", "d5")]


def test_choices_and_majority_come_from_training_answers():
    from partages_core.models.decoder import answer_choices, majority_answers

    pairs = _pairs()
    assert majority_answers(pairs)["Quel est le statut HER2 ?"] == "négatif"
    choices = answer_choices(pairs)
    assert choices["Quel est le statut HER2 ?"] == ["amplifié", "négatif"]
    assert choices["kind:biomarker"] == ["amplifié", "muté", "négatif"]  # for a marker never asked in training


def test_the_majority_baseline_gets_the_same_candidates_as_the_model():
    from partages_core.models.decoder import answer_choices, answer_counts, candidates, majority_among

    pairs = _pairs()
    choices, counts = answer_choices(pairs), answer_counts(pairs)
    her2 = {**pairs[2], "input": "HER2 amplifié (score 3+)."}
    assert candidates(her2, choices) == ["amplifié", "négatif"]
    assert majority_among(her2, candidates(her2, choices), counts) == "négatif"  # 2 of 3 in training
    assert candidates(her2, choices, found=True) == ["amplifié"]  # only the answer written in the evidence
    assert majority_among(her2, ["amplifié"], counts) == "amplifié"
    unseen = {"task": "qa-gold", "instruction": "Quel est le statut BRAF ?", "input": "BRAF : rien de dit.",
              "output": "muté", "kind": "biomarker", "document": "d9", "patient": "d9"}
    assert candidates(unseen, choices, found=True) == ["amplifié", "muté", "négatif"]  # none found: all of its kind
    assert majority_among(unseen, candidates(unseen, choices), counts) == "négatif"  # the kind's majority
    negated = {**unseen, "input": "BRAF non muté ; HER2 négatif."}
    assert candidates(negated, choices, found=True) == ["négatif"]  # "non muté" does not write "muté"



def test_a_germ_is_read_in_full_or_abbreviated_and_never_where_negated():
    from partages_core.models.decoder import abbreviation, answer_choices, candidates, written_answers

    germs = ["Escherichia coli", "Staphylococcus aureus", "Staphylococcus epidermidis"]
    assert abbreviation("Staphylococcus aureus") == "S. aureus" and abbreviation("non muté") is None
    text = "Bactériémie à S. aureus. Absence de Staphylococcus epidermidis sur les prélèvements."
    assert written_answers(text, germs) == ["Staphylococcus aureus"]
    assert written_answers("ECBU : Escherichia coli non retrouvé. Pas de S. aureus.", germs) == []
    assert written_answers("Escherichia coli isolé.", germs) == ["Escherichia coli"]
    # a question's found candidates come from its whole kind, not only its own training answers
    pairs = _pairs()
    kras = {**pairs[3], "input": "KRAS : statut négatif."}
    assert candidates(kras, answer_choices(pairs), found=True) == ["négatif"]
    germ = {**pairs[4], "input": "hémocultures positives à P. mirabilis."}
    assert candidates(germ, answer_choices(pairs), found=True) == ["Proteus mirabilis"]

def test_chosen_answer_is_one_of_the_choices_and_deterministic(tiny_profile):
    import torch
    from transformers import GPT2LMHeadModel

    from partages_core.models.decoder import choose_answer, decoder_config, evaluate_qa
    from partages_core.models.decoder import answer_choices, answer_counts, majority_answers
    from partages_core.models.tokenizer import train_bytelevel_bpe

    pairs = _pairs()
    tok = train_bytelevel_bpe([p["input"] for p in pairs] * 5, 300, max_length=64)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(decoder_config(tiny_profile, tok, 64)).eval()
    choices = answer_choices(pairs)
    picks = [choose_answer(model, tok, pairs[0], choices["Quel est le statut HER2 ?"], 64) for _ in range(2)]
    assert picks[0] in {"amplifié", "négatif"} and picks[0] == picks[1]
    result = evaluate_qa(model, tok, pairs, 64, majority_answers(pairs), choices=choices,
                         counts=answer_counts(pairs))
    assert result["qa_questions"] == 5 and 0 <= result["qa_choice_accuracy"] <= 1
    assert result["qa_majority_baseline"] == 0.8  # 2 of 3 HER2 (négatif), KRAS and the germ
    lo, hi = result["qa_choice_accuracy_ci95"]
    assert lo <= result["qa_choice_accuracy"] <= hi
    assert result["qa_choice_majority"] == 0.8  # every question was seen: the same as the majority answer
    assert result["qa_choice_found_majority"] == 1.0  # each input writes its answer: the only candidate found
    # the paired differences, question by question, are the accuracies' difference
    assert abs(result["qa_choice_minus_majority"] - (result["qa_choice_accuracy"] - 0.8)) <= 1e-4
    assert abs(result["qa_minus_majority"] - (result["qa_exact_match"] - 0.8)) <= 1e-4
    assert len(result["qa_choice_found_minus_majority_ci95"]) == 2
    # the answer the card gives is the one read from the evidence: here the only candidate written there
    assert result["qa_answer"] == "read from the evidence" and result["qa_exact_match"] == 1.0
    assert result["qa_exact_match"] == result["qa_choice_found_accuracy"]
    assert 0 <= result["qa_generated_exact_match"] <= 1 and len(result["qa_generated_minus_majority_ci95"]) == 2
    germ = result["qa_by_kind"]["germ"]
    assert germ["questions"] == 1 and germ["read"] == 1.0 and germ["majority"] == 1.0
    assert result["qa_by_kind"]["biomarker"]["questions"] == 4


def test_heldout_and_training_cohorts_never_share_a_patient_with_the_commons():
    from partages_core.models.decoder import heldout_pairs, training_qa_pairs

    held, train = heldout_pairs(12), training_qa_pairs(12)
    assert heldout_pairs(0) == [] and training_qa_pairs(0) == []
    assert {p["task"] for p in held} >= {"conclusion", "qa-gold"} and {p["task"] for p in train} == {"qa-gold"}
    assert all(p["patient"].startswith("s101-") for p in held)  # the held-out seed, in the ids
    assert not {p["patient"] for p in held} & {p["patient"] for p in train}
    assert held == heldout_pairs(12)  # same seed, same pairs


def test_conclusion_is_chosen_when_written_in_the_report_else_generated(tiny_profile):
    """Training conclusions whose statement (closing phrase aside) is in the input are the candidates;
    with none, the answer is generated, never empty."""
    from transformers import GPT2LMHeadModel

    from partages_core.models.decoder import (blank_token_ids, conclusion_choices, decoder_config,
                                              write_conclusion, written_conclusions)
    from partages_core.models.tokenizer import train_bytelevel_bpe

    train = [{"task": "conclusion", "output": o} for o in
             ("Goutte, à surveiller.", "goutte sans signe de gravité.", "Otite moyenne.", "Otite moyenne.")]
    train.append({"task": "qa-gold", "output": "positif"})
    choices = conclusion_choices(train)
    assert choices == ["Goutte, à surveiller.", "Otite moyenne.", "goutte sans signe de gravité."]
    pair = {"instruction": "Rédige la conclusion de ce compte rendu.", "input": "Suivi pour goutte. Examen normal."}
    assert written_conclusions(pair, choices) == ["Goutte, à surveiller.", "goutte sans signe de gravité."]
    assert written_conclusions({**pair, "input": "Suivi pour otite."}, choices) == []
    report = {**pair, "input": "Examen normal.", "report": "ATCD : otite moyenne. Examen normal."}
    assert written_conclusions(report, choices) == ["Otite moyenne."]  # the whole report is searched
    tok = train_bytelevel_bpe(["Suivi pour goutte. Otite moyenne, à surveiller."] * 20, 300, max_length=64)
    model = GPT2LMHeadModel(decoder_config(tiny_profile, tok)).eval()
    text, chosen = write_conclusion(model, tok, pair, 64, choices, blank_token_ids(tok))
    assert chosen and text in written_conclusions(pair, choices)
    text, chosen = write_conclusion(model, tok, {**pair, "input": "Suivi pour otite."}, 64, choices)
    assert not chosen and text.strip()


def test_the_training_prior_weighs_each_answer_by_its_training_count():
    import math

    import pytest

    from partages_core.models.decoder import answer_counts, training_prior

    pairs = _pairs()
    prior = training_prior(pairs[0], answer_counts(pairs))
    assert prior == pytest.approx({"négatif": math.log(3), "amplifié": math.log(2)})  # 2 and 1 of the 3 HER2 answers
    unseen = {**pairs[3], "instruction": "Quel est le statut BRAF ?"}
    assert set(training_prior(unseen, answer_counts(pairs))) == {"négatif", "amplifié", "muté"}  # its kind's
