"""The CU6 hybrid: rules + spaCy NER (models.cu6_ner), arbitration and a tiny real model end to end."""

import os
import subprocess
import sys

import pytest

from partages_core.errors import InputError
from partages_core.models import cu6_ner
from partages_core.usecases import infectiology as inf
from partages_core.usecases.infectiology import hybrid
from partages_core.usecases.infectiology.model import entities_from_spans
from partages_core.usecases.infectiology.rules import extract_rules


def _span(text, value, label):
    start = text.index(value)
    return {"start": start, "end": start + len(value), "label": label, "score": 0.9}


def test_model_adds_what_the_rules_missed_and_only_what_reads_like_an_entity():
    text = "Diagnostic : tunnelite du cathéter tunnelisé. Vu par Kévin. Bilan infectieux :"
    rules = extract_rules(text)[0]
    proposed = entities_from_spans(text, [_span(text, "tunnelite", "Infection"), _span(text, "Kévin", "Infection"),
                                          _span(text, "Bilan", "Infection")])
    got = hybrid.arbitrate(text, [e for e in rules if e["text"] != "tunnelite"], proposed, add=("Infection",))
    texts = [e["text"] for e in got]
    assert "tunnelite" in texts and "Kévin" not in texts and "Bilan" not in texts
    assert all(text[e["start"]:e["end"]] == e["text"] for e in got)
    assert {tuple(sorted(e)) for e in got} == {tuple(sorted(("label", "text", "start", "end", "negation", "normalized")))}


def test_added_blood_cultures_carry_their_own_result_and_non_infections_are_refused():
    text = "Suivi : hémocultures de contrôle (J3, J5) stériles. HC + (2 paires) à CGP en amas. HC x2 périph + 1 sur KT."
    found = entities_from_spans(text, [_span(text, v, "Bacteriemie") for v in (
        "hémocultures de contrôle (J3, J5) stériles", "HC + (2 paires) à CGP en amas", "HC x2 périph + 1 sur KT")])
    got = {e["text"]: e["negation"] for e in hybrid.arbitrate(text, [], found, add=("Bacteriemie",))}
    # a sterile result inside the span is its absence; a pending culture listed with another is no bacteraemia
    assert got == {"hémocultures de contrôle (J3, J5) stériles": "Absent", "HC + (2 paires) à CGP en amas": "Present"}
    for word, ok in (("thrombophlébite pelvienne", True), ("fasciite", True), ("opacité", False), ("ascite", False),
                     ("sténose", False), ("infection", False), ("encéphalite herpétique", False),
                     ("gastro-entérite aiguë virale", False), ("sigmoïdite diverticulaire", False)):
        assert hybrid.plausible("Infection", word) is ok, word


def test_rules_win_overlaps_and_bounds_take_the_model_boundaries():
    text = "Pneumopathie aiguë communautaire du lobe inférieur droit."
    rules = extract_rules(text)[0]
    longer = entities_from_spans(text, [_span(text, "Pneumopathie aiguë communautaire du lobe", "Infection")])
    assert hybrid.arbitrate(text, rules, longer, add=("Infection",)) == sorted(rules, key=lambda e: (e["start"], -e["end"]))
    # new boundaries are taken only where they cut no other entity (here the Site "lobe inférieur droit")
    assert hybrid.arbitrate(text, rules, longer, add=(), bounds=("Infection",)) == rules
    shorter = entities_from_spans(text, [_span(text, "Pneumopathie aiguë", "Infection")])
    moved = hybrid.arbitrate(text, rules, shorter, add=(), bounds=("Infection",))
    assert [e["text"] for e in moved if e["label"] == "Infection"] == ["Pneumopathie aiguë"]


def test_the_model_lengthens_a_bare_rules_head_but_no_qualifier_and_no_longer_span():
    text = "Abcès pelvien post-opératoire. Pyélonéphrite suspectée. Infection du site opératoire pariétale."
    rules = [{"label": "Infection", "text": t, "start": text.index(t), "end": text.index(t) + len(t),
              "negation": "Present", "normalized": None} for t in ("Abcès", "Pyélonéphrite", "Infection du site opératoire")]
    model = entities_from_spans(text, [_span(text, v, "Infection") for v in (
        "Abcès pelvien post-opératoire", "Pyélonéphrite suspectée", "Infection du site opératoire pariétale")])
    got = [e["text"] for e in hybrid.arbitrate(text, rules, model, add=(), extend=("Infection",))]
    assert got == ["Abcès pelvien post-opératoire", "Pyélonéphrite", "Infection du site opératoire"]
    assert [e["text"] for e in hybrid.arbitrate(text, rules, model, add=(), extend=())] == [e["text"] for e in rules]


def test_no_lengthening_by_a_ruled_out_graded_or_exam_word_nor_one_that_ends_on_a_preposition():
    text = "IU eliminee. Colite pancolique sans megacolon. Angiocholite aiguë grade II. Ostéite sous le matériel. " \
           "Pyélonéphrite bandelette urinaire. Encéphalite herpétique. Méningite à pneumocoque."
    heads = ("IU", "Colite", "Angiocholite aiguë", "Ostéite", "Pyélonéphrite", "Encéphalite", "Méningite")
    rules = [{"label": "Infection", "text": t, "start": text.index(t), "end": text.index(t) + len(t),
              "negation": "Present", "normalized": None} for t in heads]
    model = entities_from_spans(text, [_span(text, v, "Infection") for v in (
        "IU eliminee", "Colite pancolique sans megacolon", "Angiocholite aiguë grade II", "Ostéite sous",
        "Pyélonéphrite bandelette urinaire", "Encéphalite herpétique", "Méningite à pneumocoque")])
    got = [e["text"] for e in hybrid.arbitrate(text, rules, model, add=(), extend=("Infection",))]
    # an exam after the infection, or a qualifier that makes it no CU6 infection (plausible), is no lengthening
    assert got == ["IU", "Colite", "Angiocholite aiguë", "Ostéite", "Pyélonéphrite", "Encéphalite", "Méningite à pneumocoque"]


def _rules_spans(text, values, label="Infection"):
    return [{"label": label, "text": v, "start": text.index(v), "end": text.index(v) + len(v), "negation": "Present",
             "normalized": None} for v in values]


def test_refine_keeps_an_organ_heads_site_and_new_phrases_out_of_a_lengthening():
    text = ("Pneumonie du lobe moyen. Sinusite sur sonde gastrique. Ostéite du calcanéum gauche. Borréliose de Lyme. "
            "Métrite du post-partum. Endocardite à l'ETO. Arthrite sous la cicatrice. Méningite à méningocoque.")
    heads = ("Pneumonie", "Sinusite", "Ostéite", "Borréliose", "Métrite", "Endocardite", "Arthrite", "Méningite")
    model = entities_from_spans(text, [_span(text, v, "Infection") for v in (
        "Pneumonie du lobe moyen", "Sinusite sur sonde gastrique", "Ostéite du calcanéum gauche", "Borréliose de Lyme",
        "Métrite du post-partum", "Endocardite à l'ETO", "Arthrite sous la cicatrice", "Méningite à méningocoque")])
    got = [e["text"] for e in hybrid.arbitrate(text, _rules_spans(text, heads), model, add=())]
    # a generic head keeps its site, a proper name and a known qualifier stay; an organ name's site, an exam and
    # a phrase opened by "sous" or an article do not
    assert got == ["Pneumonie", "Sinusite", "Ostéite du calcanéum gauche", "Borréliose de Lyme", "Métrite du post-partum",
                   "Endocardite", "Arthrite", "Méningite à méningocoque"]
    before = [e["text"] for e in hybrid.arbitrate(text, _rules_spans(text, heads), model, add=(), refine=False)]
    assert before[:2] == ["Pneumonie du lobe moyen", "Sinusite sur sonde gastrique"]


def test_refine_completes_a_bare_bacteraemia_and_trims_a_course_word():
    text = ("Bactériémie à Listeria monocytogenes. Hémocultures 2/2 positives à 14 h. Bactériémie sur PICC à E. coli. "
            "Pyélonéphrites récidivantes. Pyélonéphrite aiguë gauche.")
    rules = _rules_spans(text, ("Bactériémie", "Hémocultures 2/2 positives", "Bactériémie sur PICC"), "Bacteriemie") + \
        _rules_spans(text, ("Pyélonéphrites récidivantes", "Pyélonéphrite aiguë gauche"))
    model = entities_from_spans(text, [_span(text, v, "Bacteriemie") for v in (
        "Bactériémie à Listeria monocytogenes", "Hémocultures 2/2 positives à 14 h", "Bactériémie sur PICC à E. coli")]
        + [_span(text, v, "Infection") for v in ("Pyélonéphrites", "Pyélonéphrite aiguë")])
    got = [e["text"] for e in hybrid.arbitrate(text, rules, model, add=())]
    # the first complement joins (not a time, not a second complement); only a course word is cut
    assert got == ["Bactériémie à Listeria monocytogenes", "Hémocultures 2/2 positives", "Bactériémie sur PICC",
                   "Pyélonéphrites", "Pyélonéphrite aiguë gauche"]
    assert [e["text"] for e in hybrid.arbitrate(text, rules, model, add=(), refine=False)] == [e["text"] for e in rules]


def test_refine_adds_no_sterile_culture_beside_the_bacteraemia_its_sentence_concludes_with():
    text = "Hémocultures stériles : pas de bactériémie. Hémocultures négatives et aucune bactériémie retenue."
    rules = [{**e, "negation": "Absent"} for e in extract_rules(text)[0] if e["label"] == "Bacteriemie"
             and e["text"] == "bactériémie"]
    assert len(rules) == 2
    model = entities_from_spans(text, [_span(text, v, "Bacteriemie") for v in ("Hémocultures stériles", "Hémocultures négatives")])
    got = [e["text"] for e in hybrid.arbitrate(text, rules, model) if e["label"] == "Bacteriemie"]
    assert got == ["bactériémie", "Hémocultures négatives", "bactériémie"]  # across a colon: only the conclusion
    assert len(hybrid.arbitrate(text, rules, model, refine=False)) == 4


def test_refine_cuts_a_dictated_full_stop_and_counts_are_no_complement():
    text = "Abcès du psoas point on draine. Ostéite du fémur gauche. HC : 3 paires sur 3 positives au même germe."
    rules = _rules_spans(text, ("Abcès du psoas point", "Ostéite du fémur gauche")) + \
        _rules_spans(text, ("HC : 3 paires sur 3 positives",), "Bacteriemie")
    model = entities_from_spans(text, [_span(text, v, "Infection") for v in ("Abcès du psoas", "Ostéite du fémur")]
                                + [_span(text, "HC : 3 paires sur 3 positives au même germe", "Bacteriemie")])
    got = [e["text"] for e in hybrid.arbitrate(text, rules, model, add=())]
    # "point" attaches to nothing; "gauche" is a qualifier; "sur 3" a count, so "au même germe" is the complement
    assert got == ["Abcès du psoas", "Ostéite du fémur gauche", "HC : 3 paires sur 3 positives au même germe"]


def test_side_words_and_pancreatitis_do_not_read_as_an_infection():
    for words, ok in (("fistule périnéale droite", False), ("plaie de la main droite", False), ("pancréatite aiguë", False),
                      ("arthrite droite", True), ("pyélonéphrite droite", True)):
        assert hybrid.plausible("Infection", words) is ok, words


def test_the_model_alone_gets_the_species_nested_in_its_spans_from_the_rules():
    text = "Bactériémie à E. coli le 3 mars."
    model = entities_from_spans(text, [_span(text, "Bactériémie à E. coli", "Bacteriemie")])
    got = hybrid.with_nested(model, extract_rules(text)[0])
    assert [(e["label"], e["text"]) for e in got] == [("Bacteriemie", "Bactériémie à E. coli"), ("Bacterie", "E. coli")]


def test_missing_model_fails_clearly(empty_home):
    for method in ("hybrid", "ner"):
        with pytest.raises(InputError, match="infectio-ner"):
            inf.extract("Bactériémie à E. coli.", method=method)


def test_dev_folds_are_fixed_by_id_hash():
    folds = [cu6_ner.dev_fold(f"hw-{i:03d}") for i in range(200)]
    assert folds == [cu6_ner.dev_fold(f"hw-{i:03d}") for i in range(200)] and set(folds) == {0, 1, 2}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from partages_core.corpus.handwritten import load_handwritten

    out = tmp_path_factory.mktemp("cu6") / "infectio-ner"
    dev = [p for p in load_handwritten("dev") if any(d.spans("infectio") for d in p.documents)][:12]
    meta = cu6_ner.build([], out, cu6_ner.TINY, log=lambda m: None, handwritten=dev)
    return out, meta


def test_the_ner_reads_a_fixed_number_of_characters_whatever_the_pool_size():
    line = ("x", "a" * 1000, [])
    budget = cu6_ner.Budget(epochs=25, read_chars=12_000)
    assert [cu6_ner.epochs_for(budget, [line] * n) for n in (1, 2, 4, 6, 1000)] == [12, 6, 3, 2, 1]
    assert cu6_ner.epochs_for(cu6_ner.Budget(epochs=5, read_chars=12_000), [line]) == 5  # at most the epochs
    assert cu6_ner.epochs_for(cu6_ner.Budget(epochs=5, read_chars=None), [line] * 1000) == 5


def test_tiny_model_builds_and_the_hybrid_keeps_the_output_contract(tiny_model):
    path, meta = tiny_model
    assert cu6_ner.is_built(path) and meta["labels"] == list(cu6_ner.LABELS) and meta["epochs_done"] == 1
    assert meta["recipe"] == cu6_ner.RECIPE and meta["base"].startswith("fr_core_news_md")
    assert meta["hyphenated_words_whole"] is False   # the CU6 NER keeps spaCy's tokenizer (pseudonymisation's is changed)
    texts = ["Hémocultures positives à E. coli. Pyélonéphrite aiguë droite.\nANTIBIOGRAMME (E. coli)\nCTX: R\n",
             "Pas de bactériémie."]
    many = hybrid.extract_batch(texts, str(path))
    assert many == [hybrid.extract_batch([t], str(path))[0] for t in texts]   # batching changes nothing
    for text, (ents, rows, res) in zip(texts, many):
        rules = extract_rules(text)
        assert rows == rules[1] and res == rules[2]                           # antibiogram and resistance: the rules'
        assert all(any((r["start"], r["end"]) == (e["start"], e["end"]) for e in ents) for r in rules[0])
        assert all(text[e["start"]:e["end"]] == e["text"] for e in ents)


def test_the_cu6_ner_loads_in_a_process_that_imported_edsnlp_first(tiny_model):
    path, _ = tiny_model  # spaCy 3.8 + edsnlp: governance.ner.spacy_load registers the factories (E002 otherwise)
    code = ("import edsnlp, sys\n"
            "from partages_core.usecases.infectiology import hybrid\n"
            "print(len(hybrid.extract_batch(['Bactériémie à E. coli.'], sys.argv[1])))\n")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "1"


def test_the_cards_figures_rest_on_a_fresh_cohort_beside_the_commons_test_split(tiny_model, empty_home):
    import shutil

    from huggingface_hub import ModelCard

    from partages_core.evaluation.taggers import write_infectio_ner_card

    assert write_infectio_ner_card(empty_home / "cards", min_documents=10, n_boot=20) is None  # not built: no card
    shutil.copytree(tiny_model[0], cu6_ner.model_path())
    card = ModelCard.load(write_infectio_ner_card(empty_home / "cards", min_documents=10, n_boot=20))
    results = card.data.eval_results
    sizes = {r.dataset_name: r.metric_args["n_documents"] for r in results}
    assert min(n for name, n in sizes.items() if "seed 101" in name) >= 10 and len(sizes) == 2  # cohort + commons test
    text = card.text
    assert "| fresh held-out cohort | infectio-rules |" in text and "| commons test split | infectio-rules |" in text
    assert "gold entities" in text and "hand-written frozen test, fifth pass" in text
