"""Model-backed use-case extractors: tiny models trained here on the shared commons, the rules'
output schema, valid offsets, a real quality floor for the oncology tagger, clear errors."""

from __future__ import annotations

import dataclasses

import pytest

from partages_core.config import get_profile
from partages_core.errors import InputError
from partages_core.metrics import merge, micro, span_counts
from partages_core.usecases import infectiology, oncology
from partages_core.models.usecase_models import (NO_RESPONSE, line_examples, load_usecase_model, model_available,
                                                response_lines, response_training_letters, train_usecase_models,
                                                training_lines, usecase_model_dir)
from partages_core.usecases.oncology import BIOMARKER_KEYS

REPORT = ("Compte rendu anatomopathologique.\nCarcinome infiltrant pT2N0M0 (TNM 8e édition).\n"
          "HER2 négatif (score 1+) en IHC.\nEGFR non muté en NGS.\nKi67 à 30 %.\n")
MICRO = ("Hémocultures positives à E. coli.\nAbsence de bactériémie à S. aureus.\n"
         "Pyélonéphrite aiguë.\nAntibiogramme (E. coli)\nAmoxicilline ....... R\nCéfotaxime ....... S\n")


@pytest.fixture(scope="module")
def home(tmp_path_factory, commons):
    """A PARTAGES_HOME with the three use-case models fine-tuned on the 60-patient commons."""
    root = tmp_path_factory.mktemp("home")
    profile = dataclasses.replace(get_profile("small"), encoder_hidden=64, vocab_size=1500, max_length=64)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARTAGES_HOME", str(root))
        metrics = train_usecase_models(profile, 13, names=["oncology-tagger"], patients=commons.patients,
                                       max_steps=150)
        metrics |= train_usecase_models(profile, 13, names=["infectio-tagger", "response-classifier"],
                                        patients=commons.patients, max_steps=12, cohort_patients=200)
        yield root, metrics


def test_missing_model_says_how_to_train(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTAGES_HOME", str(tmp_path))
    assert not model_available("oncology-tagger")
    with pytest.raises(InputError, match="not trained.*partages models finetune --task"):
        oncology.extract(REPORT, method="model")
    with pytest.raises(InputError, match="response-classifier"):
        oncology.classify_response(REPORT, method="model")
    with pytest.raises(InputError, match="infectio-tagger"):
        infectiology.extract(MICRO, method="model")
    with pytest.raises(InputError, match="unknown use-case model"):
        usecase_model_dir("nope")


def test_training_lines_keep_every_span_and_a_seeded_sample(commons):
    texts, spans, crossing = line_examples(commons.patients, "oncology")
    assert crossing == 0 and sum(map(len, spans)) == sum(len(d.spans("oncology")) for _, d in commons.documents())
    assert all(t[s["start"]:s["end"]] for t, ss in zip(texts, spans) for s in ss)
    a, b = training_lines(texts, spans, 13), training_lines(texts, spans, 13)
    assert a == b and sum(1 for s in a[1] if s) == sum(1 for s in spans if s)
    assert len(a[0]) <= 3 * sum(1 for s in spans if s)


def test_response_lines_hold_every_gold_response_and_the_lines_around_it():
    handwritten = response_training_letters(cohort_patients=0)  # the hand-written dev letters only
    letters = response_training_letters(cohort_patients=400)
    assert handwritten and len(letters) > len(handwritten) + 20
    texts, labels = response_lines(letters, 13)
    assert (texts, labels) == response_lines(letters, 13)
    positive = [(t, y) for t, y in zip(texts, labels) if y != NO_RESPONSE]
    assert len(positive) >= len(letters) and all(y in oncology.RESPONSE_LABELS for _, y in positive)
    for d in letters:  # the gold span lies in one of the letter's positive lines
        assert any(d.response.text in t for t, y in positive if y == d.response.label)
    assert 2.5 * len(positive) <= labels.count(NO_RESPONSE) <= 3 * len(positive)


@pytest.mark.slow
def test_model_extractors_keep_the_rules_schema(home, monkeypatch, commons):
    root, _ = home
    monkeypatch.setenv("PARTAGES_HOME", str(root))
    docs = [d for _, d in commons.documents()][:40] + [type("D", (), {"text": REPORT})()]
    for d in docs:
        text = d.text
        rules, model = oncology.extract(text), oncology.extract(text, method="model")
        assert model.keys() == rules.keys()
        for b in model["biomarkers"]:
            assert tuple(b) == BIOMARKER_KEYS and text[b["start"]:b["end"]] == b["text"]
            assert isinstance(b["biomarker"], str) and b["negated"] in (True, False)
        for t in model["tnm"]:
            assert set(t) == {"text", "start", "end"} and text[t["start"]:t["end"]] == t["text"]
        resp = oncology.classify_response(text, method="model")
        assert set(resp) == set(oncology.classify_response(text)) and resp["label"] in oncology.RESPONSE_LABELS
        if resp["start"] is not None:
            assert text[resp["start"]:resp["end"]] == resp["text"]
        inf = infectiology.extract(text, method="model")
        assert inf.keys() == infectiology.extract(text).keys()
        infectiology.check_labels(inf)
        for e in inf["entities"]:
            assert set(e) == {"label", "text", "start", "end", "negation", "normalized"}
            assert text[e["start"]:e["end"]] == e["text"]
        assert inf["susceptibility"] == infectiology.extract(text)["susceptibility"]  # rules path


@pytest.mark.slow
def test_oncology_tagger_finds_held_out_spans(home, monkeypatch, commons):
    root, metrics = home
    monkeypatch.setenv("PARTAGES_HOME", str(root))
    # patients the tagger never saw: a fresh cohort of another seed than the commons' (the 60-patient
    # commons' own held-out splits hold only 4 oncology documents, a score that moved with every draw)
    from partages_core.corpus.generator import generate

    docs = [d for p in generate(150, 101) for d in p.documents if d.spans("oncology")]
    assert len(docs) >= 15, "the fresh cohort has enough oncology documents"
    per_doc = []
    for d in docs:
        out = oncology.extract(d.text, method="model")
        gold = [{"start": s.start, "end": s.end, "label": s.label} for s in d.spans("oncology")]
        pred = [{**b, "label": "BIOMARKER"} for b in out["biomarkers"]] + [{**t, "label": "TNM"} for t in out["tnm"]]
        per_doc.append(span_counts(gold, pred, lambda x: x["label"], "overlap"))
    f1 = micro(merge(*per_doc)).f1
    print(f"oncology model overlap F1 {f1:.3f} on {len(docs)} fresh documents")
    assert f1 > 0.5, f"oncology model overlap F1 {f1:.3f} on {len(docs)} held-out documents"
    # The training-time held-out score (every line of the test patients, 150 steps on the 60-patient
    # commons) is a tiny budget's: 0.24 once the commons phrased biomarkers independently of the lexicon,
    # 0.143 after the second variety pass (more date, place and facility shapes around the same lines).
    # It must stay a real, non-trivial score; the document-level score above is the quality floor.
    assert metrics["oncology-tagger"]["f1_overlap"] > 0.1
    saved = load_usecase_model("oncology-tagger")
    assert saved.info["steps"] == 150 and saved.info["train_lines"] > 0


@pytest.mark.slow
def test_federated_node_runs_the_cu6_model(home, monkeypatch, commons, tmp_path):
    from partages_core.evaluation.runner import site_counts
    from partages_core.evaluation.systems import digest

    root, _ = home
    monkeypatch.setenv("PARTAGES_HOME", str(root))
    patients = [p for p in commons.patients if p.pool.startswith("CU 6")][:3]
    counts, n = site_counts("infectiology/entity", "infectio-model", patients)
    assert n > 0 and set(counts) <= {"Bacterie", "Bacteriemie", "Infection", "Site"}
    assert sum(c.tp + c.fn for c in counts.values()) == sum(len(d.spans("infectio")) for p in patients
                                                           for d in p.documents)
    assert digest("infectio-model") == digest("infectio-model") and digest("infectio-model").startswith("sha256:")
    monkeypatch.setenv("PARTAGES_HOME", str(tmp_path))
    with pytest.raises(InputError, match="not trained.*partages models finetune --task infectio"):
        digest("infectio-model")


@pytest.mark.slow
def test_response_line_classifier_learns_from_a_generated_cohort(tmp_path, monkeypatch):
    """A tiny line classifier from scratch (no encoder, 500 steps) on the letters of 1500 patients of the
    training seed: well above the majority class on a held-out cohort of the evaluation seed (0.272
    measured with session 20's data, 0.333 before; the majority class scores about 0.05). Torch runs on one thread
    here, so that the figure does not depend on the machine's core count (two threads gave 0.216 on the same data:
    the summation order changes the tiny model)."""
    import torch

    monkeypatch.setenv("PARTAGES_HOME", str(tmp_path))  # no built encoder: from scratch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        score = _line_classifier_macro_f1(tmp_path)
    finally:
        torch.set_num_threads(threads)
    assert score >= 0.25


def _line_classifier_macro_f1(tmp_path) -> float:
    """Macro-F1 on 30 fresh letters of the tiny line classifier trained as the test above says."""
    from partages_core.corpus.model import RESPONSE_LABELS
    from partages_core.evaluation.runner import fresh_cohort
    from partages_core.metrics import macro_f1, set_counts
    from partages_core.models.heads import TextClassifier

    profile = dataclasses.replace(get_profile("small"), encoder_hidden=64, vocab_size=1500, max_length=64)
    texts, labels = response_lines(response_training_letters(cohort_patients=1500), 13)
    clf = TextClassifier.train(texts, labels, tmp_path / "clf", seed=13, profile=profile, label_set=RESPONSE_LABELS,
                               max_steps=500, batch_size=16, learning_rate=2e-3, resume=False, none_label=NO_RESPONSE)
    assert clf.info["labels"] == sorted(RESPONSE_LABELS) and clf.info["unit"] == "line"
    held = fresh_cohort("response", 30).eval
    spans = clf.predict_spans([e.text for e in held])
    for e, (label, _, start, end) in zip(held, spans):
        assert label in RESPONSE_LABELS and e.text[start:end].strip()  # the justifying line
    counts = merge(*[set_counts({(i, e.gold["label"])}, {(i, s[0])}, lambda x: x[1]) for i, (e, s) in enumerate(zip(held, spans))])
    return macro_f1(counts)
