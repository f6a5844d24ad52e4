"""Benchmark the model-backed use-case extractors against the rules, in the same process.

Trains the three use-case models (``usecases.model_store.train_usecase_models``: oncology and
CU6 span taggers, CU5b classifier) on the train split of the profile's commons, then on the test
split: oncology entity (overlap, strict), (marker, status) and TNM micro-F1; CU6 entity and
entity+negation micro-F1; CU5b accuracy and macro-F1 (the small commons' test split holds very few
follow-up documents, so CU5b is also scored on a freshly generated held-out cohort, seed 101);
documents/s of model inference vs rules. All F1 from ``partages_core.metrics``.

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
from partages_core.metrics import Counts, macro_f1, merge, micro
from partages_core.quality.splits import split_patients


def _f1(counts: dict) -> str:
    m = micro(counts)
    return f"P={m.precision:.3f} R={m.recall:.3f} F1={m.f1:.3f}"


def _rate(fn, texts: list[str]) -> float:
    tic = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - tic)


def _response(docs, classify) -> tuple[float, float, int]:
    counts, correct = [], 0
    labels = classify([d.text for d in docs])
    for d, label in zip(docs, labels):
        gold = d.response.label
        counts.append({gold: Counts(tp=1)} if label == gold else {gold: Counts(fn=1), label: Counts(fp=1)})
        correct += label == gold
    return correct / max(len(docs), 1), macro_f1(merge(*counts)), len(docs)


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
    from partages_core.usecases.infectiology import scoring as infectiology_eval
    from partages_core.usecases.oncology import model as oncology_model
    from partages_core.usecases.model_store import DEFAULT_STEPS, train_usecase_models

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
    print(f"\n== oncology CU5a on the test split ({len(split['test'])} patients, {len(texts)} documents)")
    onc = {m: oncology.evaluate(split["test"], m) for m in ("rules", "model")}
    for view in ("entity_overlap", "entity_strict", "marker_status", "tnm"):
        print(f"{view:<15} rules {_f1(onc['rules'][view])}   model {_f1(onc['model'][view])}")
    unmapped = sum(len(u) for _, u in oncology_model.extract_details(texts))
    print(f"model spans with no known marker (not returned, counted): {unmapped}")
    print(f"{'marker':<8} {'rules ovl':>9} {'model ovl':>9} {'rules m+s':>9} {'model m+s':>9} {'gold':>5}")
    for marker in sorted(set(onc["rules"]["entity_overlap"]) | set(onc["model"]["entity_overlap"])):
        cells = [onc[m][v].get(marker, Counts()).f1 for v in ("entity_overlap",) for m in ("rules", "model")]
        cells += [onc[m]["marker_status"].get(marker, Counts()).f1 for m in ("rules", "model")]
        gold = onc["rules"]["entity_overlap"].get(marker, Counts())
        print(f"{marker:<8} " + " ".join(f"{c:>9.3f}" for c in cells) + f" {gold.tp + gold.fn:>5}")

    print(f"\n== infectiology CU6 entities on the test split ({len(texts)} documents)")
    model_out = {t: {"entities": e, "susceptibility": r, "resistance": s}
                 for t, (e, r, s) in zip(texts, infectiology_model.extract_batch(texts))}
    inf = {"rules": infectiology_eval.evaluate(test_docs),
           "model": infectiology_eval.evaluate(test_docs, predict=lambda t: model_out[t])}
    for task in ("entity", "entity+negation", "triple"):
        print(f"{task:<16} rules {_f1(inf['rules'][task])}   model {_f1(inf['model'][task])}")
    for label in sorted(inf["rules"]["entity"]):
        print(f"  {label:<12} rules F1={inf['rules']['entity'][label].f1:.3f} "
              f"model F1={inf['model']['entity'].get(label, Counts()).f1:.3f}")

    print("\n== response to treatment CU5b")
    held = [d for p in generate(200, 101) for d in p.documents if d.response]
    for title, docs in (("commons test split", [d for d in test_docs if d.response]), ("generated seed 101", held)):
        r = _response(docs, lambda ts: [oncology.classify_response(t)["label"] for t in ts])
        m = _response(docs, lambda ts: [o["label"] for o in oncology_model.classify_batch(ts)])
        print(f"{title:<20} n={r[2]:<4} rules acc={r[0]:.3f} macroF1={r[1]:.3f}   model acc={m[0]:.3f} macroF1={m[1]:.3f}")

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
