"""What the hybrid misses on dev-side text its NER never read: a two-fold cross-fit, dev side only.

The NER trains on the EDS-Pseudo training fold and the hand-written dev part, so the hybrid's misses there
are in-sample. Here both sets are cut in two halves by a hash of the document id; for each half a one-seed
NER (the hybrid's recipe, on its stretches) is trained on the pool without that half (the commons train
split always in), then the hybrid with that NER reads the half. Every identifier left in clear is
classified: ``not read`` (outside the NER's stretches), ``NER silent`` (read, nothing proposed) or
``dropped`` (proposed, then lost in the arbitration or to the clinical protections). Never reads the
frozen hand-written part or the EDS-Pseudo held-out fold.

Printed: per set, hybrid and rules-alone leak with a 95 % document-bootstrap interval, documents fully
redacted, detections touching no gold span, hand-written clinical spans overlapped, then every miss in
context (dev text only). Two trainings of about 2-5 minutes each on a busy core; ``--reuse`` keeps the
models already in ``--out``.

Run: OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/pseudo_crossfit.py [--out DIR] [--reuse] [--json OUT]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
CLINICAL_LAYERS = ("oncology", "infectio", "resistance")


def half(doc_id: str) -> int:
    """0 or 1 for a pool id ("eds:…", "hw:…"), fixed by a hash of the id."""
    return int(hashlib.sha256(("xf|" + doc_id).encode("utf-8")).hexdigest()[:8], 16) % 2


def dev_docs():
    """(pool id, text, identifying gold spans, clinical spans) of the hand-written dev part and the EDS-Pseudo
    training fold."""
    from partages_core.corpus.handwritten import load_handwritten
    from partages_core.governance import ner

    out = []
    for p in load_handwritten("dev"):
        for d in p.documents:
            gold = [(s.start, s.end, s.label) for s in d.spans("pseudo") if s.label != "DATE_NON_IDENTIFIANTE"]
            clinical = [(s.start, s.end) for layer in CLINICAL_LAYERS for s in d.spans(layer)]
            out.append((f"hw:{d.id}", d.text, gold, clinical + [(r.start, r.end) for r in d.antibiogram]))
    for ex in ner.eds_pseudo_examples("train"):
        gold = [(s["start"], s["end"], s["label"]) for s in ex.gold["spans"] if s["label"] != "DATE_NON_IDENTIFIANTE"]
        out.append((f"eds:{ex.doc_id}", ex.text, gold, []))
    return out


def train(k: int, out: Path, reuse: bool) -> Path:
    """The one-seed NER trained on the pool without half ``k`` (the commons always in)."""
    from partages_core.governance import ner
    from partages_core.governance.pseudonymisation import model_regions

    path = out / f"without-half-{k}"
    if reuse and ner.is_built(path):
        return path
    pool = [(i, t, s) for i, t, s in ner.training_pool(ner.Budget()) if i.startswith("commons:") or half(i) != k]
    ner.build_model(path, replace(ner.Budget(), soup=1), print, regions=model_regions, pool=pool)
    return path


def bootstrap(rows: list[tuple[int, int]], seed: int = 13, n: int = 1000) -> tuple[float, float, float]:
    """Ratio sum(a)/sum(b) over documents and its 95 % document-bootstrap interval."""
    rng = random.Random(seed)
    vals = []
    for _ in range(n):
        smp = [rows[rng.randrange(len(rows))] for _ in rows]
        vals.append(sum(a for a, _ in smp) / max(1, sum(b for _, b in smp)))
    vals.sort()
    return sum(a for a, _ in rows) / max(1, sum(b for _, b in rows)), vals[int(0.025 * n)], vals[int(0.975 * n) - 1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/pseudo-crossfit", help="Where the two models are kept.")
    ap.add_argument("--reuse", action="store_true", help="Keep models already built in --out.")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    from partages_core.governance import ner
    from partages_core.governance import pseudonymisation as P

    docs = dev_docs()
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    per_doc: dict[str, list[tuple[int, int, int]]] = collections.defaultdict(list)
    misses = []
    for k in (0, 1):
        model = train(k, Path(args.out), args.reuse)
        part = [d for d in docs if half(d[0]) == k]
        texts = [t for _, t, _, _ in part]
        rules = [P._rule_candidates(t, None) for t in texts]
        regions = [P._model_regions(t, r) for t, r in zip(texts, rules)]
        spans = ner.model_spans(texts, str(model), regions)
        for (i, t, gold, clinical), r, reg, sp in zip(part, rules, regions, spans):
            hybrid, alone = P._finish(t, r + P._arbitrate_model(t, sp)), P._finish(t, r)
            src = i.split(":")[0]
            st = stats[src]
            hit = lambda s, e, ents: any(x["start"] < e and s < x["end"] for x in ents)  # noqa: E731
            leaked = [(s, e, lb) for s, e, lb in gold if not hit(s, e, hybrid)]
            per_doc[src].append((len(leaked), sum(not hit(s, e, alone) for s, e, _ in gold), len(gold)))
            st["documents"] += 1
            st["off_gold"] += sum(not any(x["start"] < e and s < x["end"] for s, e, _ in gold) for x in hybrid)
            st["clinical"] += len(clinical)
            st["clinical_overlapped"] += sum(hit(s, e, hybrid) for s, e in clinical)
            for s, e, lb in leaked:
                why = ("not read" if not any(a < e and s < b for a, b in reg) else
                       "dropped" if any(x["start"] < e and s < x["end"] for x in sp) else "NER silent")
                st[why] += 1
                misses.append({"doc": i, "label": lb, "text": t[s:e], "why": why,
                               "context": (t[max(0, s - 60):s] + "[[" + t[s:e] + "]]" + t[e:e + 40]).replace("\n", "⏎")})
    report = {}
    for src, rows in per_doc.items():
        hy = bootstrap([(a, n) for a, _, n in rows])
        ru = bootstrap([(b, n) for _, b, n in rows])
        full = bootstrap([(int(a == 0), 1) for a, _, _ in rows])
        report[src] = {"documents": len(rows), "identifiers": sum(n for *_, n in rows),
                       "hybrid_leaked": sum(a for a, _, _ in rows), "rules_leaked": sum(b for _, b, _ in rows),
                       "hybrid_leak": hy, "rules_leak": ru, "fully_redacted": full, **stats[src]}
        print(f"{src}: {len(rows)} documents, {report[src]['identifiers']} identifiers; hybrid leak "
              f"{100 * hy[0]:.2f} % [{100 * hy[1]:.2f}, {100 * hy[2]:.2f}] ({report[src]['hybrid_leaked']}), rules "
              f"{100 * ru[0]:.2f} % [{100 * ru[1]:.2f}, {100 * ru[2]:.2f}] ({report[src]['rules_leaked']}); fully "
              f"redacted {100 * full[0]:.1f} % [{100 * full[1]:.1f}, {100 * full[2]:.1f}]; "
              + ", ".join(f"{k} {v}" for k, v in sorted(stats[src].items()) if k != "documents"))
    for m in misses:
        print(f"  {m['doc']} {m['label']} ({m['why']}): {m['context']}")
    if args.json:
        from partages_core.files import write_json

        write_json(args.json, {"sets": report, "misses": misses})


if __name__ == "__main__":
    main()
