"""Statistical disclosure control for aggregates leaving restricted data.

``suppress``: cells with 0 < count < k (k = 11 by default, the CASD rule) are hidden (primary
suppression); then, in every row and column *including its total*, a lone hidden cell would be
recoverable by subtraction, so the smallest further cell is hidden too (complementary
suppression) until each line has 0 or at least 2 hidden cells. Subtraction along one line is not
the only attack: the published cells and margins are linear equations, so :func:`feasible_intervals`
solves two linear programmes per hidden cell (``scipy.optimize.linprog``) for the exact range an
attacker can infer, and ``suppress`` hides more cells until every hidden cell's range is at least
``k`` wide. :class:`ReleaseLedger` remembers the totals released per dataset and refuses a table
whose totals differ from an earlier one by fewer than ``k`` (differencing: all − adults = minors).
``laplace`` adds Laplace noise and charges its epsilon to a recorded :class:`PrivacyBudget`.
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
    pick = lambda free: min(free, key=lambda c: (grid[c] == 0, c[0] == n_rows or c[1] == n_cols, grid[c]))  # noqa: E731
    while True:
        _close_lines(hidden, lines, pick)
        weak = _weak_cells(grid, hidden, one_d, k)
        if not weak:
            break
        # widen the weakest hidden cell: hide the smallest visible cell on one of its lines
        cell = weak[0]
        free = [c for line in lines if cell in line for c in line if not hidden[c]]
        if not free:
            free = [tuple(c) for c in np.argwhere(~hidden)]
        if not free:
            break
        hidden[pick(free)] = True
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


def _close_lines(hidden: np.ndarray, lines: list[list[tuple[int, int]]], pick) -> None:
    """Complementary suppression: no line (row or column with its total) keeps a lone hidden cell."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[c] for c in line) != 1:
                continue
            free = [c for c in line if not hidden[c]]
            if free:
                hidden[pick(free)] = True
                changed = True


def _witness(y: np.ndarray, hidden: np.ndarray, cell: tuple[int, int], moves) -> float:
    """The widest range of ``cell`` shown by one explicit move (+t/−t on hidden cells keeping every sum).

    ``y`` is the signed grid (margins negated, grand total positive: every row and column sums to
    0); interior cells and the grand total stay ≥ 0, margins ≤ 0. Any such move is two tables an
    attacker cannot tell apart, so its width is a lower bound of the exact (LP) interval.
    """
    n_r, n_c = y.shape
    best = 0.0
    for move in moves(cell):
        if not all(hidden[c] for c, _ in move):
            continue
        lo, hi = -np.inf, np.inf
        for (i, j), sign in move:
            positive = (i < n_r - 1 and j < n_c - 1) or (i == n_r - 1 and j == n_c - 1)
            v = y[i, j]
            if positive:   # y + sign*t >= 0
                lo, hi = (max(lo, -v), hi) if sign > 0 else (lo, min(hi, v))
            else:          # y + sign*t <= 0
                lo, hi = (lo, min(hi, -v)) if sign > 0 else (max(lo, v), hi)
        best = max(best, hi - lo)
    return best


def _weak_cells(grid: np.ndarray, hidden: np.ndarray, one_d: bool, k: int) -> list[tuple[int, int]]:
    """Hidden cells whose exact interval is narrower than ``k``; LP only where no cheap witness exists."""
    g = grid[:, :1] if one_d else grid
    h = hidden[:, :1] if one_d else hidden
    n_r, n_c = g.shape
    y = g.astype(float).copy()
    y[:, n_c - 1] *= -1
    y[n_r - 1, :] *= -1  # the corner is negated twice: stays positive
    if n_c == 1:
        moves = lambda c: ([(c, 1), ((r, 0), -1)] for r in range(n_r) if r != c[0])  # noqa: E731
    else:
        moves = lambda c: ([(c, 1), ((c[0], j), -1), ((i, c[1]), -1), ((i, j), 1)]  # noqa: E731
                           for i in range(n_r) if i != c[0] for j in range(n_c) if j != c[1])
    cells = [tuple(int(x) for x in c) for c in np.argwhere(h)]
    if all(_witness(y, h, c, moves) >= k for c in cells):
        return []
    return [c for c, (lo, hi) in feasible_intervals(grid, hidden, one_d).items() if hi - lo < k]


def feasible_intervals(grid: np.ndarray, hidden: np.ndarray, one_d: bool = False) -> dict[tuple[int, int], tuple[float, float]]:
    """For each hidden cell of a table with margins, the [min, max] an attacker can infer.

    ``grid`` is the table with its row totals (last column), column totals (last row) and grand
    total; the published cells are fixed, the hidden ones are non-negative unknowns bound by the
    row and column equations. Two linear programmes per hidden cell (HiGHS via ``linprog``); an
    unbounded maximum is ``inf``.
    """
    from scipy.optimize import linprog

    grid = np.asarray(grid, dtype=float)
    if one_d and grid.ndim == 2 and grid.shape[1] > 1:
        grid, hidden = grid[:, :1], hidden[:, :1]
    cells = [tuple(int(x) for x in c) for c in np.argwhere(hidden)]
    if not cells:
        return {}
    var = {c: i for i, c in enumerate(cells)}
    n_r, n_c = grid.shape
    rows_eq, rhs = [], []

    def equation(members: list[tuple[int, int]], total: tuple[int, int]) -> None:
        coef, const = np.zeros(len(cells)), 0.0
        for c in members:
            if c in var:
                coef[var[c]] += 1
            else:
                const += grid[c]
        if total in var:
            coef[var[total]] -= 1
        else:
            const -= grid[total]
        if coef.any():
            rows_eq.append(coef)
            rhs.append(-const)

    if one_d or n_c == 1:
        equation([(i, 0) for i in range(n_r - 1)], (n_r - 1, 0))
    else:
        for i in range(n_r):
            equation([(i, j) for j in range(n_c - 1)], (i, n_c - 1))
        for j in range(n_c - 1):
            equation([(i, j) for i in range(n_r - 1)], (n_r - 1, j))
    h = len(cells)
    a = np.array(rows_eq) if rows_eq else np.zeros((0, h))
    b = np.array(rhs) if rows_eq else np.zeros(0)
    # all 2h problems (min and max of each cell) in one block-diagonal LP: the blocks are independent,
    # so an optimum of the sum is an optimum of every block (one solver call per table, not 2h)
    from scipy.sparse import block_diag

    objective = np.zeros(2 * h * h)
    for i in range(h):
        objective[(2 * i) * h + i] = 1.0       # block 2i: minimise cell i
        objective[(2 * i + 1) * h + i] = -1.0  # block 2i+1: maximise cell i
    res = None
    if len(b):
        res = linprog(objective, A_eq=block_diag([a] * (2 * h), format="csr"), b_eq=np.tile(b, 2 * h),
                      bounds=(0, None), method="highs")
    if res is not None and res.status == 0:
        x = res.x.reshape(2 * h, h)
        return {c: (float(x[2 * i, i]), float(x[2 * i + 1, i])) for c, i in var.items()}
    out = {}  # unbounded (no published total caps a cell) or no equation: solve cell by cell
    for c, i in var.items():
        unit = np.zeros(h)
        unit[i] = 1
        eq = dict(A_eq=a, b_eq=b) if len(b) else {}
        low = linprog(unit, bounds=(0, None), method="highs", **eq)
        high = linprog(-unit, bounds=(0, None), method="highs", **eq)
        out[c] = (float(low.fun) if low.status == 0 else 0.0, float(-high.fun) if high.status == 0 else float("inf"))
    return out


def attack(published: Suppressed) -> dict[tuple[int, int], tuple[float, float]]:
    """What an attacker infers from the published table: each hidden cell's feasible interval."""
    one_d = published.counts.shape[1] == 1
    return feasible_intervals(published.counts.to_numpy(dtype=float), published.hidden.to_numpy(), one_d)


class ReleaseLedger:
    """The totals released per dataset (in the governance database); differencing is refused.

    A new table is refused when one of its published totals differs from the same total (same name,
    e.g. the grand ``Total``) released earlier for the same dataset by more than 0 and fewer than
    ``k`` (all patients − adults = minors).
    """

    def __init__(self, store=None):
        from partages_core.store import Store

        self.store = store if isinstance(store, Store) else Store(store)

    def released(self, dataset: str) -> list[dict]:
        with self.store.connect() as con:
            rows = con.execute("SELECT label, totals, time FROM releases WHERE dataset = ? ORDER BY id",
                               (dataset,)).fetchall()
        return [{"label": lab, "totals": json.loads(t), "time": tm} for lab, t, tm in rows]

    def record(self, dataset: str, label: str, totals: dict[str, int], k: int = CASD_K) -> None:
        """Check ``totals`` against every earlier release of ``dataset`` and record them (one transaction)."""
        from partages_core.store import now_utc

        mine = {str(name): int(v) for name, v in totals.items() if v is not None}
        with self.store.transaction() as con:
            for old_label, old in con.execute("SELECT label, totals FROM releases WHERE dataset = ?", (dataset,)):
                for old_name, old_v in json.loads(old).items():
                    for name, v in mine.items():
                        if name == old_name and 0 < abs(v - old_v) < k:
                            raise InputError(
                                f"release {label!r} of {dataset!r} refused: total {name!r} = {v} differs from "
                                f"{old_name!r} = {old_v} released in {old_label!r} by {abs(v - old_v)} < {k} "
                                "(the difference would disclose a small count)")
            con.execute("INSERT INTO releases (dataset, label, totals, time) VALUES (?, ?, ?, ?)",
                        (dataset, label, json.dumps(mine, sort_keys=True), now_utc()))


def release(table, dataset: str, label: str, ledger: ReleaseLedger, k: int = CASD_K) -> Suppressed:
    """Suppress ``table`` and record its visible totals in the ledger (refused when differencing)."""
    result = suppress(table, k)
    counts, hidden = result.counts, result.hidden
    totals = {}
    for r in counts.index:
        if TOTAL in counts.columns and not hidden.loc[r, TOTAL]:
            totals[f"row {r}"] = int(counts.loc[r, TOTAL])
    if TOTAL in counts.index:
        for c in counts.columns:
            if not hidden.loc[TOTAL, c]:
                totals[f"column {c}"] = int(counts.loc[TOTAL, c])
    ledger.record(dataset, label, totals, k)
    return result


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
