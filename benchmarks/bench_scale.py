"""Benchmark: the batch runner at warehouse scale (issue 21), rules path, parquet in and out.

Prints, for generated documents written as a parquet warehouse export:
  * 2 processes vs 1 process (target ≥ 1.8× on a 2-core machine);
  * cost per document and peak memory from the smallest to the largest size (target flat within 15 %);
  * Spark local[2] vs the multiprocess backend (target within 1.5×), and whether the bytes are the same;
  * with --million: 1,000,000 documents end to end on one machine (target < 1 hour).
Each measured run is a fresh process (clean peak RSS). Default sizes are small so ``make benchmarks``
stays in minutes; the issue's figures need:
  .venv/bin/python benchmarks/bench_scale.py --sizes 10000,200000 --spark-docs 100000
  .venv/bin/python benchmarks/bench_scale.py --sizes 1000000 --no-spark --no-single   # the 1-hour target
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def make_warehouse(n_docs: int, folder: Path, seed: int = 21, shard: int = 1000) -> Path:
    """``n_docs`` generated reports (commons texts, each copy under its own patient id) as parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from partages_core.corpus.generator import generate

    base = [(d.text, p.id)
            for p in generate(300, seed) for d in p.documents]
    path = folder / f"warehouse-{n_docs}.parquet"
    schema = pa.schema([("note_id", pa.string()), ("person_id", pa.string()), ("note_text", pa.string())])
    with pq.ParquetWriter(path, schema) as w:
        for a in range(0, n_docs, shard):
            ids, pats, texts = [], [], []
            for k in range(a, min(n_docs, a + shard)):
                text, pid = base[k % len(base)]
                ids.append(f"d{k:07d}")
                pats.append(f"{pid}-{k // len(base)}")
                texts.append(text)
            w.write_table(pa.table([ids, pats, texts], schema=schema))
    return path


def _live_descendants_cpu() -> float:
    """CPU seconds of this process's live descendants and of the children they reaped (Linux /proc):
    Spark's JVM and its Python workers are still alive when the run returns, so ``RUSAGE_CHILDREN``
    would miss them."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(d.name)] = (int(fields[1]), sum(int(x) for x in fields[11:15]) / tick)  # ppid, CPU
    mine, todo = set(), [os.getpid()]
    while todo:
        parent = todo.pop()
        kids = [pid for pid, (ppid, _) in stats.items() if ppid == parent]
        mine.update(kids)
        todo += kids
    return sum(stats[pid][1] for pid in mine)


def one(args: argparse.Namespace) -> None:
    """A single measured run (called in a fresh process): prints seconds and peak RSS as JSON."""
    from partages_core.deploy.runner import RunConfig, run

    cfg = RunConfig(step="pseudonymize", src=args.src, out=args.out, shard_size=args.shard,
                    secret="be" * 16)  # one key for every backend, so their bytes can be compared
    s = run(cfg, backend=args.backend, workers=args.workers, progress=False, spark_master="local[2]")
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime")) + _live_descendants_cpu()
    digest = hashlib.sha256((Path(args.out) / "documents.parquet").read_bytes()).hexdigest()[:16]
    print(json.dumps({"seconds": s["seconds"], "documents": s["documents"], "rss_mb": max(me, kids) / 1024,
                      "digest": digest, "phases": s["phases"], "cpu": cpu}))


def measure(src: Path, out: Path, backend: str, workers: int = 1, shard: int = 1000) -> dict:
    cmd = [sys.executable, __file__, "--one", "--src", str(src), "--out", str(out), "--backend", backend,
           "--workers", str(workers), "--shard", str(shard)]
    load = os.getloadavg()[0]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"{backend} run failed: {res.stderr.strip().splitlines()[-1:]}")
    r = json.loads(res.stdout.strip().splitlines()[-1])  # "cpu": the run's and all its processes' (JVM, workers)
    r["load"] = load
    shutil.rmtree(out, ignore_errors=True)
    return r


def spark_vs_multiprocess(n: int, tmp: Path, shard: int) -> None:
    """Spark local[2] vs the multiprocess backend (2 workers) on the same ``n`` documents."""
    path = make_warehouse(n, tmp, shard=shard)
    mp = measure(path, tmp / "m", "multiprocess", workers=2, shard=shard)
    sp = measure(path, tmp / "s", "spark", shard=shard)
    path.unlink()
    print(f"docs={n} multiprocess(2)={mp['seconds']:.1f}s spark local[2]={sp['seconds']:.1f}s "
          f"ratio={sp['seconds'] / mp['seconds']:.2f} (target <=1.5) same_bytes={mp['digest'] == sp['digest']} "
          f"cpu mp={mp['cpu']:.1f}s spark={sp['cpu']:.1f}s cpu_ratio={sp['cpu'] / mp['cpu']:.2f} "
          f"load at start mp={mp['load']:.1f} spark={sp['load']:.1f}")
    for name, r in (("multiprocess", mp), ("spark", sp)):  # where the time goes
        print(f"  {name} phases (s): " + " ".join(f"{k}={v:.1f}" for k, v in r["phases"].items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,8000", help="document counts, smallest first")
    parser.add_argument("--spark-docs", type=int, default=4000, help="documents for Spark vs multiprocess")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--no-single", action="store_true", help="skip the 1-process run (e.g. at 1,000,000 docs)")
    parser.add_argument("--shard", type=int, default=1000)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--src"), parser.add_argument("--out"), parser.add_argument("--backend")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.one:
        return one(args)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.1f} "
          "(wall-clock ratios mean little when the load exceeds the CPU count; CPU ms/doc does not depend on it)")
    tmp = Path(tempfile.mkdtemp(prefix="bench_scale."))
    try:
        small = sizes[0]
        src = make_warehouse(small, tmp, shard=args.shard)
        two_p = measure(src, tmp / "o2", "multiprocess", workers=2, shard=args.shard)
        if not args.no_single:
            one_p = measure(src, tmp / "o1", "local", shard=args.shard)
            speedup = one_p["seconds"] / two_p["seconds"]
            print(f"docs={small} 1 process={one_p['seconds']:.1f}s 2 processes={two_p['seconds']:.1f}s "
                  f"speedup={speedup:.2f}x target>=1.8x same_bytes={one_p['digest'] == two_p['digest']} "
                  f"cpu 1p={one_p['cpu']:.1f}s 2p={two_p['cpu']:.1f}s (parallel overhead "
                  f"{two_p['cpu'] / one_p['cpu']:.2f}x)")
        if args.sizes == str(small) and small >= 1_000_000:
            print(f"docs={small} end to end (2 processes) {two_p['seconds'] / 60:.1f} min (target < 60 min)")
        if not args.no_spark:  # before the largest size, so a long run gives this figure early
            spark_vs_multiprocess(args.spark_docs, tmp, args.shard)
        per_doc = {}
        for n in sizes:
            path = src if n == small else make_warehouse(n, tmp, shard=args.shard)
            r = two_p if n == small else measure(path, tmp / f"s{n}", "multiprocess", workers=2, shard=args.shard)
            per_doc[n] = (r["seconds"] / r["documents"] * 1000, r["rss_mb"])
            per_doc[n] += (r["cpu"] / r["documents"] * 1000,)
            print(f"docs={n} multiprocess(2) {r['seconds']:.1f}s {r['documents'] / r['seconds']:.0f} docs/s "
                  f"cost={per_doc[n][0]:.3f} ms/doc cpu={per_doc[n][2]:.3f} CPU-ms/doc peak_rss(largest process)={r['rss_mb']:.0f}MB")
            if n != small:
                path.unlink()
        if len(sizes) > 1:
            lo, hi = per_doc[sizes[0]], per_doc[sizes[-1]]
            print(f"cost_ratio {sizes[-1]}/{sizes[0]}={hi[0] / lo[0]:.2f} cpu_cost_ratio={hi[2] / lo[2]:.2f} "
                  f"(target <=1.15) rss_ratio={hi[1] / lo[1]:.2f} (target <=1.15)")
        print(f"load average at end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
