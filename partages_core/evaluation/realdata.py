"""Text the system did not generate: loaders for hand-written and public corpora (skipped when absent).

- the project's hand-written set (``corpus/handwritten``), read as the commons tasks read it; splits
  ``dev`` and ``test`` (frozen: never tune on it). Baselines trained here train on the commons' train
  split, as on the commons. The mirrored tasks ``<task>@handwritten`` are registered by ``tasks``.
- EDS-Pseudo snippets (``shared/data/EDS-PSEUDO/dev.jsonl``), labels mapped to PARHAF CU1 by
  :data:`EDS_PSEUDO_LABELS`; split ``test`` = the held-out fold (the hybrid pseudonymiser trains on
  the other one), no patient context: ``pseudonymisation@eds-pseudo``.
- E3C layer 1, below.

E3C layer 1 (UIMA CAS XMI exported from WebAnno): the document text is the Sofa string, and each
``custom:EVENT`` carries ``polarity`` POS/NEG — the negation of a clinical event. The task asks a
system for the polarity of every gold event; NEG is the label of interest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from partages_core.corpus.handwritten.conventions import BARE_YEAR  # a year written alone: not identifying
from partages_core.corpus.io.e3c import (DATA_ENV, e3c_available, e3c_files, e3c_folder, e3c_train_ids, read_e3c,
                                         shared_data)
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
    span_layers=("events",), load=load_e3c, source="e3c")


# --- the hand-written set -------------------------------------------------------------------------

def _commons_train(base: Task) -> list[Example]:
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.quality.splits import split_patients

    return base.examples(split_patients(load_commons().patients, seed=get_profile().seed)["train"])


def handwritten_loader(base: Task) -> Callable[[str], Split]:
    """``load(split)`` for ``base`` on the hand-written set (``dev`` or the frozen ``test``)."""
    def load(split: str) -> Split:
        from partages_core.corpus.handwritten import load_handwritten

        if split not in ("dev", "test"):
            raise InputError(f"--split: the hand-written set has dev and test (frozen), got {split!r}")
        examples = base.examples(load_handwritten(split))
        return Split(_commons_train(base), examples, f"handwritten:{split}:{len(examples)} documents")
    return load


# --- EDS-Pseudo ----------------------------------------------------------------------------------

EDS_PSEUDO_LABELS = {  # EDS-Pseudo label -> (PARHAF CU1 label, attributes)
    "NOM": ("NOM", {}), "PRENOM": ("PRENOM", {}), "DATE_NAISSANCE": ("DATE_NAISSANCE", {}),
    "DATE": ("DATE_IDENTIFIANTE", {}),  # EDS-Pseudo marks every date, even a bare year
    "TEL": ("TELEPHONE", {}), "MAIL": ("EMAIL", {}), "ADRESSE": ("ADRESSE", {}), "ZIP": ("CODE_POSTAL", {}),
    "VILLE": ("VILLE", {}), "HOPITAL": ("HOPITAL", {}), "SECU": ("ID", {"id_type": "NIR"}),
    "IPP": ("ID", {"id_type": "IPP"}), "NDA": ("ID", {"id_type": "NDA"}),
}


def eds_pseudo_path() -> Path:
    return shared_data() / "EDS-PSEUDO" / "dev.jsonl"


def read_eds_pseudo(path: Path) -> list[Example]:
    """EDS-Pseudo snippets as pseudonymisation examples (labels mapped); a bad line names file, line
    and record."""
    import json

    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            doc_id, text, ents = row["note_id"], row["note_text"], row["entities"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise InputError(f"{path}:{n}: expected JSON with note_id, note_text, entities ({err})") from None
        spans = []
        for k, e in enumerate(ents):
            s, t, label = e.get("start"), e.get("end"), e.get("label")
            if label not in EDS_PSEUDO_LABELS:
                raise InputError(f"{path}:{n}: record {doc_id} entity #{k}: unknown label {label!r}")
            if not (isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(text)):
                raise InputError(f"{path}:{n}: record {doc_id} entity #{k}: offsets ({s}, {t}) outside the text")
            parhaf, attrs = EDS_PSEUDO_LABELS[label]
            if label == "DATE" and BARE_YEAR.fullmatch(text[s:t]):
                parhaf, attrs = "DATE_NON_IDENTIFIANTE", {"eds_label": "DATE"}  # PARHAF: a bare year is not identifying
            spans.append({"start": s, "end": t, "label": parhaf, "text": text[s:t], **attrs})
        out.append(Example(str(doc_id), text, {"spans": spans}, {}))
    return out


def load_eds_pseudo(split: str) -> Split:
    """EDS-Pseudo ``dev.jsonl``: ``test`` is the held-out fold only (the hybrid pseudonymiser trains on
    the other fold, ``train``; the fold is fixed by a hash of the snippet id, see
    ``governance.ner.eds_pseudo_fold``), so every system is scored on snippets no system trained on."""
    from partages_core.governance.ner import EDS_PSEUDO_TRAIN_SHARE, eds_pseudo_fold

    path = eds_pseudo_path()
    if not path.is_file():
        raise InputError(f"pseudonymisation@eds-pseudo: {path} not found (set {DATA_ENV})")
    if split not in ("test", "train"):
        raise InputError(f"--split: EDS-Pseudo has test (held-out fold) and train, got {split!r}")
    examples = read_eds_pseudo(path)
    train = [ex for ex in examples if eds_pseudo_fold(ex.doc_id) == "train"]
    held = [ex for ex in examples if eds_pseudo_fold(ex.doc_id) == "heldout"]
    chosen = held if split == "test" else train
    return Split([], chosen, f"EDS-Pseudo dev.jsonl, {'held-out' if split == 'test' else 'training'} fold "
                             f"({len(chosen)} of {len(examples)} snippets; {EDS_PSEUDO_TRAIN_SHARE:.0%} train by id hash), "
                             "labels mapped to PARHAF")


def available(task: Task) -> bool:
    """False when a real-text task's corpus is absent (the task is then skipped, not failed)."""
    if task.source == "e3c":
        return e3c_available()
    if task.source == "eds-pseudo":
        return eds_pseudo_path().is_file()
    return True
