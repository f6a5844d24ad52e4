"""Benchmark: generate + write the full-size commons (5,000 patients) and check determinism.

Prints wall time, documents/s and peak memory (RSS) against the issue's budget (≤ 30 s, ≤ 2 GB),
plus the I/O floor measured in the same run (writing the same files without generating them), and
the clinical-coherence violations over the same cohort (target 0).
Run: ``.venv/bin/python benchmarks/bench_corpus.py [--patients 5000]``.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import tempfile
import time
from pathlib import Path

from partages_core.corpus.coherence import check_cohort
from partages_core.corpus.generator import generate
from partages_core.corpus.io.parhaf import write_parhaf


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        patients = list(generate(args.patients, args.seed))
        t_gen, c_gen = time.perf_counter() - t0, time.process_time() - c0
        write_parhaf(patients, tmp / "a")
        t_total, c_total = time.perf_counter() - t0, time.process_time() - c0
        t1 = time.perf_counter()
        write_parhaf(patients, tmp / "floor")  # I/O floor: same files, no generation
        t_io = time.perf_counter() - t1
        docs = sum(len(p.documents) for p in patients)
        spans = sum(len(s) for p in patients for d in p.documents for s in d.annotations.values())
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        write_parhaf(generate(args.patients, args.seed), tmp / "b")
        write_parhaf(generate(min(args.patients, 500), args.seed + 1), tmp / "c")
        same = digest(tmp / "a") == digest(tmp / "b")
        print(f"patients={args.patients} documents={docs} gold_spans={spans}")
        print(f"generate={t_gen:.2f}s generate+write={t_total:.2f}s io_floor={t_io:.2f}s "
              f"docs/s={docs / t_total:.0f} budget=30s ratio={t_total / 30:.2f}")
        print(f"cpu: generate={c_gen:.2f}s generate+write={c_total:.2f}s (process CPU time: what the "
              f"run costs whatever the machine's load) ratio_vs_budget={c_total / 30:.2f}")
        print(f"peak_rss={peak_mb:.0f}MB budget=2048MB ratio={peak_mb / 2048:.2f}")
        print(f"byte_identical_same_seed={same}")
        t2 = time.perf_counter()
        coherence = check_cohort(patients)
        print(f"coherence_violations={coherence['violations']} over {coherence['patients']} patients "
              f"(check {time.perf_counter() - t2:.2f}s) by_rule={coherence['by_rule']}")
        if not same:
            raise SystemExit("determinism broken: same seed gave different bytes")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
