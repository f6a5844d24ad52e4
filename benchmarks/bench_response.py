"""CU5b (response to treatment) on enough held-out documents: the classifier against the rules.

The commons of the small profile holds about 8 % CU5b patients, one follow-up document each, so its
test split has a handful of them. This benchmark scores the systems on a fresh held-out cohort
(``runner.fresh_cohort``: patients of another seed than the commons', drawn until there are at least
``--min-docs`` response documents), and on the hand-written set's CU5b letters (the development part,
which the classifier learns from, so its row is not a held-out figure, and the frozen test part,
reported only). Macro-F1 and accuracy with 95 % bootstrap
intervals (documents resampled).

``--docs FIRST LAST``: only the hand-written dev letters with ids in that range (a new blind batch).

``--dev-crossfit ENCODER``: only the hand-written DEV letters, each classified by a classifier trained
without it (two folds), against the rules, with the paired bootstrap.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_response.py [--min-docs 60] [--json out.json]``
(needs ``partages models finetune --task response``, or notebook 04, for the model row).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

SYSTEMS = ("response-rules", "response-model", "response-majority")


def _cell(r: dict, metric: str) -> str:
    v = r["metrics"].get(metric)
    return "–" if not v or v.get("value") is None else f"{v['value']:.3f} [{v['ci_low']:.3f}–{v['ci_high']:.3f}]"


def dev_crossfit(encoder: str, n_boot: int = 1000) -> None:
    """The hand-written DEV letters, each classified by a classifier trained (build recipe, on ``encoder``)
    without it (2 folds by sorted id), against the rules: macro-F1, accuracy, paired bootstrap. The model
    is written to the profile's ``response-classifier`` folder (rebuild it afterwards)."""
    import partages_core.corpus.handwritten as hw
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.evaluation import runner
    from partages_core.evaluation.systems import build
    from partages_core.evaluation.tasks import get_task
    from partages_core.models import build as stages
    from partages_core.models.cu6_ner import _Patient
    from partages_core.models.usecase_models import RESPONSE_TRAIN_PATIENTS, finetune, usecase_model_dir

    profile = get_profile()
    commons = load_commons(profile)
    letters = sorted(runner.load_split(get_task("response@handwritten"), "dev").eval, key=lambda e: e.doc_id)
    load, preds = hw.load_handwritten, {}
    try:
        for k in range(2):
            held = {e.doc_id for i, e in enumerate(letters) if i % 2 == k}
            hw.load_handwritten = lambda split="dev", *a, _held=held, **kw: [
                p for p in (_Patient([d for d in q.documents if d.id not in _held]) for q in load(split, *a, **kw)) if p.documents]
            finetune("response", commons.patients, usecase_model_dir("response-classifier"), profile.seed, profile=profile,
                     max_steps=stages.STEPS[profile.name]["response"], base=encoder, resume=False,
                     cohort_patients=stages.STEPS[profile.name].get("response-cohort", RESPONSE_TRAIN_PATIENTS))
            hw.load_handwritten = load
            fn = build("response-model", [])
            preds.update({e.doc_id: fn(e) for e in letters if e.doc_id in held})
    finally:
        hw.load_handwritten = load
    split = runner.Split(runner.load_split(get_task("response"), "test").train, letters, "hand-written dev letters, cross-fit")
    rules = {e.doc_id: build("response-rules", [])(e) for e in letters}
    print(f"\n### {len(letters)} hand-written dev letters (each with a RESPONSE span), cross-fit classifier\n\n"
          "| system | macro-F1 [95 % CI] | accuracy [95 % CI] |\n|---|---|---|")
    for name, outs in (("classifier (cross-fit)", preds), ("rules", rules)):
        r = runner.evaluate("response@handwritten", name, data=split, predictions=outs, n_boot=n_boot)
        print(f"| {name} | {_cell(r, 'macro_f1')} | {_cell(r, 'accuracy')} |")
    c = runner.compare("response@handwritten", "model", "rules", data=split, n_boot=n_boot,
                       predictions={"model": preds, "rules": rules})["metrics"]
    print("classifier minus rules (paired): " + ", ".join(f"{m} {v['difference']:+.3f} [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}]"
                                                          for m, v in c.items()))


def fresh_letters(first: str, last: str, n_boot: int = 1000) -> None:
    """The hand-written dev letters with ids in ``first..last`` (a batch written after the model was built:
    score it before any retraining): classifier and rules, with the paired bootstrap."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.systems import build
    from partages_core.evaluation.tasks import get_task

    letters = [e for e in runner.load_split(get_task("response@handwritten"), "dev").eval if first <= e.doc_id <= last]
    if not letters:
        raise SystemExit(f"--docs {first} {last}: no hand-written dev letter with a RESPONSE span in that range")
    split = runner.Split(runner.load_split(get_task("response"), "test").train, letters, f"hand-written {first}..{last}")
    from partages_core.evaluation.systems import SystemUnavailable

    preds = {}
    for name in ("model", "rules"):
        try:
            preds[name] = {e.doc_id: build(f"response-{name}", [])(e) for e in letters}
        except SystemUnavailable as err:  # no classifier built: the rules alone
            print(f"{err}: the rules alone")
    print(f"### {len(letters)} hand-written letters {first}..{last}\n\n| system | macro-F1 [95 % CI] | accuracy [95 % CI] |\n|---|---|---|")
    for name, outs in preds.items():
        r = runner.evaluate("response@handwritten", name, data=split, predictions=outs, n_boot=n_boot)
        print(f"| {name} | {_cell(r, 'macro_f1')} | {_cell(r, 'accuracy')} |")
    if "model" in preds:
        c = runner.compare("response@handwritten", "model", "rules", data=split, n_boot=n_boot,
                           predictions=preds)["metrics"]
        print("model minus rules (paired): " + ", ".join(
            f"{m} {v['difference']:+.3f} [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}]" for m, v in c.items()))
    print("correct:", {name: sum(outs[e.doc_id]["label"] == e.gold["label"] for e in letters) for name, outs in preds.items()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-docs", type=int, default=60)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--dev-crossfit", metavar="ENCODER", help="only: the dev letters, cross-fit classifier on ENCODER")
    ap.add_argument("--docs", nargs=2, metavar=("FIRST", "LAST"), help="only: the dev letters FIRST..LAST (ids)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.dev_crossfit:
        dev_crossfit(args.dev_crossfit, args.n_boot)
        return
    if args.docs:
        fresh_letters(*args.docs, n_boot=args.n_boot)
        return
    from partages_core.evaluation import runner
    from partages_core.evaluation.systems import is_available
    from partages_core.evaluation.tasks import get_task

    commons = runner.load_split(get_task("response"), "test")
    sets = [("fresh cohort (generated, held out)", "response",
             runner.fresh_cohort("response", args.min_docs, train=commons.train)),
            ("hand-written dev (training letters of the classifier)", "response@handwritten",
             runner.load_split(get_task("response@handwritten"), "dev")),
            ("hand-written test (frozen)", "response@handwritten",
             runner.load_split(get_task("response@handwritten"), "test"))]
    print(f"load average {os.getloadavg()[0]:.1f}")
    rows = []
    for label, task, data in sets:
        if not data.train:  # the majority baseline learns on the commons' training split
            data = runner.Split(commons.train, data.eval, data.source)
        for system in SYSTEMS:
            if not is_available(system):
                print(f"{system}: not available (train it first), skipped")
                continue
            r = runner.evaluate(task, system, data=data, n_boot=args.n_boot)
            rows.append({"data": label, "source": data.source, "system": system, "n": r["n_documents"],
                         "macro_f1": _cell(r, "macro_f1"), "accuracy": _cell(r, "accuracy"), "raw": r["metrics"]})
    print("| data | system | n docs | macro-F1 [95 % CI] | accuracy [95 % CI] |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['data']} | {r['system']} | {r['n']} | {r['macro_f1']} | {r['accuracy']} |")
    print("sources:", sorted({r["source"] for r in rows}))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
