"""Document-level bootstrap confidence intervals and paired tests, vectorised with numpy.

Resampling documents with replacement is the same as drawing, for each resample, how many times
each document is picked (a multinomial count vector). With the per-document matrix ``M`` of shape
``(n_docs, ...)`` and the weight matrix ``W`` of shape ``(B, n_docs)``, every resample's totals are
``W @ M`` in one product: no Python loop per resample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Statistic = Callable[[np.ndarray], np.ndarray]  # totals (B, *shape) -> (B,)


def resample_weights(n_docs: int, n_boot: int = 1000, seed: int = 13) -> np.ndarray:
    """``(n_boot, n_docs)`` counts of how often each document is drawn in each resample (seeded)."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_boot)


def resampled_totals(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Totals of a per-document matrix under each resample: ``(B, *matrix.shape[1:])``."""
    flat = matrix.reshape(matrix.shape[0], -1).astype(float)
    return (weights @ flat).reshape((weights.shape[0],) + matrix.shape[1:])


@dataclass
class Interval:
    """A point estimate with its percentile bootstrap interval."""

    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float] | None:
        """JSON-ready; None when the metric is undefined on these documents."""
        if np.isnan(self.value):
            return None
        r = lambda x: None if np.isnan(x) else round(x, 6)  # noqa: E731
        return {"value": r(self.value), "ci_low": r(self.low), "ci_high": r(self.high)}


def bootstrap_ci(matrix: np.ndarray, statistic: Statistic, n_boot: int = 1000, seed: int = 13,
                 level: float = 0.95, weights: np.ndarray | None = None) -> Interval:
    """Percentile CI of ``statistic`` over documents resampled with replacement."""
    if matrix.shape[0] == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    point = float(statistic(matrix.sum(axis=0)[None].astype(float))[0])
    w = weights if weights is not None else resample_weights(matrix.shape[0], n_boot, seed)
    stats = statistic(resampled_totals(matrix, w))
    stats = stats[~np.isnan(stats)]  # resamples where the metric is undefined (no item drawn)
    if np.isnan(point) or stats.size == 0:
        return Interval(point, float("nan"), float("nan"))
    alpha = (1 - level) / 2
    low, high = np.quantile(stats, [alpha, 1 - alpha])
    return Interval(point, float(low), float(high))


def paired_bootstrap(matrix_a: np.ndarray, matrix_b: np.ndarray, statistic: Statistic,
                     n_boot: int = 1000, seed: int = 13, level: float = 0.95) -> dict[str, float]:
    """Compare two systems on the same documents: the difference A − B with its CI and a two-sided
    p-value (share of resamples where the difference changes sign, doubled)."""
    if matrix_a.shape[0] != matrix_b.shape[0]:
        raise ValueError(f"paired test: systems scored {matrix_a.shape[0]} vs {matrix_b.shape[0]} documents")
    w = resample_weights(matrix_a.shape[0], n_boot, seed)
    diff = statistic(resampled_totals(matrix_a, w)) - statistic(resampled_totals(matrix_b, w))
    diff = diff[~np.isnan(diff)]
    point = float(statistic(matrix_a.sum(0)[None].astype(float))[0]
                  - statistic(matrix_b.sum(0)[None].astype(float))[0])
    alpha = (1 - level) / 2
    low, high = np.quantile(diff, [alpha, 1 - alpha])
    p = min(1.0, 2 * min(float(np.mean(diff <= 0)), float(np.mean(diff >= 0))))
    return {"difference": round(point, 6), "ci_low": round(float(low), 6), "ci_high": round(float(high), 6),
            "p_value": round(p, 6), "n_boot": n_boot, "seed": seed}
