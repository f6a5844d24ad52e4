"""The home page's headline numbers come from the real-text results, in French and English."""

from __future__ import annotations

from partages_core.portal.home import headline, headline_markdown, write_home_parts


def _row(family, system, value, source="handwritten", higher=True, n=30):
    return {"family": family, "task": f"{family}@{source}", "source": source, "system": system, "n_documents": n,
            "metrics": {"m": {"value": value, "ci_low": value - 0.1, "ci_high": value + 0.05}},
            "higher_is_better": {"m": higher}}


PAYLOAD = {"rows": [_row("pseudonymisation", "a", 0.61), _row("pseudonymisation", "b", 0.73),
                    _row("pseudonymisation", "c", 0.99, source="commons"),  # in-distribution: never a headline
                    {"family": "infectiology", "task": "x", "source": "handwritten", "system": "broken",
                     "n_documents": 3, "error": "no model"},
                    _row("response", "lower-better", 0.2, higher=False), _row("response", "worse", 0.4, higher=False)]}


def test_headline_takes_the_best_real_text_system_per_task():
    rows = {r["family"]: r for r in headline(PAYLOAD)}
    assert set(rows) == {"pseudonymisation", "response"}
    assert rows["pseudonymisation"]["system"] == "b" and rows["response"]["system"] == "lower-better"


def test_headline_pages_in_both_languages_with_a_figure(tmp_path):
    gen = tmp_path / "_generated"
    gen.mkdir()
    write_home_parts(tmp_path, gen, PAYLOAD)
    fr, en = (gen / "headline-fr.md").read_text(), (gen / "headline-en.md").read_text()
    assert "0.73 [0.63, 0.78]" in fr and "0.73 [0.63, 0.78]" in en
    assert "meilleur système" in fr and "best system" in en
    assert 'fig-alt="' in fr and (tmp_path / "images" / "headline-fr.png").stat().st_size > 1000
    assert "partages evaluate realtext" in headline_markdown([], "en")
