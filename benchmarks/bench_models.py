"""Benchmark: small-profile encoder MLM pretraining + one fine-tuning (pseudonymisation tagger) on CPU.

Prints training tokens/s, inference documents/s, peak resident memory, wall time against the
5-minute target, and the tagger's speed relative to a baseline run in the same process (the
rules-free baseline: a regex date/phone tagger, the cheapest extractor one could swap in).

    PYTHONPATH=. python benchmarks/bench_models.py [--max-steps 200] [--out build/bench_models]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("CI", "true")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-steps", type=int, default=60, help="optimiser steps per stage")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.models.data import span_examples, split_texts
    from partages_core.models.encoder import pretrain_encoder
    from partages_core.models.heads import SpanTagger
    from partages_core.quality.splits import split_patients

    profile = get_profile()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_models_"))
    start = time.perf_counter()
    patients = load_commons(profile).patients
    texts = split_texts(patients, profile.seed)
    enc = pretrain_encoder(texts["train"], texts["test"], out / "encoder", profile, profile.seed,
                           max_steps=args.max_steps, batch_size=16, resume=False)
    tokens = enc["steps"] * 16 * profile.max_length
    split = split_patients(patients, profile.seed)
    tagger = SpanTagger.train(*span_examples(split["train"], "pseudo"), out / "pseudo", seed=profile.seed,
                              base=out / "encoder", profile=profile, max_steps=args.max_steps,
                              batch_size=16, resume=False)
    test_texts, test_spans = span_examples(split["test"], "pseudo")
    t0 = time.perf_counter()
    result = tagger.evaluate(test_texts, test_spans)
    model_s = time.perf_counter() - t0
    pattern = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b0\d(?:[ .]?\d{2}){4}\b")
    t0 = time.perf_counter()
    for _ in range(20):
        [[m.span() for m in pattern.finditer(t)] for t in test_texts]
    regex_s = (time.perf_counter() - t0) / 20
    wall = time.perf_counter() - start
    print(f"profile={profile.name} layers={profile.encoder_layers} hidden={profile.encoder_hidden} "
          f"max_length={profile.max_length} torch_threads={__import__('torch').get_num_threads()}")
    print(f"encoder pretraining: {enc['steps']} steps in {enc['seconds']:.1f} s -> "
          f"{tokens / enc['seconds']:.0f} tokens/s (padded block tokens); held-out MLM loss "
          f"{enc['before']['mlm_loss']:.2f} -> {enc['mlm_loss']:.2f}, accuracy {enc['mlm_accuracy']:.3f}")
    print(f"pseudo tagger fine-tuning: {tagger.info['steps']} steps in {tagger.info['seconds']:.1f} s; "
          f"test strict F1 {result['f1']:.3f} (P {result['precision']:.3f} R {result['recall']:.3f})")
    print(f"inference: {len(test_texts) / model_s:.1f} docs/s (model) vs {len(test_texts) / regex_s:.0f} docs/s "
          f"(regex baseline) -> ratio {regex_s / model_s:.5f}")
    print(f"peak RSS {peak_mb():.0f} MB; total wall {wall:.1f} s (target <= 300 s: "
          f"{'OK' if wall <= 300 else 'OVER'})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
