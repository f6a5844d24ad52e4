"""Disclosure control under a linear-programming attack: line-only suppression (the baseline, what
``suppress`` did before) vs LP-audited suppression (now), on the same random tables in one run.

Prints, for each: hidden cells, cells the attacker recovers exactly, cells bounded within k, cells
hidden per table, and the time per table; then the ratios. Usage:
``.venv/bin/python benchmarks/bench_disclosure.py [n_tables per family] [seed]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from partages_core.governance.disclosure import CASD_K, Suppressed, _close_lines, feasible_intervals, suppress


def line_only(table: pd.DataFrame, k: int = CASD_K) -> Suppressed:
    """The baseline: primary + complementary suppression along rows and columns only (no LP audit)."""
    values = table.to_numpy(dtype=int)
    n_r, n_c = values.shape
    grid = np.zeros((n_r + 1, n_c + 1), dtype=int)
    grid[:n_r, :n_c] = values
    grid[:n_r, n_c] = values.sum(axis=1)
    grid[n_r, :n_c] = values.sum(axis=0)
    grid[n_r, n_c] = values.sum()
    primary = (grid > 0) & (grid < k)
    hidden = primary.copy()
    lines = [[(i, j) for j in range(n_c + 1)] for i in range(n_r + 1)]
    lines += [[(i, j) for i in range(n_r + 1)] for j in range(n_c + 1)]
    pick = lambda free: min(free, key=lambda c: (grid[c] == 0, c[0] == n_r or c[1] == n_c, grid[c]))  # noqa: E731
    _close_lines(hidden, lines, pick)
    frame = lambda a: pd.DataFrame(a)  # noqa: E731
    return Suppressed(frame(grid), frame(primary), frame(hidden & ~primary), k)


def run(name: str, method, tables: list[pd.DataFrame], k: int = CASD_K) -> dict:
    start = time.perf_counter()
    published = [method(t) for t in tables]
    elapsed = time.perf_counter() - start
    hidden = exact = narrow = 0
    for s in published:
        for lo, hi in feasible_intervals(s.counts.to_numpy(dtype=float), s.hidden.to_numpy()).values():
            hidden += 1
            exact += abs(hi - lo) < 0.5
            narrow += hi - lo < k
    row = {"method": name, "tables": len(tables), "hidden": hidden, "recovered_exactly": exact,
           "bounded_within_k": narrow, "hidden_per_table": hidden / len(tables),
           "ms_per_table": 1000 * elapsed / len(tables)}
    print(f"{name:<14} tables {len(tables)}  hidden {hidden:>6}  recovered exactly {exact:>5}  "
          f"range < k {narrow:>5}  hidden/table {row['hidden_per_table']:.2f}  {row['ms_per_table']:.1f} ms/table")
    return row


def main(n: int = 1000, seed: int = 19) -> None:
    rng = np.random.default_rng(seed)
    families = {
        "uniform 0-49": lambda shape: rng.integers(0, 50, size=shape),
        "many small": lambda shape: rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40], size=shape),
    }
    for family, draw in families.items():
        tables = [pd.DataFrame(draw(tuple(rng.integers(2, 4, size=2)))) for _ in range(n)]
        print(f"-- {family}: {n} tables of 2-3 rows x 2-3 columns, k = {CASD_K}")
        base = run("line-only", line_only, tables)
        audited = run("LP-audited", lambda t: suppress(t, CASD_K), tables)
        print(f"ratios (LP-audited / line-only): time x{audited['ms_per_table'] / base['ms_per_table']:.1f}, "
              f"hidden cells x{audited['hidden'] / max(base['hidden'], 1):.2f}; recovered exactly "
              f"{base['recovered_exactly']} -> {audited['recovered_exactly']}, range < k "
              f"{base['bounded_within_k']} -> {audited['bounded_within_k']}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
