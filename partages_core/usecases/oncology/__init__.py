"""WP4 oncology use case: biomarkers (CU5a), response to treatment (CU5b), patient and cohort tables.

One output schema for every extractor (``method="rules"``, ``"model"`` or ``"hybrid"``)::

    {"biomarkers": [{"biomarker", "status", "value", "unit", "method", "variant", "vaf",
                     "start", "end", "text", "negated"}],       # status never null
     "pending": [{"biomarker", "method", "start", "end", "text"}],  # named, no result yet
     "tnm": [{"text", "start", "end"}],
     "grade": [{"text", "start", "end", "system", "value", "organ"}],  # tumour grades only
     "document_grade": {"system", "value", "text", "start", "end"} | None}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from partages_core.corpus.model import BIOMARKER_STATUSES, RESPONSE_LABELS, Document, Patient
from partages_core.errors import InputError
from partages_core.usecases.oncology import rules as _rules

# "hybrid" concerns CU5b only: the rules' response, the built cue-sentence classifier's where the rules find no
# response cue (``model.classify_hybrid``); biomarkers, TNM and grades are the rules'.
METHODS = ("rules", "model", "hybrid")
BIOMARKER_KEYS = ("biomarker", "status", "value", "unit", "method", "variant", "vaf", "start", "end", "text",
                  "negated")


def __getattr__(name: str) -> Any:
    """``DEFAULT_K`` (the CASD threshold) read from governance lazily: importing disclosure loads
    pandas, which the extraction path does not need (first call of ``extract`` stays fast)."""
    if name == "DEFAULT_K":
        from partages_core.governance.disclosure import CASD_K

        return CASD_K
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check(text: Any, method: str) -> None:
    if not isinstance(text, str):
        raise InputError(f"text: expected a string, got {type(text).__name__}")
    if method not in METHODS:
        raise InputError(f"method: expected one of {', '.join(METHODS)}, got {method!r}")


def extract(text: str, method: str = "rules") -> dict[str, list[dict[str, Any]]]:
    """Biomarker mentions, TNM stages and histological grades found in one report (``hybrid``: the rules')."""
    _check(text, method)
    if method == "model":
        from partages_core.usecases.oncology.model import extract_batch

        found = extract_batch([text])[0]
    else:
        found = {"biomarkers": _rules.extract_biomarkers(text), "tnm": _rules.extract_tnm(text),
                 "grade": _rules.extract_grade(text)}
    # A mention without a result (pending, failed, "non contributif") is not a biomarker result:
    # every item of ``biomarkers`` has a status; the others are listed under ``pending``.
    items = found["biomarkers"]
    found["biomarkers"] = [b for b in items if b["status"] is not None]
    found["pending"] = [{k: b[k] for k in ("biomarker", "method", "start", "end", "text")}
                        for b in items if b["status"] is None]
    found["document_grade"] = _rules.document_grade(text, found["grade"] if method != "model" else None)
    return found


def document_grade(text: str) -> dict[str, Any] | None:
    """The tumour grade of a report in its organ's grading system (``{"system","value",...}`` or None)."""
    _check(text, "rules")
    return _rules.document_grade(text)


def classify_response(text: str, method: str = "rules") -> dict[str, Any]:
    """CU5b: the response-to-treatment class of a follow-up report with its justifying span (``model``: the encoder
    line classifier; ``hybrid``: the rules, the cue-sentence classifier where they find no response cue)."""
    _check(text, method)
    if method == "model":
        from partages_core.usecases.oncology.model import classify_batch

        return classify_batch([text])[0]
    if method == "hybrid":
        from partages_core.usecases.oncology.model import classify_hybrid

        return classify_hybrid(text)
    out = _rules.classify_response(text)
    assert out["label"] in RESPONSE_LABELS
    return out


def highlight_html(text: str, method: str = "rules") -> str:
    """Voila-ready HTML of a report with biomarkers (marker:status), TNM and grade highlighted."""
    from partages_core.usecases.html import highlight

    found = extract(text, method)
    spans = [{"start": b["start"], "end": b["end"], "label": f"{b['biomarker']}:{b['status'] or '?'}"}
             for b in found["biomarkers"]]
    spans += [{"start": t["start"], "end": t["end"], "label": "TNM"} for t in found["tnm"]]
    spans += [{"start": g["start"], "end": g["end"], "label": "grade"} for g in found["grade"]]
    return highlight(text, spans)


# --- patient and cohort tables ----------------------------------------------------------------
def _as_docs(patient_docs: Patient | Iterable[Document | Mapping[str, Any]]) -> list[tuple[str, str, Any]]:
    """(document id, text, sort key) in chronological order: documents in the given order, or
    ordered by their ``date`` field when every mapping has one."""
    docs = patient_docs.documents if isinstance(patient_docs, Patient) else list(patient_docs)
    out = []
    for i, d in enumerate(docs):
        if isinstance(d, Document):
            out.append((d.id, d.text, i))
        elif isinstance(d, Mapping):
            if "id" not in d or "text" not in d:
                raise InputError(f"patient_docs[{i}]: a document needs 'id' and 'text' fields")
            out.append((str(d["id"]), d["text"], (d.get("date") or "", i)))
        else:
            raise InputError(f"patient_docs[{i}]: expected a Document or a mapping, got {type(d).__name__}")
    if any(isinstance(k, tuple) for _, _, k in out) and not all(isinstance(k, tuple) for _, _, k in out):
        raise InputError("patient_docs: mix of Document objects and mappings; pass one kind")
    return sorted(out, key=lambda t: t[2])


def patient_table(patient_docs: Patient | Iterable[Document | Mapping[str, Any]],
                  method: str = "rules") -> list[dict[str, Any]]:
    """One row per marker: its latest status over the patient's documents, with provenance
    (document id, offsets, text) and how many mentions were seen."""
    latest: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    for doc_id, text, _ in _as_docs(patient_docs):
        found = extract(text, method)
        for b in found["pending"]:
            seen[b["biomarker"]] += 1  # counted as a mention; never overwrites a result
        for b in found["biomarkers"]:
            if b["status"] is None and b["biomarker"] in latest:
                seen[b["biomarker"]] += 1
                continue  # a pending test does not overwrite an earlier result
            seen[b["biomarker"]] += 1
            latest[b["biomarker"]] = {**b, "document": doc_id}
    return [{**latest[m], "mentions": seen[m]} for m in sorted(latest)]


def _suppress(table: dict[str, dict[str, int]], k: int | None) -> dict[str, dict[str, int | None]]:
    """The table through ``governance.disclosure.suppress`` (primary + complementary, margins
    included), hidden cells as None."""
    if not table:
        return {}
    from partages_core.governance.disclosure import CASD_K, suppress

    result = suppress(table, CASD_K if k is None else k, margins=False)
    hidden = result.hidden
    return {str(row): {str(col): None if hidden.loc[row, col] else int(result.counts.loc[row, col])
                       for col in result.counts.columns} for row in result.counts.index}


def cohort_counts(patients: Iterable[Patient], method: str = "rules") -> dict[str, dict[str, int]]:
    """Patients per (marker, latest status): the raw table, for restricted use only."""
    counts: dict[str, dict[str, int]] = {}
    for p in patients:
        for row in patient_table(p, method):
            status = row["status"] or "unknown"
            counts.setdefault(row["biomarker"], dict.fromkeys((*BIOMARKER_STATUSES, "unknown"), 0))
            counts[row["biomarker"]][status] += 1
    return {m: counts[m] for m in sorted(counts)}


def cohort_summary(patients: Iterable[Patient], k: int | None = None,
                   method: str = "rules") -> dict[str, dict[str, int | None]]:
    """The publishable cohort table: ``cohort_counts`` with every cell under ``k`` (and the cells
    that would reveal it) suppressed to None."""
    return _suppress(cohort_counts(patients, method), k)


def cohort_tested(patients: Iterable[Patient], k: int | None = None,
                  method: str = "rules") -> dict[str, dict[str, int | None]]:
    """Patients with at least one result per marker (a coarser table that survives suppression
    better than marker x status), cells under ``k`` suppressed."""
    raw = {m: {"patients": sum(cols.values())} for m, cols in cohort_counts(patients, method).items()}
    return _suppress(raw, k)
