"""Counts per specialty, pool, facility, document type and annotation label."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from partages_core.corpus.model import Patient


def corpus_stats(patients: Sequence[Patient]) -> dict[str, dict[str, int]]:
    """All the counts a dataset card or the ``stats`` command reports, sorted by key."""
    c: dict[str, Counter] = {k: Counter() for k in (
        "specialty", "pool", "facility", "document_type", "pseudo", "oncology", "infectio",
        "resistance", "response", "susceptibility", "icd10")}
    words = 0
    for p in patients:
        c["specialty"][p.specialty] += 1
        c["pool"][p.pool] += 1
        c["facility"][p.facility] += 1
        diagnosis = (p.suggested_scenario or {}).get("primary_diagnosis")
        c["icd10"][diagnosis.get("code", "(no code)") if isinstance(diagnosis, dict) else "(no primary diagnosis)"] += 1
        for d in p.documents:
            words += d.word_count
            c["document_type"][d.type] += 1
            for layer, spans in d.annotations.items():
                for s in spans:
                    label = s.attrs.get("biomarker", s.label) if layer == "oncology" and s.label == "BIOMARKER" else s.label
                    c[layer][label] += 1
            c["susceptibility"].update(s.result for s in d.antibiogram)
            if d.response:
                c["response"][d.response.label] += 1
    out = {k: dict(sorted(v.items())) for k, v in c.items()}
    out["totals"] = {"patients": len(patients), "documents": sum(len(p.documents) for p in patients),
                     "words": words}
    return out
