"""Build a document's text piece by piece while recording exact standoff spans."""

from __future__ import annotations

import random
import unicodedata
from typing import Any

from partages_core.corpus.model import Response, Span, Susceptibility

_ACCENT_FREE = {c: unicodedata.normalize("NFD", c)[0] for c in "éèêëàâäîïôöùûüçÉÈÊÀÂÎÔÙÛÇ"}


def strip_accents(text: str) -> str:
    """Drop French diacritics (the way hurried typists and old systems do)."""
    return text.translate(str.maketrans(_ACCENT_FREE))


class TextBuilder:
    """Accumulates text; ``ent`` appends an annotated span whose offsets are exact by construction.

    ``noise`` applies the facility's writing habits (missing accents, typos) to plain text only,
    so gold spans always equal ``text[start:end]``.
    """

    def __init__(self, rng: random.Random, accent_drop: float = 0.0, typo_rate: float = 0.0):
        self.rng = rng
        self.accent_drop = accent_drop
        self.typo_rate = typo_rate
        self.parts: list[str] = []
        self.length = 0
        self.spans: dict[str, list[Span]] = {}
        self.antibiogram: list[Susceptibility] = []
        self.response: Response | None = None
        self.upper = False

    def add(self, text: str, noisy: bool = True) -> "TextBuilder":
        if noisy and text:
            text = self._noise(text)
            if self.upper:
                text = text.upper()
        self.parts.append(text)
        self.length += len(text)
        return self

    def ent(self, text: str, layer: str, label: str, **attrs: Any) -> Span:
        """Append ``text`` and record it as a gold span of ``layer``."""
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        span = Span(start, self.length, label, text, attrs)
        self.spans.setdefault(layer, []).append(span)
        return span

    def mark(self) -> int:
        return self.length

    def span_since(self, start: int, layer: str, label: str, **attrs: Any) -> Span:
        """Record the text appended since ``start`` as one span (for multi-piece mentions)."""
        return self.span_at(start, self.length, layer, label, **attrs)

    def span_at(self, start: int, end: int, layer: str, label: str, **attrs: Any) -> Span:
        """Record ``text[start:end]`` (already appended) as one span, kept in (start, end, label) order."""
        text = "".join(self.parts)[start:end]
        span = Span(start, end, label, text, attrs)
        spans = self.spans.setdefault(layer, [])
        spans.append(span)
        if len(spans) > 1 and (spans[-2].start, spans[-2].end, spans[-2].label) > (start, end, label):
            spans.sort(key=lambda s: (s.start, s.end, s.label))  # an outer span closed over nested ones
        return span

    def text(self) -> str:
        return "".join(self.parts)

    def _noise(self, text: str) -> str:
        rng = self.rng
        if self.accent_drop and rng.random() < self.accent_drop:
            text = strip_accents(text)
        if self.typo_rate and len(text) > 12 and rng.random() < self.typo_rate:
            i = rng.randrange(1, len(text) - 2)
            a, b = text[i], text[i + 1]
            if a.isalpha() and b.isalpha():
                text = text[:i] + b + a + text[i + 2:]
        return text
