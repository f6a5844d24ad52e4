"""The shapes every evaluation shares: ``Example``, ``Split``, ``View``, ``Metric``, ``Task``.

A task turns patients into ``Example``s (text, context for the system, gold items), then scores
one system output against one example into *views*: per-label ``Counts`` (span or set matching) or
per-document values (ROUGE-L, token log-likelihood). Every headline metric is a statistic over a
view's per-document matrix, so the bootstrap treats all tasks alike. The statistics are defined
here once (micro/macro F1 in ``partages_core.metrics``; precision, recall, leak rate, accuracy here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from partages_core.corpus.model import Document, Patient


@dataclass
class Example:
    """One document to evaluate: its text, the context a system may use and the gold layers."""

    doc_id: str
    text: str
    gold: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Split:
    """The examples a run needs: training ones (for baselines trained here) and evaluated ones."""

    train: list[Example]
    eval: list[Example]
    source: str


@dataclass(frozen=True)
class View:
    """A family of per-document measurements: ``counts`` (labels × tp/fp/fn) or ``values``."""

    name: str
    kind: str = "counts"          # "counts" or "values"
    columns: tuple[str, ...] = ()  # for "values": the per-document columns


@dataclass(frozen=True)
class Metric:
    """A headline number: a statistic over the totals of one view (vectorised over resamples)."""

    name: str
    view: str
    statistic: Callable[[np.ndarray], np.ndarray]
    higher_is_better: bool = True


def micro_precision(t: np.ndarray) -> np.ndarray:
    s = t.sum(axis=-2)
    return np.divide(s[..., 0], s[..., 0] + s[..., 1], out=np.full(s.shape[:-1], np.nan), where=s[..., 0] + s[..., 1] > 0)


def micro_recall(t: np.ndarray) -> np.ndarray:
    s = t.sum(axis=-2)
    return np.divide(s[..., 0], s[..., 0] + s[..., 2], out=np.full(s.shape[:-1], np.nan), where=s[..., 0] + s[..., 2] > 0)


def leak_rate(t: np.ndarray) -> np.ndarray:
    return 1.0 - micro_recall(t)


def mean_of_first(t: np.ndarray) -> np.ndarray:
    return np.divide(t[..., 0], t[..., 1], out=np.full(t.shape[:-1], np.nan), where=t[..., 1] > 0)


def perplexity(t: np.ndarray) -> np.ndarray:
    return np.exp(np.divide(t[..., 0], t[..., 1], out=np.full(t.shape[:-1], np.nan), where=t[..., 1] > 0))


@dataclass(frozen=True)
class Task:
    """One evaluation task: which documents (``select``), gold extraction, scoring and metrics."""

    name: str
    description: str
    split: str
    labels: tuple[str, ...]
    views: tuple[View, ...]
    metrics: tuple[Metric, ...]
    select: Callable[[Patient, Document], bool]
    gold: Callable[[Patient, Document], dict[str, Any]]
    score: Callable[[Example, Any], dict[str, Any]]
    context: Callable[[Patient, Document], dict[str, Any]] = lambda p, d: {}
    text: Callable[[Patient, Document], str] = lambda p, d: d.text
    primary: str = ""
    span_layers: tuple[str, ...] = ()  # gold keys holding spans (moved by perturbations)
    load: Callable[[str], Split] | None = None  # a real corpus's own loader (else: the commons split)
    mirrors: str = ""  # the commons task whose systems and output shape this one shares
    source: str = ""   # the text it reads, for tables: commons, handwritten, eds-pseudo, e3c

    @property
    def family(self) -> str:
        """The task whose systems and output shape this one shares (itself for commons tasks)."""
        return self.mirrors or self.name

    def examples(self, patients: Iterable[Patient]) -> list[Example]:
        """Examples for these patients, in a stable order (patient id, document id)."""
        out = []
        for p in sorted(patients, key=lambda p: p.id):
            for d in sorted(p.documents, key=lambda d: d.id):
                if self.select(p, d):
                    out.append(Example(d.id, self.text(p, d), self.gold(p, d), self.context(p, d)))
        return out

    def view(self, name: str) -> View:
        return next(v for v in self.views if v.name == name)
