"""The cached model build (tiny budgets) and honest cards (baseline beside the model, warnings)."""

from __future__ import annotations

import dataclasses
import json

import pytest


def test_cards_put_the_baseline_beside_the_model_and_warn(tmp_path):
    from partages_core.models.cards import write_model_card

    model = tmp_path / "instruct"
    model.mkdir()
    (model / "metrics.json").write_text(json.dumps({
        "kind": "instruct-lora", "profile": "small", "seed": 13, "base": None, "seconds": 3.0,
        "rougeL_model": 0.01, "rougeL_model_ci95": [0.0, 0.02], "rougeL_extractive_baseline": 0.05,
        "rougeL_baseline_ci95": [0.03, 0.07], "conclusions_scored": 30, "conclusion_documents": 30,
        "qa_questions": 25, "qa_documents": 20, "qa_exact_match": 0.6, "qa_exact_match_ci95": [0.4, 0.76],
        "qa_majority_baseline": 0.2, "qa_majority_baseline_ci95": [0.09, 0.39], "empty_outputs": 0}))
    text = write_model_card(model, "instruct-test", tmp_path).read_text()
    assert "| ROUGE-L F (conclusion) | held-out patients (commons) | 30 docs | 0.010 [0.000–0.020] | 0.050" in text
    assert "Warning: on ROUGE-L F (conclusion)" in text and "QA exact match" in text
    assert "Warning: on QA exact match" not in text  # 0.6 beats the majority answer
    assert "the numbers show that the pipeline works" not in text


def test_encoder_card_warns_below_target(tmp_path):
    from partages_core.models.cards import write_model_card

    model = tmp_path / "enc"
    model.mkdir()
    (model / "metrics.json").write_text(json.dumps({
        "kind": "encoder", "profile": "small", "seed": 13, "mlm_loss": 6.1, "mlm_accuracy": 0.11,
        "mlm_accuracy_ci95": [0.1, 0.12], "masked_tokens": 1500, "eval_texts": 42,
        "before": {"mlm_accuracy": 0.0, "mlm_accuracy_ci95": [0.0, 0.01]},
        "eval_sets": {"handwritten-test": {"mlm_accuracy": 0.08, "mlm_accuracy_ci95": [0.06, 0.1],
                                           "documents": 40, "masked_tokens": 900}}}))
    text = write_model_card(model, "enc-test", tmp_path).read_text()
    assert "below the 0.50 target" in text and "handwritten-test | 40 docs, 900 masked tokens | 0.080" in text


# the pseudonymisation NER at ``ner.TINY``'s size (seconds), as ``build.STEPS["pseudo-ner"]`` fields; a soup of two,
# so that the CU6 NER and the soup's members train in their own processes, as in the portal's build
TINY_NER = {"commons_docs": 4, "handwritten_docs": 4, "eds_pseudo_docs": 24, "epochs": 1, "soup": 2}


@pytest.mark.slow
def test_build_trains_once_then_reuses(monkeypatch, empty_home, tiny_profile):
    from partages_core.governance import ner
    from partages_core.governance.pseudonymisation import ensure_model
    from partages_core.models import build

    profile = dataclasses.replace(tiny_profile, patients=16)
    monkeypatch.setitem(build.STEPS, profile.name, {"encoder": 2, "decoder": 2, "instruct": 1, "pseudo": 2,
                                                    "infectio-ner": 1, "response": 2, "response-cohort": 100,
                                                    "response-sentences": 40, "oncology": 2, "pseudo-ner": TINY_NER})
    logs: list[str] = []
    first = build.build_models(profile, log=logs.append)
    assert set(first) == {"encoder", "decoder", "decoder-instruct", "pseudo-tagger", "infectio-ner",
                          "response-classifier", "response-sentences", "oncology-tagger", "pseudo-ner"}
    assert first["oncology-tagger"]["steps"] == 2 and first["oncology-tagger"]["base"].endswith("encoder")
    assert first["pseudo-ner"]["recipe"] == ner.RECIPE and first["pseudo-ner"]["seeds"] == [13, 14]
    if ner.soup_workers() > 1:   # the CU6 NER trained in its own process, beside the soup: the same model as here
        from partages_core.corpus.commons import load_commons
        from partages_core.models import cu6_ner
        from partages_core.quality.splits import split_patients

        train = split_patients(load_commons(profile).patients, profile.seed)["train"]
        cu6_ner.build(train, empty_home / "cu6-here", cu6_ner.Budget(epochs=1, seed=profile.seed), log=lambda m: None)
        assert all((empty_home / "cu6-here" / "spacy" / f.relative_to(empty_home / "models" / "infectio-ner" / "spacy"))
                   .read_bytes() == f.read_bytes()
                   for f in (empty_home / "models" / "infectio-ner" / "spacy").rglob("*") if f.is_file())
    with monkeypatch.context() as m:  # notebook 01's ensure_model reads the build's model, builds nothing
        m.setattr(ner, "build_model", lambda *a, **kw: pytest.fail("ensure_model rebuilt the built model"))
        assert ensure_model(log=lambda line: None)["recipe"] == ner.RECIPE
    sentences = first["response-sentences"]
    assert sentences["generated_patients"] == 40 and sentences["handwritten_letters"] > 0
    assert (empty_home / "models" / "response-sentences" / "weights.npz").is_file()
    assert first["response-classifier"]["steps"] == 2 and first["response-classifier"]["base"].endswith("encoder")
    assert first["encoder"]["steps"] == 2 and first["infectio-ner"]["epochs_done"] == 1
    assert first["pseudo-tagger"]["steps"] == 2 and first["pseudo-tagger"]["base"].endswith("encoder")
    assert first["decoder-instruct"]["empty_outputs"] == 0
    cards = empty_home / "model_cards"  # what `partages portal publish-cards` publishes after a build
    assert "answer_perplexity" in (cards / f"partages-decoder-instruct-{profile.name}.md").read_text()
    assert "masked-LM accuracy" in (cards / f"partages-encoder-{profile.name}.md").read_text()
    stamp = json.loads((empty_home / "models" / build.STAMP).read_text())
    trained = (empty_home / "models" / "encoder" / "metrics.json").stat().st_mtime_ns
    again = build.build_models(profile, log=logs.append)
    assert "up to date" in logs[-1] and again == stamp["metrics"]
    assert (empty_home / "models" / "encoder" / "metrics.json").stat().st_mtime_ns == trained  # not retrained
    shown = build.portal_models(profile)  # notebook 03: the build, not a demonstration
    assert shown["demo"] is False and shown["up_to_date"] and shown["metrics"] == stamp["metrics"]
    monkeypatch.setitem(build.STEPS, profile.name, {"encoder": 2, "decoder": 2, "instruct": 2, "pseudo": 2,
                                                    "infectio-ner": 1, "response": 2, "response-cohort": 100,
                                                    "response-sentences": 40, "oncology": 2, "pseudo-ner": TINY_NER})
    assert build.fingerprint(profile, empty_home / "commons") != stamp["fingerprint"]  # config change: rebuild
    with monkeypatch.context() as m:  # the hand-written set changed: its two stages are stale (notebook 04 checks CU5b's)
        m.setattr(build, "_handwritten_digest", lambda: "edited")
        assert build.built_models(profile)["stale"] == ["infectio-ner", "response-classifier", "response-sentences",
                                                        "pseudo-ner"]
    logs.clear()
    third = build.build_models(profile, log=logs.append)  # only the stage whose budget changed is retrained
    assert logs[:2] == ["models: encoder up to date, reused", "models: decoder up to date, reused"]
    assert logs[2].startswith("models: decoder-instruct trained") and third["decoder-instruct"]["steps"] == 2
    assert logs[3:] == [f"models: {name} up to date, reused" for name in (
        "pseudo-tagger", "response-classifier", "response-sentences", "oncology-tagger", "infectio-ner", "pseudo-ner")]
    assert (empty_home / "models" / "encoder" / "metrics.json").stat().st_mtime_ns == trained


def test_comparison_table_and_bars_from_saved_metrics():
    from partages_core.models.cards import accuracy_bars, comparison_markdown, generation_bars

    enc = {"kind": "encoder", "mlm_accuracy": 0.6, "mlm_accuracy_ci95": [0.55, 0.65], "eval_texts": 40,
           "masked_tokens": 1500, "before": {"mlm_accuracy": 0.0, "mlm_accuracy_ci95": [0.0, 0.01]},
           "eval_sets": {"handwritten-dev": {"mlm_accuracy": 0.1, "mlm_accuracy_ci95": [0.08, 0.12],
                                             "documents": 60, "masked_tokens": 4000}}}
    dec = {"kind": "decoder", "perplexity": 20.0, "perplexity_before": 4000.0, "eval_texts": 42}
    lora = {"kind": "instruct-lora", "rougeL_model": 0.2, "rougeL_model_ci95": [0.1, 0.3],
            "rougeL_extractive_baseline": 0.15, "rougeL_baseline_ci95": [0.05, 0.25], "conclusion_documents": 35,
            "rougeL_last_sentence": 0.02, "rougeL_last_sentence_ci95": [0.0, 0.04], "qa_questions": 25, "qa_documents": 16, "qa_exact_match": 0.1, "qa_exact_match_ci95": [0.03, 0.3],
            "qa_choice_accuracy": 0.6, "qa_choice_accuracy_ci95": [0.4, 0.77],
            "qa_majority_baseline": 0.4, "qa_majority_baseline_ci95": [0.23, 0.59]}
    text = comparison_markdown({"encoder": enc, "decoder": dec, "decoder-instruct": lora})
    assert "| encoder | masked-LM accuracy | held-out patients (commons) | 40 docs, 1500 masked tokens | 0.600" in text
    assert "| decoder | perplexity (lower is better) |" in text and "4000.000" in text
    assert "QA accuracy, answer chosen among the training answers" in text
    warned = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(warned) == 1 and "QA exact match" in warned[0]  # only the free answers lose to the majority
    names, values, (low, high) = accuracy_bars(enc)
    assert names == ["held-out commons", "handwritten-dev", "untrained (held-out)"] and values[0] == 0.6
    assert abs(low[0] - 0.05) < 1e-9 and abs(high[1] - 0.02) < 1e-9
    (t1, _, n1, v1, _), (t2, _, n2, v2, _) = generation_bars(lora)
    assert "35 held-out docs" in t1 and n1 == ["LoRA model", "extractive: lead", "extractive: last sentence"]
    assert v1 == [0.2, 0.15, 0.02]
    assert "(extractive lead: the reason for admission)" in text and "(extractive: last sentence)" in text
    older = {k: v for k, v in lora.items() if not k.startswith("rougeL_last_sentence")}  # one baseline then
    assert generation_bars(older)[0][2] == ["LoRA model", "extractive: last sentence"]
    rouge_rows = [line for line in comparison_markdown({"d": older}).splitlines() if "ROUGE-L" in line]
    assert len(rouge_rows) == 1 and "(extractive: last sentence)" in rouge_rows[0]
    assert n2 == ["free answer", "chosen answer", "majority answer"] and v2 == [0.1, 0.6, 0.4]


def test_tagger_card_shows_the_rules_beside_it_and_warns(tmp_path):
    from partages_core.models.cards import write_model_card

    model = tmp_path / "tagger"
    model.mkdir()
    (model / "label_map.json").write_text(json.dumps({"kind": "span_tagger", "profile": "small", "seed": 13,
                                                      "f1": 0.9, "precision": 0.9, "recall": 0.9}))
    table = ("| data | system | n docs | f1_strict_micro |\n|---|---|---|---|\n"
             "| hand-written dev | pseudo-tagger | 60 | 0.500 [0.4–0.6] |\n\n"
             "- hand-written dev, f1_strict_micro: the tagger (0.500) **does not beat** the rules (0.819).")
    text = write_model_card(model, "tagger-test", tmp_path, against=table).read_text()
    assert "Against the baseline (the rules, same documents)" in text and "| hand-written dev | pseudo-tagger | 60 |" in text
    assert "Warning: the model does not beat the rules" in text
    fine = write_model_card(model, "tagger-ok", tmp_path, against=table.replace("**does not beat**", "beats"))
    assert "Warning" not in fine.read_text() and "beats its baseline on every measure" in fine.read_text()


def test_decoder_card_gives_the_paired_difference_and_warns_when_it_is_chance():
    from partages_core.models.cards import comparison

    lora = {"rougeL_model": 0.2, "rougeL_model_ci95": [0.1, 0.3], "rougeL_extractive_baseline": 0.15,
            "rougeL_baseline_ci95": [0.05, 0.25], "conclusion_documents": 30, "conclusions_scored": 30,
            "conclusions_chosen": 6, "rougeL_last_sentence": 0.02, "rougeL_last_sentence_ci95": [0.0, 0.04],
            "rougeL_minus_lead": 0.05, "rougeL_minus_lead_ci95": [-0.01, 0.11]}
    rows, warnings = comparison("instruct-lora", lora)
    assert any("model minus lead (paired" in r and "0.050 [-0.010–0.110]" in r for r in rows)
    assert any("chosen among the training ones" in r and "0.200" in r for r in rows)
    assert len(warnings) == 1 and "includes 0" in warnings[0]
    rows, warnings = comparison("instruct-lora", {**lora, "rougeL_minus_lead_ci95": [0.01, 0.09]})
    assert warnings == []  # beats the lead, more than chance


def test_decoder_card_warns_when_the_match_alone_does_as_well():
    from partages_core.models.cards import comparison

    lora = {"rougeL_model": 0.30, "rougeL_model_ci95": [0.15, 0.45], "conclusion_documents": 32,
            "rougeL_extractive_baseline": 0.22, "rougeL_baseline_ci95": [0.09, 0.36],
            "rougeL_match_baseline": 0.315, "rougeL_match_baseline_ci95": [0.16, 0.47]}
    rows, warnings = comparison("instruct-lora", lora)
    assert any("no model: the most frequent training conclusion" in r and "0.315" in r for r in rows)
    assert len(warnings) == 2 and "does not beat" in warnings[0] and "no model" in warnings[0]
    assert warnings[1].startswith("Why:") and "same match without a model" in warnings[1]  # says why, plainly
    _, warnings = comparison("instruct-lora", {**lora, "rougeL_match_baseline": 0.25})
    assert not any(w.startswith("Why:") for w in warnings)  # beats the match: nothing to explain


def test_decoder_card_gives_the_paired_difference_with_the_match_alone():
    from partages_core.models.cards import comparison

    lora = {"rougeL_model": 0.344, "rougeL_model_ci95": [0.21, 0.48], "conclusion_documents": 34,
            "rougeL_match_baseline": 0.314, "rougeL_match_baseline_ci95": [0.18, 0.45],
            "rougeL_minus_match": 0.030, "rougeL_minus_match_ci95": [-0.02, 0.08]}
    rows, warnings = comparison("instruct-lora", lora)
    assert any("model minus the no-model match (paired" in r and "0.030 [-0.020–0.080]" in r for r in rows)
    assert len(warnings) == 1 and "no-model match's" in warnings[0] and "includes 0" in warnings[0]
    _, warnings = comparison("instruct-lora", {**lora, "rougeL_minus_match_ci95": [0.01, 0.05]})
    assert warnings == []  # beats the match, more than chance
    _, warnings = comparison("instruct-lora", {**lora, "rougeL_model": 0.30, "rougeL_minus_match": -0.014})
    assert not any("no-model match's" in w for w in warnings) and any(w.startswith("Why:") for w in warnings)


def test_decoder_card_gives_the_qa_paired_differences_and_names_its_held_out_set():
    from partages_core.models.cards import comparison

    qa = {"qa_questions": 209, "qa_documents": 109, "qa_exact_match": 0.373, "qa_exact_match_ci95": [0.31, 0.44],
          "qa_majority_baseline": 0.545, "qa_majority_baseline_ci95": [0.48, 0.61],
          "qa_choice_found_accuracy": 0.78, "qa_choice_found_accuracy_ci95": [0.72, 0.83],
          "qa_choice_found_majority": 0.76, "qa_choice_found_majority_ci95": [0.70, 0.81],
          "qa_choice_found_minus_majority": 0.02, "qa_choice_found_minus_majority_ci95": [-0.02, 0.06],
          "eval_set": "held-out patients (commons test split + 200 generated, seed 101)"}
    rows, warnings = comparison("instruct-lora", qa)
    assert any("among those found minus the majority among them (paired" in r and "seed 101" in r for r in rows)
    assert any("not more than chance on 109 docs, 209 questions" in w for w in warnings)  # ahead, interval across 0
    assert any("QA exact match" in w and "does not beat" in w for w in warnings)  # free answer below the majority
    _, warnings = comparison("instruct-lora", {**qa, "qa_choice_found_minus_majority_ci95": [0.01, 0.03]})
    assert not any("not more than chance" in w for w in warnings)


def test_evaluate_instruct_gives_the_paired_difference_with_the_match(monkeypatch):
    """The per-document differences model − match are the ones the card's row reads (mean and interval)."""
    from partages_core.models import decoder

    outputs = {"a": "pneumopathie", "b": "infection urinaire", "c": "pneumopathie droite"}
    monkeypatch.setattr(decoder, "write_conclusion", lambda model, tok, pair, *a: (outputs[pair["document"]], 1))
    monkeypatch.setattr(decoder, "match_baseline", lambda pair, *a: "pneumopathie")
    monkeypatch.setattr(decoder, "answer_perplexity", lambda *a: 1.0)
    monkeypatch.setattr(decoder, "evaluate_qa", lambda *a, **k: {})
    monkeypatch.setattr(decoder, "blank_token_ids", lambda tok: [])

    class _Model:
        def eval(self):
            return self

    pairs = [{"task": "conclusion", "document": d, "input": "Motif : fièvre.", "output": "pneumopathie droite"}
             for d in "abc"]
    r = decoder.evaluate_instruct(_Model(), None, pairs, 64)
    diffs = [0.667 - 0.667, 0.0 - 0.667, 1.0 - 0.667]  # ROUGE-L F of model minus match, document by document
    assert abs(r["rougeL_minus_match"] - round(r["rougeL_model"] - r["rougeL_match_baseline"], 4)) <= 1e-4
    assert r["rougeL_minus_match_ci95"][0] < r["rougeL_minus_match"] < r["rougeL_minus_match_ci95"][1]
    assert abs(r["rougeL_minus_match"] - round(sum(diffs) / 3, 4)) <= 1e-3


def test_stage_digest_ignores_comments_docstrings_and_layout(tmp_path):
    """A stage retrains on a code change, not on an edited comment, docstring or line break."""
    from partages_core.models.build import source_digest

    code = 'def f(x):\n    """Double."""\n    return 2 * x  # twice\n'
    variants = {"same": code, "comment": code.replace("# twice", "# two times, see the notes"),
                "docstring": code.replace("Double.", "Twice x."),
                "layout": 'def f( x ):\n\n    return (2 *\n            x)\n', "code": code.replace("2 *", "3 *")}
    digests = {}
    for name, text in variants.items():
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
        digests[name] = source_digest(tmp_path / f"{name}.py")
    assert digests["comment"] == digests["docstring"] == digests["layout"] == digests["same"]
    assert digests["code"] != digests["same"]
    (tmp_path / "cues.yaml").write_text("stems: [progress]\n", encoding="utf-8")  # a data file: its bytes
    before = source_digest(tmp_path / "cues.yaml")
    (tmp_path / "cues.yaml").write_text("stems: [progress, regress]\n", encoding="utf-8")
    assert source_digest(tmp_path / "cues.yaml") != before


def test_encoder_recipe_change_retrains_the_encoder_and_the_stages_on_it(monkeypatch, tiny_profile):
    """The encoder recipe (``build.ENCODER_RECIPE``) is part of the encoder stage's digest, so a
    changed recipe retrains the encoder and the heads fine-tuned on it, nothing else."""
    from partages_core.models import build

    args = (tiny_profile, "commons", {"encoder": 2}, (64, 32), 10)
    before = build.stage_digests(*args)
    monkeypatch.setitem(build.ENCODER_RECIPE, tiny_profile.name, {"mask_replace": 1.0, "random_replace": 0.0})
    after = build.stage_digests(*args)
    assert {name for name in before if before[name] != after[name]} == {"encoder", "pseudo-tagger",
                                                                       "response-classifier", "oncology-tagger"}


def test_decoder_card_gives_the_read_answer_per_kind_beside_the_no_model_reading():
    from partages_core.models.cards import comparison

    qa = {"qa_questions": 215, "qa_documents": 109, "qa_answer": "read from the evidence",
          "qa_exact_match": 0.763, "qa_exact_match_ci95": [0.70, 0.81],
          "qa_majority_baseline": 0.540, "qa_majority_baseline_ci95": [0.47, 0.60],
          "qa_minus_majority": 0.223, "qa_minus_majority_ci95": [0.146, 0.300],
          "qa_generated_exact_match": 0.335, "qa_generated_exact_match_ci95": [0.28, 0.40],
          "qa_choice_found_accuracy": 0.763, "qa_choice_found_accuracy_ci95": [0.70, 0.81],
          "qa_choice_found_majority": 0.781, "qa_choice_found_majority_ci95": [0.72, 0.83],
          "qa_by_kind": {"germ": {"questions": 44, "read": 0.909, "majority": 0.114, "read_majority": 0.909}},
          "eval_set": "held-out patients (commons test split + 200 generated, seed 101)"}
    rows, warnings = comparison("instruct-lora", qa)
    assert any("answer read from the evidence, germ questions" in r and "| 44 questions | 0.909 |" in r for r in rows)
    assert any("generated answer (greedy" in r for r in rows)
    assert not any("found in the evidence" in r for r in rows)  # the read answer is that choice: no duplicate row
    # beyond the majority answer, but not beyond the same reading without the model: the card says so
    assert any("does not beat" in w and "majority among the same candidates" in w for w in warnings)
    assert not any("majority answer" in w and "answer read from the evidence)" in w for w in warnings)
