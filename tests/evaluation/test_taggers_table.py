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
