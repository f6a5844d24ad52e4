"""WP5 infectious diseases (CU6): bacteraemia, bacterium, site, antibiogram and resistance.

``extract(text)`` returns one schema whatever the extractor (``rules``; ``model``: the line tagger;
``ner``: the spaCy NER of ``models.cu6_ner``; ``hybrid``: rules + that NER, ``infectiology.hybrid``)::

    {"entities": [{"label","text","start","end","negation","normalized"}],
     "susceptibility": [{"organism","antibiotic","atc","result"}],
     "resistance": [{"phenotype","organism","negation","inferred","text","start","end"}],
     "alerts": [{"phenotype","organism","negation","basis","severity","action",
                 "evidence": [{"start","end","text","basis"}]}]}   # deduplicated resistance

``triplets``, ``alerts`` (per patient, with provenance), ``highlight_html`` (Voila demos) and
``resistance_rates`` (per facility, with disclosure control) build on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from partages_core.corpus.model import INFECTIO_LABELS, NEGATIONS, Document, Patient
from partages_core.errors import InputError
from partages_core.usecases.infectiology.rules import extract_rules, parse_antibiogram

__all__ = ["extract", "triplets", "alerts", "resistance_alerts", "highlight_html", "resistance_rates", "parse_antibiogram",
           "METHODS", "DEFAULT_K"]

METHODS = ("rules", "model", "ner", "hybrid")


def __getattr__(name: str) -> Any:
    """``DEFAULT_K`` (the CASD threshold) read from governance lazily: importing disclosure loads
    pandas, which the extraction path does not need (first call of ``extract`` stays fast)."""
    if name == "DEFAULT_K":
        from partages_core.governance.disclosure import CASD_K

        return CASD_K
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
SUSCEPTIBILITY_KEYS = ("organism", "antibiotic", "atc", "result")
RESISTANCE_KEYS = ("phenotype", "organism", "negation", "inferred", "text", "start", "end")


def extract(text: str, method: str = "rules") -> dict[str, list[dict[str, Any]]]:
    """CU6 extraction of one report: entities with negation, antibiogram rows, resistance."""
    if not isinstance(text, str):
        raise InputError(f"text: expected a string, got {type(text).__name__}")
    if method == "rules":
        entities, rows, resistance = extract_rules(text)
    elif method == "model":
        from partages_core.usecases.infectiology.model import extract_model

        entities, rows, resistance = extract_model(text)
    elif method in ("ner", "hybrid"):
        from partages_core.usecases.infectiology.hybrid import extract_hybrid

        entities, rows, resistance = extract_hybrid(text, model_only=method == "ner")
    else:
        raise InputError(f"method: expected one of {METHODS}, got {method!r}")
    return result_of(entities, rows, resistance)


def result_of(entities: list[dict[str, Any]], rows: list[dict[str, Any]],
              resistance: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The ``extract`` schema from an extractor's (entities, antibiogram rows, resistance)."""
    resistance = [{k: r[k] for k in RESISTANCE_KEYS} for r in resistance]
    return {
        "entities": entities,
        "susceptibility": [{k: r[k] for k in SUSCEPTIBILITY_KEYS} for r in rows],
        "resistance": resistance,
        "alerts": resistance_alerts(resistance),
    }


def resistance_alerts(resistance: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One alert per (phenotype, organism) that is present or suspected, with every evidence span
    and its basis: ``stated`` (written in the report) or ``inferred`` (read from the antibiogram).

    A phenotype the report states as absent for that organism silences the inferred one; a stated
    mention without an organism joins the alert of the only organism carrying that phenotype.
    """
    absent = {(r["phenotype"], r["organism"]) for r in resistance if r["negation"] == "Absent" and not r["inferred"]}
    keep = [r for r in resistance if r["negation"] != "Absent" and r["phenotype"] in _ACTIONS
            and not (r["inferred"] and (r["phenotype"], r["organism"]) in absent)]
    organisms: dict[str, set] = {}
    for r in keep:
        if r["organism"]:
            organisms.setdefault(r["phenotype"], set()).add(r["organism"])
    found: dict[tuple, dict[str, Any]] = {}
    for r in sorted(keep, key=lambda r: (r["inferred"], r["start"])):
        org = r["organism"]
        if org is None and len(organisms.get(r["phenotype"], ())) == 1:
            org = next(iter(organisms[r["phenotype"]]))
        alert = found.setdefault((r["phenotype"], org), {
            "phenotype": r["phenotype"], "organism": org, "negation": r["negation"],
            "basis": "inferred" if r["inferred"] else "stated",
            "severity": _ACTIONS[r["phenotype"]][0], "action": _ACTIONS[r["phenotype"]][1], "evidence": []})
        if r["negation"] == "Present" and not r["inferred"]:
            alert["negation"] = "Present"
        if alert["basis"] != ("inferred" if r["inferred"] else "stated"):
            alert["basis"] = "stated+inferred"
        alert["evidence"].append({"start": r["start"], "end": r["end"], "text": r["text"],
                                  "basis": "inferred" if r["inferred"] else "stated"})
    for alert in found.values():
        if alert["negation"] == "Indetermine":
            alert["severity"] = "moderate"
        alert["evidence"].sort(key=lambda e: e["start"])
    return sorted(found.values(), key=lambda a: (_RANK[a["severity"]], a["phenotype"], str(a["organism"])))


def triplets(result: Mapping[str, list], text: str | None = None) -> list[dict[str, Any]]:
    """(bacteraemia, bacterium, site) triplets of one report, as PARHAF evaluates CU6.

    Each bacteraemia that is not ruled out is linked to the bacterium written right after it in its
    sentence ("bactériémie à E. coli") and to the report's infection site(s) (``None`` if none).
    """
    ents = sorted(result["entities"], key=lambda e: e["start"])
    sites = sorted({e["normalized"] for e in ents if e["label"] == "Site" and e["negation"] != "Absent"
                    and e["normalized"]}) or [None]
    out = []
    for i, e in enumerate(ents):
        if e["label"] != "Bacteriemie" or e["negation"] == "Absent":
            continue
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        linked = nxt is not None and nxt["label"] == "Bacterie" and nxt["start"] - e["end"] <= 12 and \
            (text is None or "." not in text[e["end"]:nxt["start"]])
        for site in sites:
            out.append({"bacteremia": e["text"], "negation": e["negation"],
                        "bacterium": nxt["normalized"] if linked else None, "site": site,
                        "start": e["start"], "end": nxt["end"] if linked else e["end"]})
    return out


# --- alerts -------------------------------------------------------------------------------
_ACTIONS = {
    "BHRe": ("critical", "BHRe : précautions complémentaires contact renforcées, chambre seule, "
                         "personnel dédié, dépistage des contacts, signalement EOH"),
    "EPC": ("critical", "EPC : mesures BHRe (chambre seule, précautions contact renforcées, "
                        "dépistage des contacts), avis infectiologue"),
    "ERV": ("critical", "ERV : mesures BHRe (chambre seule, précautions contact renforcées)"),
    "SARM": ("high", "SARM : précautions complémentaires contact, décolonisation à discuter"),
    "BLSE": ("high", "BLSE : précautions complémentaires contact, éviter les C3G en probabiliste"),
    "CASE_HP": ("moderate", "Céphalosporinase hyperproduite : éviter les C3G, préférer le céfépime"),
}
_RANK = {"critical": 0, "high": 1, "moderate": 2, "info": 3}


def _docs(patient_docs: Patient | Iterable[Document] | Mapping[str, str]) -> list[tuple[str, str]]:
    if isinstance(patient_docs, Patient):
        return [(d.id, d.text) for d in patient_docs.documents]
    if isinstance(patient_docs, Mapping):
        return [(str(k), v) for k, v in patient_docs.items()]
    out = []
    for i, d in enumerate(patient_docs):
        if isinstance(d, Document):
            out.append((d.id, d.text))
        elif isinstance(d, tuple) and len(d) == 2:
            out.append((str(d[0]), d[1]))
        else:
            raise InputError(f"patient_docs[{i}]: expected a Document or (id, text), got {type(d).__name__}")
    return out


def alerts(patient_docs: Patient | Iterable[Document] | Mapping[str, str],
           method: str = "rules") -> dict[str, Any]:
    """Alert summary of one patient: multi-resistant carriage → isolation, bacteraemia with source.

    Each alert carries its provenance: ``[{"document","start","end","text","inferred"}]``.
    """
    patient_id = patient_docs.id if isinstance(patient_docs, Patient) else None
    found: dict[tuple, dict] = {}
    for doc_id, text in _docs(patient_docs):
        result = extract(text, method)
        for r in result["resistance"]:
            if r["phenotype"] not in _ACTIONS or r["negation"] == "Absent":
                continue
            severity, action = _ACTIONS[r["phenotype"]]
            if r["negation"] == "Indetermine":
                severity, action = "moderate", f"{r['phenotype']} suspecté : confirmer ({action})"
            alert = found.setdefault(("resistance", r["phenotype"], r["organism"]), {
                "kind": "resistance", "phenotype": r["phenotype"], "organism": r["organism"],
                "severity": severity, "action": action, "provenance": []})
            if _RANK[severity] < _RANK[alert["severity"]]:
                alert["severity"], alert["action"] = severity, action
            alert["provenance"].append({"document": doc_id, "start": r["start"], "end": r["end"],
                                        "text": r["text"], "inferred": r["inferred"]})
        for t in triplets(result, text):
            alert = found.setdefault(("bacteremia", t["bacterium"], t["site"]), {
                "kind": "bacteremia", "organism": t["bacterium"], "site": t["site"],
                "severity": "high" if t["negation"] == "Present" else "moderate",
                "action": "Bactériémie " + ("confirmée" if t["negation"] == "Present" else "suspectée")
                          + (f" à {t['bacterium']}" if t["bacterium"] else "")
                          + (f", porte d'entrée {t['site']}" if t["site"] else ", porte d'entrée à préciser"),
                "provenance": []})
            alert["provenance"].append({"document": doc_id, "start": t["start"], "end": t["end"],
                                        "text": text[t["start"]:t["end"]], "inferred": False})
    ordered = sorted(found.values(), key=lambda a: (_RANK[a["severity"]], a["kind"], str(a.get("phenotype")),
                                                    str(a.get("organism"))))
    return {"patient": patient_id, "isolation": any(a["severity"] in ("critical", "high") and
                                                    a["kind"] == "resistance" for a in ordered),
            "alerts": ordered}


# --- display --------------------------------------------------------------------------------
def highlight_html(text: str, method: str = "rules") -> str:
    """HTML of ``text`` with entities (label + negation) and resistance mentions marked (Voila)."""
    from partages_core.usecases.html import highlight

    result = extract(text, method)
    spans = [{"start": e["start"], "end": e["end"],
              "label": e["label"] if e["negation"] == "Present" else f"{e['label']} ({e['negation']})"}
             for e in result["entities"]]
    spans += [{"start": r["start"], "end": r["end"],
               "label": r["phenotype"] + (" (Absent)" if r["negation"] == "Absent" else "")}
              for r in result["resistance"] if not r["inferred"]]
    return highlight(text, spans)


# --- cohort ------------------------------------------------------------------------------------
ENTEROBACTERALES = ("escherichia", "klebsiella", "enterobacter", "proteus", "citrobacter", "serratia", "morganella",
                    "salmonella", "shigella", "providencia", "hafnia")
# The isolates a phenotype is defined on: its rate's denominator (SARM among S. aureus, not among all isolates).
PHENOTYPE_DENOMINATOR = {
    "SARM": "Staphylococcus aureus isolates",
    "ERV": "Enterococcus isolates",
    "BLSE": "Enterobacterales isolates",
    "EPC": "Enterobacterales isolates",
    "CASE_HP": "Enterobacterales isolates",
}


def _in_denominator(phenotype: str, organism: str) -> bool:
    o = organism.lower()
    if phenotype == "SARM":
        return o.startswith("staphylococcus aureus")
    if phenotype == "ERV":
        return o.startswith("enterococcus")
    return o.split(" ")[0] in ENTEROBACTERALES


def resistance_rates(patients: Iterable[Patient], k: int | None = None, method: str = "rules",
                     by_facility: bool = True):
    """Share of the isolates a phenotype applies to that carry it, per facility (SARM among
    *S. aureus* isolates, ERV among enterococci, BLSE/EPC/CASE_HP among Enterobacterales).

    Counts go through disclosure control first (``governance.disclosure.suppress``, primary and
    complementary suppression): a rate is only shown when both its numerator and denominator
    survive. Facilities without any isolate of the species get no row; ``by_facility=False`` pools
    every facility into one row per phenotype. Returns a pandas DataFrame
    (facility, phenotype, denominator, isolates, resistant, rate).
    """
    import pandas as pd

    rows = []
    for p in patients:
        for d in p.documents:
            result = extract(d.text, method)
            organisms = {s["organism"] for s in result["susceptibility"] if s["organism"]}
            flagged = {(r["phenotype"], r["organism"]) for r in result["resistance"] if r["negation"] == "Present"}
            for org in sorted(organisms):
                rows.append({"facility": p.facility if by_facility else "all facilities", "organism": org,
                             **{ph: int((ph, org) in flagged) for ph in PHENOTYPE_DENOMINATOR}})
    columns = ["facility", "phenotype", "denominator", "isolates", "resistant", "rate"]
    if not rows:
        return pd.DataFrame(columns=columns)
    isolates = pd.DataFrame(rows)
    out = []
    for ph, denominator in PHENOTYPE_DENOMINATOR.items():
        eligible = isolates[isolates["organism"].map(lambda o, ph=ph: _in_denominator(ph, o))]
        if eligible.empty:
            continue
        counts = pd.DataFrame({"isolates": eligible.groupby("facility").size(),
                               ph: eligible.groupby("facility")[ph].sum()})
        safe = _suppress(counts, k)
        for facility, row in safe.iterrows():
            n, r = row["isolates"], row[ph]
            rate = (r / n) if pd.notna(n) and pd.notna(r) and n else None
            out.append({"facility": facility, "phenotype": ph, "denominator": denominator, "isolates": n,
                        "resistant": r, "rate": rate})
    return pd.DataFrame(out, columns=columns)


def _suppress(table, k: int | None):
    """Counts through ``governance.disclosure.suppress``, hidden cells as NaN (and no rate without
    its denominator)."""
    from partages_core.governance.disclosure import CASD_K, suppress

    result = suppress(table, CASD_K if k is None else k)
    counts = result.counts.loc[table.index, table.columns].astype("float")
    counts[result.hidden.loc[table.index, table.columns]] = float("nan")
    counts[counts["isolates"].isna()] = float("nan")  # no denominator, no rate
    return counts


def check_labels(result: Mapping[str, list]) -> None:
    """Raise if an extraction result leaves the CU6 label/negation sets (a bug guard for models)."""
    for i, e in enumerate(result["entities"]):
        if e["label"] not in INFECTIO_LABELS or e["negation"] not in NEGATIONS:
            raise InputError(f"entities[{i}]: label {e['label']!r} / negation {e['negation']!r} not in CU6 sets")
