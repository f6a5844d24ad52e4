"""benchmarks/transfer_gap.py: the seed-mean interval and the --docs guard (dev ids only)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from partages_core.errors import InputError
from partages_core.metrics import Counts

ROOT = Path(__file__).resolve().parents[2]



def test_seed_mean_is_the_mean_of_the_seeds_f1(load_benchmark):
    tg = load_benchmark("transfer_gap")
    good = [{"A": Counts(tp=3, fp=0, fn=1)}, {"A": Counts(tp=1, fp=1, fn=0)}]
    bad = [{"A": Counts(tp=1, fp=2, fn=3)}, {"A": Counts(tp=0, fp=1, fn=1)}]
    one, two = tg.f1_ci(good)[0], tg.f1_ci(bad)[0]
    mean = tg.mean_f1_ci([good, bad])
    assert mean[0] == round((one + two) / 2, 3) and mean[1] <= mean[0] <= mean[2]
    assert tg.mean_f1_ci([good, good])[0] == one


def test_docs_takes_dev_ids_only():
    from partages_core.corpus.handwritten import dev_range, metadata

    split = {k: v["split"] for k, v in metadata().items()}
    dev = sorted(k for k, v in split.items() if v == "dev")
    held = sorted(k for k, v in split.items() if v == "test")
    assert dev_range(dev[-3], dev[-1]) == dev[-3:]
    with pytest.raises(InputError, match="frozen test split"):
        dev_range(held[0], dev[-1])
    with pytest.raises(InputError, match="expected two ids hw-NNN"):
        dev_range(dev[0], "hw-999x")
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "transfer_gap.py"), "--docs", held[0], dev[-1]],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0 and "dev documents only" in run.stderr


def test_models_folder_reuses_a_tagger_only_for_the_same_configuration(tmp_path, load_benchmark):
    """``--models``: a spaCy tagger trained once is reused by a run of the same configuration (same
    predictions, no training) and trained again when the configuration differs."""
    from types import SimpleNamespace

    from partages_core.corpus.generator import generate

    tg = load_benchmark("transfer_gap")
    train = list(generate(2, 13))
    args = SimpleNamespace(spacy_epochs=1, patients=2, seed=13, models=tmp_path / "models")
    text = ["Mme Claire Dubois, née le 12/03/1961, vue au CHU AMIENS-PICARDIE."]
    first, info = tg.spacy_tagger(train, args, tmp_path / "a", 13)
    again, info2 = tg.spacy_tagger(train, args, tmp_path / "b", 13)
    assert not info["reused"] and info2["reused"] and again(text) == first(text)
    _, other = tg.spacy_tagger(train, SimpleNamespace(**{**vars(args), "spacy_epochs": 2}), tmp_path / "c", 13)
    assert not other["reused"] and other["epochs"] == 2


def test_averaged_tagger_keeps_the_same_trainings_last_update_as_spacy(tmp_path, load_benchmark):
    """``spacy-avg`` saves the averaged weights and, with ``--models``, the same training's last update as
    the ``spacy`` tagger of that seed: reused by ``spacy``, and tagging as a ``spacy`` training of its own."""
    from types import SimpleNamespace

    from partages_core.corpus.generator import generate

    tg = load_benchmark("transfer_gap")
    train = list(generate(2, 13))
    args = SimpleNamespace(spacy_epochs=1, patients=2, seed=13, models=tmp_path / "models")
    text = ["Mme Claire Dubois, née le 12/03/1961, vue au CHU AMIENS-PICARDIE le 03/02/2026."]
    _, avg = tg.TAGGERS["spacy-avg"](train, args, tmp_path / "a", 13)
    last, info = tg.spacy_tagger(train, args, tmp_path / "b", 13)
    alone, own = tg.spacy_tagger(train, SimpleNamespace(**{**vars(args), "models": None}), tmp_path / "c", 13)
    weights = {p.name: json.loads((p / "meta.json").read_text(encoding="utf-8"))["weights"]
               for p in (tmp_path / "models").iterdir()}
    assert not avg["reused"] and info["reused"] and not own["reused"]
    assert weights == {"spacy-avg-seed13": "averaged", "spacy-seed13": "last update"}
    assert last(text) == alone(text)


def test_paired_difference_holds_documents_and_seeds_together(load_benchmark):
    """``--paired-with``: the difference of the seed means, its interval from one resample of the documents
    shared by both sides and every seed; level taggers give 0 [0, 0] in both intervals."""
    tg = load_benchmark("transfer_gap")
    base = [[{"A": Counts(tp=1, fp=1, fn=1)}, {"A": Counts(tp=2, fp=0, fn=2)}, {"A": Counts(tp=0, fp=1, fn=1)}]] * 2
    new = [[{"A": Counts(tp=2, fp=0, fn=0)}, {"A": Counts(tp=3, fp=0, fn=1)}, {"A": Counts(tp=1, fp=0, fn=0)}],
           [{"A": Counts(tp=1, fp=1, fn=1)}, {"A": Counts(tp=3, fp=0, fn=1)}, {"A": Counts(tp=1, fp=1, fn=0)}]]
    got = tg.paired_difference(base, new)
    point, low, high = got["seeds_held"]
    assert abs(point - (tg.mean_f1_ci(new)[0] - tg.mean_f1_ci(base)[0])) <= 0.001 and 0 < low <= point <= high
    assert got["seeds_drawn"][0] == point and got["seeds_drawn"][1] > 0   # a clear gain at every seed stays above 0
    assert tg.paired_difference(base, base) == {"seeds_held": (0.0, 0.0, 0.0), "seeds_drawn": (0.0, 0.0, 0.0)}
    with pytest.raises(ValueError, match="same seeds and documents"):
        tg.paired_difference(base, new[:1])


def test_seeds_drawn_holds_the_retraining_noise_that_seeds_held_leaves_out(load_benchmark):
    """Twenty identical documents (no documents' noise) and a new side whose seeds disagree (one far ahead of
    the base, two just behind): seeds held gives the point alone, seeds drawn an interval across 0."""
    tg = load_benchmark("transfer_gap")
    base = [[{"A": Counts(tp=2, fp=1, fn=1)}] * 20] * 3
    new = [[{"A": Counts(tp=4, fp=0, fn=0)}] * 20] + [[{"A": Counts(tp=2, fp=2, fn=1)}] * 20] * 2
    got = tg.paired_difference(base, new)
    point = got["seeds_held"][0]
    assert point > 0 and got["seeds_held"] == (point, point, point)
    assert got["seeds_drawn"][0] == point and got["seeds_drawn"][1] < 0 < point < got["seeds_drawn"][2]


def test_paired_with_needs_a_folder_of_built_taggers(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "transfer_gap.py"), "--taggers", "spacy",
                          "--paired-with", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0 and "no built tagger" in run.stderr
