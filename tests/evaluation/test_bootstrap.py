import numpy as np
import pytest

from partages_core.evaluation.bootstrap import bootstrap_ci, paired_bootstrap, resample_weights, resampled_totals
from partages_core.metrics import (Counts, counts_matrix, macro_f1, macro_f1_totals, merge, micro,
                                              micro_f1_totals)


def _random_docs(rng, n=40, labels=("A", "B", "C")):
    docs = []
    for _ in range(n):
        docs.append({lab: Counts(*map(int, rng.integers(0, 4, size=3))) for lab in labels if rng.random() < 0.7})
    return docs


def test_matrix_statistics_match_counts_helpers():
    rng = np.random.default_rng(0)
    docs = _random_docs(rng)
    labels = ["A", "B", "C"]
    totals = counts_matrix(docs, labels).sum(axis=0)
    merged = merge(*docs)
    assert micro_f1_totals(totals[None])[0] == pytest.approx(micro(merged).f1)
    assert macro_f1_totals(totals[None])[0] == pytest.approx(macro_f1(merged))


def test_weighted_totals_equal_explicit_index_resampling():
    rng = np.random.default_rng(1)
    mat = counts_matrix(_random_docs(rng, 25), ["A", "B", "C"])
    w = resample_weights(25, 50, seed=3)
    assert (w.sum(axis=1) == 25).all()
    fast = resampled_totals(mat, w)
    for b in range(50):  # same resample written as an index list, summed document by document
        idx = np.repeat(np.arange(25), w[b])
        assert np.array_equal(fast[b], mat[idx].sum(axis=0))


def test_ci_is_seeded_and_brackets_the_estimate():
    mat = counts_matrix(_random_docs(np.random.default_rng(2)), ["A", "B", "C"])
    a = bootstrap_ci(mat, micro_f1_totals, 1000, seed=5)
    assert a == bootstrap_ci(mat, micro_f1_totals, 1000, seed=5)
    assert a != bootstrap_ci(mat, micro_f1_totals, 1000, seed=6)
    assert a.low <= a.value <= a.high and a.high - a.low > 0


def test_paired_bootstrap_detects_a_better_system_and_not_an_identical_one():
    rng = np.random.default_rng(4)
    good = np.zeros((60, 1, 3), dtype=int)
    good[:, 0, 0] = 9
    good[:, 0, 2] = 1
    bad = good.copy()
    bad[:, 0, 0] = rng.integers(3, 6, size=60)
    bad[:, 0, 2] = 10 - bad[:, 0, 0]
    same = paired_bootstrap(good, good, micro_f1_totals, 500, seed=1)
    assert same["difference"] == 0 and same["p_value"] == 1.0
    better = paired_bootstrap(good, bad, micro_f1_totals, 500, seed=1)
    assert better["difference"] > 0.2 and better["p_value"] < 0.01 and better["ci_low"] > 0
