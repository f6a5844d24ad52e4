"""WP4/WP5 rules on hand-written text: quality per label with 95 % intervals, and speed.

1. Quality on the hand-written set (``<task>@handwritten``, scored by ``evaluation.tasks``): headline
   metrics and every per-label F1 with its number of gold items and a 95 % document bootstrap
   interval; tumour grade (system, value) against the documents' front-matter grade. Tune on
   ``--split dev`` only; ``--split test`` is the frozen part the project reports.
2. Speed: the first ``extract`` call in a fresh Python process (target < 2 s, rules path, no
   spaCy/torch import) and documents/s of the rules on one core (target >= 500), with the EDS-NLP
   ``eds.tnm`` pipeline over the same texts as a baseline in the same run.

``--docs FIRST LAST`` scores only the dev documents with ids in that range (a new batch, scored once
before any tuning); a range holding a frozen test id is refused (one line, exit 2).

Run: PYTHONPATH=. python benchmarks/bench_usecases_realtext.py [--split dev|test] [--docs FIRST LAST] [--no-speed]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

TASKS = {"oncology-biomarkers@handwritten": "oncology-rules", "infectiology@handwritten": "infectio-rules"}
VIEWS = {"oncology-biomarkers@handwritten": ("marker_status", "tnm", "entity", "entity_strict"),
         "infectiology@handwritten": ("entity", "entity_overlap", "entity_negation", "antibiogram", "resistance")}


def per_label(task, scored, view: str, n_boot: int = 1000, seed: int = 13) -> list[tuple]:
    """(label, n gold, F1, low, high) for each label of a counts view."""
    import numpy as np

    from partages_core.evaluation.bootstrap import bootstrap_ci
    from partages_core.evaluation.runner import view_labels, view_matrix
    from partages_core.metrics import micro_f1_totals

    labels = view_labels(task, scored)[view]
    mat = view_matrix(task, scored, view, labels)
    rows = []
    for j, label in enumerate(labels):
        col = mat[:, j:j + 1, :]
        n_gold = int(col[:, 0, 0].sum() + col[:, 0, 2].sum())  # tp + fn
        ci = bootstrap_ci(col, micro_f1_totals, n_boot, seed)
        rows.append((label, n_gold, ci.value, ci.low, ci.high))
    allc = bootstrap_ci(mat, micro_f1_totals, n_boot, seed)
    rows.append(("(micro)", int(mat[:, :, 0].sum() + mat[:, :, 2].sum()), allc.value, allc.low, allc.high))
    return rows


def quality(split: str, ids: list[str] | None = None) -> None:
    """Per-label F1 of both tasks on ``split`` (or on the dev documents ``ids``), then tumour grade."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.base import Split
    from partages_core.evaluation.tasks import get_task

    for name, system in TASKS.items():
        task = get_task(name)
        data = runner.load_split(task, split)
        where = f"split {split}"
        if ids is not None:
            data = Split(data.train, [e for e in data.eval if e.doc_id in set(ids)], data.source)
            where = f"dev documents {ids[0]}..{ids[-1]}"
        if not data.eval:
            print(f"\n== {name} ({system}), {where}: no document ==")
            continue
        examples, outputs = runner.run_system(task, system, data, None, 13, None)
        scored = runner.score_all(task, examples, outputs)
        print(f"\n== {name} ({system}), {where}: {len(examples)} documents ==")
        for view in VIEWS[name]:
            print(f"-- {view}: label, gold n, F1 [95 % CI]")
            for label, n, f1, lo, hi in per_label(task, scored, view):
                print(f"   {label:<34} n={n:<4} F1={f1:.3f} [{lo:.3f}, {hi:.3f}]")
    grade(split, ids)


def grade(split: str, ids: list[str] | None = None) -> None:
    """Tumour grade: the document's (system, value) against its front-matter gold (only ``split`` parsed)."""
    import numpy as np

    from partages_core.corpus.handwritten import load_sources
    from partages_core.evaluation.bootstrap import bootstrap_ci
    from partages_core.metrics import micro_f1_totals
    from partages_core.usecases.oncology import document_grade

    rows = []
    for hw in load_sources(split=split):
        if not str(hw.meta.get("pool", "")).startswith("CU 5") or (ids is not None and hw.meta["id"] not in ids):
            continue
        gold = hw.meta.get("grade")
        got = document_grade(hw.document.text)
        g = (gold["system"], str(gold["value"])) if gold else None
        p = (got["system"], str(got["value"])) if got else None
        rows.append([int(g is not None and g == p), int(p is not None and g != p), int(g is not None and g != p)])
    if not rows:
        print(f"\n== tumour grade on hand-written {split}: no oncology document ==")
        return
    mat = np.array(rows, dtype=float).reshape(len(rows), 1, 3)
    ci = bootstrap_ci(mat, micro_f1_totals, 1000, 13)
    n = int(mat[:, 0, 0].sum() + mat[:, 0, 2].sum())
    print(f"\n== tumour grade (system, value) on hand-written {split}: {len(rows)} oncology documents, "
          f"{n} with a gold grade ==\n   F1={ci.value:.3f} [{ci.low:.3f}, {ci.high:.3f}]")


FIRST_CALL = """
import time, sys
t, c = time.perf_counter(), time.process_time()
from partages_core.usecases.{uc} import extract
extract({text!r})
dt, dc = time.perf_counter() - t, time.process_time() - c
heavy = sorted(m for m in ("spacy", "torch", "edsnlp", "transformers", "pandas") if m in sys.modules)
print(f"{{dt:.3f}} {{dc:.3f}} {{','.join(heavy) or '-'}}")
"""


def speed() -> None:
    from partages_core.corpus.handwritten import load_handwritten
    from partages_core.usecases import infectiology, oncology

    samples = {"oncology": "Carcinome canalaire pT2 N1a M0, grade SBR 2. HER2 score 2+, FISH non amplifié. RE 90 %.",
               "infectiology": "Hémocultures : 2/2 flacons positifs à E. coli BLSE. Pyélonéphrite aiguë droite."}
    print("\n== first extract() call in a fresh process (target < 2 s; no spaCy/torch/edsnlp) ==")
    for uc, text in samples.items():
        out = subprocess.run([sys.executable, "-c", FIRST_CALL.format(uc=uc, text=text)], capture_output=True,
                             text=True, check=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
        secs, cpu, heavy = out.stdout.split()
        print(f"   {uc:<13} wall {float(secs):.2f} s, CPU {float(cpu):.2f} s   heavy modules loaded: {heavy}")
    texts = [d.text for p in load_handwritten("dev") for d in p.documents]  # the frozen part is not parsed
    reps = max(1, 2000 // len(texts))
    corpus = texts * reps
    print(f"\n== rules throughput, one core: {len(corpus)} documents (hand-written dev part x{reps}) ==")
    print(f"   (CPU time of this process, so that other jobs on a shared machine do not count; "
          f"load average {os.getloadavg()[0]:.1f})")
    for name, fn in (("oncology.extract", oncology.extract), ("infectiology.extract", infectiology.extract)):
        fn(corpus[0])
        t, c = time.perf_counter(), time.process_time()
        for text in corpus:
            fn(text)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        print(f"   {name:<22} {len(corpus) / dc:8.0f} docs/CPU-s (target >= 500)   wall {len(corpus) / dt:6.0f} docs/s")
    try:
        import edsnlp
        import edsnlp.pipes as eds
    except ImportError:
        return
    nlp = edsnlp.blank("eds")
    nlp.add_pipe(eds.tnm())
    sub = corpus[:300]
    c = time.process_time()
    for text in sub:
        nlp(text)
    dc = time.process_time() - c
    print(f"   baseline eds.tnm alone   {len(sub) / dc:8.0f} docs/CPU-s (what the TNM step used before; same texts)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--docs", nargs=2, metavar=("FIRST", "LAST"),
                    help="only the dev documents with ids FIRST..LAST (e.g. hw-191 hw-205); test ids are refused")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-quality", action="store_true")
    args = ap.parse_args()
    ids = None
    if args.docs:
        from partages_core.corpus.handwritten import dev_range
        from partages_core.errors import InputError

        try:
            if args.split != "dev":
                raise InputError("--docs scores dev documents only; it cannot be used with --split test")
            ids = dev_range(*args.docs)
        except InputError as err:
            print(f"error: {err}", file=sys.stderr)
            sys.exit(2)
    if not args.no_quality:
        quality(args.split, ids)
    if not args.no_speed:
        speed()


if __name__ == "__main__":
    main()
