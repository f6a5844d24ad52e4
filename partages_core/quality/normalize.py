"""Offset-preserving text normalisation: NFC, whitespace, quotes, accent-free and expanded views.

Every step rewrites the text as a list of edits ``(start, end, replacement)``; the result keeps,
for each output character, the raw range it came from (``starts``/``ends``). Gold spans map to
the normalised text and back (:meth:`OffsetText.to_norm`, :meth:`OffsetText.to_raw`), so
annotations made on the raw text stay valid on every view, and predictions made on a view land
on the raw text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from functools import lru_cache
from typing import Any

import numpy as np

from partages_core.corpus.grammar import lexicon

Edit = tuple[int, int, str]

_HSPACE = "\t\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u3000"
WHITESPACE_RE = re.compile(rf"\r\n?|[ {_HSPACE}]{{2,}}|[{_HSPACE}]|[\u200b\u200c\u200d\ufeff]|\n{{3,}}")
QUOTES = {"\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
          "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"'}
QUOTES_RE = re.compile("[" + "".join(QUOTES) + "]")
_SAME_LENGTH_FOLD = {c: unicodedata.normalize("NFD", c)[0] for c in "éèêëàâäîïôöùûüçÿñÉÈÊËÀÂÄÎÏÔÖÙÛÜÇŸÑ"}
_SAME_LENGTH_FOLD.update({"’": "'", "‘": "'", "œ": "o", "Œ": "O", "\u00a0": " ", "–": "-", "—": "-"})
_SAME_LENGTH_FOLDED = re.compile("[" + "".join(map(re.escape, _SAME_LENGTH_FOLD)) + "]")  # only these characters change


def same_length_fold(text: str) -> str:
    """French diacritics stripped, quotes and dashes unified, one character for one (offsets stay valid): what the
    rule extractors match on, so dictated and typed-without-accents notes read like accented ones."""
    return text if text.isascii() else _SAME_LENGTH_FOLDED.sub(lambda c: _SAME_LENGTH_FOLD[c.group()], text)


_COMBINING_RUN = re.compile(r"(?s).[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


@dataclass
class OffsetText:
    """A normalised text with, for each of its characters, the raw range ``[starts[i], ends[i])``."""

    raw: str
    text: str
    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def identity(cls, raw: str) -> OffsetText:
        idx = np.arange(len(raw), dtype=np.int64)
        return cls(raw, raw, idx, idx + 1)

    def apply(self, edits: list[Edit]) -> OffsetText:
        """A new view with ``edits`` (sorted, non-overlapping, on ``self.text``) applied."""
        if not edits:
            return self
        pieces, s_parts, e_parts, pos = [], [], [], 0
        for a, b, rep in edits:
            if a > pos:
                pieces.append(self.text[pos:a])
                s_parts.append(self.starts[pos:a])
                e_parts.append(self.ends[pos:a])
            if rep:
                pieces.append(rep)
                if len(rep) == b - a:  # same length: keep the per-character map
                    s_parts.append(self.starts[a:b])
                    e_parts.append(self.ends[a:b])
                else:  # the whole replacement maps to the whole source range
                    lo = self.starts[a] if b > a else (self.ends[a - 1] if a else 0)
                    hi = self.ends[b - 1] if b > a else lo
                    s_parts.append(np.full(len(rep), lo, dtype=np.int64))
                    e_parts.append(np.full(len(rep), hi, dtype=np.int64))
            pos = b
        if pos < len(self.text):
            pieces.append(self.text[pos:])
            s_parts.append(self.starts[pos:])
            e_parts.append(self.ends[pos:])
        empty = np.zeros(0, dtype=np.int64)
        return OffsetText(self.raw, "".join(pieces),
                          np.concatenate(s_parts) if s_parts else empty,
                          np.concatenate(e_parts) if e_parts else empty)

    def to_norm(self, start: int, end: int) -> tuple[int, int]:
        """Raw span → the smallest normalised span covering it."""
        ns = int(np.searchsorted(self.ends, start, side="right"))
        ne = int(np.searchsorted(self.starts, end, side="left"))
        return ns, max(ns, ne)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Normalised span → raw span (a replaced stretch maps to its whole raw source)."""
        if end <= start:
            pos = int(self.starts[start]) if start < len(self.starts) else len(self.raw)
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def to_json(self) -> dict[str, Any]:
        """Compact offset map: run-length change points of ``starts - i`` and ``ends - i``."""
        return {"text": self.text, "starts": _runs(self.starts), "ends": _runs(self.ends)}

    @classmethod
    def from_json(cls, raw: str, data: dict[str, Any]) -> OffsetText:
        n = len(data["text"])
        return cls(raw, data["text"], _unruns(data["starts"], n), _unruns(data["ends"], n))


def _runs(values: np.ndarray) -> list[list[int]]:
    delta = values - np.arange(len(values))
    if not len(delta):
        return []
    change = np.flatnonzero(np.diff(delta)) + 1
    idx = np.concatenate([[0], change])
    return [[int(i), int(delta[i])] for i in idx]


def _unruns(runs: list[list[int]], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.int64)
    for k, (i, d) in enumerate(runs):
        j = runs[k + 1][0] if k + 1 < len(runs) else n
        out[i:j] = d
    return out + np.arange(n)


# --- steps --------------------------------------------------------------------------------
def nfc_edits(text: str) -> list[Edit]:
    """Unicode NFC: compose base + combining marks, replace singletons (e.g. Ω ohm sign)."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits = [(m.start(), m.end(), unicodedata.normalize("NFC", m.group()))
             for m in _COMBINING_RUN.finditer(text)]
    singles = {c for c in set(text) if unicodedata.normalize("NFC", c) != c}
    covered = {i for a, b, _ in edits for i in range(a, b)}
    for i, c in enumerate(text):
        if c in singles and i not in covered:
            edits.append((i, i + 1, unicodedata.normalize("NFC", c)))
    return sorted(edits)


def whitespace_edits(text: str) -> list[Edit]:
    """CRLF → LF, runs of spaces/tabs/NBSP → one space, zero-width chars removed, ≥3 newlines → 2."""
    out = []
    for m in WHITESPACE_RE.finditer(text):
        g = m.group()
        rep = "\n" if g[0] == "\r" else "\n\n" if g[0] == "\n" else "" if g in "\u200b\u200c\u200d\ufeff" else " "
        if rep != g:
            out.append((m.start(), m.end(), rep))
    return out


def quote_edits(text: str) -> list[Edit]:
    """Typographic quotes and guillemets → ASCII ``'`` and ``"``."""
    return [(m.start(), m.end(), QUOTES[m.group()]) for m in QUOTES_RE.finditer(text)]


@lru_cache(maxsize=4096)
def _strip_accents(c: str) -> str:
    base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
    return {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}.get(c, base)


def accent_edits(text: str) -> list[Edit]:
    """Remove diacritics (é → e, œ → oe) for accent-insensitive matching."""
    table = {c: _strip_accents(c) for c in set(text) if ord(c) > 127 and _strip_accents(c) != c}
    if not table:
        return []
    pattern = re.compile("[" + re.escape("".join(sorted(table))) + "]")
    return [(m.start(), m.end(), table[m.group()]) for m in pattern.finditer(text)]


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Abbreviation → expansion, from the generator's grammar lexicon (one place for both)."""
    out = {}
    for full, abbr in lexicon("grammar")["abbreviations"]:
        out[abbr] = full
        if abbr.islower():
            out[abbr.capitalize()] = full.capitalize()
    return out


@lru_cache(maxsize=1)
def _abbr_re() -> re.Pattern:
    keys = sorted(abbreviations(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")


def abbreviation_edits(text: str) -> list[Edit]:
    """Expand clinical abbreviations (ATCD → antécédents, HTA → hypertension artérielle)."""
    table = abbreviations()
    return [(m.start(), m.end(), table[m.group()]) for m in _abbr_re().finditer(text)]


def normalize(raw: str, accents: bool = False, expand: bool = False) -> OffsetText:
    """NFC + whitespace + quotes; optionally expand abbreviations and drop accents (in that order)."""
    ot = OffsetText.identity(raw)
    ot = ot.apply(nfc_edits(ot.text))
    ot = ot.apply(whitespace_edits(ot.text))
    ot = ot.apply(quote_edits(ot.text))
    if expand:
        ot = ot.apply(abbreviation_edits(ot.text))
    if accents:
        ot = ot.apply(accent_edits(ot.text))
    return ot


@dataclass(frozen=True)
class MappedSpan:
    """A gold span carried to a view, and whether it comes back to exactly the same raw span."""

    start: int
    end: int
    text: str
    round_trip: bool


def map_spans(ot: OffsetText, spans: list[tuple[int, int]]) -> list[MappedSpan]:
    """Map raw spans to the view; ``round_trip`` is True when unmapping gives the raw span back."""
    out = []
    for s, e in spans:
        ns, ne = ot.to_norm(s, e)
        out.append(MappedSpan(ns, ne, ot.text[ns:ne], ot.to_raw(ns, ne) == (s, e)))
    return out


NORMALIZED = "normalized.jsonl"


def normalize_folder(folder: str | Path, out: str | Path, accents: bool = False, expand: bool = False,
                     sections: bool = False) -> dict[str, Any]:
    """Normalise every readable document of a PARHAF folder into ``normalized.jsonl``.

    Each line holds the view, its compact offset map, the gold spans carried onto it (with a
    ``round_trip`` flag) and the harmonised quantities; unreadable documents are counted and
    listed in the returned statistics, never skipped silently.
    """
    import json

    from partages_core.quality.records import read_records
    from partages_core.files import write_atomic
    from partages_core.quality.terminology import find_quantities

    records = read_records(folder)
    stats: dict[str, Any] = {"documents": 0, "unreadable": [], "spans": 0, "round_trip_failed": 0,
                             "quantities": 0, "units_respelled": 0}
    lines, docs = [], []
    for p in records:
        for d in p["documents"]:
            if not isinstance(d.get("text"), str):
                stats["unreadable"].append(str(d.get("id")))
                continue
            docs.append((p, d, normalize(d["text"], accents=accents, expand=expand)))
    analyses = [None] * len(docs)
    if sections:
        from partages_core.quality.sections import analyse_many

        analyses = analyse_many(ot.text for _, _, ot in docs)
    for (p, d, ot), an in zip(docs, analyses):
        layers = {}
        for layer, spans in (d.get("annotations") or {}).items():
            good = [s for s in spans if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)]
            mapped = map_spans(ot, [(s["start"], s["end"]) for s in good])
            layers[layer] = [{"start": m.start, "end": m.end, "label": s.get("label"), "raw_start": s["start"],
                              "raw_end": s["end"], "round_trip": m.round_trip} for s, m in zip(good, mapped)]
            stats["spans"] += len(mapped)
            stats["round_trip_failed"] += sum(not m.round_trip for m in mapped)
        qty = find_quantities(ot.text)
        stats["quantities"] += len(qty)
        stats["units_respelled"] += sum(q.unit != q.unit_raw for q in qty)
        row = {"document_id": d["id"], "patient_id": p.get("id"), "facility": p.get("facility"),
               "view": {"accents": accents, "expand": expand}, **ot.to_json(), "layers": layers,
               "quantities": [[q.start, q.end, q.value, q.unit] for q in qty]}
        if an is not None:
            row["sections"] = [[s.label, s.title_start, s.start, s.end] for s in an["sections"]]
            row["sentences"] = an["sentences"]
        lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
        stats["documents"] += 1
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / NORMALIZED, "\n".join(lines) + ("\n" if lines else ""))
    return stats
