"""Benchmark of the CU6 infectiology extractor (rules): quality, negation on real text, speed.

1. Per-label micro-F1 (entity, entity+negation, triple, susceptibility, resistance) on the commons
   test split and on 600 fresh patients (seed 2027) for a bigger held-out sample. Targets: >= 0.95.
2. Negation accuracy on real French clinical cases (E3C layer 1, EVENT/@polarity), this
   extractor's negation rule vs EDS-NLP's eds.negation, same events, same run.
3. Speed: documents/s of the rules path (target >= 500), vs a baseline in the same process
   (EDS-NLP eds.drugs + eds.negation pipeline over the same texts).

Run: PYTHONPATH=. python benchmarks/bench_infectiology.py [--e3c DIR]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

E3C = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "E3C"


def quality() -> None:
    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.generator import generate
    from partages_core.metrics import micro
    from partages_core.quality.splits import split_patients
    from partages_core.usecases.infectiology.scoring import evaluate, report

    commons = load_commons()
    test = split_patients(commons.patients, seed=13)["test"]
    fresh = list(generate(600, 2027))
    for name, patients in (("commons test split", test), ("fresh 600 patients, seed 2027", fresh)):
        docs = [d for p in patients for d in p.documents]
        print(f"\n== quality on {name}: {len(patients)} patients, {len(docs)} documents ==")
        counts = evaluate(docs)
        print("-- micro-F1 " + ", ".join(f"{t} {micro(c).f1:.3f}" for t, c in counts.items()))
        for row in report(counts):
            print(f"   {row['task']:<20} {row['label']:<26} tp={row['tp']:<4} fp={row['fp']:<4} "
                  f"fn={row['fn']:<4} P={row['precision']:.3f} R={row['recall']:.3f} F1={row['f1']:.3f}")


def e3c_events(folder: Path) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(doc id, text, [(begin, end, polarity)]) of every E3C French layer-1 document."""
    from partages_core.corpus.io.e3c import read_e3c

    out = []
    for path in sorted((folder / "data_annotation" / "French" / "layer1").glob("*.xml")):
        doc_id, text, events = read_e3c(path)
        out.append((doc_id, text, [(e["start"], e["end"], e["polarity"]) for e in events]))
    return out


def negation(folder: Path) -> None:
    from partages_core.usecases.infectiology.lexicon import fold
    from partages_core.usecases.infectiology.rules import negation_of

    if not (folder / "data_annotation").is_dir():
        print(f"\n== negation on E3C: skipped ({folder} not found) ==")
        return
    docs = e3c_events(folder)
    gold, ours, eds = [], [], []
    t0 = time.perf_counter()
    for _, text, events in docs:
        folded = fold(text)
        for b, e, pol in events:
            gold.append(pol == "NEG")
            ours.append(negation_of(folded, b, e) == "Absent")
    t_ours = time.perf_counter() - t0
    try:
        import edsnlp
    except ImportError:
        edsnlp = None
    if edsnlp is not None:
        nlp = edsnlp.blank("eds")
        nlp.add_pipe("eds.sentences")
        nlp.add_pipe("eds.negation", config=dict(span_getter=["events"]))
        t0 = time.perf_counter()
        for _, text, events in docs:
            doc = nlp.make_doc(text)
            spans = [doc.char_span(b, e, alignment_mode="expand") for b, e, _ in events]
            doc.spans["events"] = [s for s in spans if s is not None]
            for _, pipe in nlp.pipeline:
                doc = pipe(doc)
            by_offsets = {}
            for s in doc.spans["events"]:
                by_offsets.setdefault((s.start_char, s.end_char), bool(s._.negation))
            for b, e, _ in events:
                span = doc.char_span(b, e, alignment_mode="expand")
                eds.append(by_offsets.get((span.start_char, span.end_char), False) if span else False)
        t_eds = time.perf_counter() - t0
    print(f"\n== negation on E3C French layer 1 (real clinical cases): {len(docs)} documents, "
          f"{len(gold)} events, {sum(gold)} negated ==")
    for name, pred, secs in (("infectiology rules", ours, t_ours), ("EDS-NLP eds.negation", eds, None)):
        if not pred:
            print(f"   {name:<22} skipped (edsnlp not installed)")
            continue
        secs = secs if secs is not None else t_eds
        acc = sum(p == g for p, g in zip(pred, gold)) / len(gold)
        tp = sum(p and g for p, g in zip(pred, gold))
        prec = tp / max(1, sum(pred))
        rec = tp / max(1, sum(gold))
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"   {name:<22} accuracy={acc:.3f}  NEG P={prec:.3f} R={rec:.3f} F1={f1:.3f}  ({secs:.2f} s)")
    print(f"   majority baseline (all POS) accuracy={1 - sum(gold) / len(gold):.3f}")


def speed() -> None:
    from partages_core.corpus.commons import load_commons
    from partages_core.usecases.infectiology import extract

    texts = [d.text for p in load_commons().patients for d in p.documents]
    extract(texts[0])  # compile the lexicon once
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for text in texts:
            extract(text)
        best = min(best, time.perf_counter() - t0)
    rate = len(texts) / best
    print(f"\n== speed: rules path on {len(texts)} commons documents ==")
    print(f"   infectiology rules: {rate:.0f} docs/s (best of 3; target >= 500: "
          f"{'OK' if rate >= 500 else 'MISSED'})")
    try:
        import edsnlp
    except ImportError:
        print("   baseline skipped (edsnlp not installed)")
        return
    nlp = edsnlp.blank("eds")
    for pipe in ("eds.sentences", "eds.drugs", "eds.negation"):
        nlp.add_pipe(pipe)
    sample = texts[:200]
    nlp(sample[0])
    t0 = time.perf_counter()
    for text in sample:
        nlp(text)
    base = len(sample) / (time.perf_counter() - t0)
    print(f"   baseline EDS-NLP (sentences+drugs+negation): {base:.0f} docs/s; ratio rules/baseline = {rate / base:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e3c", type=Path, default=Path(os.environ.get("PARTAGES_E3C", "/work/shared/data/E3C")))
    args = parser.parse_args()
    quality()
    negation(args.e3c)
    speed()


if __name__ == "__main__":
    main()
