"""The commons as a Hugging Face ``DatasetDict`` (train/dev/test, one row per document), on disk.

Rows carry the text, patient context and every gold layer as lists of structs; span attributes,
whose keys differ per layer, are kept as a JSON string so the schema is fixed. Splits are given
(patient-level, from ``quality.splits``), so no patient appears in two splits.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from partages_core.corpus.model import LAYERS, Patient

SPAN = {"start": "int32", "end": "int32", "label": "string", "text": "string", "attrs": "string"}


def features() -> Any:
    """The fixed ``datasets.Features`` of a document row."""
    from datasets import Features, List, Value

    span = {k: Value(v) for k, v in SPAN.items()}
    return Features({
        "id": Value("string"), "patient_id": Value("string"), "facility": Value("string"),
        "specialty": Value("string"), "pool": Value("string"), "type": Value("string"),
        "header": Value("string"), "text": Value("string"), "icd10": Value("string"),
        **{layer: List(span) for layer in LAYERS},
        "antibiogram": List({"organism": Value("string"), "antibiotic": Value("string"),
                             "atc": Value("string"), "result": Value("string"),
                             "start": Value("int32"), "end": Value("int32")}),
        "response": Value("string"),
    })


def document_rows(patients: Sequence[Patient]) -> list[dict[str, Any]]:
    """One row per document, in patient then document order."""
    rows = []
    for p in patients:
        for d in p.documents:
            rows.append({
                "id": d.id, "patient_id": p.id, "facility": p.facility, "specialty": p.specialty,
                "pool": p.pool, "type": d.type, "header": d.header, "text": d.text, "icd10": p.icd10,
                **{layer: [{"start": s.start, "end": s.end, "label": s.label, "text": s.text,
                            "attrs": json.dumps(s.attrs, ensure_ascii=False, sort_keys=True)}
                           for s in d.spans(layer)] for layer in LAYERS},
                "antibiogram": [{"organism": a.organism, "antibiotic": a.antibiotic, "atc": a.atc,
                                 "result": a.result, "start": a.start, "end": a.end} for a in d.antibiogram],
                "response": d.response.label if d.response else None,
            })
    return rows


def to_dataset_dict(splits: Mapping[str, Sequence[Patient]]) -> Any:
    """``DatasetDict`` with one ``Dataset`` per split name."""
    import datasets
    from datasets import Dataset, DatasetDict

    if not sys.stderr.isatty() or os.environ.get("CI"):
        datasets.disable_progress_bars()
    feats = features()
    return DatasetDict({name: Dataset.from_list(document_rows(ps), features=feats)
                        for name, ps in splits.items()})


def save_dataset_dict(splits: Mapping[str, Sequence[Patient]], out: str | Path) -> Path:
    """Write the ``DatasetDict`` with ``save_to_disk`` into a temp folder, then move it in place."""
    from partages_core.files import atomic_folder

    out = Path(out)
    with atomic_folder(out) as tmp:
        to_dataset_dict(splits).save_to_disk(str(tmp))
    return out


def load_dataset_dict(folder: str | Path) -> Any:
    """``datasets.load_from_disk`` on a folder written by :func:`save_dataset_dict`."""
    from datasets import load_from_disk

    return load_from_disk(str(folder))
