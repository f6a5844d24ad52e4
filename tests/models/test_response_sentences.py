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
