"""Inputs cut into shards, and outputs assembled from shards, for the three warehouse formats.

A shard is a small picklable description (a slice of a PARHAF index, of a parquet row group, of a
Hugging Face dataset); the worker that gets it reads its documents itself, so the driver never holds
the texts. Shards depend only on the input and ``shard_size``: the same input gives the same shards
whatever the backend, which is what makes the assembled output identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from partages_core.corpus.io.parhaf import IDENTITIES, INDEX, read_index
from partages_core.errors import InputError

FORMATS = ("parhaf", "parquet", "hf")
ID_COLUMNS = ("id", "note_id", "doc_id", "document_id")
PATIENT_COLUMNS = ("patient", "person_id", "patient_id", "patient_num")
TEXT_COLUMNS = ("text", "note_text", "note")


def detect_format(path: Path) -> str:
    """parhaf (a folder with patients.json), hf (a save_to_disk folder) or parquet (file or folder)."""
    if path.is_dir() and (path / INDEX).is_file():
        return "parhaf"
    if path.is_dir() and ((path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file()):
        return "hf"
    if (path.is_file() and path.suffix == ".parquet") or (path.is_dir() and any(path.rglob("*.parquet"))):
        return "parquet"
    if not path.exists():
        raise InputError(f"--in {path}: not found")
    raise InputError(f"--in {path}: not a PARHAF folder ({INDEX}), a parquet file/folder or a Hugging Face "
                     "dataset saved with save_to_disk")


def _pick(names: list[str], wanted: str | None, candidates: tuple[str, ...], what: str, where: str,
          required: bool = True) -> str | None:
    if wanted:
        if wanted not in names:
            raise InputError(f"{where}: no column {wanted!r} (columns: {', '.join(names)})")
        return wanted
    for c in candidates:
        if c in names:
            return c
    if required:
        raise InputError(f"{where}: no {what} column (expected one of {', '.join(candidates)}; "
                         f"columns: {', '.join(names)})")
    return None


def columns_of(names: list[str], where: str, cols: dict[str, str | None]) -> dict[str, str | None]:
    """The id, patient and text columns of a table (named by the user or found among the usual names)."""
    return {"id": _pick(names, cols.get("id"), ID_COLUMNS, "document id", where, required=False),
            "patient": _pick(names, cols.get("patient"), PATIENT_COLUMNS, "patient", where, required=False),
            "text": _pick(names, cols.get("text"), TEXT_COLUMNS, "text", where)}


# --- planning -----------------------------------------------------------------------------------
def plan(src: Path, fmt: str, shard_size: int, cols: dict[str, str | None]) -> list[dict[str, Any]]:
    """The shards of ``src`` in input order (each about ``shard_size`` documents)."""
    if fmt == "parhaf":
        return _plan_parhaf(src, shard_size)
    if fmt == "parquet":
        return _plan_parquet(src, shard_size, cols)
    if fmt == "hf":
        return _plan_hf(src, shard_size, cols)
    raise InputError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def _plan_parhaf(src: Path, shard_size: int) -> list[dict]:
    """Shards end at patient boundaries, so a patient's documents share one surrogate mapping."""
    shards, rows, n = [], [], 0
    for k, row in enumerate(read_index(src)):
        if not isinstance(row, dict):
            raise InputError(f"{src / INDEX}: patient {k}: expected an object")
        rows.append(row)
        n += len(row.get("documents") or [])
        if n >= shard_size:
            shards.append({"kind": "parhaf", "root": str(src), "rows": rows})
            rows, n = [], 0
    if rows:
        shards.append({"kind": "parhaf", "root": str(src), "rows": rows})
    return shards


def _parquet_files(src: Path) -> list[Path]:
    return [src] if src.is_file() else sorted(p for p in src.rglob("*.parquet") if p.is_file())


def _plan_parquet(src: Path, shard_size: int, cols: dict) -> list[dict]:
    import pyarrow.parquet as pq

    shards = []
    for f in _parquet_files(src):
        try:
            meta = pq.ParquetFile(f)
        except Exception as err:  # pyarrow raises several types for a damaged file
            raise InputError(f"{f}: not a readable parquet file ({err})") from None
        found = columns_of(meta.schema_arrow.names, str(f), cols)
        for g in range(meta.metadata.num_row_groups):
            rows = meta.metadata.row_group(g).num_rows
            for a in range(0, rows, shard_size):
                shards.append({"kind": "parquet", "file": str(f), "group": g, "start": a,
                               "stop": min(rows, a + shard_size), "cols": found})
    return shards


def _plan_hf(src: Path, shard_size: int, cols: dict) -> list[dict]:
    ds = _hf(str(src))
    found = columns_of(list(ds.column_names), str(src), cols)
    return [{"kind": "hf", "path": str(src), "start": a, "stop": min(len(ds), a + shard_size), "cols": found}
            for a in range(0, len(ds), shard_size)]


@lru_cache(maxsize=4)
def _hf(path: str) -> Any:
    import datasets

    try:
        ds = datasets.load_from_disk(path)
    except Exception as err:  # damaged or not a dataset folder
        raise InputError(f"{path}: not a Hugging Face dataset saved with save_to_disk ({err})") from None
    if isinstance(ds, datasets.DatasetDict):
        raise InputError(f"{path}: a DatasetDict; give one split's folder (e.g. {path}/train)")
    return ds


# --- reading one shard --------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _identities(root: str) -> dict:
    path = Path(root) / IDENTITIES
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def read_shard(shard: dict, use_context: bool = True) -> Iterator[dict]:
    """The shard's documents: ``{id, patient, source, text | None, error | None, context}``."""
    kind = shard["kind"]
    if kind == "parhaf":
        yield from _read_parhaf(shard, use_context)
    elif kind == "parquet":
        yield from _read_table_rows(_parquet_slice(shard), shard, f"{shard['file']}#rg{shard['group']}")
    else:
        ds = _hf(shard["path"]).select(range(shard["start"], shard["stop"]))
        yield from _read_table_rows(ds.data.table, shard, shard["path"])


def _read_parhaf(shard: dict, use_context: bool) -> Iterator[dict]:
    root = Path(shard["root"])
    ids = _identities(shard["root"]) if use_context else {}
    for row in shard["rows"]:
        pid = str(row.get("id", "?"))
        for d in row.get("documents") or []:
            rel = d.get("file")
            doc = {"id": str(d.get("id")), "patient": pid, "source": str(rel), "text": None, "error": None,
                   "context": ids.get(pid)}
            try:
                if not rel:
                    raise ValueError("no 'file' field")
                if Path(rel).is_absolute() or ".." in Path(rel).parts:
                    raise ValueError(f"file {rel!r} points outside the folder")
                doc["text"] = (root / rel).read_text(encoding="utf-8")
            except UnicodeDecodeError as err:
                doc["error"] = f"not UTF-8 text ({err.reason} near byte {err.start})"
            except (OSError, ValueError) as err:
                doc["error"] = getattr(err, "strerror", None) or str(err)
            yield doc


def _parquet_slice(shard: dict) -> Any:
    import pyarrow.parquet as pq

    c = shard["cols"]
    table = pq.ParquetFile(shard["file"]).read_row_group(shard["group"], columns=[v for v in c.values() if v])
    return table.slice(shard["start"], shard["stop"] - shard["start"])


def _read_table_rows(table: Any, shard: dict, where: str) -> Iterator[dict]:
    c = shard["cols"]
    ids = table.column(c["id"]).to_pylist() if c["id"] else None
    pats = table.column(c["patient"]).to_pylist() if c["patient"] else None
    texts = table.column(c["text"]).to_pylist()
    for k, text in enumerate(texts):
        row = shard["start"] + k
        doc_id = str(ids[k]) if ids and ids[k] is not None else f"row-{row}"
        patient = str(pats[k]) if pats and pats[k] is not None else doc_id
        yield {"id": doc_id, "patient": patient, "source": f"{where}:{row}", "text": text, "error": None,
               "context": None}
