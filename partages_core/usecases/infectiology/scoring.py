"""Scoring the CU6 extractor against the commons' gold layers (counts from partages_core.metrics).

Gold comes from ``doc.annotations["infectio"]``, ``doc.annotations["resistance"]`` and
``doc.antibiogram``; triplets are built from gold spans with the same linking rule as predictions
(:func:`partages_core.usecases.infectiology.triplets`), since the gold has no relation layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from partages_core.corpus.model import Document
from partages_core.metrics import Counts, merge, micro, set_counts, span_counts
from partages_core.usecases.infectiology import extract, triplets

TASKS = ("entity", "entity+negation", "triple", "susceptibility", "resistance", "resistance+negation")


def gold_of(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """The gold layers of one document in the ``extract`` schema."""
    return {
        "entities": [{"label": s.label, "text": s.text, "start": s.start, "end": s.end,
                      "negation": s.attrs.get("negation", "Present"), "normalized": s.attrs.get("normalized")}
                     for s in doc.spans("infectio")],
        "susceptibility": [{"organism": r.organism, "antibiotic": r.antibiotic, "atc": r.atc, "result": r.result}
                           for r in doc.antibiogram],
        "resistance": [{"phenotype": s.label, "organism": s.attrs.get("organism"),
                        "negation": s.attrs.get("negation", "Present"), "inferred": bool(s.attrs.get("inferred")),
                        "text": s.text, "start": s.start, "end": s.end} for s in doc.spans("resistance")],
    }


def score_document(doc: Document, pred: Mapping[str, list], mode: str = "strict") -> dict[str, dict]:
    """Per-task, per-label counts for one document."""
    gold = gold_of(doc)
    ge, pe = gold["entities"], pred["entities"]
    stated = [r for r in pred["resistance"] if not r["inferred"]]
    gt = {(doc.id, t["bacterium"], t["site"]) for t in triplets(gold, doc.text)}
    pt = {(doc.id, t["bacterium"], t["site"]) for t in triplets(pred, doc.text)}
    gs = {(doc.id, *(r[k] for k in ("organism", "antibiotic", "atc", "result"))) for r in gold["susceptibility"]}
    ps = {(doc.id, *(r[k] for k in ("organism", "antibiotic", "atc", "result"))) for r in pred["susceptibility"]}
    return {
        "entity": span_counts(ge, pe, lambda x: x["label"], mode),
        "entity+negation": _strip(span_counts(ge, pe, lambda x: (x["label"], x["negation"]), mode)),
        "triple": set_counts(gt, pt, lambda t: "Bacteriemie-Bacterie-Site"),
        "susceptibility": set_counts(gs, ps, lambda t: t[4]),
        "resistance": span_counts(gold["resistance"], stated, lambda x: x["phenotype"], mode),
        "resistance+negation": _strip(span_counts(gold["resistance"], stated,
                                                  lambda x: (x["phenotype"], x["negation"]), mode)),
    }


def _strip(counts: Mapping[tuple, Counts]) -> dict[str, Counts]:
    """Fold (label, negation) counts back to label (a wrong negation counts as FP + FN)."""
    return merge(*({k[0]: c} for k, c in counts.items()))


def evaluate(docs: Iterable[Document], predict: Callable[[str], Mapping[str, list]] = extract,
             mode: str = "strict") -> dict[str, dict]:
    """Counts per task and label over ``docs``: ``{task: {label: Counts}}``."""
    per_doc = [score_document(d, predict(d.text), mode) for d in docs]
    return {task: merge(*(p[task] for p in per_doc)) for task in TASKS}


def report(counts: Mapping[str, Mapping]) -> list[dict[str, Any]]:
    """Flat rows (task, label, tp, fp, fn, precision, recall, f1) including a micro row per task."""
    rows = []
    for task, per_label in counts.items():
        for label, c in sorted(per_label.items(), key=lambda kv: str(kv[0])) + [("micro", micro(per_label))]:
            rows.append({"task": task, "label": str(label), "tp": c.tp, "fp": c.fp, "fn": c.fn,
                         "precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4)})
    return rows


def errors(doc: Document, pred: Mapping[str, list]) -> list[tuple[str, str, str]]:
    """Entity disagreements of one document: (kind, label/negation, text) for error analysis."""
    gold = {(e["start"], e["end"], e["label"]): e for e in gold_of(doc)["entities"]}
    got = {(e["start"], e["end"], e["label"]): e for e in pred["entities"]}
    out = [("FP", f"{k[2]}/{got[k]['negation']}", got[k]["text"]) for k in got.keys() - gold.keys()]
    out += [("FN", f"{k[2]}/{gold[k]['negation']}", gold[k]["text"]) for k in gold.keys() - got.keys()]
    out += [("NEG", f"{k[2]} gold={gold[k]['negation']} pred={got[k]['negation']}", gold[k]["text"])
            for k in gold.keys() & got.keys() if gold[k]["negation"] != got[k]["negation"]]
    return out
