"""CU5b (response to treatment) on enough held-out documents: the classifier against the rules.

The commons of the small profile holds about 8 % CU5b patients, one follow-up document each, so its
test split has a handful of them. This benchmark scores the systems on a fresh held-out cohort
(``runner.fresh_cohort``: patients of another seed than the commons', drawn until there are at least
``--min-docs`` response documents), and on the hand-written set's CU5b letters (the development part,
which the classifier learns from, so its row is not a held-out figure, and the frozen test part,
reported only). Macro-F1 and accuracy with 95 % bootstrap
intervals (documents resampled).

``--docs FIRST LAST``: only the hand-written dev letters with ids in that range (a new blind batch).
``--frozen``: only the frozen test letters, aggregate figures (once per pass, after all tuning).

``--dev-crossfit ENCODER [--folds K]``: only the hand-written DEV letters, each classified by a classifier
trained without it (K folds, default 2), against the current rules and the rules each batch was written
after, with the paired bootstrap; the hybrid "the classifier where the rules find no cue" beside them.

``--sentence-crossfit``: only the cue-sentence classifier (``models.response_sentences``) on the DEV letters, leave
one batch out (per batch and pooled, against the current and the batch-time rules), then on the fresh cohort.
``--sentence-model DIR`` (with ``--docs`` / ``--frozen``): that classifier and its hybrid beside the rules; trained
into DIR on every current dev letter when DIR is empty (train it before merging a new batch). Where the build's stage
``response-sentences`` is built, the served hybrid (system ``response-hybrid``, ``extract oncology --response --method
hybrid``) is scored beside them as "hybrid".

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_response.py [--min-docs 60] [--json out.json]``
(needs ``partages models finetune --task response``, or notebook 04, for the model row).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

SYSTEMS = ("response-rules", "response-model", "response-majority")


def _cell(r: dict, metric: str) -> str:
    v = r["metrics"].get(metric)
    return "–" if not v or v.get("value") is None else f"{v['value']:.3f} [{v['ci_low']:.3f}–{v['ci_high']:.3f}]"


def dev_crossfit(encoder: str, n_boot: int = 1000, folds: int = 2) -> None:
    """The hand-written DEV letters, each classified by a classifier trained (build recipe, on ``encoder``)
    without it (``folds`` folds by sorted id; the fold models in a temporary folder), against the current
    rules (tuned on these letters) and against the rules each batch was written after
    (``batch_rules.BATCH_RULES``: new writing for them), with the paired bootstrap; and the hybrid
    "the rules, the classifier where they find no cue" (:data:`HYBRID`) with each set of rules."""
    import tempfile

    import partages_core.corpus.handwritten as hw
    from batch_rules import outputs_at_batch_time
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task
    from partages_core.models import build as stages
    from partages_core.models.cu6_ner import _Patient
    from partages_core.models.heads import TextClassifier
    from partages_core.models.usecase_models import RESPONSE_TRAIN_PATIENTS, finetune
    from partages_core.usecases.oncology.model import classify_batch
    from partages_core.usecases.oncology.rules import classify_response

    profile = get_profile()
    commons = load_commons(profile)
    letters = sorted(runner.load_split(get_task("response@handwritten"), "dev").eval, key=lambda e: e.doc_id)
    load, preds = hw.load_handwritten, {}
    with tempfile.TemporaryDirectory(prefix="cu5b-crossfit-") as tmp:
        try:
            for k in range(folds):
                held = {e.doc_id for i, e in enumerate(letters) if i % folds == k}
                hw.load_handwritten = lambda split="dev", *a, _held=held, **kw: [
                    p for p in (_Patient([d for d in q.documents if d.id not in _held]) for q in load(split, *a, **kw))
                    if p.documents]
                finetune("response", commons.patients, Path(tmp) / f"fold_{k}", profile.seed, profile=profile,
                         max_steps=stages.STEPS[profile.name]["response"], base=encoder, resume=False,
                         cohort_patients=stages.STEPS[profile.name].get("response-cohort", RESPONSE_TRAIN_PATIENTS))
                hw.load_handwritten = load
                docs = [e for e in letters if e.doc_id in held]
                clf = TextClassifier.load(Path(tmp) / f"fold_{k}")
                preds.update(zip((e.doc_id for e in docs), classify_batch([e.text for e in docs], classifier=clf)))
        finally:
            hw.load_handwritten = load
    current = {e.doc_id: classify_response(e.text) for e in letters}
    then = outputs_at_batch_time({e.doc_id: e.text for e in letters}, "partages_core.usecases.oncology.rules:classify_response")
    for setting, rules in (("the current rules (tuned on these letters)", current),
                           ("the rules each batch was written after (`batch_rules.BATCH_RULES`)", then)):
        paired_table(letters, rules, {f"classifier (cross-fit, {folds} folds)": preds}, setting, n_boot)


def paired_table(letters: list, rules: dict, models: dict, setting: str, n_boot: int = 1000) -> None:
    """One markdown table: the rules, each model of ``models`` (name -> id -> output) and its :data:`HYBRID`
    on the letters the rules have an output for, correct counts, macro-F1 and accuracy with their intervals,
    the paired bootstrap against the rules."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task

    docs = [e for e in letters if e.doc_id in rules]
    split = runner.Split(runner.load_split(get_task("response"), "test").train, docs,
                         f"hand-written dev letters, {setting}")
    outs = {"rules": {e.doc_id: rules[e.doc_id] for e in docs}}
    for name, preds in models.items():
        outs[name] = {e.doc_id: preds[e.doc_id] for e in docs}
        outs[f"{HYBRID} [{name}]"] = {e.doc_id: hybrid(rules[e.doc_id], preds[e.doc_id]) for e in docs}
    print(f"\n### {len(docs)} hand-written dev letters, {setting}\n\n"
          "| system | correct | macro-F1 [95 % CI] | accuracy [95 % CI] | minus rules, paired: accuracy, macro-F1 |\n"
          "|---|---|---|---|---|")
    for name, o in outs.items():
        r = runner.evaluate("response@handwritten", name, data=split, predictions=o, n_boot=n_boot)
        c = "" if name == "rules" else ", ".join(
            f"{v['difference']:+.3f} [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}]" for v in runner.compare(
                "response@handwritten", name, "rules", data=split, n_boot=n_boot,
                predictions={name: o, "rules": outs["rules"]})["metrics"].values())
        ok = sum(o[e.doc_id]["label"] == e.gold["label"] for e in docs)
        print(f"| {name} | {ok}/{len(docs)} | {_cell(r, 'macro_f1')} | {_cell(r, 'accuracy')} | {c} |")


def sentence_crossfit(n_boot: int = 1000, seed: int = 13) -> None:
    """The cue-sentence classifier (``models.response_sentences``) on the hand-written DEV letters, leave one
    batch out: each batch of :data:`batch_rules.BATCH_RULES` (the letters before them one more group) classified by
    a model trained on the generated letters and the dev letters of the OTHER batches; per batch and pooled,
    against the current rules and the rules each batch was written after, with :data:`HYBRID`. Then the fresh
    generated cohort (seed ``config.FRESH_SEED``), the model trained on every dev letter, against the rules."""
    from batch_rules import BATCH_RULES, outputs_at_batch_time
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.generator import generate
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task
    from partages_core.models import response_sentences as rs
    from partages_core.quality.splits import split_patients
    from partages_core.usecases.oncology.rules import classify_response

    profile = get_profile()
    commons = load_commons(profile)
    generated = rs.generated_letters([*split_patients(commons.patients, profile.seed)["train"],
                                      *generate(rs.TRAIN_PATIENTS, rs.TRAIN_SEED)])
    letters = sorted(runner.load_split(get_task("response@handwritten"), "dev").eval, key=lambda e: e.doc_id)
    batch = {e.doc_id: next((f"{a}..{z}" for a, z, _ in BATCH_RULES if a <= e.doc_id <= z), "before hw-091")
             for e in letters}
    current = {e.doc_id: classify_response(e.text) for e in letters}
    then = outputs_at_batch_time({e.doc_id: e.text for e in letters}, "partages_core.usecases.oncology.rules:classify_response")
    preds = {}
    print(f"{len(generated)} generated training letters (commons train split + {rs.TRAIN_PATIENTS} patients of seed "
          f"{rs.TRAIN_SEED}); hand-written weight {rs.HANDWRITTEN_WEIGHT}\n\n"
          "| held-out batch | letters | classifier | current rules | hybrid (current) | batch-time rules "
          "| hybrid (batch-time) |\n"
          "|---|---|---|---|---|---|---|")
    for group in sorted(set(batch.values()), key=lambda g: (g != "before hw-091", g)):
        train = rs.handwritten_letters({e.doc_id for e in letters if batch[e.doc_id] != group})
        model = rs.SentenceClassifier.train([(generated, 1.0), (train, rs.HANDWRITTEN_WEIGHT)], seed=seed)
        held = [e for e in letters if batch[e.doc_id] == group]
        preds.update({e.doc_id: model.classify(e.text) for e in held})
        ok = lambda out: sum(out[e.doc_id]["label"] == e.gold["label"] for e in held if e.doc_id in out)
        hyb = lambda rules: {d: hybrid(r, preds[d]) for d, r in rules.items() if d in preds}
        t = sum(e.doc_id in then for e in held)
        print(f"| {group} | {len(held)} | {ok(preds)} | {ok(current)} | {ok(hyb(current))} | "
              + (f"{ok(then)}/{t} | {ok(hyb(then))}/{t} |" if t else "– | – |"))
    name = "sentence classifier (leave one batch out)"
    for setting, rules in (("the current rules (tuned on these letters)", current),
                           ("the rules each batch was written after (`batch_rules.BATCH_RULES`)", then)):
        paired_table(letters, rules, {name: preds}, setting, n_boot)
    every = rs.handwritten_letters({e.doc_id for e in letters})
    model = rs.SentenceClassifier.train([(generated, 1.0), (every, rs.HANDWRITTEN_WEIGHT)], seed=seed)
    fresh = runner.fresh_cohort("response", 60, train=runner.load_split(get_task("response"), "test").train)
    outs = {"rules": {e.doc_id: classify_response(e.text) for e in fresh.eval},
            "sentence classifier": {e.doc_id: model.classify(e.text) for e in fresh.eval}}
    print(f"\n### {fresh.source}\n\n| system | correct | macro-F1 [95 % CI] | accuracy [95 % CI] |\n|---|---|---|---|")
    for n, o in outs.items():
        r = runner.evaluate("response", n, data=fresh, predictions=o, n_boot=n_boot)
        print(f"| {n} | {sum(o[e.doc_id]['label'] == e.gold['label'] for e in fresh.eval)}/{len(fresh.eval)} | "
              f"{_cell(r, 'macro_f1')} | {_cell(r, 'accuracy')} |")
    c = runner.compare("response", "sentence classifier", "rules", data=fresh, n_boot=n_boot,
                       predictions=outs)["metrics"]
    print("sentence classifier minus rules (paired): " + ", ".join(
        f"{m} {v['difference']:+.3f} [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}]" for m, v in c.items()))

def training_seeds(seeds: list[int], steps: int, dev_seed: int = 303) -> None:
    """The CU5b line classifier of the build recipe (``usecase_models``: letters, lines, budget) trained once per
    seed of ``seeds`` on the built encoder, each scored on the dev cohort of ``dev_seed`` (never the evaluation
    cohort): correct letters, macro-F1 and per-class recall per seed, CPU-s of each training (a class that
    collapses at one seed shows here)."""
    import tempfile
    import time

    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.model import RESPONSE_LABELS
    from partages_core.evaluation import runner
    from partages_core.models import usecase_models as U
    from partages_core.models.encoder import models_dir
    from partages_core.models.heads import TextClassifier
    from partages_core.quality.splits import split_patients
    from partages_core.usecases.oncology.model import classify_batch

    profile = get_profile()
    encoder = models_dir(profile) / "encoder"
    if not (encoder / "config.json").is_file():
        print(f"error: --seeds needs the built encoder (nothing at {encoder}); run `partages models build`",
              file=sys.stderr)
        sys.exit(2)
    letters = U.response_training_letters(split_patients(load_commons(profile).patients, profile.seed)["train"])
    dev = runner.fresh_cohort("response", 60, seed=dev_seed).eval
    gold = [e.gold["label"] for e in dev]
    classes = sorted(set(gold))
    print(f"{len(letters)} training letters; dev cohort seed {dev_seed}, {len(dev)} letters; {steps} steps\n\n"
          "| seed | correct | macro-F1 | " + " | ".join(classes) + " | CPU-s |\n|" + "---|" * (len(classes) + 4))
    for seed in seeds:
        texts, labels = U.response_lines(letters, seed)
        with tempfile.TemporaryDirectory(prefix="cu5b-seed-") as out:
            tic = time.process_time()
            clf = TextClassifier.train(texts, labels, out, seed=seed, base=encoder, profile=profile,
                                       label_set=RESPONSE_LABELS, max_steps=steps, batch_size=U.BATCH_SIZE,
                                       learning_rate=U.LEARNING_RATE, resume=False, none_label=U.NO_RESPONSE)
            cpu = time.process_time() - tic
            pred = [o["label"] for o in classify_batch([e.text for e in dev], classifier=clf)]
        hits = {c: sum(g == c and p == c for g, p in zip(gold, pred)) for c in classes}
        f1 = [2 * hits[c] / (gold.count(c) + pred.count(c)) for c in classes]
        print(f"| {seed} | {sum(hits.values())}/{len(dev)} | {sum(f1) / len(f1):.3f} | "
              + " | ".join(f"{hits[c]}/{gold.count(c)}" for c in classes) + f" | {cpu:.0f} |")


HYBRID = "hybrid (rules; the classifier where they find no cue)"
SENTENCE_HYBRID = "hybrid (rules; the sentence classifier where they find no cue)"


def hybrid(rules: dict, model: dict) -> dict:
    """The rules' class and span; the classifier's where the rules find no response cue at all (their
    ``NonApplicable`` without a span; an explicit "pas d'évaluation" cue keeps the rules')."""
    return model if rules["start"] is None else rules


def fresh_letters(first: str, last: str, n_boot: int = 1000, sentences: Path | None = None) -> None:
    """The hand-written dev letters with ids in ``first..last`` (a batch written after the model was built:
    score it before any retraining): classifier, rules and :data:`HYBRID`, with the paired bootstrap."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task

    letters = [e for e in runner.load_split(get_task("response@handwritten"), "dev").eval if first <= e.doc_id <= last]
    if not letters:
        print(f"error: --docs {first} {last}: no hand-written dev letter with a RESPONSE span in that range", file=sys.stderr)
        sys.exit(2)
    score_letters(letters, f"hand-written {first}..{last}", n_boot, sentences)


def sentence_model(folder: Path):
    """The cue-sentence classifier saved in ``folder``; trained there first (generated letters and EVERY current
    hand-written dev letter) when absent: train it before a new batch is merged, score the batch after."""
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.models import response_sentences as rs
    from partages_core.quality.splits import split_patients

    if not rs.is_built(folder):  # what the build's stage ``response-sentences`` trains
        profile = get_profile()
        info = rs.build(split_patients(load_commons(profile).patients, profile.seed)["train"], folder, profile.seed)
        print(f"sentence classifier trained on {info['generated_letters']} generated + {info['handwritten_letters']} "
              f"hand-written dev letters, saved in {folder} ({info['cpu_seconds']} CPU-s)")
    return rs.SentenceClassifier.load(folder)


def score_letters(letters: list, source: str, n_boot: int = 1000, sentences: Path | None = None) -> None:
    """Classifier, rules and :data:`HYBRID` on ``letters``: aggregate figures only (the frozen part's too);
    with ``sentences`` (a folder, :func:`sentence_model`) the cue-sentence classifier and its hybrid too."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.systems import SystemUnavailable, build
    from partages_core.evaluation.tasks import get_task

    split = runner.Split(runner.load_split(get_task("response"), "test").train, letters, source)
    preds = {}
    for name in ("model", "rules", "hybrid"):  # "hybrid": the served one, the build's cue-sentence classifier
        try:
            preds[name] = {e.doc_id: build(f"response-{name}", [])(e) for e in letters}
        except SystemUnavailable as err:  # not built: left out
            print(f"{err}: left out")
    if "model" in preds:
        preds[HYBRID] = {e.doc_id: hybrid(preds["rules"][e.doc_id], preds["model"][e.doc_id]) for e in letters}
    if sentences is not None:
        model = sentence_model(sentences)
        preds["sentences"] = {e.doc_id: model.classify(e.text) for e in letters}
        preds[SENTENCE_HYBRID] = {e.doc_id: hybrid(preds["rules"][e.doc_id], preds["sentences"][e.doc_id])
                                  for e in letters}
    print(f"### {len(letters)} {source}\n\n| system | macro-F1 [95 % CI] | accuracy [95 % CI] |\n|---|---|---|")
    for name, outs in preds.items():
        r = runner.evaluate("response@handwritten", name, data=split, predictions=outs, n_boot=n_boot)
        print(f"| {name} | {_cell(r, 'macro_f1')} | {_cell(r, 'accuracy')} |")
    for name in ("model", HYBRID, "hybrid", "sentences", SENTENCE_HYBRID):
        if name in preds:
            c = runner.compare("response@handwritten", name, "rules", data=split, n_boot=n_boot,
                               predictions={name: preds[name], "rules": preds["rules"]})["metrics"]
            print(f"{name} minus rules (paired): " + ", ".join(
                f"{m} {v['difference']:+.3f} [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}]" for m, v in c.items()))
    print("correct:", {name: sum(outs[e.doc_id]["label"] == e.gold["label"] for e in letters) for name, outs in preds.items()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-docs", type=int, default=60)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--dev-crossfit", metavar="ENCODER", help="only: the dev letters, cross-fit classifier on ENCODER")
    ap.add_argument("--sentence-crossfit", action="store_true",
                    help="only: the cue-sentence classifier, leave one dev batch out, and the fresh cohort")
    ap.add_argument("--sentence-model", type=Path, metavar="FOLDER",
                    help="--docs/--frozen: the cue-sentence classifier of FOLDER beside them (trained there if absent)")
    ap.add_argument("--folds", type=int, default=2, help="--dev-crossfit: folds of the dev letters")
    ap.add_argument("--docs", nargs=2, metavar=("FIRST", "LAST"), help="only: the dev letters FIRST..LAST (ids)")
    ap.add_argument("--seeds", type=int, nargs="+", metavar="SEED",
                    help="only: the build-recipe line classifier trained once per SEED, scored on the dev cohort (seed 303)")
    ap.add_argument("--steps", type=int, default=None, help="--seeds: optimiser steps (default the build's)")
    ap.add_argument("--frozen", action="store_true", help="only: the frozen test letters (once per pass, aggregate only)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.dev_crossfit:
        dev_crossfit(args.dev_crossfit, args.n_boot, args.folds)
        return
    if args.seeds:
        from partages_core.models.usecase_models import DEFAULT_STEPS

        training_seeds(args.seeds, args.steps or DEFAULT_STEPS["response-classifier"])
        return
    if args.sentence_crossfit:
        sentence_crossfit(args.n_boot)
        return
    if args.docs:
        fresh_letters(*args.docs, n_boot=args.n_boot, sentences=args.sentence_model)
        return
    if args.frozen:
        from partages_core.evaluation import runner
        from partages_core.evaluation.tasks import get_task

        score_letters(runner.load_split(get_task("response@handwritten"), "test").eval,
                      "hand-written FROZEN test letters", args.n_boot, args.sentence_model)
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
