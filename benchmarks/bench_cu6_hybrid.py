"""CU6 hybrid (rules + spaCy NER, ``usecases.infectiology.hybrid``) against the rules alone.

1. ``--choose``: how the arbitration was chosen, on writing neither side was tuned on. The
   hand-written dev documents hw-091..hw-139 were written after the rules of commit ``--old-rules``
   (427d1eb, before them) and are left out of the NER trained here (``handwritten_until`` = the id before the range, hw-090 by default);
   each arbitration (labels the model may add, labels whose boundaries it may set) is scored there.
2. ``--report``: the registered systems ``infectio-rules``, ``infectio-hybrid`` and ``infectio-ner``
   on the frozen hand-written test part and on the commons test split (n documents, 95 % document
   bootstrap), with the built model (``partages models finetune --task infectio-ner``), and the
   hybrid's documents/s.
3. ``--fresh hw-146 hw-160``: the same three systems on a range of dev documents (a new batch written after
   the rules and the model: scored once before any tuning, then as dev), with the per-label table.

4. ``--crossfit [--fold-models DIR]``: every arbitration on the whole dev part, each document read by
   the NER of its fold (``cu6_ner.dev_fold``, trained without that fold: 3 trainings), against the current
   rules and against the rules each batch was written after (``batch_rules.BATCH_RULES``), with the paired
   bootstrap of each variant minus the rules. This chose ``hybrid.ADD``, ``hybrid.EXTEND`` and ``hybrid.REFINE``
   (a variant's fifth item; the others are read without it).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_cu6_hybrid.py --choose --report``
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

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
LABELS = ("Bacterie", "Bacteriemie", "Infection", "Site")
VARIANTS = {"model alone (+ nested from rules)": None,
            "add all, unfiltered": (LABELS, (), False), "add all": (LABELS, (), True),
            "add Bacterie, Bacteriemie, Infection": (LABELS[:3], (), True), "add Infection": (("Infection",), (), True),
            "add Infection, Bacteriemie": (("Infection", "Bacteriemie"), (), True),
            "add Site": (("Site",), (), True), "add Bacterie, Infection": (("Bacterie", "Infection"), (), True),
            "bounds all": ((), LABELS, True),
            "bounds Bacteriemie": ((), ("Bacteriemie",), True), "bounds Infection": ((), ("Infection",), True),
            "extend Infection": ((), (), True, ("Infection",)),
            "add Infection, Bacteriemie + extend Infection (the hybrid before session 20's boundary rules)":
                (("Infection", "Bacteriemie"), (), True, ("Infection",)),
            "add Infection, Bacteriemie + extend Infection + refine (the hybrid)":
                (("Infection", "Bacteriemie"), (), True, ("Infection",), True),
            "add Infection, Bacteriemie + extend Infection, Site, Bacteriemie":
                (("Infection", "Bacteriemie"), (), True, ("Infection", "Site", "Bacteriemie"))}


def _fmt(r: dict, key: str) -> str:
    m = r["metrics"].get(key)
    return "–" if not m or m.get("value") is None else f"{m['value']:.3f} [{m['ci_low']:.3f}, {m['ci_high']:.3f}]"


def choose(old: str, epochs: int, first: str = "hw-091", last: str = "hw-139", model: str | None = None) -> None:
    """Score each arbitration on dev ``first``..``last`` with the rules of commit ``old`` and an NER that never
    saw them (trained here on the dev part before ``first``, or ``model``)."""
    with tempfile.TemporaryDirectory(prefix="cu6-choose-") as folder:
        _choose(Path(folder), old, epochs, first, last, model)


def _choose(tmp: Path, old: str, epochs: int, first: str, last: str, model: str | None) -> None:
    """``choose`` in the temporary folder ``tmp`` (removed by the caller)."""
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.evaluation import runner
    from partages_core.evaluation.base import Split
    from partages_core.evaluation.tasks import get_task
    from partages_core.models import cu6_ner
    from partages_core.quality.splits import split_patients
    from partages_core.usecases.infectiology import hybrid, result_of
    from partages_core.usecases.infectiology.model import entities_from_spans

    from partages_core.corpus.handwritten import dev_range
    from partages_core.errors import InputError

    try:
        ids = set(dev_range(first, last, option="--fresh"))  # a frozen test id in the range is refused
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    data = runner.load_split(get_task("infectiology@handwritten"), "dev")
    held = [e for e in data.eval if e.doc_id in ids]
    (tmp / "docs.json").write_text(json.dumps({e.doc_id: e.text for e in held}))
    subprocess.run(f"git archive {old} partages_core | tar -x -C {tmp}", shell=True, check=True, cwd=ROOT)
    code = ("import json,sys\nfrom partages_core.usecases.infectiology.rules import extract_rules\n"
            "d=json.load(open(sys.argv[1]))\njson.dump({k: extract_rules(t) for k, t in d.items()}, open(sys.argv[2],'w'))\n")
    subprocess.run([sys.executable, "-c", code, str(tmp / "docs.json"), str(tmp / "old.json")], check=True,
                   env={**os.environ, "PYTHONPATH": str(tmp)}, cwd=tmp)
    old_rules = json.loads((tmp / "old.json").read_text())
    if model is None:
        train = split_patients(load_commons().patients, seed=get_profile().seed)["train"]
        tic = time.perf_counter()
        cu6_ner.build(train, tmp / "ner", cu6_ner.Budget(epochs=epochs, handwritten_until=f"hw-{int(first[3:]) - 1:03d}"), log=lambda m: None)
        print(f"NER without {first}..{last} trained in {time.perf_counter() - tic:.0f} s")
    spans = cu6_ner.model_spans([e.text for e in held], model or tmp / "ner")
    split = Split([], held, f"hand-written dev {first}..{last}")
    print(f"\n### Choosing the arbitration: {len(held)} dev documents {first}..{last}, rules of {old}, "
          f"NER {'built before them (' + str(model) + ')' if model else 'trained without them'}\n\n"
          "| system | entity F1 strict | entity + negation |\n|---|---|---|")
    rows = {"rules alone": {e.doc_id: result_of(*old_rules[e.doc_id]) for e in held}}
    for name, v in VARIANTS.items():
        outs = {}
        for e, s in zip(held, spans):
            ents, sus, res = old_rules[e.doc_id]
            found = entities_from_spans(e.text, s)
            outs[e.doc_id] = result_of(hybrid.with_nested(found, ents) if v is None else
                                       hybrid.arbitrate(e.text, ents, found, *v[:3], extend=v[3] if len(v) > 3 else (),
                                                        refine=len(v) > 4 and v[4]), sus, res)
        rows[name] = outs
    for name, outs in rows.items():
        r = runner.evaluate("infectiology@handwritten", name, data=split, predictions=outs)
        print(f"| {name} | {_fmt(r, 'entity_f1')} | {_fmt(r, 'entity_negation_f1')} |")


def crossfit(epochs: int, models: str | None = None, first: str = "hw-001", last: str = "hw-999") -> None:
    """Score each arbitration on the hand-written dev documents ``first``..``last``, each with the NER of its
    fold (``cu6_ner.dev_fold``), trained on the commons and the other folds' dev documents only (or read
    from ``models``/ner_K), against the current rules and the rules each batch was written after
    (``batch_rules.BATCH_RULES``); paired bootstrap of each variant minus the rules."""
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.evaluation import runner
    from partages_core.evaluation.base import Split
    from partages_core.evaluation.tasks import get_task
    from partages_core.models import cu6_ner
    from partages_core.quality.splits import split_patients
    from partages_core.usecases.infectiology import hybrid, result_of
    from partages_core.usecases.infectiology.model import entities_from_spans
    from partages_core.usecases.infectiology.rules import extract_rules

    data = runner.load_split(get_task("infectiology@handwritten"), "dev")
    held = [e for e in data.eval if first <= e.doc_id <= last]
    found: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="cu6-crossfit-") as tmp:
        for k in range(cu6_ner.FOLDS):
            docs = [e for e in held if cu6_ner.dev_fold(e.doc_id) == k]
            path = Path(models) / f"ner_{k}" if models else Path(tmp) / f"ner_{k}"
            if not models:
                train = split_patients(load_commons().patients, seed=get_profile().seed)["train"]
                cu6_ner.build(train, path, cu6_ner.Budget(epochs=epochs, holdout_fold=k), log=lambda m: None)
            for e, s in zip(docs, cu6_ner.model_spans([e.text for e in docs], path)):
                found[e.doc_id] = entities_from_spans(e.text, s)
    batch_rules = _rules_of_batches(held)
    diff = lambda c, m: "–" if m not in c["metrics"] else \
        f"{c['metrics'][m]['difference']:+.3f} [{c['metrics'][m]['ci_low']:+.3f}, {c['metrics'][m]['ci_high']:+.3f}]"
    for setting, rules in (("the current rules (tuned on these documents)", {e.doc_id: extract_rules(e.text) for e in held}),
                           ("the rules in force before each batch was written (`BATCH_RULES`)", batch_rules)):
        docs = [e for e in held if e.doc_id in rules]
        split = Split([], docs, f"hand-written dev {first}..{last}, cross-fit")
        print(f"\n### Cross-fit, {setting}: {len(docs)} dev documents, {sum(len(e.gold['entities']) for e in docs)} "
              "entities, each read by the NER of its fold (never trained on it)\n\n| system | entity F1 strict | "
              "entity + negation | minus rules, strict (paired) | minus rules, + negation (paired) |\n|---|---|---|---|---|")
        preds = {"rules alone": {e.doc_id: result_of(*rules[e.doc_id]) for e in docs}}
        for name, v in VARIANTS.items():
            preds[name] = {e.doc_id: result_of(hybrid.with_nested(found[e.doc_id], rules[e.doc_id][0]) if v is None else
                                               hybrid.arbitrate(e.text, rules[e.doc_id][0], found[e.doc_id], *v[:3],
                                                                extend=v[3] if len(v) > 3 else (), refine=len(v) > 4 and v[4]),
                                               *rules[e.doc_id][1:]) for e in docs}
        for name, outs in preds.items():
            r = runner.evaluate("infectiology@handwritten", name, data=split, predictions=outs)
            c = runner.compare("infectiology@handwritten", name, "rules alone", data=split,
                               predictions={name: outs, "rules alone": preds["rules alone"]}) if name != "rules alone" else None
            print(f"| {name} | {_fmt(r, 'entity_f1')} | {_fmt(r, 'entity_negation_f1')} | "
                  f"{diff(c, 'entity_f1') if c else ''} | {diff(c, 'entity_negation_f1') if c else ''} |")


def _rules_of_batches(held: list) -> dict[str, tuple]:
    """The rules output of each document of ``batch_rules.BATCH_RULES`` with the rules it was written after."""
    from batch_rules import outputs_at_batch_time

    found = outputs_at_batch_time({e.doc_id: e.text for e in held}, "partages_core.usecases.infectiology.rules:extract_rules")
    return {k: tuple(v) for k, v in found.items()}


def _paired(task: str, **where) -> str:
    """The hybrid minus the rules on the same documents (paired bootstrap): strict, overlap, + negation."""
    from partages_core.evaluation import runner

    c = runner.compare(task, "infectio-hybrid", "infectio-rules", **where)["metrics"]
    return "hybrid minus rules (paired): " + ", ".join(
        f"{m} {c[m]['difference']:+.3f} [{c[m]['ci_low']:+.3f}, {c[m]['ci_high']:+.3f}]"
        for m in ("entity_f1", "entity_f1_overlap", "entity_negation_f1") if m in c)


def report() -> None:
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task
    from partages_core.usecases.infectiology import hybrid

    for task, label in (("infectiology@handwritten", "hand-written FROZEN test part"), ("infectiology", "commons test split")):
        print(f"\n### {label}\n\n| system | n docs | entity F1 strict | overlap | entity + negation | antibiogram |\n|---|---|---|---|---|---|")
        for system in ("infectio-rules", "infectio-hybrid", "infectio-ner"):
            r = runner.evaluate(task, system, split="test")
            print(f"| {system} | {r['n_documents']} | {_fmt(r, 'entity_f1')} | {_fmt(r, 'entity_f1_overlap')} | "
                  f"{_fmt(r, 'entity_negation_f1')} | {_fmt(r, 'antibiogram_f1')} |")
            labels = r["per_label"].get("entity")
            if labels:
                print(f"|  per label | | {json.dumps(labels, default=str)[:300]} | | | |")
        print(f"\n{_paired(task, split='test')}")
    texts = [e.text for e in runner.load_split(get_task("infectiology@handwritten"), "dev").eval]
    hybrid.extract_batch(texts[:2])  # load the model first
    tic = time.perf_counter()
    hybrid.extract_batch(texts)
    dt = time.perf_counter() - tic
    print(f"\nhybrid: {len(texts)} documents in {dt:.1f} s = {len(texts) / dt:.1f} docs/s "
          f"(load average {os.getloadavg()[0]:.1f})")


def fresh(first: str, last: str) -> None:
    """Print rules, hybrid and NER on the dev documents ``first``..``last`` (a batch scored once before tuning)."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.base import Split
    from partages_core.evaluation.tasks import get_task

    from partages_core.corpus.handwritten import dev_range
    from partages_core.errors import InputError

    try:
        ids = set(dev_range(first, last, option="--fresh"))  # a frozen test id in the range is refused
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    data = runner.load_split(get_task("infectiology@handwritten"), "dev")
    held = [e for e in data.eval if e.doc_id in ids]
    split = Split([], held, f"hand-written dev {first}..{last}")
    n_ent = sum(len(e.gold["entities"]) for e in held) if held and isinstance(held[0].gold, dict) else "?"
    print(f"\n### Dev documents {first}..{last} ({len(held)} documents, {n_ent} entities)\n\n"
          "| system | entity F1 strict | overlap | entity + negation | antibiogram |\n|---|---|---|---|---|")
    per_label = {}
    for system in ("infectio-rules", "infectio-hybrid", "infectio-ner"):
        r = runner.evaluate("infectiology@handwritten", system, data=split)
        print(f"| {system} | {_fmt(r, 'entity_f1')} | {_fmt(r, 'entity_f1_overlap')} | "
              f"{_fmt(r, 'entity_negation_f1')} | {_fmt(r, 'antibiogram_f1')} |")
        per_label[system] = r["per_label"].get("entity")
    for system, labels in per_label.items():
        print(f"{system} per label: {json.dumps(labels, default=str)[:600]}")
    print(_paired("infectiology@handwritten", data=split))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--choose", action="store_true")
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--old-rules", default="427d1eb")
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--fresh", nargs=2, metavar=("FIRST", "LAST"))
    ap.add_argument("--range", nargs=2, metavar=("FIRST", "LAST"), default=("hw-091", "hw-139"),
                    help="the dev documents --choose scores the arbitrations on")
    ap.add_argument("--model", help="--choose with this built NER (one that never saw --range) instead of training one")
    ap.add_argument("--crossfit", action="store_true",
                    help="score the arbitrations on the dev documents (--range, default all), each with its fold's NER")
    ap.add_argument("--fold-models", help="--crossfit with the fold NERs saved in this folder (ner_0, ner_1, ner_2)")
    args = ap.parse_args()
    if args.crossfit:
        crossfit(args.epochs, args.fold_models, *(args.range if "--range" in sys.argv else ("hw-001", "hw-999")))
    if args.fresh:
        fresh(*args.fresh)
    if args.choose:
        choose(args.old_rules, args.epochs, *args.range, model=args.model)
    if args.report:
        report()


if __name__ == "__main__":
    main()
