"""CU6 rules on the hand-written DEV part, per writing batch: strict vs overlap F1 per label, and the
boundary disagreements (a rule span that overlaps a gold span of the same label with other offsets),
the misses and false alarms, and the negation errors by cue. Dev only: the frozen part is never read.

Batches are the commits that added the documents (``git log -- partages_core/corpus/handwritten``):
hw-001..hw-090 were written before the CU6 rules (with the frozen part), the later ones after.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_cu6_boundaries.py [--list LABEL ...] [--negation] [--rules COMMIT]``
"""

from __future__ import annotations

import argparse
import os
from collections import defaultdict

os.environ.setdefault("HF_HUB_OFFLINE", "1")

BATCHES = (("hw-001", "hw-040"), ("hw-041", "hw-090"), ("hw-091", "hw-110"), ("hw-111", "hw-120"),
           ("hw-121", "hw-128"), ("hw-129", "hw-133"), ("hw-134", "hw-139"), ("hw-140", "hw-145"),
           ("hw-146", "hw-160"), ("hw-161", "hw-165"), ("hw-166", "hw-176"), ("hw-177", "hw-190"))
LABELS = ("Bacterie", "Bacteriemie", "Infection", "Site")


def _f1(c: list[int]) -> str:
    tp, fp, fn = c
    return "  –  " if tp + fp + fn == 0 else f"{2 * tp / (2 * tp + fp + fn):.3f}"


def _batch(doc_id: str) -> str:
    return next(f"{a}..{b}" for a, b in BATCHES if a <= doc_id <= b)


def _old_rules(commit: str, examples) -> dict:
    """``extract`` outputs of the rules of ``commit`` on the dev ``examples`` (run from a git archive)."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from partages_core.usecases.infectiology import result_of

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="cu6-rules-") as folder:
        tmp = Path(folder)
        (tmp / "docs.json").write_text(json.dumps({e.doc_id: e.text for e in examples}))
        subprocess.run(f"git archive {commit} partages_core | tar -x -C {tmp}", shell=True, check=True, cwd=root)
        code = ("import json,sys\nfrom partages_core.usecases.infectiology.rules import extract_rules\n"
                "d=json.load(open(sys.argv[1]))\njson.dump({k: extract_rules(t) for k, t in d.items()}, open(sys.argv[2],'w'))\n")
        subprocess.run([sys.executable, "-c", code, str(tmp / "docs.json"), str(tmp / "out.json")], check=True,
                       env={**os.environ, "PYTHONPATH": str(tmp)}, cwd=tmp)
        raw = json.loads((tmp / "out.json").read_text())
    return {k: result_of(*v) for k, v in raw.items()}


def main() -> None:
    from partages_core.evaluation import runner
    from partages_core.evaluation.tasks import get_task
    from partages_core.metrics import span_counts

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", nargs="*", default=(), help="labels whose disagreements are listed")
    ap.add_argument("--negation", action="store_true", help="list the negation errors of matched spans")
    ap.add_argument("--system", default="infectio-rules")
    ap.add_argument("--rules", metavar="COMMIT", help="the rules of an older commit (e.g. the rules a batch was first scored with)")
    args = ap.parse_args()

    task = get_task("infectiology@handwritten")
    data = runner.load_split(task, "dev")
    if args.rules:
        examples, outputs = data.eval, _old_rules(args.rules, data.eval)
    else:
        examples, outputs = runner.run_system(task, args.system, data, None, 13, None)
    table: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0, 0])))
    lines = []
    for ex in examples:
        gold, pred, b = ex.gold["entities"], outputs[ex.doc_id]["entities"], _batch(ex.doc_id)
        for mode in ("strict", "overlap"):
            for label, c in span_counts(gold, pred, lambda x: x["label"], mode).items():
                for key in (b, "all"):
                    t = table[key][label][mode]
                    t[0], t[1], t[2] = t[0] + c.tp, t[1] + c.fp, t[2] + c.fn
        neg = span_counts(gold, pred, lambda x: f"{x['label']}|{x.get('negation')}", "strict")
        for key in (b, "all"):
            t = table[key]["(negation)"]["strict"]
            for c in neg.values():
                t[0], t[1], t[2] = t[0] + c.tp, t[1] + c.fp, t[2] + c.fn
        text, key = ex.text, lambda x: (x["label"], x["start"], x["end"])
        gset, pset = {key(g): g for g in gold}, {key(p): p for p in pred}
        for k, g in gset.items():
            if k[0] not in args.list:
                continue
            if k in pset:
                if args.negation and pset[k].get("negation") != g.get("negation"):
                    ctx = text[max(0, k[1] - 60):k[2] + 40].replace("\n", " / ")
                    lines.append(f"{ex.doc_id} NEG {k[0]} gold={g.get('negation')} rules={pset[k].get('negation')}"
                                 f" «{text[k[1]:k[2]]}» … {ctx}")
                continue
            over = [p for p in pset.values() if p["label"] == k[0] and p["start"] < k[2] and k[1] < p["end"]]
            if over:
                lines.append(f"{ex.doc_id} BOUND {k[0]} gold «{text[k[1]:k[2]]}» rules "
                             + " | ".join(f"«{text[p['start']:p['end']]}»" for p in over))
            else:
                lines.append(f"{ex.doc_id} MISS {k[0]} «{text[k[1]:k[2]]}» … {text[max(0, k[1] - 50):k[2] + 30]!r}")
        for k, p in pset.items():
            if k[0] in args.list and k not in gset and not any(
                    g["label"] == k[0] and g["start"] < k[2] and k[1] < g["end"] for g in gold):
                lines.append(f"{ex.doc_id} FP {k[0]} «{text[k[1]:k[2]]}» … {text[max(0, k[1] - 50):k[2] + 30]!r}")
    print(f"{args.system} on dev, {len(examples)} CU6 documents; F1 strict / overlap (gold n)")
    print(f"{'batch':<16}" + "".join(f"{lab:>22}" for lab in LABELS + ("(negation)",)))
    for b in [f"{a}..{z}" for a, z in BATCHES] + ["all"]:
        row = table.get(b)
        if not row:
            continue
        cells = []
        for lab in LABELS:
            s, o = row[lab]["strict"], row[lab]["overlap"]
            cells.append(f"{_f1(s)} / {_f1(o)} ({s[0] + s[2]:>3})")
        n = row["(negation)"]["strict"]
        cells.append(f"{_f1(n)} ({n[0] + n[2]:>3})")
        print(f"{b:<16}" + "".join(f"{c:>22}" for c in cells))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
