"""Benchmark WP6: vectorised bootstrap vs a Python loop per resample (same run, same numbers), and
the wall time of evaluating every available system on the small-profile test split."""

from __future__ import annotations

import os
import time

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from partages_core.evaluation.bootstrap import bootstrap_ci, resample_weights  # noqa: E402
from partages_core.metrics import Counts, merge, micro, micro_f1_totals  # noqa: E402


def naive_bootstrap(per_doc: list[dict[str, Counts]], n_boot: int, seed: int) -> tuple[float, float]:
    """The baseline: one Python loop per resample, Counts merged document by document."""
    w = resample_weights(len(per_doc), n_boot, seed)
    stats = []
    for b in range(n_boot):
        picked = [per_doc[i] for i in np.repeat(np.arange(len(per_doc)), w[b])]
        stats.append(micro(merge(*picked)).f1)
    low, high = np.quantile(stats, [0.025, 0.975])
    return float(low), float(high)


def bench_bootstrap(n_docs: int = 400, n_labels: int = 17, n_boot: int = 1000, seed: int = 13) -> None:
    rng = np.random.default_rng(0)
    labels = [f"L{i}" for i in range(n_labels)]
    mat = rng.integers(0, 5, size=(n_docs, n_labels, 3))
    per_doc = [{lab: Counts(*map(int, mat[d, j])) for j, lab in enumerate(labels)} for d in range(n_docs)]
    tic = time.perf_counter()
    fast = bootstrap_ci(mat, micro_f1_totals, n_boot, seed)
    t_fast = time.perf_counter() - tic
    tic = time.perf_counter()
    slow = naive_bootstrap(per_doc, n_boot, seed)
    t_slow = time.perf_counter() - tic
    same = np.allclose([fast.low, fast.high], slow)
    print(f"bootstrap {n_boot} resamples, {n_docs} docs x {n_labels} labels: vectorised {t_fast * 1000:.1f} ms, "
          f"python loop {t_slow * 1000:.0f} ms, speed-up x{t_slow / t_fast:.0f}, same interval: {same}")


def bench_all_systems() -> None:
    from partages_core.corpus.commons import load_commons
    from partages_core.evaluation import runner
    from partages_core.evaluation.systems import SYSTEMS, is_available
    from partages_core.evaluation.tasks import get_task

    commons = load_commons()
    total = time.perf_counter()
    for name, spec in sorted(SYSTEMS.items()):
        if spec.task == "e3c-negation":
            continue  # real corpus, not the small-profile split
        if not is_available(name):
            print(f"  {name:<26} skipped (model not trained: partages models finetune)")
            continue
        tic = time.perf_counter()
        data = runner.load_split(get_task(spec.task), "test", commons)
        res = runner.evaluate(spec.task, name, data=data)
        print(f"  {name:<26} {res['n_documents']:>4} docs  {time.perf_counter() - tic:6.1f} s")
    print(f"all available systems, small-profile test split: {time.perf_counter() - total:.1f} s (target <= 120 s)")


if __name__ == "__main__":
    bench_bootstrap()
    bench_all_systems()
