"""Disclosure control applied at the node, before anything leaves it.

Primary suppression: a count strictly between 0 and ``k`` is withheld (``None``). Complementary
suppression: within a label's row the node publishes ``gold = tp + fn``; if exactly one of the three
is withheld the other two would give it back, so the smallest remaining one is withheld too. No
marginal total across labels is published, and the coordinator pools a label only over nodes whose
row is complete, so "all sites" minus "all sites but one" never contains a withheld count.

Tables that leave restricted data elsewhere use ``partages_core.governance.disclosure.suppress``
(rows and columns with margins); a node's release is one row per label linked by ``gold = tp + fn``,
hence this row-wise rule.
"""

from __future__ import annotations

from collections.abc import Mapping

CELLS = ("tp", "fp", "fn", "gold")


def suppress_small(values: Mapping[str, int], k: int) -> dict[str, int | None]:
    """Primary suppression: every count with ``0 < n < k`` becomes ``None``."""
    if k < 1:
        raise ValueError(f"min_count: expected k >= 1, got {k}")
    return {name: (None if 0 < n < k else n) for name, n in values.items()}


def suppress_row(tp: int, fp: int, fn: int, k: int) -> dict[str, int | None]:
    """One label's released row: primary suppression, then complementary on ``gold = tp + fn``."""
    row = suppress_small({"tp": tp, "fp": fp, "fn": fn, "gold": tp + fn}, k)
    linked = ("tp", "fn", "gold")
    hidden = [c for c in linked if row[c] is None]
    if len(hidden) == 1:
        # withhold the smallest other member of the relation so it cannot be solved for
        other = min((c for c in linked if c not in hidden), key=lambda c: (row[c], c))
        row[other] = None
    return row


def row_complete(row: Mapping[str, int | None]) -> bool:
    """Whether a released row can be shown and pooled (no cell withheld)."""
    return all(row.get(c) is not None for c in CELLS)
