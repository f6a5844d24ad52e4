"""Pseudonymise a whole PARHAF folder, patient by patient, into a new folder (atomic).

Each patient gets its own :class:`SurrogateMapping` (consistent names, one date shift for all its
documents and its scenario dates). Gold annotations and identities are *not* copied: they are the
identifiers. Documents that cannot be read are quarantined, counted and listed, never dropped silently.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from partages_core.corpus.io.parhaf import IDENTITIES, INDEX, read_index
from partages_core.errors import InputError
from partages_core.files import atomic_folder, inside, prepare_out, write_json
from partages_core.governance.pseudonymisation import pseudonymize
from partages_core.governance.surrogates import SurrogateMapping, shift_date

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def progress_enabled() -> bool:
    """Progress bars only for a person at a terminal: off when ``CI=true`` or stderr is not a TTY."""
    return os.environ.get("CI", "").lower() not in ("true", "1") and sys.stderr.isatty()


def pseudonymize_folder(src: str | Path, out: str | Path, seed: int = 0, use_context: bool = True,
                        progress: bool | None = None, force: bool = False,
                        on_mapping: Callable[[str, SurrogateMapping], None] | None = None,
                        secret: str | None = None, method: str = "rules") -> dict[str, Any]:
    """Write the pseudonymised copy of PARHAF folder ``src`` to ``out``; returns counts.

    One secret key for the run (drawn here unless given, e.g. from a stored mapping) keys every
    patient's surrogates and date shift: the patient id left in the output does not reveal the shift.
    """
    import secrets as _secrets

    secret = secret or _secrets.token_hex(16)
    from tqdm import tqdm

    src, out = Path(src), Path(out)
    index_path = src / INDEX
    index = read_index(src)
    for n, row in enumerate(index):
        if not isinstance(row, dict):
            raise InputError(f"{index_path}: patient #{n}: expected an object, got {type(row).__name__}")
        if not isinstance(row.get("documents", []), list):
            raise InputError(f"{index_path}: patient #{n}: field 'documents' must be a list")
        for key, kind in (("id", str), ("facility", str), ("suggested_scenario", dict)):
            if key in row and not isinstance(row[key], kind):
                raise InputError(f"{index_path}: patient #{n}: field '{key}' must be "
                                 f"{'an object' if kind is dict else 'text'}, got {type(row[key]).__name__}")
        date = (row.get("suggested_scenario") or {}).get("admission_date")
        if date is not None and not (isinstance(date, str) and _ISO.fullmatch(date)):
            raise InputError(f"{index_path}: patient #{n}: field 'suggested_scenario.admission_date' must be "
                             f"an ISO date (YYYY-MM-DD), got {date!r}")
    identities = {}
    if (src / IDENTITIES).is_file():
        try:
            identities = json.loads((src / IDENTITIES).read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise InputError(f"{src / IDENTITIES}: malformed JSON ({err})") from None
        if not isinstance(identities, dict) or not all(isinstance(v, dict) for v in identities.values()):
            raise InputError(f"{src / IDENTITIES}: expected an object of identities (objects) by patient id")
    prepare_out(out, force=force, inputs=[src])
    total = sum(len(p.get("documents", [])) for p in index)
    bar = tqdm(total=total, unit="doc", disable=not (progress_enabled() if progress is None else progress))
    quarantine, n_docs, n_entities, new_index = [], 0, 0, []
    try:
        with atomic_folder(out) as tmp:
            for row in index:
                pid = row.get("id", "?")
                mapping = SurrogateMapping(seed=seed, key=str(pid), secret=secret)
                context = identities.get(pid) if use_context else None
                docs = []
                for d in row.get("documents", []):
                    bar.update(1)
                    rel = d.get("file") if isinstance(d, dict) else None
                    try:
                        if not isinstance(d, dict):
                            raise InputError(f"document is not an object ({type(d).__name__})")
                        path = inside(src, rel, "field 'file'")
                        target = inside(tmp, rel, "field 'file'")
                        text = path.read_text(encoding="utf-8")
                        if "\x00" in text:
                            raise InputError("binary content (NUL bytes)")
                    except (OSError, UnicodeDecodeError, InputError) as err:
                        quarantine.append({"patient": pid, "document": d.get("id") if isinstance(d, dict) else None,
                                           "file": rel if isinstance(rel, str) else None, "reason": str(err)})
                        continue
                    result = pseudonymize(text, context, seed, mapping, method=method)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(result["text"], encoding="utf-8")
                    n_docs += 1
                    n_entities += len(result["entities"])
                    docs.append(d)
                new_index.append(_shift_row(row, docs, mapping))
                if on_mapping:
                    on_mapping(pid, mapping)
            write_json(tmp / INDEX, new_index)
            if quarantine:
                write_json(tmp / "quarantine.json", quarantine)
    finally:
        bar.close()
    return {"patients": len(new_index), "documents": n_docs, "entities": n_entities,
            "quarantined": len(quarantine), "out": str(out)}


def _shift_row(row: dict, docs: list[dict], mapping: SurrogateMapping) -> dict:
    """The index row with the scenario's dates moved by the patient's offset and no facility name."""
    row = json.loads(json.dumps(row))
    row["documents"] = docs
    scenario = row.get("suggested_scenario") or {}
    if scenario.get("admission_date"):
        iso = scenario["admission_date"]
        fr = f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
        shifted = shift_date(fr, mapping.date_offset_days or 0)
        scenario["admission_date"] = f"{shifted[6:10]}-{shifted[3:5]}-{shifted[0:2]}"
    if "facility" in row:
        row["facility"] = mapping.surrogate("HOPITAL", row["facility"]) if row["facility"] else ""
    return row


def pseudonymize_index_row(row: dict, docs: list[dict], mapping: SurrogateMapping) -> dict:
    """Public form of the index-row pseudonymisation, for batch runners that shard a folder."""
    return _shift_row(row, docs, mapping)
