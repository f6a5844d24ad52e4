"""Transfer gap of the commons: a pseudonymisation tagger trained on the commons alone, scored on
the commons test split and on the hand-written dev part (text the generator did not write).

Reuses the use-case tagger training path (``models.usecase_models.line_examples`` +
``models.heads.SpanTagger``, line by line) with a small budget; strict and overlap span F1 with a
95 % bootstrap interval over documents. Writes ``--json`` for the dataset card and notebook 00.
Run: ``.venv/bin/python benchmarks/transfer_gap.py [--patients 300 --steps 300]``.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from partages_core.corpus.generator import generate
from partages_core.corpus.handwritten import load_handwritten
from partages_core.metrics import merge, micro, span_counts
from partages_core.models.heads import SpanTagger
from partages_core.quality.splits import split_patients
from partages_core.models.usecase_models import line_examples, predict_lines, training_lines


def doc_counts(tagger, patients, mode: str) -> list:
    docs = [d for p in patients for d in p.documents]
    preds = predict_lines(tagger, [d.text for d in docs])
    out = []
    for d, pred in zip(docs, preds):
        gold = [{"start": s.start, "end": s.end, "label": s.label} for s in d.spans("pseudo")]
        out.append(span_counts(gold, pred, lambda x: x["label"], mode))
    return out


def f1_ci(per_doc: list, seed: int = 13, n: int = 1000) -> tuple[float, float, float]:
    rng = random.Random(seed)
    point = micro(merge(*per_doc)).f1
    boots = sorted(micro(merge(*(rng.choice(per_doc) for _ in per_doc))).f1 for _ in range(n))
    return round(point, 3), round(boots[int(0.025 * n)], 3), round(boots[int(0.975 * n) - 1], 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=300)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    tic = time.perf_counter()
    split = split_patients(list(generate(args.patients, args.seed)), args.seed)
    texts, spans, _ = line_examples(split["train"], "pseudo")
    texts, spans = training_lines(texts, spans, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tagger = SpanTagger.train(texts, spans, Path(tmp) / "pseudo", seed=args.seed,
                                  max_steps=args.steps, batch_size=16, learning_rate=1e-3, resume=False)
    hw = load_handwritten("dev")
    result = {"patients": args.patients, "steps": args.steps, "train_lines": len(texts),
              "commons_test_documents": sum(len(p.documents) for p in split["test"]),
              "handwritten_dev_documents": sum(len(p.documents) for p in hw)}
    for mode in ("strict", "overlap"):
        commons = f1_ci(doc_counts(tagger, split["test"], mode))
        written = f1_ci(doc_counts(tagger, hw, mode))
        result[mode] = {"commons_test_f1": commons, "handwritten_dev_f1": written,
                        "gap": round(commons[0] - written[0], 3)}
    result["seconds"] = round(time.perf_counter() - tic, 1)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
