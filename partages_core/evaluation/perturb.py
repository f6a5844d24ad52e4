"""Seeded input perturbations for robustness, with gold offsets carried through an alignment.

Each perturbation is a list of non-overlapping edits ``(start, end, replacement)`` on the original
text. Applying them yields the new text and a character alignment (old boundary → new boundary),
through which every gold span is moved; its ``text`` is then re-read from the new text, so
``text == new_text[start:end]`` holds by construction.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from partages_core.errors import InputError
from partages_core.evaluation.tasks import Example

Edit = tuple[int, int, str]

_WORD = re.compile(r"\w+", re.UNICODE)


def _accents(text: str, rng: random.Random) -> list[Edit]:
    out = []
    for i, c in enumerate(text):
        if ord(c) > 127:
            base = "".join(x for x in unicodedata.normalize("NFD", c) if unicodedata.category(x) != "Mn")
            if base != c and base:
                out.append((i, i + 1, base))
    return out


def _casing(text: str, rng: random.Random, rate: float = 0.3) -> list[Edit]:
    out = []
    for m in _WORD.finditer(text):
        if rng.random() < rate:
            w = m.group()
            out.append((m.start(), m.end(), w.lower() if w.isupper() else w.upper()))
    return out


def _typos(text: str, rng: random.Random, rate: float = 0.08) -> list[Edit]:
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        if len(w) < 4 or not w.isalpha() or rng.random() >= rate:
            continue
        i = rng.randrange(1, len(w) - 1)
        op = rng.choice(("swap", "drop", "double"))
        new = (w[:i] + w[i + 1] + w[i] + w[i + 2:] if op == "swap" and i + 1 < len(w)
               else w[:i] + w[i + 1:] if op == "drop" else w[:i] + w[i] + w[i:])
        out.append((m.start(), m.end(), new))
    return out


ABBREVIATIONS = {
    "patient": "pt", "patiente": "pte", "antécédents": "ATCD", "traitement": "ttt",
    "hospitalisation": "hospit.", "examen clinique": "EC", "infection urinaire": "IU",
    "pneumopathie": "PNP", "hémocultures": "HC", "immunohistochimie": "IHC", "consultation": "cs",
    "diagnostic": "dg", "bactériémie": "bactériémie", "ATCD": "antécédents", "Ttt": "traitement",
    "TA": "tension artérielle", "FC": "fréquence cardiaque", "RDV": "rendez-vous",
    "staphylocoque doré": "SA", "Escherichia coli": "E. coli", "E. coli": "Escherichia coli",
}
_ABBR = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
                   + r")\b")


def _abbreviations(text: str, rng: random.Random, rate: float = 0.6) -> list[Edit]:
    return [(m.start(), m.end(), ABBREVIATIONS[m.group()]) for m in _ABBR.finditer(text)
            if ABBREVIATIONS[m.group()] != m.group() and rng.random() < rate]


def _whitespace(text: str, rng: random.Random) -> list[Edit]:
    out = []
    for i, c in enumerate(text):
        r = rng.random()
        if c == " " and r < 0.1:
            out.append((i, i + 1, "  "))
        elif c == "\n" and r < 0.3:
            out.append((i, i + 1, rng.choice((" \n", "\n\n", " "))))
    return out


OCR_CONFUSIONS = {"l": "1", "O": "0", "o": "0", "e": "c", "é": "e", "m": "rn", "i": "l", "S": "5",
                  "B": "8", "I": "l", "a": "o", "u": "v"}


def _ocr(text: str, rng: random.Random, rate: float = 0.04) -> list[Edit]:
    return [(i, i + 1, OCR_CONFUSIONS[c]) for i, c in enumerate(text)
            if c in OCR_CONFUSIONS and rng.random() < rate]


PERTURBATIONS: dict[str, Callable[[str, random.Random], list[Edit]]] = {
    "accents": _accents, "casing": _casing, "typos": _typos, "abbreviations": _abbreviations,
    "whitespace": _whitespace, "ocr": _ocr,
}


@dataclass
class Aligned:
    """A perturbed text with boundary maps from the original (length ``len(original) + 1``)."""

    text: str
    start_map: list[int]
    end_map: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """New offsets of an original span: an edge inside an edit snaps outward to the edit."""
        return self.start_map[start], max(self.start_map[start], self.end_map[end])


def apply_edits(text: str, edits: Sequence[Edit]) -> Aligned:
    """Apply sorted, non-overlapping edits and build the boundary alignment."""
    pieces: list[str] = []
    start_map = [0] * (len(text) + 1)
    end_map = [0] * (len(text) + 1)
    pos = new = 0
    for s, e, rep in sorted(edits):
        if s < pos or e < s or e > len(text):
            raise ValueError(f"edit ({s}, {e}) overlaps a previous edit or leaves the text")
        for i in range(pos, s):
            start_map[i] = end_map[i] = new + (i - pos)
        pieces.append(text[pos:s])
        new += s - pos
        for i in range(s, e):  # boundaries inside the edit: starts snap left, ends snap right
            start_map[i] = new
            end_map[i] = new if i == s else new + len(rep)
        if e == s:
            start_map[s] = end_map[s] = new
        pieces.append(rep)
        new += len(rep)
        pos = e
        start_map[e] = end_map[e] = new  # overwritten by the next edit or the tail loop if needed
    for i in range(pos, len(text) + 1):
        start_map[i] = end_map[i] = new + (i - pos)
    pieces.append(text[pos:])
    return Aligned("".join(pieces), start_map, end_map)


def perturb_text(text: str, kind: str, seed: int, key: str = "") -> Aligned:
    """Perturb ``text`` with ``kind``; the random stream depends on (seed, kind, key) only."""
    if kind not in PERTURBATIONS:
        raise InputError(f"--perturb: unknown perturbation {kind!r}; choose from {sorted(PERTURBATIONS)}")
    rng = random.Random(f"{seed}:{kind}:{key}")
    return apply_edits(text, PERTURBATIONS[kind](text, rng))


def perturb_example(ex: Example, kind: str, seed: int, span_layers: Sequence[str]) -> Example:
    """The example with perturbed text and its gold spans moved through the alignment."""
    aligned = perturb_text(ex.text, kind, seed, ex.doc_id)
    gold = dict(ex.gold)
    for layer in span_layers:
        moved = []
        for item in gold.get(layer, []):
            s, e = aligned.span(item["start"], item["end"])
            moved.append({**item, "start": s, "end": e, "text": aligned.text[s:e]})
        gold[layer] = moved
    return replace(ex, text=aligned.text, gold=gold)
