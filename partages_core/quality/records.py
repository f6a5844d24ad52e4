"""Raw records of a PARHAF folder as plain dicts, tolerant of bad rows (validation decides).

``corpus.io.parhaf.read_parhaf`` stops at the first bad file, which suits a trusted commons; a
facility's delivery must instead be read whole so that every bad row is quarantined with its
reason while the rest proceeds. Texts that are not UTF-8 are kept as ``None`` with the error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from partages_core.corpus.io.parhaf import ANNOTATIONS, read_annotations, read_index
from partages_core.corpus.model import Patient
from partages_core.errors import InputError
from partages_core.files import inside


def records_from_patients(patients: Iterable[Patient]) -> list[dict[str, Any]]:
    """Patients (dataclasses) as the same nested dicts that :func:`read_records` returns."""
    return [p.to_dict() for p in patients]


def read_records(folder: str | Path) -> list[dict[str, Any]]:
    """Read ``patients.json``, ``annotations.jsonl`` and the texts without judging any value.

    Only an unreadable index is fatal (nothing to validate); a document whose file is missing or
    not UTF-8 gets ``text=None`` and ``text_error`` so that validation quarantines it.
    """
    folder = Path(folder)
    index = read_index(folder)
    annotations = read_annotations(folder / ANNOTATIONS)
    out = []
    for n, row in enumerate(index):
        row = dict(row) if isinstance(row, dict) else {"id": f"#{n}", "_error": "patient row is not an object"}
        docs = []
        listed = row.get("documents")
        if listed is not None and not isinstance(listed, list):
            row["_error"], listed = "'documents' is not a list", []
        for k, d in enumerate(listed or []):
            d = dict(d) if isinstance(d, dict) else {"id": f"{row.get('id')}#{k}"}
            d.setdefault("id", f"{row.get('id')}-{k + 1:02d}")
            if "text" not in d:
                d["text"], d["text_error"] = _read_text(folder, d.get("file"))
            ann = annotations.get(d["id"], {})
            d["annotations"] = ann.get("layers", {})
            d["antibiogram"] = ann.get("antibiogram", [])
            d["response"] = ann.get("response")
            docs.append(d)
        row["documents"] = docs
        out.append(row)
    return out


def _read_text(folder: Path, rel: object) -> tuple[str | None, str | None]:
    if not isinstance(rel, str):
        return None, "document has neither 'text' nor 'file'"
    try:
        path = inside(folder, rel)
    except InputError as err:
        return None, str(err)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return None, f"{rel}: cannot read ({err.strerror})"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        return None, f"{rel}: not UTF-8 ({err.reason} at byte {err.start})"
