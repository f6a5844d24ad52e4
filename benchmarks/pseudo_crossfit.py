"""What the hybrid misses on dev-side text its NER never read: a two-fold cross-fit, dev side only.

The NER trains on the EDS-Pseudo training fold and the hand-written dev part, so the hybrid's misses there
are in-sample. Here both sets are cut in two halves by a hash of the document id; for each half a one-seed
NER (the hybrid's recipe, on its stretches) is trained on the pool without that half (the commons train
split always in), then the hybrid with that NER reads the half. Every identifier left in clear is
classified: ``rules-side`` (a label the NER does not learn: dates, ids, phones, postcodes, jobs…), or, for the
NER's labels, ``not read`` (outside the NER's stretches), ``NER silent`` (read, nothing proposed) or ``dropped``
(proposed, then lost in the arbitration or to the clinical protections). Never reads the frozen hand-written
part or the EDS-Pseudo held-out fold.

``--variant`` trains both NERs with a recipe variant (``VARIANTS``: ``ner.Budget`` overrides; ``--seed``), and
the per-document result is kept in ``--out`` under the variant's tag; ``--compare A B`` gives the paired
per-document difference of two tags' hybrid leaks (same halves, same seed), per set, with the CPU-s of the
trainings.

Printed: per set, hybrid and rules-alone leak with a 95 % document-bootstrap interval, documents fully
redacted, detections touching no gold span, hand-written clinical spans overlapped, then every miss in
context (dev text only). Two trainings of about 2-5 minutes each on a busy core; ``--reuse`` keeps the
models already in ``--out``.

``--rules-from REV`` reads the variant's models (already in ``--out``) with the rules of an older commit and today's
arbitration: on these documents today's rules are in-sample (tuned on them) and leave the NER little; older rules leave
it what new text would (the tag gets ``-rules-REV``; ``--compare`` two such tags).

Run: OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/pseudo_crossfit.py [--variant V] [--seed S] [--out DIR] [--reuse]
     [--json OUT] [--rules-from REV]
     OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/pseudo_crossfit.py --compare v13-s13 baseline-s13
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
import resource
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
CLINICAL_LAYERS = ("oncology", "infectio", "resistance")
NER_LABELS = ("NOM", "PRENOM", "VILLE", "HOPITAL", "ADRESSE")   # ner.MODEL_LABELS (ner is imported late)


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


# recipe variants: ``ner.Budget`` overrides of today's recipe (windows-v15); pseudo_new_hand's and sessions 17-18's
VARIANTS = {"baseline": {}, "v14": {"gold_windows": False}, "v13": {"recase_capitals": False, "gold_windows": False},
            "surrogates": {"surrogate_copies": True}, "casing": {"casing_copies": True},
            "casing-v13": {"casing_copies": True, "recase_capitals": False, "gold_windows": False},
            "both": {"surrogate_copies": True, "casing_copies": True},
            "commons120": {"commons_docs": 120}, "dropout35": {"dropout": 0.35},
            "casing-commons120": {"casing_copies": True, "commons_docs": 120},
            "edsx2": {"eds_pseudo_copies": 2}, "epochs20": {"epochs": 20}, "epochs8": {"epochs": 8},
            "places2": {"place_copies": 2}, "edsx3": {"eds_pseudo_copies": 3}, "commons60": {"commons_docs": 60},
            "edsx3-commons120": {"eds_pseudo_copies": 3, "commons_docs": 120},
            "facility-capitals": {"facility_capitals": True}}
READING_ONLY = {"recase_capitals"}   # Budget fields that change how a model reads, not how it trains


def cpu_seconds() -> float:
    """CPU-seconds of this process (user + system)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def train(k: int, out: Path, reuse: bool, budget=None) -> tuple[Path, float | None]:
    """The one-seed NER trained on the pool without half ``k`` (the commons always in), and its training CPU-s
    (None when reused)."""
    from partages_core.governance import ner
    from partages_core.governance.pseudonymisation import model_regions

    budget = budget or replace(ner.Budget(), soup=1)
    path = out / f"without-half-{k}"
    if reuse and ner.is_built(path):
        return path, None
    pool = [(i, t, s) for i, t, s in ner.training_pool(budget) if i.startswith("commons:") or half(i) != k]
    t0 = cpu_seconds()
    ner.build_model(path, budget, print, regions=model_regions, pool=pool)
    return path, round(cpu_seconds() - t0, 1)


def bootstrap(rows: list[tuple[int, int]], seed: int = 13, n: int = 1000) -> tuple[float, float, float]:
    """Ratio sum(a)/sum(b) over documents and its 95 % document-bootstrap interval."""
    rng = random.Random(seed)
    vals = []
    for _ in range(n):
        smp = [rows[rng.randrange(len(rows))] for _ in rows]
        vals.append(sum(a for a, _ in smp) / max(1, sum(b for _, b in smp)))
    vals.sort()
    return sum(a for a, _ in rows) / max(1, sum(b for _, b in rows)), vals[int(0.025 * n)], vals[int(0.975 * n) - 1]


def classify(s: int, e: int, label: str, regions, proposed) -> str:
    """Why an identifier was left in clear: see the module docstring."""
    from partages_core.governance import ner

    if label not in ner.MODEL_LABELS:
        return "rules-side"
    if not any(a < e and s < b for a, b in regions):
        return "not read"
    return "dropped" if any(x["start"] < e and s < x["end"] for x in proposed) else "NER silent"


def compare(out: Path, a: str, b: str) -> None:
    """Paired per-document difference of two variants' hybrid leaks and off-gold detections, per set."""
    res = []
    for tag in (a, b):
        f = out / f"{tag}.json"
        if not f.is_file():
            print(f"pseudo_crossfit: no result {f} (run --variant first)", file=sys.stderr)
            sys.exit(2)
        res.append(json.loads(f.read_text(encoding="utf-8")))
    ra = {r["doc"]: r for r in res[0]["documents"]}
    for src in ("eds", "hw"):
        rows = [(ra[r["doc"]], r) for r in res[1]["documents"] if r["doc"].startswith(src + ":")]
        n = sum(x["identifiers"] for x, _ in rows)
        la = sum(len(x["hybrid_leaked"]) for x, _ in rows)
        lb = sum(len(y["hybrid_leaked"]) for _, y in rows)
        d = bootstrap([(len(y["hybrid_leaked"]) - len(x["hybrid_leaked"]), x["identifiers"]) for x, y in rows])
        og = bootstrap([(y["off_gold"] - x["off_gold"], 1) for x, y in rows])
        print(f"{src} ({len(rows)} documents, {n} identifiers): hybrid leak {a} {la} -> {b} {lb}, paired "
              f"{100 * d[0]:+.2f} points [{100 * d[1]:+.2f}, {100 * d[2]:+.2f}]; off-gold detections "
              f"{sum(x['off_gold'] for x, _ in rows)} -> {sum(y['off_gold'] for _, y in rows)} "
              f"(per document {og[0]:+.3f} [{og[1]:+.3f}, {og[2]:+.3f}])")
        by = collections.defaultdict(lambda: [0, 0])
        for x, y in rows:
            for lab, *_ in x["hybrid_leaked"]:
                by[lab][0] += 1
            for lab, *_ in y["hybrid_leaked"]:
                by[lab][1] += 1
        print("  by label: " + ", ".join(f"{lab} {p} -> {q}" for lab, (p, q) in sorted(by.items())))
        if all("ner_alone_missed" in x and "ner_alone_missed" in y for x, y in rows):
            k = lambda r: sum(lb in NER_LABELS for lb in r["labels"])  # noqa: E731
            m = bootstrap([(len(y["ner_alone_missed"]) - len(x["ner_alone_missed"]), k(x)) for x, y in rows])
            print(f"  the NER alone, {sum(k(x) for x, _ in rows)} identifiers of its labels: missed "
                  f"{sum(len(x['ner_alone_missed']) for x, _ in rows)} -> "
                  f"{sum(len(y['ner_alone_missed']) for _, y in rows)}, "
                  f"paired {100 * m[0]:+.2f} points [{100 * m[1]:+.2f}, {100 * m[2]:+.2f}]; off-gold "
                  f"{sum(x['ner_alone_off_gold'] for x, _ in rows)} -> {sum(y['ner_alone_off_gold'] for _, y in rows)}")
            caught = all("rules_left_caught" in x and "rules_left_caught" in y for x, y in rows)
            if caught:
                c = bootstrap([(len(y["rules_left_caught"]) - len(x["rules_left_caught"]), len(x["rules_left_names"]))
                               for x, y in rows])
                print(f"  the rules' leftovers of its labels: {sum(len(x['rules_left_names']) for x, _ in rows)}, "
                      f"caught by the hybrid {sum(len(x['rules_left_caught']) for x, _ in rows)} -> "
                      f"{sum(len(y['rules_left_caught']) for _, y in rows)}, paired {100 * c[0]:+.1f} points "
                      f"[{100 * c[1]:+.1f}, {100 * c[2]:+.1f}]")
            for lab in NER_LABELS:
                p = sum(lb == lab for x, _ in rows for lb, _ in x["ner_alone_missed"])
                q = sum(lb == lab for _, y in rows for lb, _ in y["ner_alone_missed"])
                n_lab = sum(lb == lab for x, _ in rows for lb in x["labels"])
                line = f"    {lab} ({n_lab}): NER alone missed {p} -> {q}"
                if caught:
                    line += (f"; rules' leftovers {sum(lb == lab for x, _ in rows for lb in x['rules_left_names'])}, "
                             f"caught {sum(lb == lab for x, _ in rows for lb in x['rules_left_caught'])} -> "
                             f"{sum(lb == lab for _, y in rows for lb in y['rules_left_caught'])}")
                print(line)
    print(f"training CPU-s (two NERs): {a} {res[0]['train_cpu_s']} -> {b} {res[1]['train_cpu_s']}")


def pool_summary(budget) -> None:
    """What the NER is trained on, per source (commons, hand-written, EDS-Pseudo) and label: documents, words and
    gold spans of the pool, then what reaches training (calibration tenth out): the stretches the hybrid reads
    (``regions``, after the rules) and, with ``Budget.gold_windows``, the gold stretches added."""
    from partages_core.governance import ner
    from partages_core.governance.pseudonymisation import model_regions

    pool = ner.training_pool(budget)
    rows: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for i, t, spans in pool:
        src = i.split(":")[0]
        c = rows[src]
        c["documents"] += 1
        c["words"] += len(t.split())
        for _, _, lb in spans:
            c[lb] += 1
        if ner._calibration(i):
            c["calibration documents"] += 1
            continue
        regions = list(model_regions(t))
        for tag, stretches in (("read", regions), ("read+gold", sorted([*regions, *ner.gold_stretches(t, spans)]))):
            for _, w, ws in ner.training_windows(t, spans, stretches):
                c[f"{tag} pieces"] += 1
                c[f"{tag} words"] += len(w.split())
                for _, _, lb in ws:
                    c[f"{tag} {lb}"] += 1
    for src, c in sorted(rows.items()):
        print(f"{src}: {c['documents']} documents ({c['calibration documents']} for calibration), {c['words']} words; "
              "gold " + ", ".join(f"{lb} {c[lb]}" for lb in ner.MODEL_LABELS))
        for tag in ("read", "read+gold"):
            print(f"  trained on, {tag}: {c[tag + ' pieces']} stretches, {c[tag + ' words']} words; "
                  + ", ".join(f"{lb} {c[f'{tag} {lb}']}" for lb in ner.MODEL_LABELS))


def older_rules(rev: str):
    """``pseudonymisation.py`` as it was at git revision ``rev``, imported beside the package (its relative imports
    read today's modules); exit 2 when git does not know the revision."""
    import importlib.util
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    got = subprocess.run(["git", "show", f"{rev}:partages_core/governance/pseudonymisation.py"], cwd=root,
                         capture_output=True, text=True)
    if got.returncode:
        print(f"pseudo_crossfit: no pseudonymisation.py at git revision {rev!r}", file=sys.stderr)
        sys.exit(2)
    src = Path(tempfile.mkdtemp(prefix="pseudo-crossfit-rules-")) / "pseudonymisation.py"
    src.write_text(got.stdout, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("partages_core.governance._older_rules", src)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/pseudo-crossfit", help="Where the two models are kept.")
    ap.add_argument("--reuse", action="store_true", help="Keep models already built in --out.")
    ap.add_argument("--json", default=None)
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="baseline")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--halves", type=int, nargs="+", choices=(0, 1), default=[0, 1],
                    help="Train and read only these halves (a quicker check of another seed).")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="two result tags (e.g. v13-s13 baseline-s13)")
    ap.add_argument("--pool", action="store_true",
                    help="What the NER is trained on, per source and label; no training.")
    ap.add_argument("--rules-from", metavar="REV", default=None,
                    help="Read with the rules of an older commit (its pseudonymisation.py; today's arbitration), so "
                         "that the rules are not in-sample; reuses the variant's models; tag suffix -rules-REV.")
    args = ap.parse_args()
    if args.pool:
        from partages_core.governance import ner

        pool_summary(ner.Budget())
        return
    if args.compare:
        compare(Path(args.out), *args.compare)
        return
    from partages_core.governance import ner
    from partages_core.governance import pseudonymisation as P

    tag = f"{args.variant}-s{args.seed}" + ("" if len(args.halves) == 2 else f"-half{args.halves[0]}")
    R = P   # the rules read with: today's, or an older commit's (--rules-from)
    if args.rules_from:
        R = older_rules(args.rules_from)
        tag += f"-rules-{args.rules_from}"
    budget = replace(ner.Budget(), soup=1, seed=args.seed, **VARIANTS[args.variant])
    trained = {k: v for k, v in VARIANTS[args.variant].items() if k not in READING_ONLY}
    # a variant that differs only in how the model reads reuses the models of the same training
    models = next((f"{v}-s{args.seed}" for v, o in VARIANTS.items() if o == trained), f"{args.variant}-s{args.seed}")
    cpu: list[float | None] = []
    rows_out = []
    earlier = Path(args.out) / f"{models}.json"
    earlier_cpu = json.loads(earlier.read_text(encoding="utf-8"))["train_cpu_s"] if earlier.is_file() else None

    docs = dev_docs()
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    per_doc: dict[str, list[tuple[int, int, int]]] = collections.defaultdict(list)
    misses = []
    for k in args.halves:
        model, c = train(k, Path(args.out) / models, args.reuse or models != tag, budget)
        cpu.append(c)
        part = [d for d in docs if half(d[0]) == k]
        texts = [t for _, t, _, _ in part]
        rules = [R._rule_candidates(t, None) for t in texts]
        regions = [R._model_regions(t, r) for t, r in zip(texts, rules)]
        spans = ner.model_spans(texts, str(model), regions, recase=budget.recase_capitals)
        # the NER alone: reading around every capitalised word, as if the rules had found nothing (new text, where
        # the rules were not tuned, leaves it more to do); what it proposes after the clinical protections
        alone_spans = ner.model_spans(texts, str(model), [P._model_regions(t, []) for t in texts],
                                      recase=budget.recase_capitals)
        for (i, t, gold, clinical), r, reg, sp, sp0 in zip(part, rules, regions, spans, alone_spans):
            hybrid, alone = R._finish(t, r + P._arbitrate_model(t, sp)), R._finish(t, r)
            src = i.split(":")[0]
            st = stats[src]
            hit = lambda s, e, ents: any(x["start"] < e and s < x["end"] for x in ents)  # noqa: E731
            leaked = [(s, e, lb) for s, e, lb in gold if not hit(s, e, hybrid)]
            per_doc[src].append((len(leaked), sum(not hit(s, e, alone) for s, e, _ in gold), len(gold)))
            st["documents"] += 1
            off = sum(not any(x["start"] < e and s < x["end"] for s, e, _ in gold) for x in hybrid)
            st["off_gold"] += off
            st["clinical"] += len(clinical)
            st["clinical_overlapped"] += sum(hit(s, e, hybrid) for s, e in clinical)
            kept = [{"start": c[0], "end": c[1], "label": c[2]} for c in P._arbitrate_model(t, sp0)]
            names = [(s, e, lb) for s, e, lb in gold if lb in ner.MODEL_LABELS]
            rows_out.append({"doc": i, "identifiers": len(gold), "labels": [lb for _, _, lb in gold], "off_gold": off,
                             "ner_alone_missed": [[lb, t[s:e]] for s, e, lb in names if not hit(s, e, kept)],
                             "ner_alone_off_gold": sum(not any(x["start"] < e and s < x["end"] for s, e, _ in gold)
                                                       for x in kept),
                             "hybrid_leaked": [[lb, t[s:e], classify(s, e, lb, reg, sp)] for s, e, lb in leaked],
                             "rules_leaked": [[lb, t[s:e]] for s, e, lb in gold if not hit(s, e, alone)],
                             # the rules' leftovers of the NER's labels, and those the hybrid (its NER) catches
                             "rules_left_names": [lb for s, e, lb in names if not hit(s, e, alone)],
                             "rules_left_caught": [lb for s, e, lb in names
                                                   if not hit(s, e, alone) and hit(s, e, hybrid)]})
            for s, e, lb in leaked:
                why = classify(s, e, lb, reg, sp)
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
    for src in per_doc:
        by = collections.defaultdict(collections.Counter)
        for m in misses:
            if m["doc"].startswith(src + ":"):
                by[m["label"]][m["why"]] += 1
        print(f"{src} left in clear, by label: " + "; ".join(
            f"{lb} {sum(c.values())} (" + ", ".join(f"{w} {v}" for w, v in sorted(c.items())) + ")"
            for lb, c in sorted(by.items())))
    for src in per_doc:
        rows = [r for r in rows_out if r["doc"].startswith(src + ":")]
        n = sum(lb in NER_LABELS for r in rows for lb in r["labels"])
        ms = bootstrap([(len(r["ner_alone_missed"]), sum(lb in NER_LABELS for lb in r["labels"])) for r in rows])
        print(f"{src}, the NER alone (read around every capitalised word, no rules): misses {100 * ms[0]:.2f} % "
              f"[{100 * ms[1]:.2f}, {100 * ms[2]:.2f}] of {n} identifiers of its labels "
              f"({sum(len(r['ner_alone_missed']) for r in rows)}); "
              f"off-gold {sum(r['ner_alone_off_gold'] for r in rows)}")
        for lab in NER_LABELS:
            n_lab = sum(lb == lab for r in rows for lb in r["labels"])
            left = sum(lb == lab for r in rows for lb in r["rules_left_names"])
            print(f"  {lab}: NER alone misses {sum(lb == lab for r in rows for lb, _ in r['ner_alone_missed'])} of "
                  f"{n_lab}; the rules leave {left}, the hybrid catches "
                  f"{sum(lb == lab for r in rows for lb in r['rules_left_caught'])} of them")
    print(f"training CPU-s per NER: {cpu} ({tag})")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / f"{tag}.json").write_text(json.dumps(
        {"tag": tag, "train_cpu_s": earlier_cpu if None in cpu else round(sum(cpu), 1), "documents": rows_out},
        ensure_ascii=False, indent=1), encoding="utf-8")
    for m in misses:
        print(f"  {m['doc']} {m['label']} ({m['why']}): {m['context']}")
    if args.json:
        from partages_core.files import write_json

        write_json(args.json, {"sets": report, "misses": misses})


if __name__ == "__main__":
    main()
