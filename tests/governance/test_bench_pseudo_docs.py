"""``benchmarks/bench_pseudo.py --docs FIRST LAST``: one range of hand-written dev documents (a new batch)."""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from partages_core.corpus.handwritten import dev_range
from partages_core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench(load_benchmark):
    return load_benchmark("bench_pseudo")


def test_an_old_dev_range_gives_only_its_dev_documents(bench):
    ids = dev_range("hw-177", "hw-190")
    assert ids == [f"hw-{i:03d}" for i in range(177, 191)]
    sets = bench.datasets(Namespace(docs=ids, no_commons=False))
    (name, docs), = sets.items()
    assert name == "handwritten-dev hw-177..hw-190"
    assert [d.id for d in docs] == [f"hw-{i:03d}" for i in range(177, 191)]   # batch 10, all dev
    assert sum(len(d.gold) for d in docs) > 50 and all(d.clinical is not None for d in docs)


@pytest.mark.parametrize("first, last, says", [
    ("hw-080", "hw-090", "hw-082 is in the frozen test split"),
    ("hw-190", "hw-177", "the first not after the last"),
    ("hw-x", "hw-190", "expected two ids hw-NNN"),
    ("hw-900", "hw-950", "no hand-written document in that range"),
])
def test_bad_ranges_are_refused(first, last, says):
    with pytest.raises(InputError, match=says):
        dev_range(first, last)


def test_a_test_split_id_exits_2_with_one_line():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_pseudo.py"), "--no-presidio", "--docs",
                        "hw-003", "hw-003"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip() == ("error: --docs hw-003 hw-003: hw-003 is in the frozen test split (1 test document(s) "
                                "in the range); --docs scores dev documents only")
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_whether_the_ner_trained_on_the_range_is_read_from_its_meta(bench):
    ids = ["hw-191", "hw-192"]
    assert bench.trained_on({"handwritten_ids": ["hw-001", "hw-190"]}, ids).startswith("no")
    assert bench.trained_on({"handwritten_ids": ["hw-001", "hw-192"]}, ids).startswith("yes, 1 of them")
    assert bench.trained_on({"recipe": "windows-v4"}, ids).startswith("unknown")
