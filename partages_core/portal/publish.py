"""What the public sees: executed notebooks cleaned of developer noise, and a lint of the rendered site.

The notebooks keep what CI needs (``# NBVAL_*`` markers, warnings on stderr); the published copy
drops it. ``site_noise`` reads the rendered HTML and names every page that still shows noise.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

NBVAL_LINE = re.compile(r"^[ \t]*# ?NBVAL_[A-Z_]+[ \t]*\n?", re.M)
# execute_result reprs of matplotlib objects returned by the last line of a plotting cell
PLOT_REPR = re.compile(r"^\s*(\[?<matplotlib\.|<Axes|<Figure size|Text\(|\(<Figure|<AxesSubplot|<BarContainer)")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def path_rewriter(root: Path | None = None):
    """A function replacing the machine's absolute paths (repository, venv, home, temp) by short ones."""
    import tempfile

    root = (root or Path(__file__).resolve().parents[2]).resolve()
    prefix = Path(sys.prefix).resolve()
    pairs = [(str(prefix) + "/", "<venv>/"), (str(root) + "/", ""), (str(root), "."),
             (str(Path.home()) + "/", "~/")]
    temp = re.compile(re.escape(str(Path(tempfile.gettempdir()).resolve())) + r"/[^\s'\"<>,)]*")

    def rewrite(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return temp.sub(lambda m: "<tmp>/" + m.group(0).rsplit("/", 1)[-1], text)

    return rewrite


def clean_notebook(nb: dict, root: Path | None = None) -> dict:
    """A copy of an executed notebook fit for the public site.

    Drops ``# NBVAL_*`` marker lines, stderr streams (library warnings, load reports), matplotlib
    reprs such as ``Text(0, 0.5, 'patients')`` when nothing else is returned, and rewrites absolute
    paths; a figure cell without ``#| fig-alt`` is reported by ``site_noise`` after rendering.
    """
    out = json.loads(json.dumps(nb))
    rewrite = path_rewriter(root)
    for cell in out.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        cell["source"] = NBVAL_LINE.sub("", _text(cell.get("source")))
        kept = []
        for o in cell.get("outputs", []):
            kind = o.get("output_type")
            if kind == "stream" and o.get("name") == "stderr":
                continue
            if kind == "stream":
                o["text"] = rewrite(_text(o.get("text")))
            if kind in ("execute_result", "display_data"):
                data = o.get("data") or {}
                if set(data) == {"text/plain"} and PLOT_REPR.match(_text(data["text/plain"])):
                    continue
                for mime in ("text/plain", "text/html", "text/markdown"):
                    if mime in data:
                        data[mime] = rewrite(_text(data[mime]))
            kept.append(o)
        cell["outputs"] = kept
    return out


# ---------------------------------------------------------------------------------------------- lint

ABSOLUTE = re.compile(r"(?<![\w.~<:/])/(?:(?:home|work|tmp|root|usr|opt|var|Users)/[\w.\-]+|[\w.\-]+(?:/[\w.\-]+){3})"
                      r"|site-packages|\.venv/")
RAW_MARKDOWN = re.compile(r"\*\*[^*\s][^*]*\*\*|`[^`\s][^`]*`|^#{1,6} \S|\[[^\]]+\]\([^)\s]+\)", re.M)
# Python warnings (FutureWarning…) and log lines (WARNING |), not a card's own "Warning:" to its readers
WARNING = re.compile(r"\b\w+Warning\b|\bWARNING\b|warnings\.warn")


class _Page(HTMLParser):
    """Text outside code, every <img>'s alt, the whole text."""

    SKIP = {"script", "style"}
    CODE = {"code", "pre", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.prose: list[str] = []
        self.all: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
            return
        if tag in ("br", "hr", "meta", "link", "input", "source", "wbr", "area", "col", "embed", "param", "track"):
            return
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if any(t in self.SKIP for t in self.stack):
            return
        self.all.append(data)
        if not any(t in self.CODE for t in self.stack):
            self.prose.append(data)


def page_noise(text: str) -> list[str]:
    """Problems a reader would see on one rendered page (HTML text)."""
    page = _Page()
    page.feed(text)
    problems = []
    for img in page.images:
        if not (img.get("alt") or "").strip():
            problems.append(f"image without alt text: {(img.get('src') or '')[:60]}")
    whole = "".join(page.all)
    for name, pattern in (("NBVAL marker", re.compile(r"NBVAL")), ("traceback", re.compile(r"Traceback")),
                          ("warning", WARNING), ("absolute path", ABSOLUTE)):
        m = pattern.search(whole)
        if m:
            problems.append(f"{name}: …{whole[max(0, m.start() - 40):m.end() + 40].strip()}…")
    prose = "".join(page.prose)
    m = RAW_MARKDOWN.search(prose)
    if m:
        problems.append(f"raw Markdown: …{prose[max(0, m.start() - 30):m.end() + 30].strip()}…")
    return problems


def site_noise(out: Path) -> dict[str, list[str]]:
    """Every rendered page (and the search index) with what a reader should not see: ``{page: problems}``."""
    found: dict[str, list[str]] = {}
    for page in sorted(Path(out).rglob("*.html")):
        problems = page_noise(page.read_text(encoding="utf-8", errors="replace"))
        if problems:
            found[page.relative_to(out).as_posix()] = problems
    for index in sorted(Path(out).rglob("search.json")):
        text = html_lib.unescape(index.read_text(encoding="utf-8", errors="replace"))
        bad = [n for n, p in (("NBVAL marker", r"NBVAL"), ("traceback", r"Traceback"), ("warning", WARNING.pattern),
                              ("absolute path", ABSOLUTE.pattern)) if re.search(p, text)]
        if bad:
            found[index.relative_to(out).as_posix()] = [f"{b} in the search index" for b in bad]
    return found
