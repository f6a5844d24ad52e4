"""How much the hybrid's NER moves from one training seed to the next, measured on dev-side data only.

The calibration fold (``ner._calibration``: one tenth of the training pool — commons train, EDS-Pseudo
training fold, hand-written dev — chosen by a hash of the document id, never trained on) is the only
text read here: never the frozen hand-written part, never the EDS-Pseudo held-out fold.

For each seed the model is trained once (``ner.build_model`` with ``keep_raw``) and read two ways: the
weights after the last update ("raw", what the build saved before) and the optimizer's running
average of the weights ("averaged", spaCy's own practice when it saves a checkpoint). Per seed and
per reading: hybrid leak on the calibration documents (gold identifiers with no altering detection),
the model's misses and false spans on the calibration windows; across seeds: mean, spread, and the
spans on which two seeds disagree.

``--soups 13,14,15 16,17,18`` also averages each group's models into one (``ner.average_models``, what the
build does with ``Budget.soup``) and says on how many spans two such soups disagree.

Run: OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/ner_stability.py --seeds 13 14 15 \
         [--soups 13,14,15 16,17,18] [--reuse] [--out DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
NOT_IDENTIFYING = ("DATE_NON_IDENTIFIANTE",)


def calibration_docs():
    """(id, text, every gold span) of the calibration fold, all labels (the hybrid's leak counts them all)."""
    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.handwritten import load_handwritten
    from partages_core.config import get_profile
    from partages_core.governance import ner
    from partages_core.quality.splits import split_patients

    ids = {i for i, _, _ in ner.training_pool() if ner._calibration(i)}
    out = []
    commons = load_commons()
    for p in split_patients(commons.patients, seed=get_profile().seed)["train"]:
        for d in p.documents:
            if f"commons:{d.id}" in ids:
                out.append((f"commons:{d.id}", d.text, [(s.start, s.end, s.label) for s in d.spans("pseudo")]))
    for p in load_handwritten("dev"):
        for d in p.documents:
            if f"hw:{d.id}" in ids:
                out.append((f"hw:{d.id}", d.text, [(s.start, s.end, s.label) for s in d.spans("pseudo")]))
    for ex in ner.eds_pseudo_examples("train"):
        if f"eds:{ex.doc_id}" in ids:
            out.append((f"eds:{ex.doc_id}", ex.text, [(s["start"], s["end"], s["label"]) for s in ex.gold["spans"]]))
    return out


def hybrid_leaks(docs, model: str) -> list[tuple[str, int, int, str]]:
    """The identifying gold spans that the hybrid (with ``model``) overlaps with no altering detection."""
    from partages_core.governance.pseudonymisation import detect_many

    ents = detect_many([t for _, t, _ in docs], method="hybrid", model=model)
    leaks = []
    for (i, _t, gold), es in zip(docs, ents):
        alt = [e for e in es if e["label"] not in NOT_IDENTIFYING]
        for s, e, lb in gold:
            if lb in NOT_IDENTIFYING:
                continue
            if not any(x["start"] < e and s < x["end"] for x in alt):
                leaks.append((i, s, e, lb))
    return leaks


def model_view(docs, model: str) -> set[tuple[str, int, int, str]]:
    """Every model entity on the calibration documents, read through the hybrid's windows."""
    from partages_core.governance.ner import model_spans
    from partages_core.governance.pseudonymisation import model_regions

    texts = [t for _, t, _ in docs]
    spans = model_spans(texts, model, [model_regions(t) for t in texts])
    return {(i, s["start"], s["end"], s["label"]) for (i, _, _), sp in zip(docs, spans) for s in sp}


def ner_errors(docs, view) -> dict:
    """Gold spans of the model's labels that no model span overlaps (missed), and model spans no gold overlaps (false)."""
    from partages_core.governance.ner import MODEL_LABELS

    by_doc: dict[str, list] = {}
    for i, s, e, lb in view:
        by_doc.setdefault(i, []).append((s, e, lb))
    missed = false = 0
    for i, _t, gold in docs:
        g = [x for x in gold if x[2] in MODEL_LABELS]
        p = by_doc.get(i, [])
        missed += sum(1 for s, e, _ in g if not any(a < e and s < b for a, b, _ in p))
        false += sum(1 for a, b, _ in p if not any(a < e and s < b for s, e, _ in g))
    return {"missed": missed, "false": false}


def main() -> None:
    """Build (or reuse) each seed's model, then print and optionally write the per-seed and pairwise figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15])
    ap.add_argument("--out", default="/tmp/ner_stability")
    ap.add_argument("--json")
    ap.add_argument("--reuse", action="store_true", help="read models already built in --out")
    ap.add_argument("--soups", nargs="*", default=[], metavar="SEEDS",
                    help="groups of seeds ('13,14,15' '16,17,18'), each averaged into one model (ner.average_models), "
                         "then compared with each other; their members are built (averaged weights) when missing")
    args = ap.parse_args()
    from partages_core.governance import ner
    from partages_core.governance.pseudonymisation import model_regions

    docs = calibration_docs()
    n_ids = sum(1 for _, _, g in docs for x in g if x[2] not in NOT_IDENTIFYING)
    print(f"calibration fold: {len(docs)} documents, {n_ids} identifying gold spans "
          f"({', '.join(f'{k} {sum(1 for i, _, _ in docs if i.startswith(k))}' for k in ('commons', 'hw', 'eds'))})")
    out = Path(args.out)
    rows: dict[str, dict] = {}
    views: dict[str, dict] = {"raw": {}, "averaged": {}}
    for seed in args.seeds:
        avg, raw = out / f"seed{seed}", out / f"seed{seed}-raw"
        if not (args.reuse and ner.is_built(avg) and ner.is_built(raw)):
            t0 = time.perf_counter()
            ner.build_model(avg, ner.Budget(seed=seed, soup=1), log=lambda m: None, regions=model_regions, keep_raw=raw)
            print(f"seed {seed}: built in {time.perf_counter() - t0:.0f} s")
        for reading, path in (("raw", raw), ("averaged", avg)):
            leaks = hybrid_leaks(docs, str(path))
            view = model_view(docs, str(path))
            views[reading][seed] = view
            rows[f"{reading} seed {seed}"] = {"hybrid_leaks": len(leaks), **ner_errors(docs, view)}
            print(f"{reading:9s} seed {seed}: hybrid leaks {len(leaks)}/{n_ids}, model {rows[f'{reading} seed {seed}']}")
    summary = {}
    for reading in ("raw", "averaged"):
        vals = [rows[f"{reading} seed {s}"] for s in args.seeds]
        leaks = [v["hybrid_leaks"] for v in vals]
        dis = [len(views[reading][a] ^ views[reading][b]) for a, b in itertools.combinations(args.seeds, 2)]
        summary[reading] = {"hybrid_leaks": leaks, "mean": round(statistics.mean(leaks), 2),
                            "range": max(leaks) - min(leaks),
                            "sd": round(statistics.stdev(leaks), 2) if len(leaks) > 1 else 0.0,
                            "missed": [v["missed"] for v in vals], "false": [v["false"] for v in vals],
                            "pairwise_disagreeing_spans": dis}
        print(f"{reading:9s}: leaks {leaks} (mean {summary[reading]['mean']}, range {summary[reading]['range']}, "
              f"sd {summary[reading]['sd']}); model missed {summary[reading]['missed']}, false {summary[reading]['false']}; "
              f"spans two seeds disagree on {dis}")
    groups = [[int(x) for x in g.split(",")] for g in args.soups]
    if groups:
        soup_views, soup_rows = [], {}
        for g in groups:
            for seed in g:
                if not ner.is_built(out / f"seed{seed}"):
                    ner.build_model(out / f"seed{seed}", ner.Budget(seed=seed, soup=1), log=lambda m: None,
                                    regions=model_regions)
            name = "soup " + ",".join(map(str, g))
            path = out / ("soup" + "-".join(map(str, g)))
            ner.average_models([out / f"seed{s}" for s in g], path, log=lambda m: None)
            view = model_view(docs, str(path))
            soup_views.append(view)
            soup_rows[name] = {"hybrid_leaks": len(hybrid_leaks(docs, str(path))), **ner_errors(docs, view)}
            print(f"{name}: hybrid leaks {soup_rows[name]['hybrid_leaks']}/{n_ids}, model {soup_rows[name]}")
        dis = [len(a ^ b) for a, b in itertools.combinations(soup_views, 2)]
        summary["soups"] = {"rows": soup_rows, "pairwise_disagreeing_spans": dis}
        print(f"soups    : spans two soups disagree on {dis}")
    if args.json:
        Path(args.json).write_text(json.dumps({"documents": len(docs), "identifiers": n_ids, "rows": rows,
                                               "summary": summary}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
