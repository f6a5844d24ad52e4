"""Benchmark of the CU6 infectiology extractor (rules): quality, negation on real text, speed.

1. The ``infectiology`` evaluation task's metrics (entity, entity+negation, triple, antibiogram,
   resistance; the leaderboard's definitions, with 95 % bootstrap intervals) for ``infectio-rules``
   on the commons test split and on 600 fresh patients (seed 2027). Targets: >= 0.95.
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


def commons_figures(task: str = "infectiology", system: str = "infectio-rules", commons=None,
                    n_boot: int = 1000) -> dict:
    """The result record of ``system`` on the commons test split: the leaderboard's own figures."""
    from partages_core.evaluation import runner

    return runner.evaluate(task, system, commons=commons, n_boot=n_boot)


def _print(res: dict) -> None:
    for m, v in res["metrics"].items():
        print(f"   {m:<22} " + ("n/a" if not v else f"{v['value']:.3f} [{v['ci_low']:.3f}, {v['ci_high']:.3f}]"))
    for view, rows in res["per_label"].items():
        for label, r in rows.items():
            print(f"   {view:<16} {label:<26} tp={r['tp']:<4} fp={r['fp']:<4} fn={r['fn']:<4} "
                  f"P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}")


def quality() -> None:
    from partages_core.corpus.generator import generate
    from partages_core.evaluation import runner

    res = commons_figures()
    print(f"\n== infectiology / infectio-rules on the commons test split: {res['n_documents']} documents ==")
    _print(res)
    fresh = runner.on_patients("infectiology", list(generate(600, 2027)), "generated:600 patients:seed 2027")
    res = runner.evaluate("infectiology", "infectio-rules", data=fresh)
    print(f"\n== infectiology / infectio-rules on 600 fresh patients (seed 2027): {res['n_documents']} documents ==")
    _print(res)


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
