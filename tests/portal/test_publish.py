"""The published notebooks lose developer noise, and the site lint catches what a reader should not see.

Both are checked on real renders by the pinned smalldocs (a two-page project in a temporary folder).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from partages_core.portal.publish import clean_notebook, page_noise, site_noise
from partages_core.portal.site import _card_page, plain_text

ROOT = Path(__file__).resolve().parents[2]


def _noisy_notebook() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    plot = nbformat.v4.new_code_cell("#| fig-alt: \"Bars: documents per facility\"\n# NBVAL_CHECK_OUTPUT\nax.set_ylabel('patients')")
    plot.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: x is deprecated\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "Text(0, 0.5, 'patients')"}, execution_count=1),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480>"}),
    ]
    path = nbformat.v4.new_code_cell("print(folder)")
    path.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{ROOT}/build/small/commons -> 240 patients\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo\n\nSome prose."), plot, path]
    return json.loads(nbformat.writes(nb))


def _render(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "_quarto.yml").write_text("project:\n  type: website\n  output-dir: _site\nwebsite:\n  title: t\n")
    for name, text in pages.items():
        (site / name).write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "smalldocs.cli", "render", "--quiet", str(site)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return site / "_site"


def test_clean_notebook_drops_noise_and_keeps_content():
    nb = _noisy_notebook()
    clean = clean_notebook(nb, ROOT)
    plot, path = clean["cells"][1], clean["cells"][2]
    assert "NBVAL" not in plot["source"] and "fig-alt" in plot["source"]
    assert [o["output_type"] for o in plot["outputs"]] == ["display_data"]  # the picture stays
    assert path["outputs"][0]["text"] == "build/small/commons -> 240 patients\n"
    assert "NBVAL" in "".join(nb["cells"][1]["source"])  # the input is not modified


def test_rendered_noisy_page_is_caught_and_the_clean_one_passes(tmp_path):
    noisy = _noisy_notebook()
    noisy["cells"][1]["source"] = "".join(noisy["cells"][1]["source"]).replace('#| fig-alt: "Bars: documents per facility"\n', "")
    out = _render(tmp_path, {"noisy.ipynb": json.dumps(noisy), "clean.ipynb": json.dumps(clean_notebook(_noisy_notebook(), ROOT)),
                             "card.md": "---\ntitle: Card\n---\n\nA **fictional** card with `code` in a table cell:\n\n"
                                        "| a | b |\n|---|---|\n| \\*\\*x\\*\\* | y |\n"})
    found = site_noise(out)
    kinds = {p.split(":")[0] for p in found.get("noisy.html", [])}
    assert {"image without alt text", "NBVAL marker", "warning", "absolute path"} <= kinds, found
    assert "clean.html" not in found, found["clean.html"]
    assert any(p.startswith("raw Markdown") for p in found.get("card.html", [])), found


def test_page_noise_reads_prose_not_code():
    assert page_noise('<p>Run <code>`make`</code></p><img src="a.png" alt="a chart">') == []
    assert page_noise("<p>Traceback (most recent call last)</p>")[0].startswith("traceback")
    assert page_noise('<img src="x.png" alt="">')[0].startswith("image without alt text")
    assert page_noise("<p><strong>Warning:</strong> the model does not beat its baseline.</p>") == []  # for readers
    assert page_noise("<p>UserWarning: x</p>")[0].startswith("warning")
    assert page_noise("<p>[IPKernelApp] WARNING | plain text</p>")[0].startswith("warning")


def test_card_pages_have_plain_descriptions_and_no_repeated_title(tmp_path):
    card = tmp_path / "c.md"
    card.write_text("---\npretty_name: My set\ntags: [a]\n---\n\n# Dataset card: My set\n\nFictional **records** "
                    "made by `partages corpus`, see [FORMAT](FORMAT.md).\n\n## Uses\nTeaching.\n", encoding="utf-8")
    _card_page(card, tmp_path / "out" / "c.md", "datasets", download="[zip](x.zip)")
    text = (tmp_path / "out" / "c.md").read_text(encoding="utf-8")
    assert "description: Fictional records made by partages corpus, see FORMAT." in text
    assert "# Dataset card" not in text and "[zip](x.zip)" in text and "## Uses" in text
    assert plain_text("a **b** `c` [d](e)") == "a b c d"


@pytest.mark.parametrize("card", sorted((ROOT / "model_cards").glob("*.md")) + sorted((ROOT / "datasets_cards").glob("*.md")),
                         ids=lambda p: p.name)
def test_committed_cards_show_no_absolute_path(card):
    text = card.read_text(encoding="utf-8")
    assert "/work/" not in text and "/home/" not in text and "site-packages" not in text


@pytest.mark.parametrize("kind", ["datasets", "models"])
def test_build_cards_are_the_ones_the_site_shows_and_publish_copies(kind, tmp_path, monkeypatch):
    """A card a build wrote (models: ``models build`` into ``<artefacts>/model_cards``) replaces the committed
    one on the site, and ``portal publish-cards`` copies it into the repository's folder of that kind."""
    from typer.testing import CliRunner

    from partages_core.cli import app
    from partages_core.portal import site
    from partages_core.portal.site import CARD_FOLDERS, card_sources

    home, repo = tmp_path / "home", tmp_path / "repo"
    (home / CARD_FOLDERS[kind]).mkdir(parents=True)
    (repo / CARD_FOLDERS[kind]).mkdir(parents=True)
    (repo / CARD_FOLDERS[kind] / "partages-x.md").write_text("committed\n")
    (home / CARD_FOLDERS[kind] / "partages-x.md").write_text("built\n")
    monkeypatch.setenv("PARTAGES_HOME", str(home))
    monkeypatch.setattr(site, "project_root", lambda: repo)
    assert card_sources(kind)["partages-x"].read_text() == "built\n"
    monkeypatch.setattr("partages_core.config.project_root", lambda: repo)
    result = CliRunner().invoke(app, ["portal", "publish-cards"])
    assert result.exit_code == 0, result.output
    assert (repo / CARD_FOLDERS[kind] / "partages-x.md").read_text() == "built\n"
