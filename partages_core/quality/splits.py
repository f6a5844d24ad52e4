"""Patient-level splits stratified by (specialty, pool): no patient in two splits, seeded."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from partages_core.corpus.model import Patient
from partages_core.errors import InputError

SPLITS = ("train", "dev", "test")
SPLITS_FILE = "splits.json"


def split_patients(patients: Sequence[Patient], seed: int = 13,
                   ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)) -> dict[str, list[Patient]]:
    """Assign each patient to train/dev/test; each stratum is shuffled with ``seed`` and cut by ratio."""
    if len(ratios) != 3 or any(r < 0 for r in ratios) or abs(sum(ratios) - 1) > 1e-9:
        raise InputError(f"ratios: need three non-negative numbers summing to 1, got {ratios}")
    strata: dict[tuple[str, str], list[Patient]] = defaultdict(list)
    for p in sorted(patients, key=lambda p: p.id):
        strata[(p.specialty, p.pool)].append(p)
    out: dict[str, list[Patient]] = {name: [] for name in SPLITS}
    rng = random.Random(seed)
    carry = [0.0, 0.0, 0.0]  # fractional remainders carried across strata so small ones still fill dev/test
    for key in sorted(strata):
        group = strata[key]
        rng.shuffle(group)
        counts = []
        for i, r in enumerate(ratios):
            exact = r * len(group) + carry[i]
            counts.append(int(exact))
            carry[i] = exact - int(exact)
        counts[0] = len(group) - counts[1] - counts[2]
        cut1, cut2 = counts[0], counts[0] + counts[1]
        out["train"] += group[:cut1]
        out["dev"] += group[cut1:cut2]
        out["test"] += group[cut2:]
    for name in SPLITS:
        out[name].sort(key=lambda p: p.id)
    return out


def split_summary(splits: dict[str, list[Patient]]) -> dict[str, dict[str, int]]:
    """Patients per split and per (specialty | pool) stratum, for the dataset card and QC report."""
    out: dict[str, dict[str, int]] = {}
    for name in SPLITS:
        counts: dict[str, int] = defaultdict(int)
        for p in splits[name]:
            counts[f"{p.specialty} | {p.pool}"] += 1
        out[name] = {"patients": len(splits[name]),
                     "documents": sum(len(p.documents) for p in splits[name]), **dict(sorted(counts.items()))}
    return out


def write_splits(patients: Sequence[Patient], out: str | Path, seed: int = 13,
                 ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)) -> dict[str, list[Patient]]:
    """Split with :func:`split_patients` and write ``splits.json`` (ids per split + summary) atomically."""
    from partages_core.files import write_json

    splits = split_patients(patients, seed, ratios)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    doc = {"seed": seed, "ratios": list(ratios), "splits": {k: [p.id for p in v] for k, v in splits.items()},
           "summary": split_summary(splits)}
    write_json(out / SPLITS_FILE, doc)
    return splits
