"""The CU5b cue-sentence classifier (models.response_sentences): candidates, training, save/load."""

from partages_core.corpus.generator import generate
from partages_core.models import response_sentences as rs


def test_candidates_are_the_sentences_with_a_cue_word():
    text = "Patiente vue ce jour.\nScanner : diminution de 40 % des cibles. Poursuite du traitement.\nBien à vous."
    assert [text[s:e] for s, e in rs.candidates(text)] == ["Scanner : diminution de 40 % des cibles."]
    assert rs.candidates("Patiente vue ce jour.\nBien à vous.") == []


def test_a_sentence_of_the_plan_is_no_candidate():
    text = "- si progression : rebiopsie.\nEn cas de progression, TEP.\n=> pas d'argument pour une évolution.\nSignes de progression."
    assert [text[s:e] for s, e in rs.candidates(text)] == ["=> pas d'argument pour une évolution.", "Signes de progression."]


def test_a_recist_abbreviation_is_read_as_its_category_where_the_criteria_are_cited():
    assert rs.expanded_words("Somme cibles -44 % : RP selon RECIST 1.1") == [
        "Somme", "cibles", "44", "réponse", "partielle", "selon", "RECIST", "1", "1"]
    assert rs.expanded_words("dossier MP : déclaration") == ["dossier", "MP", "déclaration"]  # maladie professionnelle


def test_trained_classifier_reads_generated_letters_and_round_trips(tmp_path):
    letters = rs.generated_letters(generate(400, 202))
    assert len(letters) >= 20 and all(x.start is not None for x in letters)
    model = rs.SentenceClassifier.train([(letters, 1.0)], seed=13)
    outs = [model.classify(x.text) for x in letters]
    assert all(o["label"] in rs.LETTER_LABELS for o in outs)
    assert sum(o["label"] == x.label for o, x in zip(outs, letters)) >= 0.8 * len(letters)  # its own training letters
    model.save(tmp_path / "m")
    again = rs.SentenceClassifier.load(tmp_path / "m")
    assert [again.classify(x.text) for x in letters[:5]] == outs[:5]
    assert model.classify("Patiente vue ce jour. Bien à vous.")["label"] == "NonApplicable"


def test_the_build_stage_trains_on_generated_and_handwritten_dev_letters_and_extract_loads_it(empty_home):
    """``build`` (the build's stage ``response-sentences``, a tiny cohort here) saves where ``--method hybrid`` loads;
    the hybrid keeps the rules' answer where they find a cue and takes the classifier's where they find none."""
    import pytest

    from partages_core.errors import InputError
    from partages_core.usecases import oncology
    from partages_core.usecases.oncology.model import classify_hybrid
    from partages_core.usecases.oncology.rules import classify_response

    from huggingface_hub import ModelCard

    from partages_core.evaluation.taggers import write_response_hybrid_card

    with pytest.raises(InputError, match="partages models build"):
        oncology.classify_response("Scanner : lésions stables.", method="hybrid")
    assert write_response_hybrid_card(empty_home / "cards", min_documents=10, n_boot=20) is None  # not built: no card
    info = rs.build([], rs.model_path(), seed=13, patients=300)
    assert rs.is_built() and info["generated_patients"] == 300 and info["generated_letters"] > 0
    assert info["handwritten_letters"] >= 50
    assert info["train_letters"] == info["generated_letters"] + info["handwritten_letters"]
    cue = "Scanner : diminution de 40 % des cibles."
    assert oncology.classify_response(cue, method="hybrid") == classify_response(cue)
    silent = "Suivi.\nTEP : disparition de l'hyperfixation.\nBien à vous."  # a response the rules do not read
    assert classify_response(silent)["start"] is None
    out = oncology.classify_response(silent, method="hybrid")
    assert out["label"] == rs.load_built().classify(silent)["label"]
    assert out == classify_hybrid(silent, rs.load_built())
    assert out["text"] == silent[out["start"]:out["end"]] == "TEP : disparition de l'hyperfixation."
    card = ModelCard.load(write_response_hybrid_card(empty_home / "cards", min_documents=10, n_boot=20))
    assert min(r.metric_args["n_documents"] for r in card.data.eval_results) >= 10
    assert "| fresh held-out cohort | response-hybrid |" in card.text
    assert "| fresh held-out cohort | response-rules |" in card.text
    assert "hand-written dev, leave one batch out" in card.text and "**Warning:" in card.text


def test_the_card_shows_the_rules_beside_the_hybrid_and_warns_within_chance(tmp_path):
    """The card's hand-written rows (measured per pass) give n, the rules and the paired interval; a row whose interval
    reaches 0 is a warning."""
    table, warnings = rs.handwritten_rows()
    assert "| hand-written frozen test" in table and "rules: correct" in table
    assert any("frozen" in w and "level with" in w for w in warnings)
    card = rs.write_card([], "| data | system |\n|---|---|", tmp_path, {"generated_letters": 175}).read_text()
    assert "175 generated letters" in card.replace("\n", " ")
    assert "**Warning: on hand-written frozen test" in card
