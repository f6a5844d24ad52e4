"""The rules each hand-written dev batch was written after: a batch scored with them reads as new writing
(the current rules were tuned on it). Used by ``bench_cu6_hybrid.py --crossfit``,
``bench_response.py --dev-crossfit`` and ``bench_oncology_mentions_hybrid.py --batch-rules``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (first id, last id, commit): each dev batch was scored once with the rules of that commit before any tuning
# (docs/history/usecases.md); hw-273..hw-288 (batch 16) with h16's rules before its merge (759c320), hw-289..hw-304
# (batch 17) with h16's fifteenth-pass rules (fc265c0), hw-305..hw-320 (batch 18) with h16's sixteenth-pass rules
# (1a42cb6), hw-321..hw-336 (batch 19) with h16's seventeenth-pass rules (85b02d7), hw-337..hw-352 (batch 20) with
# h16's eighteenth-pass rules (b769ad3, the parent of h16's merge of batch 20), hw-353..hw-368 (batch 21) with h16's
# nineteenth-pass rules (4e463c1, the parent of h16's merge of batch 21), hw-369..hw-384 (batch 22) with h16's
# twentieth-pass rules (3b9b820, the parent of h16's merge of batch 22, 8de186c).
BATCH_RULES = (("hw-091", "hw-139", "427d1eb"), ("hw-146", "hw-160", "b4ef351"), ("hw-166", "hw-176", "f75d4ae"),
               ("hw-177", "hw-190", "51e341f"), ("hw-191", "hw-208", "a048ab9"), ("hw-209", "hw-224", "282b394"),
               ("hw-225", "hw-240", "6c95407"), ("hw-241", "hw-256", "4759c14"),
               ("hw-257", "hw-272", "9a8a059"), ("hw-273", "hw-288", "759c320"), ("hw-289", "hw-304", "fc265c0"),
               ("hw-305", "hw-320", "1a42cb6"), ("hw-321", "hw-336", "85b02d7"),
               ("hw-337", "hw-352", "b769ad3"), ("hw-353", "hw-368", "4e463c1"),
               ("hw-369", "hw-384", "3b9b820"))


def outputs_at_batch_time(texts: dict[str, str], function: str) -> dict[str, object]:
    """``function`` ("module:name", taking a text) of each dev document of :data:`BATCH_RULES` (id -> text),
    run with the package as it was at its batch's commit; documents of no batch are left out."""
    module, name = function.split(":")
    code = (f"import json,sys\nfrom {module} import {name} as f\n"
            "d=json.load(open(sys.argv[1]))\njson.dump({k: f(t) for k, t in d.items()}, open(sys.argv[2],'w'))\n")
    out: dict[str, object] = {}
    for first, last, commit in BATCH_RULES:
        docs = {k: t for k, t in texts.items() if first <= k <= last}
        if not docs:
            continue
        with tempfile.TemporaryDirectory(prefix="batch-rules-") as tmp:
            tmp = Path(tmp)
            (tmp / "docs.json").write_text(json.dumps(docs))
            subprocess.run(f"git archive {commit} partages_core | tar -x -C {tmp}", shell=True, check=True, cwd=ROOT)
            subprocess.run([sys.executable, "-c", code, str(tmp / "docs.json"), str(tmp / "out.json")], check=True,
                           env={**os.environ, "PYTHONPATH": str(tmp)}, cwd=tmp)
            out.update(json.loads((tmp / "out.json").read_text()))
    return out
