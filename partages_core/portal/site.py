"""Build the site: execute the notebooks, gather cards and results, render the Quarto project.

Rendering uses ``quarto render`` where Quarto is installed, else the pinned ``smalldocs`` (reads the
same ``_quarto.yml`` offline but runs no code: hence notebooks are executed first, here).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from partages_core.config import artefacts_dir, get_profile, project_root
from partages_core.errors import PartagesError
from partages_core.files import write_atomic

CELL_TIMEOUT_S = 1200


def source_digest(*paths: Path) -> str:
    """SHA-256 of files (recursively, sorted): decides whether an executed notebook is current."""
    h = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else [root]
        for p in files:
            h.update(p.relative_to(root.parent).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def execute_notebook(src: Path, dest: Path, core_digest: str) -> bool:
    """Execute ``src`` into ``dest`` (outputs saved) unless ``dest`` is current; True if executed."""
    import nbformat
    from nbclient import NotebookClient

    stamp = dest.with_suffix(".sha256")
    key = hashlib.sha256(src.read_bytes() + core_digest.encode() + get_profile().name.encode()).hexdigest()
    if dest.is_file() and stamp.is_file() and stamp.read_text() == key:
        return False
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(src.parent)}})
    try:
        client.execute()
    except Exception as err:  # nbclient raises CellExecutionError with the cell's traceback
        raise PartagesError(f"{src.name}: execution failed: {str(err).strip().splitlines()[-1]}") from err
    text = nbformat.writes(nb)
    write_atomic(dest, text if text.endswith("\n") else text + "\n")
    write_atomic(stamp, key)
    return True


def execute_notebooks(site: Path, log=print) -> list[Path]:
    """Execute every ``notebooks/NN_*.ipynb`` into ``site/notebooks`` (cached by content)."""
    root = project_root()
    core = source_digest(root / "partages_core")
    out = []
    for src in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        dest = site / "notebooks" / src.name
        ran = execute_notebook(src, dest, core)
        log(f"{'executed' if ran else 'up to date'}: {src.name}")
        out.append(dest)
    return out


def _card_page(card_path: Path, dest: Path, kind: str) -> None:
    """Copy a card with the listing fields (title, description, categories) the site needs."""
    text = card_path.read_text(encoding="utf-8")
    meta, body = {}, text
    if text.startswith("---"):
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front) or {}
    title = meta.get("pretty_name") or meta.get("model_name") or card_path.stem
    categories = [str(c) for c in (meta.get("task_categories") or [meta.get("pipeline_tag")]) if c]
    categories += [str(t) for t in meta.get("tags", [])[:4]]
    paragraphs = [" ".join(block.split()) for block in body.split("\n\n")]
    first = next((p for p in paragraphs if p and not p.startswith(("#", "|", "<", "`"))), "")
    front = {"title": str(title), "description": first[:200], "categories": categories, "card-kind": kind}
    write_atomic(dest, "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True) + "---\n" + body)


def gather_pages(site: Path) -> None:
    """Cards, leaderboard, demos and citation pages generated from artefacts."""
    root = project_root()
    gen = site / "_generated"
    gen.mkdir(parents=True, exist_ok=True)
    for kind, folder in (("datasets", root / "datasets_cards"), ("models", root / "model_cards")):
        shutil.rmtree(site / kind, ignore_errors=True)
        for card in sorted(folder.glob("*.md")):
            _card_page(card, site / kind / card.name, kind)
    board = artefacts_dir() / "evaluation" / "leaderboard.md"
    table = (board.read_text(encoding="utf-8").split("\n", 1)[1] if board.is_file()  # the page has the title
             else "No results yet: run `make portal` (the evaluation notebook writes the leaderboard).\n")
    write_atomic(gen / "leaderboard.md", table)
    realtext = artefacts_dir() / "evaluation" / "realtext.md"
    write_atomic(gen / "realtext.md",
                 realtext.read_text(encoding="utf-8").split("\n", 1)[1].replace("\n## ", "\n### ") if realtext.is_file()
                 else "No real-text results yet: run `partages evaluate realtext`.\n")
    write_atomic(gen / "demos.md", _demos_markdown(site))
    write_atomic(gen / "citation.md", "```yaml\n" + (root / "CITATION.cff").read_text(encoding="utf-8") + "```\n")


def _demos_markdown(site: Path) -> str:
    from partages_core.portal.demos import DEMOS

    rows = []
    for demo in DEMOS:
        shot = site / "images" / f"demo-{demo.name}.png"
        picture = f"![{demo.alt}](images/{shot.name})\n\n" if shot.is_file() else ""
        rows.append(f"### {demo.title}\n\n{demo.description}\n\n{picture}"
                    f"Notebook: `notebooks/demos/{demo.name}.ipynb`\n")
    return "\n".join(rows)


def render(site: Path, log=print) -> Path:
    """Render with Quarto when installed, else smalldocs; returns the output folder."""
    if shutil.which("quarto"):
        cmd = ["quarto", "render", str(site)]
    else:
        cmd = [sys.executable, "-m", "smalldocs.cli", "render", "--quiet", str(site)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise PartagesError(f"site render failed ({' '.join(cmd[:3])}): {(done.stderr or done.stdout).strip()[-500:]}")
    out = site / "_site"
    if not (out / "index.html").is_file():
        raise PartagesError(f"site render wrote no {out / 'index.html'}")
    log(f"rendered {out}")
    return out


def build_site(log=print, screenshots: bool = False) -> Path:
    """Execute notebooks, gather generated pages, render: the site lands in ``site/_site``.

    With ``screenshots`` (and Chromium installed) the demos are served and photographed for the gallery.
    """
    from partages_core.portal.browser import chromium_path, screenshot_demos

    site = project_root() / "site"
    execute_notebooks(site, log)
    if screenshots and chromium_path():
        screenshot_demos(site / "images", log)
    gather_pages(site)
    return render(site, log)


def site_manifest(out: Path) -> dict:
    """Pages of the rendered site (for the summary printed at the end of ``make portal``)."""
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    return {"output": str(out), "pages": len(pages), "index": str(out / "index.html")}


if __name__ == "__main__":
    print(json.dumps(site_manifest(build_site()), indent=1))
