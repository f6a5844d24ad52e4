"""pandera schemas for patients, documents and every annotation layer, with a quarantine.

Validation runs in two lazy passes per table: *types* (coerce each column; a row whose value has
the wrong type fails here) then *rules* (allowed labels, code formats, offset bounds, span text,
no crossing spans: nested ones are allowed). Every failing row goes to the quarantine with all its reasons; children of a
quarantined row (documents of a patient, spans of a document) follow it with the reason
"parent … quarantined", so nothing is dropped silently. The summary counts passed/failed/why.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from partages_core.corpus.model import (
    BIOMARKER_METHODS, BIOMARKER_STATUSES, DOCUMENT_TYPES, ID_TYPES, INFECTIO_LABELS, LAYERS,
    NAME_ROLES, NEGATIONS, ONCOLOGY_LABELS, POOLS, PSEUDO_LABELS, RESISTANCE_PHENOTYPES,
    RESPONSE_LABELS, SIR,
)
from partages_core.files import write_atomic, write_json
from partages_core.quality.terminology import ATC_RE, CCAM_RE, ICD10_RE, icd10_codes, species_list

TABLES = ("patients", "documents", *LAYERS, "antibiogram", "response")
SPAN_TABLES = (*LAYERS, "antibiogram", "response")
LAYER_LABELS = {"pseudo": PSEUDO_LABELS, "oncology": ONCOLOGY_LABELS, "infectio": INFECTIO_LABELS,
                "resistance": RESISTANCE_PHENOTYPES}
ATTRS = ("role", "id_type", "negation", "normalized", "status", "method", "organism")
COMPLETENESS_FIELDS = ("icd10", "ccam", "admission_date", "age", "sex", "length_of_stay")
QUARANTINE = "quarantine.jsonl"
SUMMARY = "validation_summary.json"


# --- flattening ---------------------------------------------------------------------------
def _get(d: Any, *path: str) -> Any:
    for key in path:
        d = d.get(key) if isinstance(d, dict) else None
    return d


def flatten(records: Iterable[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Nested patient records → one DataFrame per table, values as given (no coercion yet)."""
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    for p in records:
        pid, fac = p.get("id"), p.get("facility")
        sc = p.get("suggested_scenario")
        rows["patients"].append({
            "row_id": str(pid), "id": pid, "facility": fac, "specialty": p.get("specialty"),
            "author": p.get("author"), "reviewer": p.get("reviewer"), "pool": p.get("pool"),
            "icd10": _get(sc, "primary_diagnosis", "code"), "ccam": _get(sc, "primary_procedure", "code"),
            "admission_date": _get(sc, "admission_date"), "age": _get(sc, "age", "value"),
            "sex": _get(sc, "sex"), "length_of_stay": _get(sc, "length_of_stay"),
            "n_documents": len(p.get("documents") or []), "error": p.get("_error"),
        })
        for d in p.get("documents") or []:
            did, text = d.get("id"), d.get("text")
            rows["documents"].append({
                "row_id": str(did), "id": did, "patient_id": pid, "facility": fac, "type": d.get("type"),
                "text": text, "text_error": d.get("text_error"),
                "length": len(text) if isinstance(text, str) else None,
            })
            base = {"document_id": did, "patient_id": pid, "facility": fac}
            for layer, spans in (d.get("annotations") or {}).items():
                table = str(layer)  # an unknown layer gets its own table, quarantined whole
                rows.setdefault(table, [])
                for k, s in enumerate(spans or []):
                    s = s if isinstance(s, dict) else {}
                    attrs = s.get("attrs") if isinstance(s.get("attrs"), dict) else {}
                    rows[table].append({"row_id": f"{did}:{layer}:{k}", **base, "start": s.get("start"),
                                        "end": s.get("end"), "label": s.get("label"), "text": s.get("text"),
                                        **{f"attr_{a}": attrs.get(a) for a in ATTRS}})
            for k, s in enumerate(d.get("antibiogram") or []):
                rows["antibiogram"].append({"row_id": f"{did}:antibiogram:{k}", **base, **{
                    f: s.get(f) for f in ("organism", "antibiotic", "atc", "result", "start", "end")}})
            if d.get("response"):
                r = d["response"]
                rows["response"].append({"row_id": f"{did}:response", **base, **{
                    f: r.get(f) for f in ("label", "start", "end", "text")}})
    return {t: pd.DataFrame(r, columns=_columns(t)) if not r else pd.DataFrame(r) for t, r in rows.items()}


def _columns(table: str) -> list[str]:
    base = ["row_id", "document_id", "patient_id", "facility"]
    return {
        "patients": ["row_id", "id", "facility", "specialty", "author", "reviewer", "pool", "icd10", "ccam",
                     "admission_date", "age", "sex", "length_of_stay", "n_documents", "error"],
        "documents": ["row_id", "id", "patient_id", "facility", "type", "text", "text_error", "length"],
        "antibiogram": [*base, "organism", "antibiotic", "atc", "result", "start", "end"],
        "response": [*base, "label", "start", "end", "text"],
    }.get(table, [*base, "start", "end", "label", "text", *[f"attr_{a}" for a in ATTRS]])


# --- schemas ------------------------------------------------------------------------------
def _s(nullable: bool = False) -> pa.Column:
    return pa.Column(None, nullable=nullable, checks=pa.Check(
        lambda v: isinstance(v, str), element_wise=True, error="wrong type (expected text)"))


def _i(nullable: bool = False) -> pa.Column:
    return pa.Column("Int64" if nullable else "int64", nullable=nullable, coerce=True)


def _isin(values: Iterable[str], what: str) -> pa.Check:
    values = list(values)
    return pa.Check.isin(values, error=f"unknown {what}")


def _parseable_date(v: object) -> bool:
    try:
        dt.date.fromisoformat(str(v))
        return True
    except ValueError:
        return False


def _no_crossing(df: pd.DataFrame) -> pd.Series:
    """False for a span that crosses another of its layer (starts inside it and ends past it) or repeats it
    with the same label; spans nested inside one another are allowed (FORMAT.md: marks nest)."""
    ok = pd.Series(True, index=df.index)
    valid = (df["start"] < df["end"]) & (df["end"] <= df["doc_length"])  # bad offsets: the offset checks say so
    order = df[valid].assign(_neg_end=-df["end"]).sort_values(["document_id", "start", "_neg_end"], kind="stable")
    seen: set = set()
    stack: list[int] = []
    doc = None
    for idx, d, start, end, label in zip(order.index, order["document_id"], order["start"], order["end"],
                                         order["label"]):
        if d != doc:
            doc, stack, seen = d, [], set()
        while stack and stack[-1] <= start:
            stack.pop()
        if (stack and end > stack[-1]) or (start, end, label) in seen:
            ok[idx] = False
            continue
        seen.add((start, end, label))
        stack.append(end)
    return ok


OFFSET_CHECKS = [
    pa.Check(lambda df: df["start"] >= 0, error="offsets: start < 0"),
    pa.Check(lambda df: df["start"] < df["end"], error="offsets: start >= end"),
    pa.Check(lambda df: df["end"] <= df["doc_length"], error="offsets: end past the end of the text"),
]
TEXT_CHECK = pa.Check(lambda df: df["text"] == df["surface"],
                      error="span text differs from document text at its offsets")


def type_schema(table: str) -> pa.DataFrameSchema:
    """Pass 1: column types only (a value of the wrong type fails here, per row)."""
    if table == "patients":
        cols = {"age": _i(True), "length_of_stay": _i(True), "n_documents": _i()}
    elif table == "documents":
        cols = {"text": _s(True), "length": _i(True)}
    else:
        cols = {"start": _i(), "end": _i()}
    return pa.DataFrameSchema(cols, name=f"{table}:types")


def rule_schema(table: str) -> pa.DataFrameSchema:
    """Pass 2: allowed values, code formats, dates, offsets, span texts, no crossing spans."""
    if table == "patients":
        return pa.DataFrameSchema({
            "id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True, report_duplicates="exclude_first"),
            "facility": pa.Column(str, pa.Check.str_length(min_value=1, error="empty facility")),
            "specialty": pa.Column(str, pa.Check.str_length(min_value=1, error="empty specialty")),
            "pool": pa.Column(str, _isin(POOLS, "pool")),
            "icd10": pa.Column(str, [pa.Check.str_matches(ICD10_RE.pattern, error="ICD-10 code malformed"),
                                     pa.Check.isin(sorted(icd10_codes()), error="ICD-10 code not in the bundled CIM-10 list")]),
            "ccam": pa.Column(str, pa.Check.str_matches(CCAM_RE.pattern, error="CCAM code malformed (4 letters + 3 digits)"), nullable=True),
            "admission_date": pa.Column(str, pa.Check(_parseable_date, element_wise=True, error="admission_date not an ISO date")),
            "age": pa.Column("Int64", pa.Check.in_range(0, 120, error="age outside 0-120"), nullable=True),
            "sex": pa.Column(str, _isin(("F", "M"), "sex"), nullable=True),
            "n_documents": pa.Column(int, pa.Check.ge(1, error="patient without documents")),
            "error": pa.Column(None, pa.Check(lambda s: s.isna(), error="malformed patient row"), nullable=True),
        }, name="patients")
    if table == "documents":
        return pa.DataFrameSchema({
            "id": pa.Column(str, unique=True, report_duplicates="exclude_first"),
            "type": pa.Column(str, _isin(DOCUMENT_TYPES, "document type")),
            "text_error": pa.Column(None, pa.Check(lambda s: s.isna(), error="text unreadable (missing file or not UTF-8)"), nullable=True),
            "length": pa.Column("Int64", pa.Check.gt(0, error="empty text"), nullable=True),
        }, name="documents")
    span_cols = {"document_id": pa.Column(str), "start": pa.Column(int), "end": pa.Column(int)}
    if table == "antibiogram":
        return pa.DataFrameSchema({**span_cols,
            "organism": pa.Column(str, _isin(species_list(), "organism")),
            "atc": pa.Column(str, pa.Check.str_matches(ATC_RE.pattern, error="ATC code malformed")),
            "result": pa.Column(str, _isin(SIR, "S/I/R result")),
        }, checks=OFFSET_CHECKS, name="antibiogram")
    if table == "response":
        return pa.DataFrameSchema({**span_cols, "label": pa.Column(str, _isin(RESPONSE_LABELS, "response label"))},
                                  checks=[*OFFSET_CHECKS, TEXT_CHECK], name="response")
    labels = LAYER_LABELS.get(table, ())
    cols = {**span_cols, "label": pa.Column(str, _isin(labels, f"{table} label") if labels else pa.Check(
        lambda s: s.isna(), error=f"unknown annotation layer {table!r}"))}
    checks = [*OFFSET_CHECKS, TEXT_CHECK, pa.Check(_no_crossing, error="span crosses or repeats another span of the same layer")]
    if table == "pseudo":
        checks += [
            pa.Check(lambda df: ~df["label"].isin(["NOM", "PRENOM"]) | df["attr_role"].isin(NAME_ROLES),
                     error="NOM/PRENOM without a known role attribute"),
            pa.Check(lambda df: (df["label"] != "ID") | df["attr_id_type"].isin(ID_TYPES),
                     error="ID without a known id_type attribute")]
    elif table == "infectio":
        checks += [
            pa.Check(lambda df: df["attr_negation"].isin(NEGATIONS), error="negation not Present/Absent/Indetermine"),
            pa.Check(lambda df: (df["label"] != "Bacterie") | df["attr_normalized"].isin(species_list()),
                     error="Bacterie not normalised to a known species")]
    elif table == "oncology":
        checks += [
            pa.Check(lambda df: (df["label"] != "BIOMARKER") | df["attr_status"].isin(BIOMARKER_STATUSES),
                     error="BIOMARKER with an unknown status"),
            pa.Check(lambda df: (df["label"] != "BIOMARKER") | df["attr_method"].isna()
                     | df["attr_method"].isin(BIOMARKER_METHODS), error="BIOMARKER with an unknown method")]
    elif table == "resistance":
        checks += [pa.Check(lambda df: df["attr_negation"].isin(("Present", "Absent")),
                            error="resistance negation not Present/Absent")]
    return pa.DataFrameSchema(cols, checks=checks, name=table)


# --- validation ---------------------------------------------------------------------------
@dataclass
class Validation:
    """Valid rows per table, the quarantine (one row per invalid row, with reasons) and a summary."""

    valid: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

    def write(self, out: str | Path) -> Path:
        """Write ``quarantine.jsonl`` and ``validation_summary.json`` atomically into ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
                 for r in self.quarantine.to_dict("records")]
        write_atomic(out / QUARANTINE, "\n".join(lines) + ("\n" if lines else ""))
        write_json(out / SUMMARY, self.summary)
        return out


def _reasons(err: pa.errors.SchemaErrors, df: pd.DataFrame) -> dict[Any, list[str]]:
    out: dict[Any, list[str]] = {}
    fc = err.failure_cases
    for row in fc.itertuples(index=False):
        idx = row.index
        if idx is None or (isinstance(idx, float) and pd.isna(idx)):
            # a check that could not run at all: charge every row so none passes unchecked
            for i in df.index:
                out.setdefault(i, []).append(f"{row.check} ({row.failure_case})")
            continue
        col = row.column if isinstance(row.column, str) and row.schema_context == "Column" else None
        msg = str(row.check)
        if msg.startswith("dtype("):
            continue  # always paired with the coerce_dtype failure below
        if msg.startswith("coerce_dtype"):
            msg = f"wrong type (expected {msg[14:-2]}, got {row.failure_case!r})"
        if msg == "field_uniqueness":
            msg = "duplicate id"
        reason = f"{col}: {msg}" if col else msg
        if reason not in out.setdefault(idx, []):
            out[idx].append(reason)
    return out


def _run(schema: pa.DataFrameSchema, df: pd.DataFrame) -> tuple[pd.DataFrame, dict[Any, list[str]]]:
    """Validate lazily; return (valid rows after coercion, reasons by index of the failing rows)."""
    try:
        return schema.validate(df, lazy=True), {}
    except pa.errors.SchemaErrors as err:
        bad = _reasons(err, df)
        rest = df.drop(index=[i for i in bad if i in df.index])
        return (schema.validate(rest, lazy=False) if len(rest) else rest), bad


def validate_records(records: Iterable[dict[str, Any]]) -> Validation:
    """Validate every table; quarantine invalid rows (with reasons) and their children."""
    tables = flatten(records)
    valid: dict[str, pd.DataFrame] = {}
    q_rows: list[dict] = []

    def quarantine(table: str, df: pd.DataFrame, bad: dict[Any, list[str]]) -> None:
        for i, reasons in bad.items():
            row = df.loc[i]
            q_rows.append({"table": table, "row_id": row["row_id"], "facility": _clean(row.get("facility")),
                           "reasons": reasons, "row": {k: _clean(v) for k, v in row.items()
                                                       if k not in ("surface", "doc_length")}})

    def two_pass(table: str, df: pd.DataFrame, enrich=None) -> pd.DataFrame:
        typed, bad = _run(type_schema(table), df)
        quarantine(table, df, bad)
        if enrich is not None:
            typed = enrich(typed)
        ok, bad = _run(rule_schema(table), typed)
        quarantine(table, typed, bad)
        return ok

    valid["patients"] = two_pass("patients", tables["patients"])
    docs = _orphans("documents", tables["documents"], "patient_id", set(valid["patients"]["id"]),
                    "parent patient quarantined", quarantine)
    valid["documents"] = two_pass("documents", docs)
    texts = dict(zip(valid["documents"]["id"], valid["documents"]["text"]))
    for table in [t for t in tables if t not in ("patients", "documents")]:
        df = _orphans(table, tables[table], "document_id", set(texts), "parent document quarantined", quarantine)
        valid[table] = two_pass(table, df, enrich=lambda d: _with_surface(d, texts))
    qdf = pd.DataFrame(q_rows, columns=["table", "row_id", "facility", "reasons", "row"])
    return Validation(valid, qdf, summarise(tables, qdf))


def _orphans(table, df, key, parents, reason, quarantine) -> pd.DataFrame:
    mask = ~df[key].isin(parents) if len(df) else pd.Series([], dtype=bool)
    if mask.any():
        quarantine(table, df, {i: [reason] for i in df.index[mask]})
    return df[~mask] if len(df) else df


def _with_surface(df: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    df = df.copy()
    lengths = {k: len(v) for k, v in texts.items()}
    df["doc_length"] = df["document_id"].map(lengths).astype("int64")
    df["surface"] = [texts[d][s:e] for d, s, e in zip(df["document_id"], df["start"], df["end"])]
    return df


def _clean(v: Any) -> Any:
    if isinstance(v, str) and len(v) > 200:
        return v[:200] + "…"
    if v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def summarise(tables: dict[str, pd.DataFrame], quarantine: pd.DataFrame) -> dict[str, Any]:
    """Per table: rows, passed, failed and the count of each reason; plus per-facility failures."""
    out: dict[str, Any] = {"tables": {}, "by_facility": {}}
    for table, df in tables.items():
        q = quarantine[quarantine["table"] == table]
        reasons = Counter(r for rs in q["reasons"] for r in rs)
        out["tables"][table] = {"rows": int(len(df)), "passed": int(len(df) - len(q)), "failed": int(len(q)),
                                "reasons": dict(sorted(reasons.items()))}
    for fac, n in Counter(quarantine["facility"].fillna("(unknown)")).items():
        out["by_facility"][fac] = int(n)
    out["by_facility"] = dict(sorted(out["by_facility"].items()))
    out["total"] = {k: sum(t[k] for t in out["tables"].values()) for k in ("rows", "passed", "failed")}
    pats = tables["patients"]
    out["completeness"] = {str(f): {c: round(float(g[c].notna().mean()), 4) for c in COMPLETENESS_FIELDS}
                           for f, g in pats.groupby(pats["facility"].fillna("(unknown)"))}
    return out


def validate_folder(folder: str | Path) -> Validation:
    """Read a PARHAF folder tolerantly (:func:`records.read_records`) and validate it."""
    from partages_core.quality.records import read_records

    return validate_records(read_records(folder))
