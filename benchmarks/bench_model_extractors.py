"""Benchmark the model-backed use-case extractors against the rules, in the same process.

Trains the three use-case models (``models.usecase_models.train_usecase_models``: oncology and
CU6 span taggers, CU5b classifier) on the train split of the profile's commons, then on the test
split: oncology entity (overlap, strict), (marker, status) and TNM micro-F1; CU6 entity and
entity+negation micro-F1; CU5b accuracy and macro-F1 (the small commons' test split holds very few
follow-up documents, so CU5b is also scored on a freshly generated held-out cohort, seed 101);
documents/s of model inference vs rules. Every figure is the evaluation task's (``runner.evaluate``
with the registered systems ``*-rules`` and ``*-model``: the leaderboard's definitions).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_model_extractors.py [--steps N] [--keep]``
(``--keep`` trains into ``<artefacts>/models`` so ``partages evaluate … --system oncology-model``
uses them; by default a temporary folder is used and the artefacts are left alone).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from partages_core.config import get_profile
from partages_core.corpus.commons import load_commons
from partages_core.corpus.generator import generate
from partages_core.quality.splits import split_patients


def _value(res: dict, metric: str) -> str:
    v = res["metrics"].get(metric)
    return "n/a" if not v else f"{v['value']:.3f} [{v['ci_low']:.3f}, {v['ci_high']:.3f}]"


def _rate(fn, texts: list[str]) -> float:
    tic = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - tic)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", default=None)
    ap.add_argument("--steps", type=int, default=None, help="optimiser steps per model (default: DEFAULT_STEPS)")
    ap.add_argument("--keep", action="store_true", help="train into <artefacts>/models instead of a temp folder")
    args = ap.parse_args()
    profile = get_profile(args.profile)
    commons = load_commons(profile)  # before PARTAGES_HOME moves
    if not args.keep:
        os.environ["PARTAGES_HOME"] = tempfile.mkdtemp(prefix="bench-models-")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from partages_core.usecases import infectiology, oncology
    from partages_core.usecases.infectiology import model as infectiology_model
    from partages_core.evaluation import runner
    from partages_core.usecases.oncology import model as oncology_model
    from partages_core.models.usecase_models import DEFAULT_STEPS, train_usecase_models

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    split = split_patients(commons.patients, 13)
    print(f"profile={profile.name} patients={len(commons.patients)} train={len(split['train'])} "
          f"test={len(split['test'])} torch threads={torch.get_num_threads()} cpus={os.cpu_count()}")
    tic = time.perf_counter()
    trained = train_usecase_models(profile, 13, patients=commons.patients, max_steps=args.steps)
    print(f"== training ({time.perf_counter() - tic:.1f}s in all)")
    for name, m in trained.items():
        print(f"{name:<20} steps={m['steps']:<4} base={m['base'] or 'scratch'} {m['seconds']:>6.1f}s  "
              + ", ".join(f"{k}={m[k]}" for k in ("f1", "f1_overlap", "accuracy", "macro_f1", "train_lines",
                                                   "train_texts") if k in m))
    print(f"(defaults: {DEFAULT_STEPS})")

    test_docs = [d for p in split["test"] for d in p.documents]
    texts = [d.text for d in test_docs]

    def both(task: str, prefix: str, patients, source: str) -> dict:
        data = runner.on_patients(task, patients, source)
        return {m: runner.evaluate(task, f"{prefix}-{m}", data=data) for m in ("rules", "model")}

    print(f"\n== oncology CU5a on the test split ({len(split['test'])} patients, {len(texts)} documents)")
    onc = both("oncology-biomarkers", "oncology", split["test"], "commons test split")
    for metric in onc["rules"]["metrics"]:
        print(f"{metric:<24} rules {_value(onc['rules'], metric)}   model {_value(onc['model'], metric)}")
    unmapped = sum(len(u) for _, u in oncology_model.extract_details(texts))
    print(f"model spans with no known marker (not returned, counted): {unmapped}")
    print(f"{'marker':<8} {'rules ovl':>9} {'model ovl':>9} {'rules m+s':>9} {'model m+s':>9} {'gold':>5}")
    per = {m: onc[m]["per_label"] for m in onc}
    for marker in sorted(set(per["rules"]["entity"]) | set(per["model"]["entity"])):
        cells = [per[m][v].get(marker, {}).get("f1", 0.0) for v in ("entity", "marker_status") for m in ("rules", "model")]
        print(f"{marker:<8} " + " ".join(f"{c:>9.3f}" for c in cells)
              + f" {per['rules']['entity'].get(marker, {}).get('support', 0):>5}")

    print(f"\n== infectiology CU6 on the test split ({len(texts)} documents)")
    inf = both("infectiology", "infectio", split["test"], "commons test split")
    for metric in inf["rules"]["metrics"]:
        print(f"{metric:<24} rules {_value(inf['rules'], metric)}   model {_value(inf['model'], metric)}")
    for label, row in inf["rules"]["per_label"]["entity"].items():
        print(f"  {label:<12} rules F1={row['f1']:.3f} "
              f"model F1={inf['model']['per_label']['entity'].get(label, {}).get('f1', 0.0):.3f}")

    print("\n== response to treatment CU5b")
    for title, patients in (("commons test split", split["test"]), ("generated seed 101", list(generate(200, 101)))):
        r = both("response", "response", patients, title)
        print(f"{title:<20} n={r['rules']['n_documents']:<4} rules acc={_value(r['rules'], 'accuracy')} "
              f"macroF1={_value(r['rules'], 'macro_f1')}   model acc={_value(r['model'], 'accuracy')} "
              f"macroF1={_value(r['model'], 'macro_f1')}")

    print(f"\n== throughput ({len(texts)} test documents, warm models)")
    oncology_model.extract_batch(texts[:4])
    infectiology_model.extract_batch(texts[:4])
    rates = {
        "oncology rules": _rate(lambda ts: [oncology.extract(t) for t in ts], texts),
        "oncology model (batched)": _rate(oncology_model.extract_batch, texts),
        "oncology model (extract per doc)": _rate(lambda ts: [oncology.extract(t, method="model") for t in ts], texts),
        "infectio rules": _rate(lambda ts: [infectiology.extract(t) for t in ts], texts),
        "infectio model (batched)": _rate(infectiology_model.extract_batch, texts),
        "response rules": _rate(lambda ts: [oncology.classify_response(t) for t in ts], texts),
        "response model (batched)": _rate(oncology_model.classify_batch, texts),
    }
    for name, r in rates.items():
        base = rates[name.split()[0] + " rules"]
        print(f"{name:<34} {r:>8.1f} docs/s  ({r / base:.3f}x rules)")


if __name__ == "__main__":
    main()
