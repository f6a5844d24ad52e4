"""Benchmark WP2: validate + normalise the 5,000-patient commons (target ≤ 60 s), dedup scaling.

Usage: ``PYTHONPATH=. python benchmarks/bench_quality.py [--patients 5000] [--seed 13]``.
The commons is generated and written to a temp folder first (not timed); validation reads the
folder as a facility delivery would be read. Dedup runs at 1k/2k/5k patients; the ratio of
time per document against the 1k baseline (same process) shows how close to linear it is.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from partages_core.corpus.commons import build_commons
from partages_core.quality.dedup import Item, find_duplicates
from partages_core.quality.normalize import map_spans, normalize
from partages_core.quality.records import read_records
from partages_core.quality.schemas import validate_records


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dedup-sizes", default="1000,2000,5000")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = build_commons(args.patients, args.seed, Path(tmp) / "commons")
        t0 = time.perf_counter()
        records = read_records(folder)
        t1 = time.perf_counter()
        v = validate_records(records)
        t2 = time.perf_counter()
        spans = failed = 0
        for p in records:
            for d in p["documents"]:
                ot = normalize(d["text"])
                pairs = [(s["start"], s["end"]) for layer in d["annotations"].values() for s in layer]
                mapped = map_spans(ot, pairs)
                spans += len(mapped)
                failed += sum(not m.round_trip for m in mapped)
        t3 = time.perf_counter()
        docs = sum(len(p["documents"]) for p in records)
        total = t3 - t0
        print(f"commons: {args.patients} patients, {docs} documents, {v.summary['total']['rows']} rows")
        print(f"read        {t1 - t0:6.2f} s")
        print(f"validate    {t2 - t1:6.2f} s  ({v.summary['total']['passed']} passed, {v.summary['total']['failed']} quarantined)")
        print(f"normalise   {t3 - t2:6.2f} s  ({spans} gold spans mapped, {failed} round-trip failures)")
        print(f"TOTAL read+validate+normalise {total:6.2f} s  (target <= 60 s: {'OK' if total <= 60 else 'MISSED'})")
        items = [Item(d["id"], p["id"], p["facility"], d["text"]) for p in records for d in p["documents"]]
        by_patient: dict[str, list[Item]] = {}
        for it in items:
            by_patient.setdefault(it.patient_id, []).append(it)
        pids = sorted(by_patient)
        base = None
        find_duplicates(items[:200], threshold=0.8)  # warm-up (imports, regex caches), not timed
        print("dedup (MinHash LSH, threshold 0.8):")
        for n in [int(x) for x in args.dedup_sizes.split(",") if int(x) <= args.patients]:
            sub = [it for pid in pids[:n] for it in by_patient[pid]]
            t = time.perf_counter()
            r = find_duplicates(sub, threshold=0.8)
            dt = time.perf_counter() - t
            per_doc = dt / len(sub)
            base = base or per_doc
            print(f"  {n:>5} patients {len(sub):>6} docs  {dt:6.2f} s  {1e3 * per_doc:6.3f} ms/doc  "
                  f"x{per_doc / base:4.2f} per-doc vs 1k  clusters={len(r.clusters)}")


if __name__ == "__main__":
    main()
