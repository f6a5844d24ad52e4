"""How the hybrid holds on a hand its NER never read: leave-hands-out, dev side only (issue 22).

Every hand-written batch from 11 on was written by another hand (FORMAT.md's batch table), and the
shipped NER has read them all, so its figures on dev are in-sample. Here a group of hands is held out,
chosen before any result was seen: **batches 15-18, hw-257..hw-320** (64 documents, four hands). A
one-seed NER (the hybrid's recipe, soup=1, same epochs, on its stretches) is trained on the pool
without those documents (commons train, EDS-Pseudo training fold, the other hand-written dev
documents), then the hybrid with that NER (current rules) reads the held-out group. Printed: hybrid
and rules-alone leak with a 95 % document-bootstrap interval, the NER side (identifiers the rules
leave that the NER catches or not, per label), detections touching no gold span, hand-written
clinical spans overlapped (over-scrub), and the CPU-seconds of the training. ``--compare A B`` gives
the paired per-document difference of two variants' hybrid leaks (same documents, same seed).
Never reads the frozen hand-written part or the EDS-Pseudo held-out fold.

Variants (``--variant``, ``pseudo_crossfit.VARIANTS``): ``baseline`` (today's recipe; windows-v15 since session 18,
v14 in session 17, so session 16's results are ``v13``'s), ``v14`` (without the gold stretches), ``v13`` (without the
title-cased reading either), ``surrogates``
(``Budget.surrogate_copies``), ``casing`` (``Budget.casing_copies``), ``both``, ``commons120`` (half the commons documents), ``dropout35``
(dropout 0.35 instead of 0.2), ``casing-commons120``; ``--epochs`` and ``--seed`` override the epochs and seed.

Run: OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/pseudo_new_hand.py --variant baseline [--out DIR]
     OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/pseudo_new_hand.py --compare baseline surrogates [--out DIR]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

HELD_OUT = (257, 320)   # hw-257..hw-320: batches 15-18, chosen before any result was seen
NER_LABELS = ("NOM", "PRENOM", "VILLE", "HOPITAL", "ADRESSE")   # ner.MODEL_LABELS: what the NER can change
from pseudo_crossfit import VARIANTS  # noqa: E402  (the recipe variants, one list for both benchmarks)


def held_out(doc_id: str) -> bool:
    """True for a pool id ``hw:hw-NNN`` inside :data:`HELD_OUT`."""
    if not doc_id.startswith("hw:hw-"):
        return False
    try:
        n = int(doc_id.split("-", 1)[1])
    except ValueError:
        return False
    return HELD_OUT[0] <= n <= HELD_OUT[1]


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_variant(name: str, out: Path, epochs: int | None, seed: int, reuse: bool = False) -> dict:
    from pseudo_crossfit import dev_docs

    from partages_core.governance import ner
    from partages_core.governance import pseudonymisation as P

    budget = replace(ner.Budget(), soup=1, seed=seed, **VARIANTS[name])
    budget = replace(budget, epochs=epochs) if epochs else budget
    tag = f"{name}-e{budget.epochs}-s{seed}"
    path = out / tag
    pool = [(i, t, s) for i, t, s in ner.training_pool(budget) if not held_out(i)]
    t0 = cpu_seconds()
    if reuse and ner.is_built(path):   # the model of an earlier run: its training CPU-s from its result
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        train_cpu = json.loads((out / f"{tag}.json").read_text(encoding="utf-8"))["train_cpu_s"]
    else:
        meta = ner.build_model(path, budget, lambda m: None, regions=P.model_regions, pool=pool)
        train_cpu = cpu_seconds() - t0
    docs = [d for d in dev_docs() if held_out(d[0])]
    texts = [t for _, t, _, _ in docs]
    rules = [P._rule_candidates(t, None) for t in texts]
    regions = [P._model_regions(t, r) for t, r in zip(texts, rules)]
    spans = ner.model_spans(texts, str(path), regions)
    rows = []
    for (i, t, gold, clinical), r, reg, sp in zip(docs, rules, regions, spans):
        hybrid, alone = P._finish(t, r + P._arbitrate_model(t, sp)), P._finish(t, r)
        hit = lambda s, e, ents: any(x["start"] < e and s < x["end"] for x in ents)  # noqa: E731
        why = lambda s, e: ("not read" if not any(a < e and s < b for a, b in reg) else  # noqa: E731
                            "dropped" if hit(s, e, sp) else "NER silent")
        rows.append({"doc": i, "identifiers": len(gold), "labels": [lb for _, _, lb in gold],
                     "hybrid_leaked": [[lb, t[s:e]] for s, e, lb in gold if not hit(s, e, hybrid)],
                     "why": [why(s, e) for s, e, lb in gold if not hit(s, e, hybrid)],
                     "rules_leaked": [[lb, t[s:e]] for s, e, lb in gold if not hit(s, e, alone)],
                     "off_gold": sum(not hit(x["start"], x["end"], [{"start": s, "end": e} for s, e, _ in gold])
                                     for x in hybrid),
                     "clinical": len(clinical), "clinical_overlapped": sum(hit(s, e, hybrid) for s, e in clinical)})
    result = {"variant": name, "tag": tag, "epochs": budget.epochs, "seed": seed, "train_cpu_s": round(train_cpu, 1),
              "training_examples": meta["training_examples"], "train_documents": meta["train_documents"],
              "held_out": f"hw-{HELD_OUT[0]}..hw-{HELD_OUT[1]}", "documents": rows}
    (out / f"{tag}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def bootstrap(rows: list[tuple[float, int]], seed: int = 13, n: int = 2000) -> tuple[float, float, float]:
    """sum(a)/sum(b) over documents and its 95 % document-bootstrap interval (``pseudo_crossfit``'s, 2,000 draws)."""
    from pseudo_crossfit import bootstrap as ratio_bootstrap

    return ratio_bootstrap(rows, seed=seed, n=n)


def pct(x: tuple[float, float, float]) -> str:
    return f"{100 * x[0]:.2f} % [{100 * x[1]:.2f}, {100 * x[2]:.2f}]"


def summary(res: dict) -> None:
    rows = res["documents"]
    n = sum(r["identifiers"] for r in rows)
    hy = bootstrap([(len(r["hybrid_leaked"]), r["identifiers"]) for r in rows])
    ru = bootstrap([(len(r["rules_leaked"]), r["identifiers"]) for r in rows])
    clin = sum(r["clinical"] for r in rows)
    print(f"{res['tag']}: held out {res['held_out']}, {len(rows)} documents, {n} identifiers; training "
          f"{res['train_cpu_s']} CPU-s, {res['training_examples']} stretches from {res['train_documents']} documents")
    print(f"  hybrid leak {pct(hy)} ({sum(len(r['hybrid_leaked']) for r in rows)}); rules alone {pct(ru)} "
          f"({sum(len(r['rules_leaked']) for r in rows)}); off-gold detections {sum(r['off_gold'] for r in rows)}; "
          f"clinical spans overlapped {sum(r['clinical_overlapped'] for r in rows)}/{clin}")
    ner_ids = [sum(lb in NER_LABELS for lb in r.get("labels", [])) for r in rows]
    ner_hy = bootstrap([(sum(lb in NER_LABELS for lb, _ in r["hybrid_leaked"]), k) for r, k in zip(rows, ner_ids)])
    ner_ru = sum(lb in NER_LABELS for r in rows for lb, _ in r["rules_leaked"])
    print(f"  NER labels ({', '.join(NER_LABELS)}; {sum(ner_ids)} identifiers): hybrid leak {pct(ner_hy)} "
          f"({sum(lb in NER_LABELS for r in rows for lb, _ in r['hybrid_leaked'])}); the rules leave {ner_ru}")
    by = collections.defaultdict(lambda: [0, 0, 0])   # label: rules leaked, NER caught, hybrid leaked
    for r in rows:
        for lb, _ in r["rules_leaked"]:
            by[lb][0] += 1
        for lb, _ in r["hybrid_leaked"]:
            by[lb][2] += 1
    if all("why" in r for r in rows):
        whys = collections.Counter(w for r in rows for (lb, _), w in zip(r["hybrid_leaked"], r["why"]) if lb in NER_LABELS)
        print("  NER labels left in clear: " + ", ".join(f"{k} {v}" for k, v in sorted(whys.items())))
    for lb, (a, _, c) in sorted(by.items()):
        print(f"  {lb}: rules leave {a}, hybrid leaves {c}")


def compare(a: dict, b: dict) -> None:
    ra = {r["doc"]: r for r in a["documents"]}
    rows = [(ra[r["doc"]], r) for r in b["documents"]]
    n = sum(x["identifiers"] for x, _ in rows)
    diff = bootstrap([(len(y["hybrid_leaked"]) - len(x["hybrid_leaked"]), x["identifiers"]) for x, y in rows])
    clin = bootstrap([(y["clinical_overlapped"] - x["clinical_overlapped"], max(1, x["clinical"])) for x, y in rows])
    k = lambda r: sum(lb in NER_LABELS for lb, _ in r["hybrid_leaked"])  # noqa: E731
    nd = bootstrap([(k(y) - k(x), sum(lb in NER_LABELS for lb in x.get("labels", []))) for x, y in rows])
    print(f"{b['tag']} - {a['tag']} (paired, NER labels): {100 * nd[0]:+.2f} points [{100 * nd[1]:+.2f}, "
          f"{100 * nd[2]:+.2f}] ({sum(map(k, (y for _, y in rows))) - sum(map(k, (x for x, _ in rows))):+d})")
    print(f"{b['tag']} - {a['tag']} (paired, {len(rows)} documents, {n} identifiers): hybrid leak "
          f"{100 * diff[0]:+.2f} points [{100 * diff[1]:+.2f}, {100 * diff[2]:+.2f}]; clinical overlapped "
          f"{sum(y['clinical_overlapped'] for _, y in rows) - sum(x['clinical_overlapped'] for x, _ in rows):+d}; "
          f"off-gold {sum(y['off_gold'] for _, y in rows) - sum(x['off_gold'] for x, _ in rows):+d}; CPU-s "
          f"{a['train_cpu_s']} -> {b['train_cpu_s']} (ratio {b['train_cpu_s'] / max(1e-9, a['train_cpu_s']):.2f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", choices=sorted(VARIANTS))
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="two result tags (e.g. baseline-e12-s13)")
    ap.add_argument("--reuse", action="store_true", help="Score a model already trained in --out again.")
    ap.add_argument("--out", default="/tmp/pseudo-new-hand", help="Where models and results are kept.")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.compare:
        res = []
        for tag in args.compare:
            f = out / f"{tag}.json"
            if not f.is_file():
                print(f"pseudo_new_hand: no result {f} (run --variant first)", file=sys.stderr)
                sys.exit(2)
            res.append(json.loads(f.read_text(encoding="utf-8")))
        if any("labels" not in r for x in res for r in x["documents"]):   # results written before labels were kept
            from pseudo_crossfit import dev_docs

            labels = {i: [lb for _, _, lb in g] for i, _, g, _ in dev_docs() if held_out(i)}
            for x in res:
                for r in x["documents"]:
                    r.setdefault("labels", labels[r["doc"]])
        for r in res:
            summary(r)
        compare(*res)
        return
    if not args.variant:
        print("pseudo_new_hand: give --variant or --compare", file=sys.stderr)
        sys.exit(2)
    summary(run_variant(args.variant, out, args.epochs, args.seed, args.reuse))


if __name__ == "__main__":
    main()
