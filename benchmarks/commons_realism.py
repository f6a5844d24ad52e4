"""Realism of the commons, written to ``datasets_cards/commons_realism.json`` for the card and notebook 00:
lexical diversity vs public text, EDS-Pseudo format coverage, header coverage, and (``--transfer``
JSON from ``benchmarks/transfer_gap.py``) the transfer gap.
Run: ``.venv/bin/python benchmarks/commons_realism.py [--patients 1000] [--transfer gap.json]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from partages_core.corpus.generator import generate
from partages_core.corpus.handwritten import load_handwritten
from partages_core.corpus.realism import realism_report, report_path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--transfer", type=Path, action="append", default=[],
                    help="transfer_gap.py JSON (repeat to merge the taggers of several runs)")
    ap.add_argument("--transfer-before", type=Path, default=None,
                    help="the same measure on the previous generator, kept in the card for comparison")
    args = ap.parse_args()
    patients = list(generate(args.patients, args.seed))
    dev = {"handwritten-dev": [d.text for p in load_handwritten("dev") for d in p.documents]}
    out = {"realism": {"patients": args.patients, "seed": args.seed, **realism_report(patients, dev)}}
    for path in args.transfer:
        run = json.loads(path.read_text(encoding="utf-8"))
        if "transfer_gap" in out:
            out["transfer_gap"]["taggers"].update(run["taggers"])
            out["transfer_gap"]["training_seeds"] = sorted({*out["transfer_gap"].get("training_seeds", []),
                                                            *run.get("training_seeds", [])})  # per tagger: taggers.*.seeds
        else:
            out["transfer_gap"] = run
    if args.transfer_before:
        out["transfer_gap_before"] = json.loads(args.transfer_before.read_text(encoding="utf-8"))
    report_path().write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
