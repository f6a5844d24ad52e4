"""The NER's gold stretches: a few words around every gold name, within its line (issue 22, eighteenth pass)."""

from dataclasses import replace

from partages_core.governance import ner


def test_gold_stretches_hold_the_span_and_four_words_either_side_within_the_line():
    text = "Compte rendu.\nVu ce jour par le Dr Jean DUPONT au service de neurologie ce matin.\nSuite"
    s = text.index("Jean")
    spans = [(s, s + 4, "PRENOM"), (s + 5, s + 11, "NOM")]
    first, second = ner.gold_stretches(text, spans)
    assert text[slice(*first)] == "jour par le Dr Jean DUPONT au service de"
    assert text[slice(*second)] == "par le Dr Jean DUPONT au service de neurologie"
    short = "Patient : Claire"
    assert ner.gold_stretches(short, [(10, 16, "PRENOM")]) == [(0, 16)]   # fewer words: the line's ends


def test_with_gold_stretches_every_gold_span_reaches_training_whole():
    from partages_core.governance.pseudonymisation import model_regions

    # the hand-written dev documents: packaged, so the test runs where the shared corpora (EDS-Pseudo) are absent
    pool = [(i, t, s) for i, t, s in ner.training_pool(ner.TINY) if i.startswith("hw:") and s]
    assert pool
    missing_without = 0
    for _, text, spans in pool:
        regions = list(model_regions(text))
        windows = ner.training_windows(text, spans, sorted([*regions, *ner.gold_stretches(text, spans)]))
        inside = [(off + a, off + b, lb) for off, _, ws in windows for a, b, lb in ws]
        assert sorted(inside) == sorted(spans)
        missing_without += len(spans) - sum(len(ws) for *_, ws in ner.training_windows(text, spans, regions))
    assert missing_without > 0   # the rules' stretches alone leave some gold names out of training


def test_a_tiny_model_trains_on_the_gold_stretches(tmp_path):
    from partages_core.governance.pseudonymisation import build_model

    plain = build_model(tmp_path / "plain", replace(ner.TINY, gold_windows=False), log=lambda m: None)
    gold = build_model(tmp_path / "gold", ner.TINY, log=lambda m: None)   # today's recipe (windows-v15)
    assert gold["gold_windows"] and not plain["gold_windows"]
    assert gold["training_examples"] > plain["training_examples"]
