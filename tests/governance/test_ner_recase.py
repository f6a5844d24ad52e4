"""The NER's title-cased reading of words in capitals (issue 22, session 17): offsets kept, names only, no acronyms."""

from dataclasses import replace

import pytest

from partages_core.governance import ner


def test_title_cased_changes_only_words_in_capitals_and_keeps_every_offset():
    text = "Docteur PIERRETTE CHASTRE (CCA), J.CARON, HALNA DU FRETAY76 rue, Dr Dupont, pH 7,4"
    copy = ner.title_cased(text)
    assert copy == "Docteur Pierrette Chastre (Cca), J.Caron, Halna Du Fretay76 rue, Dr Dupont, pH 7,4"
    assert len(copy) == len(text)
    assert ner.title_cased("Dr Dupont, pH 7,4, A. Martin") is None        # nothing in capitals (one letter stays)
    assert ner.title_cased("STRAßE") is None                                # ß: not all capitals, left as written


@pytest.fixture(scope="module")
def base_nlp():
    return ner._nlp_base()


def test_the_recased_reading_adds_names_over_long_words_in_capitals_only(base_nlp, monkeypatch):
    """The pretrained NER (PER for a name) misses a name in capitals that it finds title-cased; the copy's entity is
    added only for the recased labels and over a recased word of RECASED_MIN_LETTERS letters or more."""
    monkeypatch.setattr(ner, "RECASED_LABELS", ("PER",))   # the base model's label for a person
    text = "Résultats pour BENNACER ATMANE, mention anormal"
    assert ner._read(base_nlp, [text]) == [[]]
    assert ner._read(base_nlp, [text], recase=True) == [[(15, 30, "PER")]]
    monkeypatch.setattr(ner, "RECASED_MIN_LETTERS", 9)     # "BENNACER" has 8 letters: an acronym's length now
    assert ner._read(base_nlp, [text], recase=True) == [[]]
    monkeypatch.setattr(ner, "RECASED_MIN_LETTERS", 5)
    monkeypatch.setattr(ner, "RECASED_LABELS", ("LOC",))   # another label: not added
    assert ner._read(base_nlp, [text], recase=True) == [[]]


def test_a_model_built_to_read_recased_says_so_in_its_meta_and_reads_so_by_default(tmp_path):
    from partages_core.governance.pseudonymisation import build_model

    assert ner.Budget().recase_capitals and ner.RECIPE == "windows-v15"   # the hybrid's recipe since session 18
    meta = build_model(tmp_path / "m", replace(ner.TINY, recase_capitals=True), log=lambda m: None)
    assert meta["recase_capitals"] is True
    texts = ["Résultats pour BENNACER ATMANE, mention anormal. Dr Helene DANOY, CHU de Lyon."]
    regions = [[(0, len(texts[0]))]]
    path = str(tmp_path / "m")
    assert ner.model_spans(texts, path, regions) == ner.model_spans(texts, path, regions, recase=True)
