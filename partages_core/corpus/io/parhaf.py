"""The PARHAF layout: ``patients.json`` index + one ``.txt`` per document, by specialty.

Gold layers go to ``annotations.jsonl`` (one line per document) and the patients' own identities
(the context a pseudonymiser may use) to ``identities.json``; both are optional on read, so a real
PARHAF folder reads the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from partages_core.corpus.model import Document, Patient, Response, Span, Susceptibility
from partages_core.errors import InputError
from partages_core.files import atomic_folder, inside

INDEX = "patients.json"
ANNOTATIONS = "annotations.jsonl"
IDENTITIES = "identities.json"
PATIENT_FIELDS = ("id", "specialty", "author", "reviewer", "pool", "suggested_scenario", "documents")


def write_parhaf(patients: Iterable[Patient], out: str | Path) -> Path:
    """Write patients in the PARHAF layout; files are written to a temp dir then moved in place."""
    out = Path(out)
    with atomic_folder(out) as tmp:
        _write_parhaf(patients, tmp)
    return out


def _write_parhaf(patients: Iterable[Patient], tmp: Path) -> None:
    index, identities, ann_lines = [], {}, []
    for p in patients:
        docs = []
        for d in p.documents:
            rel = f"{p.specialty}/{d.id}.txt"
            target = inside(tmp, rel, f"patient {p.id} document {d.id}")  # ids from data stay in the folder
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(d.text, encoding="utf-8")
            docs.append({"id": d.id, "type": d.type, "header": d.header, "file": rel,
                         "word_count": d.word_count, **({"layout": d.layout} if d.layout else {})})
            ann_lines.append(json.dumps(_doc_annotations(p.id, d), ensure_ascii=False, sort_keys=True))
        index.append({"id": p.id, "specialty": p.specialty, "author": p.author, "reviewer": p.reviewer,
                      "pool": p.pool, "facility": p.facility,
                      "suggested_scenario": p.suggested_scenario, "documents": docs})
        identities[p.id] = p.identity
    _dump(tmp / INDEX, index)
    _dump(tmp / IDENTITIES, identities)
    (tmp / ANNOTATIONS).write_text("\n".join(ann_lines) + "\n", encoding="utf-8")


def read_index(folder: str | Path) -> list:
    """The list of patient rows in ``folder/patients.json`` (rows not judged); errors name the file."""
    index_path = Path(folder) / INDEX
    if not index_path.is_file():
        raise InputError(f"{index_path}: not found (a PARHAF folder holds {INDEX})")
    index = _load_json(index_path)
    if not isinstance(index, list):
        raise InputError(f"{index_path}: expected a list of patients, got {type(index).__name__}")
    return index


def read_parhaf(folder: str | Path) -> list[Patient]:
    """Read a PARHAF folder (ours or the real one); errors name the file and the field."""
    folder = Path(folder)
    index_path = folder / INDEX
    index = read_index(folder)
    annotations = read_annotations(folder / ANNOTATIONS)
    identities = _load_json(folder / IDENTITIES) if (folder / IDENTITIES).is_file() else {}
    if not isinstance(identities, dict):
        raise InputError(f"{folder / IDENTITIES}: expected an object of identities by patient id")
    patients, seen = [], set()
    for n, row in enumerate(index):
        if not isinstance(row, dict):
            raise InputError(f"{index_path}: patient #{n}: expected an object, got {type(row).__name__}")
        missing = [f for f in PATIENT_FIELDS if f not in row]
        if missing:
            raise InputError(f"{index_path}: patient #{n} ({row.get('id', '?')}): missing field(s) {', '.join(missing)}")
        for key in ("id", "specialty", "author", "reviewer", "pool"):
            if not isinstance(row[key], str):
                raise InputError(f"{index_path}: patient #{n}: field '{key}' must be text, got {type(row[key]).__name__}")
        if not isinstance(row["documents"], list) or not isinstance(row["suggested_scenario"], dict):
            raise InputError(f"{index_path}: patient #{n} ({row['id']}): 'documents' must be a list and "
                             "'suggested_scenario' an object")
        docs = []
        for k, d in enumerate(row["documents"]):
            if not isinstance(d, dict):
                raise InputError(f"{index_path}: patient {row['id']} document #{k}: expected an object, got {type(d).__name__}")
            doc_id = d.get("id", f"{row['id']}-{k + 1:02d}")
            if not isinstance(doc_id, str) or doc_id in seen:
                raise InputError(f"{index_path}: patient {row['id']} document #{k}: field 'id' "
                                 + ("repeats an earlier document" if doc_id in seen else "must be text"))
            seen.add(doc_id)
            text = _document_text(folder, index_path, row["id"], k, d)
            doc = Document(id=doc_id, type=str(d.get("type", "")), header=str(d.get("header", "")), text=text,
                           layout=str(d.get("layout", "")))
            _attach(doc, annotations.get(doc_id), index_path)
            docs.append(doc)
        patients.append(Patient(id=row["id"], specialty=row["specialty"], author=row["author"],
                                reviewer=row["reviewer"], pool=row["pool"],
                                facility=str(row.get("facility", "")),
                                suggested_scenario=row["suggested_scenario"], documents=docs,
                                identity=identities.get(row["id"], {})))
    unknown = sorted(set(annotations) - seen)
    if unknown:
        raise InputError(f"{folder / ANNOTATIONS}: annotations for document(s) not in {INDEX}: {unknown[:5]}")
    return patients


def _doc_annotations(patient_id: str, d: Document) -> dict[str, Any]:
    return {
        "document_id": d.id, "patient_id": patient_id,
        "layers": {layer: [asdict(s) for s in spans] for layer, spans in sorted(d.annotations.items())},
        "antibiogram": [asdict(s) for s in d.antibiogram],
        "response": asdict(d.response) if d.response else None,
    }


def _attach(doc: Document, ann: dict | None, where: Path) -> None:
    if not ann:
        return
    src = f"{where.parent / ANNOTATIONS}: document {doc.id}"
    layers = ann.get("layers", {})
    if not isinstance(layers, dict):
        raise InputError(f"{src}: field 'layers' must be an object of span lists")
    for layer, spans in layers.items():
        if not isinstance(spans, list):
            raise InputError(f"{src}: layer {layer!r} must be a list of spans")
        doc.annotations[layer] = [_record(Span, s, f"{src}: {layer} span #{i}") for i, s in enumerate(spans)]
        for s in doc.annotations[layer]:
            _check_offsets(s.start, s.end, doc.text, f"{src}: {layer} span")
            if doc.text[s.start:s.end] != s.text:
                raise InputError(f"{src}: {layer} span {s.start}-{s.end} ({s.text!r}) does not match the text")
    doc.antibiogram = [_record(Susceptibility, s, f"{src}: antibiogram #{i}")
                       for i, s in enumerate(ann.get("antibiogram") or [])]
    for s in doc.antibiogram:
        _check_offsets(s.start, s.end, doc.text, f"{src}: antibiogram row")
    if ann.get("response"):
        doc.response = _record(Response, ann["response"], f"{src}: response")
        _check_offsets(doc.response.start, doc.response.end, doc.text, f"{src}: response")


def _record(cls: type, raw: object, where: str) -> Any:
    """``cls(**raw)`` with a one-line error naming the record when fields are missing or unknown."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected an object, got {type(raw).__name__}")
    try:
        return cls(**raw)
    except TypeError as err:
        raise InputError(f"{where}: {str(err).split('.__init__() ')[-1]}") from None


def _check_offsets(start: object, end: object, text: str, where: str) -> None:
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        raise InputError(f"{where}: offsets must be integers, got {start!r}-{end!r}")
    if not 0 <= start <= end <= len(text):
        raise InputError(f"{where}: offsets {start}-{end} outside the text (0-{len(text)})")


def _document_text(folder: Path, index_path: Path, pid: str, k: int, d: dict) -> str:
    if "text" in d:
        if not isinstance(d["text"], str):
            raise InputError(f"{index_path}: patient {pid} document #{k}: field 'text' must be text")
        return d["text"]
    if "file" not in d:
        raise InputError(f"{index_path}: patient {pid} document #{k}: needs 'text' or 'file'")
    path = inside(folder, d["file"], f"{index_path}: patient {pid} document #{k}")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: document file listed in {index_path.name} is missing") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None


def read_annotations(path: Path) -> dict[str, dict]:
    """``annotations.jsonl`` by document id (empty when absent); a bad line names file and line."""
    if not path.is_file():
        return {}
    out = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from None
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{path}:{line_no}: malformed JSON ({err.msg})") from None
        if not isinstance(row, dict) or "document_id" not in row:
            raise InputError(f"{path}:{line_no}: missing field 'document_id'")
        if not isinstance(row["document_id"], str):
            raise InputError(f"{path}:{line_no}: field 'document_id' must be text")
        if row["document_id"] in out:
            raise InputError(f"{path}:{line_no}: document_id {row['document_id']!r} repeats an earlier line "
                             "(merge its spans into one line)")
        out[row["document_id"]] = row
    return out


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}:{err.colno}: malformed JSON ({err.msg})") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from None


def _dump(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
