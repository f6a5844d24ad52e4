"""Benchmark: the encoder recipe of ``partages models pretrain-encoder`` on this machine.

1. Quality: masked-LM accuracy (masked positions only, seeded masks, 95 % Wilson interval) on
   held-out patients of the commons and on the hand-written set (dev and frozen test: reported,
   never tuned on), after a bounded training budget; target >= 0.50 on held-out patients.
2. Speed: training tokens/s of the recipe (loss on masked positions only) against the plain
   ``transformers.Trainer`` (``BertForMaskedLM``'s own loss) on the same model and data, measured
   in interleaved rounds in this process (the machine is shared: medians of the rounds).

    PYTHONPATH=. python benchmarks/bench_encoder.py [--max-steps 1200] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("CI", "true")


def throughput(profile, tokenizer, blocks, rounds: int, steps: int, seed: int) -> tuple[list[float], list[float]]:
    """Tokens/s of the recipe's Trainer and of the plain Trainer, alternating, same model init."""
    from transformers import BertForMaskedLM, DataCollatorForLanguageModeling, Trainer, set_seed

    from partages_core.models.encoder import encoder_config, masked_lm_trainer
    from partages_core.models.training import fit

    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    ours, plain = [], []
    tokens = steps * 16 * len(blocks[0]["input_ids"])
    for r in range(rounds):
        for name, cls, sink in (("recipe", masked_lm_trainer(), ours), ("plain", Trainer, plain)):
            set_seed(seed)
            model = BertForMaskedLM(encoder_config(profile, tokenizer))
            with tempfile.TemporaryDirectory() as tmp:
                stats = fit(model, blocks, collator, tmp, seed=seed, max_steps=steps, batch_size=16,
                            learning_rate=1e-3, save_steps=10**6, resume=False, trainer_cls=cls)
            sink.append(tokens / stats["seconds"])
    return ours, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-steps", type=int, default=None, help="training steps (default: the profile's)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the machine is shared)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved speed rounds")
    parser.add_argument("--round-steps", type=int, default=12, help="steps per speed round")
    parser.add_argument("--block-length", type=int, default=None, help="pretraining blocks (default: the profile's max length)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.models.data import handwritten_texts, split_texts
    from partages_core.models.encoder import _blocks, pretrain_encoder
    from partages_core.models.tokenizer import train_wordpiece

    profile = get_profile()
    texts = split_texts(load_commons(profile).patients, profile.seed)
    tokenizer = train_wordpiece(texts["train"], profile.vocab_size, max_length=profile.max_length)
    blocks = _blocks(tokenizer, texts["train"], profile.max_length)
    load_before = os.getloadavg()[0]
    ours, plain = throughput(profile, tokenizer, blocks, args.rounds, args.round_steps, profile.seed)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_encoder_"))
    start = time.perf_counter()
    m = pretrain_encoder(texts["train"], texts["test"], out / "encoder", profile, profile.seed,
                         max_steps=args.max_steps, resume=False, save_steps=10**6,
                         extra_eval=handwritten_texts(), block_length=args.block_length,
                         batch_size=args.batch_size)
    wall = time.perf_counter() - start
    print(f"profile={profile.name} layers={m['layers']} hidden={m['hidden']} vocab={m['vocab_size']} "
          f"block_length={m['block_length']} batch={args.batch_size} torch_threads={torch.get_num_threads()} "
          f"load_avg(1 min)={load_before:.1f}->{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"train: {m['train_texts']} documents, {m['train_tokens_per_epoch']} tokens/epoch, "
          f"{m['steps']} steps x {args.batch_size} blocks in {m['seconds']:.0f} s (total wall {wall:.0f} s, "
          f"target <= 600 s: {'OK' if m['seconds'] <= 600 else 'OVER'})")
    rows = [("held-out patients (commons test)", m)] + list(m["eval_sets"].items())
    for name, r in rows:
        lo, hi = r["mlm_accuracy_ci95"]
        print(f"masked-LM accuracy {name}: {r['mlm_accuracy']:.3f} [95% CI {lo:.3f}-{hi:.3f}] "
              f"(n={r['documents']} documents, {r['masked_tokens']} masked tokens; loss {r['mlm_loss']:.2f})")
    print(f"before training (held-out): accuracy {m['before']['mlm_accuracy']:.3f}; "
          f"target >= 0.50 on held-out patients: {'MET' if m['mlm_accuracy'] >= 0.5 else 'NOT MET'}")
    med_o, med_p = statistics.median(ours), statistics.median(plain)
    print(f"tokens/s recipe (masked-only head) {med_o:.0f} vs plain Trainer {med_p:.0f} "
          f"(median of {args.rounds} interleaved rounds of {args.round_steps} steps): ratio {med_o / med_p:.2f} "
          f"({'>=' if med_o >= med_p else '<'} plain)")
    print("rounds recipe:", [round(x) for x in ours], "plain:", [round(x) for x in plain])
    sys.stdout.flush()


if __name__ == "__main__":
    main()
