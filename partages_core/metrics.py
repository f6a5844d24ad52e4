"""Counting matches between gold and predicted items, per label; P/R/F1 from counts.

Every metric in the project is computed from ``Counts`` so that the federated platform can pool
them across sites (it only ever sees counts).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass
class Counts:
    """True positives, false positives and false negatives for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


Item = Mapping  # an extracted or gold item: at least start, end and a label field


def span_counts(gold: Iterable[Item], pred: Iterable[Item], label_of: Callable[[Item], Hashable],
                mode: str = "strict") -> dict[Hashable, Counts]:
    """Per-label counts for one document. ``strict``: same label, same offsets; ``overlap``: same
    label and overlapping offsets, each gold item matched at most once (greedy, left to right)."""
    if mode not in ("strict", "overlap"):
        raise ValueError(f"mode: expected 'strict' or 'overlap', got {mode!r}")
    out: dict[Hashable, Counts] = defaultdict(Counts)
    unmatched = sorted(gold, key=lambda g: (g["start"], g["end"]))
    for p in sorted(pred, key=lambda p: (p["start"], p["end"])):
        label = label_of(p)
        hit = next((g for g in unmatched if label_of(g) == label and _same(g, p, mode)), None)
        if hit is not None:
            unmatched.remove(hit)
            out[label].tp += 1
        else:
            out[label].fp += 1
    for g in unmatched:
        out[label_of(g)].fn += 1
    return dict(out)


def set_counts(gold: Iterable[Hashable], pred: Iterable[Hashable],
               label_of: Callable[[Hashable], Hashable]) -> dict[Hashable, Counts]:
    """Per-label counts for items compared as exact tuples (e.g. antibiogram triples)."""
    g, p = set(gold), set(pred)
    out: dict[Hashable, Counts] = defaultdict(Counts)
    for item in p & g:
        out[label_of(item)].tp += 1
    for item in p - g:
        out[label_of(item)].fp += 1
    for item in g - p:
        out[label_of(item)].fn += 1
    return dict(out)


def merge(*per_doc: Mapping[Hashable, Counts]) -> dict[Hashable, Counts]:
    """Add per-label counts (documents, sites)."""
    out: dict[Hashable, Counts] = defaultdict(Counts)
    for counts in per_doc:
        for label, c in counts.items():
            out[label] = out[label] + c
    return dict(out)


def micro(counts: Mapping[Hashable, Counts]) -> Counts:
    """Sum over labels: micro-averaged P/R/F1 come from it."""
    total = Counts()
    for c in counts.values():
        total = total + c
    return total


def macro_f1(counts: Mapping[Hashable, Counts]) -> float:
    """Unweighted mean of per-label F1."""
    return sum(c.f1 for c in counts.values()) / len(counts) if counts else 0.0


def _same(g: Item, p: Item, mode: str) -> bool:
    if mode == "strict":
        return g["start"] == p["start"] and g["end"] == p["end"]
    return g["start"] < p["end"] and p["start"] < g["end"]


# --- Vectorised views of the same counts (bootstrap, paired tests) ------------------------------
# A per-document count matrix has shape (n_docs, n_labels, 3) with columns tp, fp, fn; summing rows
# (or weighting them with resampling counts) gives totals from which P/R/F1 follow elementwise.

import numpy as np  # noqa: E402  (kept beside the vectorised helpers it serves)


def counts_matrix(per_doc: list[Mapping[Hashable, Counts]], labels: list[Hashable]) -> np.ndarray:
    """Stack per-document per-label counts into an int array (n_docs, n_labels, 3)."""
    index = {label: i for i, label in enumerate(labels)}
    out = np.zeros((len(per_doc), len(labels), 3), dtype=np.int64)
    for d, counts in enumerate(per_doc):
        for label, c in counts.items():
            out[d, index[label]] = (c.tp, c.fp, c.fn)
    return out


def f1_totals(totals: np.ndarray) -> np.ndarray:
    """Elementwise F1 from totals ``[..., 3]`` (tp, fp, fn); 0 where undefined, as ``Counts.f1``."""
    tp, fp, fn = totals[..., 0], totals[..., 1], totals[..., 2]
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros(tp.shape, dtype=float), where=denom > 0)


def micro_f1_totals(totals: np.ndarray) -> np.ndarray:
    """Micro F1 from per-label totals ``[..., n_labels, 3]``; NaN where nothing was gold or
    predicted (a resample without any item says nothing about F1)."""
    summed = totals.sum(axis=-2)
    return np.where(summed.sum(axis=-1) > 0, f1_totals(summed), np.nan)


def macro_f1_totals(totals: np.ndarray) -> np.ndarray:
    """Macro F1 from totals ``[..., n_labels, 3]``: mean over labels seen (tp+fp+fn > 0), like
    ``macro_f1`` on a dict that only holds the labels that occurred; NaN when none was seen."""
    seen = totals.sum(axis=-1) > 0
    n = seen.sum(axis=-1)
    s = (f1_totals(totals) * seen).sum(axis=-1)
    return np.divide(s, n, out=np.full(n.shape, np.nan), where=n > 0)


def report(counts: Mapping[Hashable, Counts]) -> dict[str, dict[str, float]]:
    """Per-label precision, recall, F1 and support (tp + fn), labels sorted, for result files."""
    return {str(label): {"precision": round(c.precision, 6), "recall": round(c.recall, 6),
                         "f1": round(c.f1, 6), "support": c.tp + c.fn, "tp": c.tp, "fp": c.fp, "fn": c.fn}
            for label, c in sorted(counts.items(), key=lambda kv: str(kv[0]))}


def wilson_interval(successes: int, n: int, z: float = 1.96) -> list[float] | None:
    """95 % Wilson score interval of a proportion (accuracy, exact match); None when ``n`` is 0."""
    if n <= 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def mean_interval(values: Iterable[float], z: float = 1.96) -> list[float] | None:
    """95 % normal interval of a mean over documents (e.g. per-document ROUGE-L); None below 2 values."""
    xs = [float(v) for v in values]
    if len(xs) < 2:
        return None
    mean = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))
    half = z * sd / math.sqrt(len(xs))
    return [round(mean - half, 4), round(mean + half, 4)]
