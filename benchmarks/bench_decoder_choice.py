"""Benchmark: where no training conclusion is written in the report, could the LoRA decoder choose the conclusion
among the report's own sentences instead of generating it? Measured in session 22 (h18), not served: the choice is
at chance on dev (docs/history/models.md, "Session 22 (h18)").

For the conclusions of a built ``decoder-instruct`` model with no training conclusion written in the report (the
reports where ``decoder.write_conclusion`` generates and the no-model match falls back to the lead), prints ROUGE-L F
against the reference of:

- the model's choice among the report's sentences (the lead first, then the sentences of the key findings): the one
  whose log-probability after the prompt gains most over the same sentence after the prompt without the report
  ("gain-sum", the variant chosen on dev);
- the lead (``data.extractive_baseline``), greedy generation (what ``decoder.write_conclusion`` serves there), a
  random sentence (seeded) and the best sentence (oracle);

each with its 95 % normal interval (``metrics.mean_interval``, as the card) and, paired per report against the lead
and against generation, the normal interval and the document bootstrap (1000 resamples, seed 13). Then how often the
choice is a best sentence, against the expectation of a random pick.

    PYTHONPATH=. python benchmarks/bench_decoder_choice.py --home build/small --seed 303 --patients 200   # dev
    PYTHONPATH=. python benchmarks/bench_decoder_choice.py --home build/small   # held-out: score it once only

Dev is ``--seed 303 --patients 200`` (generated patients, never the held-out seed). Without ``--seed`` the set is
the build stage's held-out one (the commons test split + the build's eval cohort of seed 101).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partages_core.models.decoder import choice_logprobs

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SCORING = "gain-sum"  # chosen on dev (seed 303): sum 0.017, mean 0.029, gain-sum 0.038, gain-mean 0.034, lead 0.069


def report_sentences(pair: dict[str, Any]) -> list[str]:
    """The candidates: the report's lead first (``data.extractive_baseline``, read from the whole report), then
    the sentences of its key findings (the pair's input), each once."""
    from partages_core.models.data import _sentences, extractive_baseline

    lead = extractive_baseline(pair.get("report", pair["input"]))
    return list(dict.fromkeys(s for s in [lead, *_sentences(pair["input"])] if s.strip())) or [pair["input"].strip()]


def sentence_scores(model: Any, tokenizer: Any, pair: dict[str, Any], choices: Sequence[str], max_length: int,
                    variant: str = SCORING) -> list[float]:
    """Each candidate's score as this report's conclusion: ``sum`` or ``mean`` of its token log-probabilities after
    the prompt, or their ``gain-sum`` / ``gain-mean`` over the same candidate after the prompt without the report."""
    read = choice_logprobs(model, tokenizer, pair, choices, max_length)
    if variant.startswith("gain-"):
        blank = choice_logprobs(model, tokenizer, {**pair, "input": ""}, choices, max_length)
        read = [(a - b, n) for (a, n), (b, _) in zip(read, blank)]
    return [total / max(n, 1) if variant.endswith("mean") else total for total, n in read]


def conclusion_pairs(seed: int | None, patients: int | None) -> tuple[list[dict], list[dict]]:
    """(training pairs, scored conclusion pairs): the build's LoRA training mix; the scored set is ``patients``
    generated patients of ``seed`` (dev), or without a seed the build stage's held-out set."""
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.models.build import STEPS
    from partages_core.models.data import instruction_pairs
    from partages_core.models.decoder import heldout_pairs, training_qa_pairs
    from partages_core.models.qa import instruction_pairs as qa_pairs
    from partages_core.models.qa import qa_items
    from partages_core.quality.splits import split_patients

    profile = get_profile()
    steps = STEPS.get(profile.name, {})
    split = split_patients(load_commons(profile).patients, profile.seed)
    train = (instruction_pairs(split["train"]) + qa_pairs(qa_items(split["train"]))
             + training_qa_pairs(steps.get("qa-cohort") or 0))
    if seed is not None:
        scored = heldout_pairs(patients or 200, seed)
    else:
        scored = instruction_pairs(split["test"]) + heldout_pairs(steps.get("eval-cohort") or 0)
    return train, [p for p in scored if p["task"] == "conclusion"]


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def _ci(ci: Sequence[float] | None, sign: str = "+") -> str:
    return f"[{ci[0]:{sign}.3f}, {ci[1]:{sign}.3f}]" if ci else "[n/a]"


def _paired_bootstrap(a: Sequence[float], b: Sequence[float]) -> str:
    """Mean of a − b over documents resampled with replacement (1000, seed 13): the percentile interval."""
    import numpy as np

    from partages_core.evaluation.bootstrap import paired_bootstrap

    def ratio(totals: Any) -> Any:
        return totals[:, 0] / totals[:, 1]

    ones = np.ones(len(a))
    r = paired_bootstrap(np.column_stack([a, ones]), np.column_stack([b, ones]), ratio, 1000, 13)
    return f"[{r['ci_low']:+.3f}, {r['ci_high']:+.3f}]"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None,
                        help="build home (its models/decoder-instruct and commons; default $PARTAGES_HOME or build/<profile>)")
    parser.add_argument("--seed", type=int, default=None, help="score generated patients of this seed (dev: 303)")
    parser.add_argument("--patients", type=int, default=200, help="with --seed: how many patients")
    parser.add_argument("--random-seed", type=int, default=13, help="seed of the random sentence")
    args = parser.parse_args(argv)
    if args.home is not None:
        from partages_core.config import HOME_ENV

        os.environ[HOME_ENV] = str(args.home)
    from partages_core.config import artefacts_dir, get_profile

    folder = artefacts_dir() / "models" / "decoder-instruct"
    if not (folder / "config.json").is_file() and not (folder / "adapter_config.json").is_file():
        print(f"bench_decoder_choice: {folder}: no built decoder-instruct model (run `partages models build`)",
              file=sys.stderr)
        return 2

    from rouge_score import rouge_scorer
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from partages_core.metrics import mean_interval
    from partages_core.models.data import extractive_baseline
    from partages_core.models.decoder import (blank_token_ids, conclusion_choices, context_length,
                                              write_conclusion, written_conclusions)

    train, scored = conclusion_pairs(args.seed, args.patients)
    conclusions = conclusion_choices(train)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    max_length, blank = context_length(model, get_profile()), blank_token_ids(tokenizer)
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    rng = random.Random(args.random_seed)
    rows: dict[str, list[float]] = {k: [] for k in ("model", "lead", "generated", "random", "oracle")}
    lead_chosen = best_chosen = informative = 0
    random_best = 0.0
    for pair in scored:
        if written_conclusions(pair, conclusions):
            continue
        options = report_sentences(pair)
        scores = sentence_scores(model, tokenizer, pair, options, max_length)
        pick = max(range(len(options)), key=lambda i: (scores[i], -i))
        rouge = [scorer.score(pair["output"], o)["rougeL"].fmeasure for o in options]
        generated, _ = write_conclusion(model, tokenizer, pair, max_length, conclusions, blank)
        rows["model"].append(rouge[pick])
        rows["lead"].append(scorer.score(pair["output"], extractive_baseline(pair.get("report", pair["input"])))
                            ["rougeL"].fmeasure)
        rows["generated"].append(scorer.score(pair["output"], generated)["rougeL"].fmeasure)
        rows["random"].append(rouge[rng.randrange(len(options))])
        rows["oracle"].append(max(rouge))
        lead_chosen += pick == 0
        if max(rouge) > 0:  # some sentence shares words with the reference
            informative += 1
            best_chosen += rouge[pick] == max(rouge)
            random_best += sum(r == max(rouge) for r in rouge) / len(options)
    where = f"seed {args.seed}, {args.patients} generated patients" if args.seed is not None else "held-out set"
    n = len(rows["model"])
    print(f"{where}: {len(scored)} conclusions, {n} with no training conclusion written in the report")
    if not n:
        return 0
    print(f"{'ROUGE-L F':34s} {'mean':>6s} {'95 % interval':>17s}  {'minus lead (normal | bootstrap)':41s}"
          f"  minus generation (normal | bootstrap)")
    labels = {"model": f"model's choice ({SCORING})", "lead": "lead (the match's fallback)",
              "generated": "greedy generation (served)", "random": f"random sentence (seed {args.random_seed})",
              "oracle": "best sentence (oracle)"}
    for key, label in labels.items():
        xs = rows[key]
        line = f"{label:34s} {_mean(xs):6.3f} {_ci(mean_interval(xs), ''):>17s}"
        for base in ("lead", "generated"):
            d = [a - b for a, b in zip(xs, rows[base])]
            line += f"  {'':41s}" if key == base else (f"  {_mean(d):+.3f} {_ci(mean_interval(d))} | "
                                                      f"{_paired_bootstrap(xs, rows[base])}")
        print(line)
    print(f"lead chosen by the model in {lead_chosen} of {n}; where some sentence shares words with the reference "
          f"({informative}), the model picks a best one in {best_chosen}, a random pick would in {random_best:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
