"""Statistical disclosure control for aggregates leaving restricted data.

``suppress``: cells with 0 < count < k (k = 11 by default, the CASD rule) are hidden (primary
suppression); then, in every row and column *including its total*, a lone hidden cell would be
recoverable by subtraction, so the smallest further cell is hidden too (complementary
suppression) until each line has 0 or at least 2 hidden cells. ``laplace`` adds Laplace noise and
charges its epsilon to a recorded :class:`PrivacyBudget`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from partages_core.errors import InputError
from partages_core.files import write_json

CASD_K = 11
TOTAL = "Total"


@dataclass
class Suppressed:
    """A table with its margins: ``counts`` (original), ``primary`` and ``complementary`` masks."""

    counts: pd.DataFrame
    primary: pd.DataFrame
    complementary: pd.DataFrame
    k: int

    @property
    def hidden(self) -> pd.DataFrame:
        return self.primary | self.complementary

    def table(self, marker: str | None = None) -> pd.DataFrame:
        """The publishable table: hidden cells shown as ``marker`` (default ``"<k"``)."""
        marker = marker or f"<{self.k}"
        out = self.counts.astype(object).copy()
        out[self.hidden] = marker
        return out


def _as_frame(table) -> tuple[pd.DataFrame, bool]:
    if isinstance(table, pd.Series):
        return table.to_frame(name=table.name or "n"), True
    if isinstance(table, pd.DataFrame):
        return table, False
    if isinstance(table, dict):
        first = next(iter(table.values()), None)
        return (pd.DataFrame(table).T, False) if isinstance(first, dict) else (pd.Series(table).to_frame("n"), True)
    raise InputError(f"table: expected a pandas DataFrame/Series or a dict of counts, got {type(table).__name__}")


def suppress(table, k: int = CASD_K, margins: bool = True, suppress_zeros: bool = False) -> Suppressed:
    """Primary + complementary suppression of a count table (1-D or 2-D), margins included."""
    if not isinstance(k, int) or k < 2:
        raise InputError(f"k: must be an integer ≥ 2, got {k!r}")
    frame, one_d = _as_frame(table)
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError("table: every cell must be a count (number)") from None
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise InputError("table: counts must be non-negative integers (no missing cells)")
    values = values.astype(int)
    n_rows, n_cols = values.shape
    grid = np.zeros((n_rows + 1, n_cols + 1), dtype=int)
    grid[:n_rows, :n_cols] = values
    grid[:n_rows, n_cols] = values.sum(axis=1)
    grid[n_rows, :n_cols] = values.sum(axis=0)
    grid[n_rows, n_cols] = values.sum()
    low = grid < k if suppress_zeros else (grid > 0) & (grid < k)
    primary = low.copy()
    hidden = primary.copy()
    # linear relations: each row (cells + its total) and each column (cells + its total)
    lines = [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    if not one_d:
        lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    else:
        lines = [[(i, 0) for i in range(n_rows + 1)]]
    changed = True
    while changed:
        changed = False
        for line in lines:
            n_hidden = sum(hidden[c] for c in line)
            if n_hidden != 1:
                continue
            free = [c for c in line if not hidden[c]]
            if not free:
                continue
            # smallest non-zero interior cell first; totals and zeros only when nothing else is left
            best = min(free, key=lambda c: (grid[c] == 0, c[0] == n_rows or c[1] == n_cols, grid[c]))
            hidden[best] = True
            changed = True
    comp = hidden & ~primary
    index = list(frame.index) + [TOTAL]
    columns = list(frame.columns) + ([TOTAL] if not one_d else [])
    cut = slice(None) if not one_d else slice(0, 1)
    mk = lambda a: pd.DataFrame(a[:, cut], index=index, columns=columns)  # noqa: E731
    counts, prim, compl = mk(grid), mk(primary), mk(comp)
    if not margins:
        keep_r, keep_c = index[:-1], columns[:-1] if not one_d else columns
        counts, prim, compl = counts.loc[keep_r, keep_c], prim.loc[keep_r, keep_c], compl.loc[keep_r, keep_c]
    return Suppressed(counts, prim, compl, k)


@dataclass
class PrivacyBudget:
    """A total epsilon and the ledger of what was spent; persisted atomically when ``path`` is set."""

    total: float
    path: str | None = None
    spent: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.total > 0:
            raise InputError(f"epsilon budget: total must be > 0, got {self.total!r}")
        if self.path and Path(self.path).is_file():
            saved = json.loads(Path(self.path).read_text(encoding="utf-8"))
            self.spent = saved.get("spent", [])

    @property
    def remaining(self) -> float:
        return self.total - sum(s["epsilon"] for s in self.spent)

    def charge(self, epsilon: float, label: str) -> None:
        """Record a release costing ``epsilon``; refuse it if the budget would be exceeded."""
        if not epsilon > 0:
            raise InputError(f"epsilon: must be > 0, got {epsilon!r}")
        if epsilon > self.remaining + 1e-12:
            raise InputError(f"epsilon budget exceeded: {label!r} asks {epsilon}, {self.remaining:.4g} left of {self.total}")
        self.spent.append({"label": label, "epsilon": float(epsilon)})
        if self.path:
            write_json(self.path, {"total": self.total, "spent": self.spent})


def laplace(table, epsilon: float, budget: PrivacyBudget, seed: int = 0, sensitivity: float = 1.0,
            label: str = "release") -> pd.DataFrame:
    """Counts + Laplace(sensitivity/epsilon) noise, rounded and clipped at 0; epsilon is charged."""
    frame, _ = _as_frame(table)
    budget.charge(epsilon, label)
    rng = np.random.default_rng(seed)
    noisy = frame.to_numpy(dtype=float) + rng.laplace(0.0, sensitivity / epsilon, size=frame.shape)
    return pd.DataFrame(np.clip(np.round(noisy), 0, None).astype(int), index=frame.index, columns=frame.columns)
