"""Real French text: tasks backed by the annotated corpora in ``shared/data`` (skipped when absent).

E3C layer 1 (UIMA CAS XMI exported from WebAnno): the document text is the Sofa string, and each
``custom:EVENT`` carries ``polarity`` POS/NEG — the negation of a clinical event. The task asks a
system for the polarity of every gold event; NEG is the label of interest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from partages_core.corpus.io.e3c import DATA_ENV, e3c_available, e3c_files, e3c_folder, e3c_train_ids, read_e3c
from partages_core.errors import InputError
from partages_core.metrics import macro_f1_totals, micro_f1_totals, set_counts
from partages_core.evaluation.base import Example, Metric, Split, Task, View

def read_e3c_events(path: Path) -> Example:
    """One E3C XMI file → Example(text = sofa string, gold events with polarity)."""
    doc_id, text, events = read_e3c(path)
    return Example(doc_id, text, {"events": events})


def load_e3c(split: str) -> Any:
    """E3C examples; ``test`` = documents not listed as French train (``dev`` is not defined)."""
    if not e3c_available():
        raise InputError(f"e3c-negation: E3C not found under {e3c_folder()} (set {DATA_ENV})")
    if split not in ("train", "test"):
        raise InputError(f"--split: E3C has train and test only, got {split!r}")
    files = e3c_files()
    train_ids = e3c_train_ids()
    examples = [read_e3c_events(f) for f in files]
    train = [ex for ex in examples if ex.doc_id in train_ids]
    chosen = train if split == "train" else [ex for ex in examples if ex.doc_id not in train_ids]
    return Split(train, chosen, f"E3C French layer1 ({len(files)} XMI, commit 8196181)")


def _score(ex: Example, pred: dict[str, Any]) -> dict[str, Any]:
    gold = {(e["start"], e["end"], e["polarity"]) for e in ex.gold["events"]}
    got = {(e["start"], e["end"], e["polarity"]) for e in pred.get("events", [])}
    counts = set_counts(gold, got, lambda t: t[2])
    return {"polarity": counts, "negated": {k: v for k, v in counts.items() if k == "NEG"}}


E3C_NEGATION = Task(
    name="e3c-negation",
    description="Real text (E3C French layer 1): polarity POS/NEG of every gold clinical event "
                "(EVENT/@polarity); F1 of NEG, accuracy and macro-F1 over POS/NEG.",
    split="test", labels=("POS", "NEG"),
    views=(View("polarity"), View("negated")),
    metrics=(Metric("neg_f1", "negated", micro_f1_totals),
             Metric("accuracy", "polarity", micro_f1_totals),
             Metric("macro_f1", "polarity", macro_f1_totals)),
    select=lambda p, d: False, gold=lambda p, d: {}, score=_score, primary="neg_f1",
    span_layers=("events",), load=load_e3c)
