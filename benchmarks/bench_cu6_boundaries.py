"""CU6 rules on the hand-written DEV part, per writing batch: where the span boundaries disagree.

Prints one table, a row per batch of documents (the commits that added them, ``git log --
partages_core/corpus/handwritten``; hw-001..hw-090 were written before the CU6 rules, with the frozen
part, the later ones after) and a row for all dev: F1 strict / overlap per label with its number of
gold items, and F1 with negation. The counts come from the task's own scorer (the ``entity``,
``entity_overlap`` and ``entity_negation`` views of ``infectiology@handwritten``, ``evaluation.tasks``).
Then, for the labels given to ``--list``, one line per disagreement: BOUND (a rule span overlaps a
gold span of the same label with other offsets), MISS, FP, and with ``--negation`` NEG (a span
found with the wrong negation).

Dev only: the split is fixed to ``dev`` (there is no option for another one), so nothing of the frozen
part is run, scored or printed. ``--rules COMMIT`` runs the rules of
an older commit on the same dev texts (its package is unpacked without the hand-written documents).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_cu6_boundaries.py [--list [LABEL ...]] [--negation]
[--system NAME | --rules COMMIT]``
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict

os.environ.setdefault("HF_HUB_OFFLINE", "1")

BATCHES = (("hw-001", "hw-040"), ("hw-041", "hw-090"), ("hw-091", "hw-110"), ("hw-111", "hw-120"),
           ("hw-121", "hw-128"), ("hw-129", "hw-133"), ("hw-134", "hw-139"), ("hw-140", "hw-145"),
           ("hw-146", "hw-160"), ("hw-161", "hw-165"), ("hw-166", "hw-176"), ("hw-177", "hw-190"),
           ("hw-191", "hw-208"))
LATER = "later"  # dev documents added after the last batch listed above
LABELS = ("Bacterie", "Bacteriemie", "Infection", "Site")
TASK = "infectiology@handwritten"


def _batch(doc_id: str) -> str:
    return next((f"{a}..{b}" for a, b in BATCHES if a <= doc_id <= b), LATER)


def _f1(c) -> str:
    return "  –  " if c.tp + c.fp + c.fn == 0 else f"{c.f1:.3f}"


def _old_rules(commit: str, examples) -> dict:
    """``extract`` outputs of the rules of ``commit`` on the dev ``examples`` (its ``partages_core``,
    without the hand-written documents, unpacked in a temporary folder and run in a fresh process)."""
    import io
    import json
    import subprocess
    import tarfile
    import tempfile
    from pathlib import Path

    from partages_core.errors import InputError
    from partages_core.usecases.infectiology import result_of

    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "archive", "--format=tar", f"{commit}^{{commit}}", "--", "partages_core",
                              ":(exclude)partages_core/corpus/handwritten/docs"], cwd=root, capture_output=True)
    if archive.returncode:
        raise InputError(f"--rules: {commit!r} is not a commit of this repository")
    with tempfile.TemporaryDirectory(prefix="cu6-rules-") as folder:
        tmp = Path(folder)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        (tmp / "docs.json").write_text(json.dumps({e.doc_id: e.text for e in examples}))
        code = ("import json,sys\nfrom partages_core.usecases.infectiology.rules import extract_rules\n"
                "d=json.load(open(sys.argv[1]))\njson.dump({k: extract_rules(t) for k, t in d.items()}, open(sys.argv[2],'w'))\n")
        run = subprocess.run([sys.executable, "-c", code, str(tmp / "docs.json"), str(tmp / "out.json")],
                             env={**os.environ, "PYTHONPATH": str(tmp)}, cwd=tmp, capture_output=True, text=True)
        if run.returncode:
            last = (run.stderr.strip().splitlines() or ["no message"])[-1]
            raise InputError(f"--rules {commit}: its rules did not run on the dev texts ({last})")
        raw = json.loads((tmp / "out.json").read_text())
    return {k: result_of(*v) for k, v in raw.items()}


def _table(examples, scored) -> list[str]:
    """The per-batch rows: strict / overlap F1 (gold n) per label, then F1 with negation (gold n)."""
    from partages_core.metrics import Counts, merge, micro

    groups: dict[str, list[dict]] = defaultdict(list)
    for ex, s in zip(examples, scored):
        groups[_batch(ex.doc_id)].append(s)
        groups["all"].append(s)
    rows = [f"{'batch':<16}" + "".join(f"{lab:>22}" for lab in LABELS + ("(negation)",))]
    for b in [f"{a}..{z}" for a, z in BATCHES] + [LATER, "all"]:
        if b not in groups:
            continue
        strict, overlap = (merge(*(s[view] for s in groups[b])) for view in ("entity", "entity_overlap"))
        cells = []
        for lab in LABELS:
            s, o = strict.get(lab, Counts()), overlap.get(lab, Counts())
            cells.append(f"{_f1(s)} / {_f1(o)} ({s.tp + s.fn:>3})")
        n = micro(merge(*(s["entity_negation"] for s in groups[b])))
        cells.append(f"{_f1(n)} ({n.tp + n.fn:>3})")
        rows.append(f"{b:<16}" + "".join(f"{c:>22}" for c in cells))
    return rows


def _disagreements(ex, pred: list[dict], labels: set[str], negation: bool) -> list[str]:
    """BOUND / MISS / FP lines (and NEG lines) of one document for ``labels``."""
    gold, text = ex.gold["entities"], ex.text
    key = lambda x: (x["label"], x["start"], x["end"])  # noqa: E731
    gold_at, pred_at = {key(g): g for g in gold}, {key(p): p for p in pred}
    lines = []
    for k, g in gold_at.items():
        if k[0] not in labels:
            continue
        if k in pred_at:
            if negation and pred_at[k].get("negation") != g.get("negation"):
                ctx = text[max(0, k[1] - 60):k[2] + 40].replace("\n", " / ")
                lines.append(f"{ex.doc_id} NEG {k[0]} gold={g.get('negation')} rules={pred_at[k].get('negation')}"
                             f" «{text[k[1]:k[2]]}» … {ctx}")
            continue
        over = [p for p in pred_at.values() if p["label"] == k[0] and p["start"] < k[2] and k[1] < p["end"]]
        if over:
            lines.append(f"{ex.doc_id} BOUND {k[0]} gold «{text[k[1]:k[2]]}» rules "
                         + " | ".join(f"«{text[p['start']:p['end']]}»" for p in over))
        else:
            lines.append(f"{ex.doc_id} MISS {k[0]} «{text[k[1]:k[2]]}» … {text[max(0, k[1] - 50):k[2] + 30]!r}")
    for k in pred_at:
        if k[0] in labels and k not in gold_at and not any(
                g["label"] == k[0] and g["start"] < k[2] and k[1] < g["end"] for g in gold):
            lines.append(f"{ex.doc_id} FP {k[0]} «{text[k[1]:k[2]]}» … {text[max(0, k[1] - 50):k[2] + 30]!r}")
    return lines


def main() -> None:
    from partages_core.errors import PartagesError
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", nargs="*", choices=LABELS, metavar="LABEL",
                    help=f"list the disagreements of these labels ({', '.join(LABELS)}; none named: all)")
    ap.add_argument("--negation", action="store_true",
                    help="also list the negation errors of matched spans (of the --list labels, else of all)")
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--system", default="infectio-rules", help="a registered CU6 system (default: infectio-rules)")
    which.add_argument("--rules", metavar="COMMIT", help="the rules of an older commit instead of a system")
    args = ap.parse_args()
    listed = set(args.list or LABELS) if args.list is not None or args.negation else set()

    try:
        task = get_task(TASK)
        data = runner.load_split(task, "dev")  # fixed: there is no option to read another split
        if args.rules:
            name = f"rules of {args.rules}"
            examples, outputs = runner.run_system(task, name, data, predictions=_old_rules(args.rules, data.eval))
        else:
            name = args.system
            examples, outputs = runner.run_system(task, args.system, data)
    except PartagesError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    scored = runner.score_all(task, examples, outputs)
    print(f"{name} on dev, {len(examples)} CU6 documents; F1 strict / overlap (gold n)")
    print("\n".join(_table(examples, scored)))
    for ex in examples:
        for line in _disagreements(ex, outputs[ex.doc_id].get("entities", []), listed, args.negation):
            print(line)


if __name__ == "__main__":
    main()
