"""Near-duplicate documents across facilities with datasketch MinHash LSH, and a cluster report.

Documents are shingled on word 5-grams of their accent-free, lower-cased normalised text, so
that the same report sent twice (re-typed, re-spaced, accents lost) still collides. LSH gives
candidate pairs above ``threshold`` (estimated Jaccard); pairs are joined into clusters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from partages_core.quality.normalize import normalize

NUM_PERM = 128
SHINGLE = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Item:
    """A document to compare: its id, patient, facility and text."""

    id: str
    patient_id: str
    facility: str
    text: str


@dataclass
class Cluster:
    """Documents whose texts are near duplicates of each other (estimated Jaccard ≥ threshold)."""

    members: list[str]
    facilities: list[str]
    patients: list[str]
    min_jaccard: float

    @property
    def cross_facility(self) -> bool:
        return len(set(self.facilities)) > 1


@dataclass
class DedupReport:
    """Clusters found at a threshold, with counts for the QC report."""

    threshold: float
    documents: int
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        """Documents that a de-duplicated set would drop (all members but one per cluster)."""
        return sum(len(c.members) - 1 for c in self.clusters)

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "documents": self.documents,
                "clusters": len(self.clusters), "duplicates": self.duplicates,
                "cross_facility_clusters": sum(c.cross_facility for c in self.clusters),
                "members": [{"documents": c.members, "facilities": c.facilities, "patients": c.patients,
                             "min_jaccard": round(c.min_jaccard, 3), "cross_facility": c.cross_facility}
                            for c in self.clusters]}


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """Word k-grams of the accent-free, lower-cased normalised text."""
    words = _WORD.findall(normalize(text, accents=True).text.lower())
    if len(words) < k:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def minhashes(texts: Sequence[str], seed: int = 1, num_perm: int = NUM_PERM) -> list:
    """One LeanMinHash per text (datasketch's vectorised ``bulk``), seeded for determinism."""
    from datasketch import LeanMinHash, MinHash

    sets = [sorted(shingles(t)) for t in texts]
    return [LeanMinHash(m) for m in MinHash.bulk(sets, num_perm=num_perm, seed=seed)]


def find_duplicates(items: Iterable[Item], threshold: float = 0.8, seed: int = 1,
                    num_perm: int = NUM_PERM) -> DedupReport:
    """Cluster near-duplicate documents: LSH candidates, confirmed by the MinHash Jaccard estimate."""
    from datasketch import MinHashLSH

    items = sorted(items, key=lambda it: it.id)
    hashes = minhashes([it.text for it in items], seed=seed, num_perm=num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent = list(range(len(items)))
    pair_j: dict[tuple[int, int], float] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = {it.id: k for k, it in enumerate(items)}
    for k, (it, mh) in enumerate(zip(items, hashes)):
        for other in lsh.query(mh):
            j = index[other]
            est = float(mh.jaccard(hashes[j]))
            if est >= threshold:
                pair_j[(j, k)] = est
                parent[root(k)] = root(j)
        lsh.insert(it.id, mh)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(items)):
        groups[root(k)].append(k)
    clusters = []
    for members in groups.values():
        if len(members) < 2:
            continue
        js = [v for (a, b), v in pair_j.items() if a in members and b in members]
        clusters.append(Cluster([items[m].id for m in members], [items[m].facility for m in members],
                                [items[m].patient_id for m in members], float(np.min(js)) if js else threshold))
    clusters.sort(key=lambda c: c.members[0])
    return DedupReport(threshold, len(items), clusters)


def items_of(patients: Iterable[Any]) -> list[Item]:
    """Items from corpus ``Patient`` objects."""
    return [Item(d.id, p.id, p.facility, d.text) for p in patients for d in p.documents]
