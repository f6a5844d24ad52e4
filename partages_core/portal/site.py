"""Build the site: execute the notebooks, gather cards and results, render the Quarto project.

Rendering uses ``quarto render`` where Quarto is installed, else the pinned ``smalldocs`` (reads the
same ``_quarto.yml`` offline but runs no code: hence notebooks are executed first, here).
"""

from __future__ import annotations

import hashlib
import json
import re
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
    """Execute every ``notebooks/NN_*.ipynb`` into ``site/_executed`` (cached by content), then publish
    a copy cleaned of developer noise into ``site/notebooks`` (what the site renders)."""
    from partages_core.portal.publish import clean_notebook

    root = project_root()
    core = source_digest(root / "partages_core")
    out = []
    for src in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        executed = site / "_executed" / src.name
        ran = execute_notebook(src, executed, core)
        log(f"{'executed' if ran else 'up to date'}: {src.name}")
        dest = site / "notebooks" / src.name
        public = clean_notebook(json.loads(executed.read_text(encoding="utf-8")), root)
        write_atomic(dest, json.dumps(public, ensure_ascii=False, indent=1) + "\n")
        out.append(dest)
    return out


MARKDOWN_INLINE = ((re.compile(r"\*\*([^*]+)\*\*"), r"\1"), (re.compile(r"\*([^*\s][^*]*)\*"), r"\1"),
                   (re.compile(r"`([^`]+)`"), r"\1"), (re.compile(r"\[([^\]]+)\]\([^)]+\)"), r"\1"))


def plain_text(markdown: str) -> str:
    """One paragraph of Markdown as plain text (listing descriptions show no markup)."""
    text = " ".join(markdown.split())
    for pattern, repl in MARKDOWN_INLINE:
        text = pattern.sub(repl, text)
    return text


CARD_FOLDERS = {"datasets": "datasets_cards", "models": "model_cards"}  # same names in the build and the repository


def cards_dir(kind: str) -> Path:
    """Where a build writes its cards (``datasets`` or ``models``): the build folder, never the repository."""
    return artefacts_dir() / CARD_FOLDERS[kind]


def card_sources(kind: str) -> dict[str, Path]:
    """The cards the site shows: the committed ones, replaced by the build's when it made a newer one."""
    committed = project_root() / CARD_FOLDERS[kind]
    found = {p.stem: p for p in sorted(committed.glob("*.md"))}
    found.update({p.stem: p for p in sorted(cards_dir(kind).glob("partages-*.md"))})
    return dict(sorted(found.items()))


def _card_page(card_path: Path, dest: Path, kind: str, download: str = "") -> None:
    """A card as a site page: listing fields (title, plain description, categories), no repeated title."""
    text = card_path.read_text(encoding="utf-8")
    meta, body = {}, text
    if text.startswith("---"):
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front) or {}
    title = meta.get("pretty_name") or meta.get("model_name") or card_path.stem
    categories = [str(c) for c in (meta.get("task_categories") or [meta.get("pipeline_tag")]) if c]
    categories += [str(t) for t in meta.get("tags", [])[:4]]
    blocks = body.strip("\n").split("\n\n")
    if blocks and blocks[0].lstrip().startswith("# "):  # the page title shows it already
        blocks = blocks[1:]
    first = next((i for i, b in enumerate(blocks) if b.strip() and not b.lstrip().startswith(("#", "|", "<", "`"))), None)
    description = plain_text(blocks.pop(first)) if first is not None else ""
    body = "\n\n".join(blocks)
    if download:
        body = download + "\n\n" + body
    front = {"title": str(title), "description": description, "categories": categories, "card-kind": kind}
    write_atomic(dest, "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True) + "---\n\n" + body + "\n")


def zip_folder(folder: Path, dest: Path) -> str:
    """A byte-reproducible zip of ``folder`` (sorted names, fixed dates); returns its SHA-256."""
    import zipfile

    tmp = dest.with_suffix(".tmp")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(q for q in folder.rglob("*") if q.is_file()):
            info = zipfile.ZipInfo(f"{dest.stem}/{p.relative_to(folder).as_posix()}", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, p.read_bytes())
    tmp.replace(dest)
    return hashlib.sha256(dest.read_bytes()).hexdigest()


def dataset_downloads(site: Path) -> dict[str, str]:
    """Zip each dataset's PARHAF folder under ``site/downloads``; Markdown download lines by card name."""
    import tempfile

    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.handwritten import write_handwritten

    profile = get_profile()
    lines = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {f"partages-commons-{profile.name}": load_commons(profile).folder,
                   "partages-handwritten": write_handwritten(Path(tmp) / "handwritten")}
        for name, folder in folders.items():
            dest = site / "downloads" / f"{name}-parhaf.zip"
            digest = zip_folder(Path(folder), dest)
            size = dest.stat().st_size / 1e6
            lines[name] = (f"::: {{.callout-tip}}\n## Download\n[{dest.name}](../downloads/{dest.name}) "
                           f"(PARHAF layout: `patients.json`, one `.txt` per document, `annotations.jsonl`; "
                           f"{size:.1f} MB)  \nSHA-256 `{digest}`\n:::")
    return lines


def gather_pages(site: Path) -> None:
    """Cards, leaderboard, demos and citation pages generated from artefacts."""
    root = project_root()
    gen = site / "_generated"
    gen.mkdir(parents=True, exist_ok=True)
    downloads = dataset_downloads(site)
    for kind in ("datasets", "models"):
        shutil.rmtree(site / kind, ignore_errors=True)
        for name, card in card_sources(kind).items():
            _card_page(card, site / kind / card.name, kind, downloads.get(name, "") if kind == "datasets" else "")
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
    from partages_core.portal.home import write_home_parts

    write_home_parts(site, gen)


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
