"""The tagger-vs-rules table: figures with their intervals and a plain verdict per data set."""

from __future__ import annotations


def _result(system, label, f1, leak):
    cell = lambda v: {"value": v, "ci_low": max(0.0, v - 0.05), "ci_high": min(1.0, v + 0.05)}  # noqa: E731
    return {"system": system, "data_label": label, "n_documents": 30,
            "metrics": {"f1_strict_micro": cell(f1), "f1_overlap_micro": cell(f1), "leak_rate": cell(leak),
                        "over_scrub_rate": None}}


def test_markdown_says_where_the_tagger_does_not_beat_the_rules():
    from partages_core.evaluation.taggers import markdown

    text = markdown("pseudonymisation", [_result("pseudo-tagger", "commons test", 0.95, 0.02),
                                         _result("pseudo-rules", "commons test", 0.90, 0.05),
                                         _result("pseudo-tagger", "hand-written dev", 0.40, 0.50),
                                         _result("pseudo-rules", "hand-written dev", 0.70, 0.20)])
    assert "| commons test | pseudo-tagger | 30 | 0.950 [0.900–1.000] |" in text and "| – |" in text
    assert "commons test, f1_strict_micro: the tagger (0.950) beats the rules (0.900)" in text
    assert "commons test, leak_rate: the tagger (0.020) beats the rules (0.050)" in text
    assert "hand-written dev, f1_strict_micro: the tagger (0.400) **does not beat** the rules (0.700)" in text
    assert "hand-written dev, leak_rate: the tagger (0.500) **does not beat**" in text


def _paired(diff, low, high):
    return {"difference": diff, "ci_low": low, "ci_high": high}


def test_with_the_paired_interval_beats_means_beyond_chance():
    from partages_core.evaluation.taggers import markdown

    ahead = _result("infectio-ner", "fresh cohort", 0.949, 0.0)
    ahead["paired"] = {"f1_strict_micro": _paired(0.030, 0.010, 0.050), "leak_rate": _paired(-0.020, -0.030, -0.010)}
    level = _result("infectio-ner", "commons test", 0.949, 0.0)
    level["paired"] = {"f1_strict_micro": _paired(0.001, -0.012, 0.014), "leak_rate": _paired(0.0, 0.0, 0.0)}
    behind = _result("infectio-ner", "hand-written dev", 0.52, 0.06)
    behind["paired"] = {"f1_strict_micro": _paired(-0.386, -0.40, -0.37), "leak_rate": _paired(0.041, 0.035, 0.047)}
    rules = lambda label, f1, leak: _result("pseudo-rules", label, f1, leak)  # noqa: E731
    text = markdown("pseudonymisation", [ahead, rules("fresh cohort", 0.919, 0.02), level, rules("commons test", 0.948, 0.0),
                                         behind, rules("hand-written dev", 0.908, 0.015)], model_word="the NER")
    assert ("fresh cohort, f1_strict_micro: the NER (0.949) beats the rules (0.919) beyond chance: "
            "model minus rules +0.030 [+0.010, +0.050].") in text
    assert "fresh cohort, leak_rate: the NER (0.000) beats the rules (0.020) beyond chance" in text
    # a point estimate ahead by 0.001 is level, and a level row warns as the card needs
    assert ("commons test, f1_strict_micro: the NER (0.949) **does not beat** the rules (0.948) beyond chance (level): "
            "model minus rules +0.001 [-0.012, +0.014].") in text
    assert "commons test, leak_rate: the NER (0.000) **does not beat** the rules (0.000) beyond chance (level)" in text
    assert "hand-written dev, f1_strict_micro: the NER (0.520) **does not beat** the rules (0.908): model minus rules" in text
    assert "hand-written dev, leak_rate: the NER (0.060) **does not beat** the rules (0.015): model minus rules" in text
