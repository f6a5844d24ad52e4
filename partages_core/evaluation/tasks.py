"""The task registry: what each evaluation reads from the corpus, how it scores, with which labels.

One ``Task`` per task, one scoring function each: the leaderboard, the notebooks, the benchmarks
and the federated nodes all score through these (shapes in ``evaluation.base``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from partages_core.corpus.conclusions import conclusion_pair
from partages_core.corpus.model import (INFECTIO_LABELS, NEGATIONS, PSEUDO_LABELS, RESISTANCE_PHENOTYPES,
                                        RESPONSE_LABELS, SIR, Document)
from partages_core.evaluation.base import (Example, Metric, Split, Task, View, leak_rate, mean_of_first,
                                           micro_precision, micro_recall, perplexity)
from partages_core.evaluation.realdata import E3C_NEGATION, handwritten_loader, load_eds_pseudo
from partages_core.metrics import Counts, macro_f1_totals, micro_f1_totals, set_counts, span_counts


def _spans(doc: Document, layer: str, **keep: str) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "label": s.label, "text": s.text, **s.attrs}
            for s in doc.spans(layer) if all(s.label == v for v in keep.values())]


def _label(item: Mapping) -> str:
    return item["label"]


# --- pseudonymisation ---------------------------------------------------------------------------

NOT_IDENTIFYING = ("DATE_NON_IDENTIFIANTE",)  # gold CU1 spans a pseudonymiser may leave as they are
CLINICAL_LAYERS = ("oncology", "infectio", "resistance")


def _touched(span: Mapping, pred: list[Mapping]) -> bool:
    return any(p["start"] < span["end"] and span["start"] < p["end"] for p in pred)


def _clinical(doc: Document) -> list[dict[str, Any]]:
    """Gold clinical spans a pseudonymiser must leave alone: use-case layers and antibiogram rows."""
    out = [{"start": s.start, "end": s.end, "label": layer, "text": s.text}
           for layer in CLINICAL_LAYERS for s in doc.spans(layer)]
    return out + [{"start": r.start, "end": r.end, "label": "antibiogram", "text": doc.text[r.start:r.end]}
                  for r in doc.antibiogram]


def _pseudo_score(ex: Example, pred: list[Mapping]) -> dict[str, Any]:
    gold = ex.gold["spans"]
    identifying = [g for g in gold if g["label"] not in NOT_IDENTIFYING]
    covered = sum(1 for g in identifying if _touched(g, pred))
    out = {"strict": span_counts(gold, pred, _label, "strict"),
           "overlap": span_counts(gold, pred, _label, "overlap"),
           "leak": {"identifying": Counts(tp=covered, fp=0, fn=len(identifying) - covered)} if identifying else {}}
    if ex.gold.get("clinical"):
        hit = sum(1 for c in ex.gold["clinical"] if _touched(c, pred))
        out["over_scrub"] = {"clinical": Counts(tp=hit, fp=0, fn=len(ex.gold["clinical"]) - hit)}
    return out


PSEUDONYMISATION = Task(
    name="pseudonymisation",
    description="CU1: detect the identifying spans of every document (16 PARHAF categories + HOPITAL); "
                "leak rate = share of gold identifying spans (all but DATE_NON_IDENTIFIANTE) that no "
                "prediction touches; over-scrubbing = share of gold clinical spans (oncology, infectiology, "
                "resistance, antibiogram rows) that a prediction touches.",
    split="test", labels=PSEUDO_LABELS,
    views=(View("strict"), View("overlap"), View("leak"), View("over_scrub")),
    metrics=(Metric("f1_strict_micro", "strict", micro_f1_totals),
             Metric("f1_strict_macro", "strict", macro_f1_totals),
             Metric("f1_overlap_micro", "overlap", micro_f1_totals),
             Metric("leak_rate", "leak", leak_rate, higher_is_better=False),
             Metric("over_scrub_rate", "over_scrub", micro_recall, higher_is_better=False)),
    select=lambda p, d: True,
    gold=lambda p, d: {"spans": _spans(d, "pseudo"), "clinical": _clinical(d)},
    context=lambda p, d: dict(p.identity),
    score=_pseudo_score, primary="f1_strict_micro", span_layers=("spans", "clinical"))


# --- oncology biomarkers -------------------------------------------------------------------------

def _onco_score(ex: Example, pred: Mapping) -> dict[str, Any]:
    gold, bms = ex.gold["biomarkers"], list(pred.get("biomarkers", []))
    by_marker = lambda x: x["biomarker"]  # noqa: E731
    return {"entity": span_counts(gold, bms, by_marker, "overlap"),
            "entity_strict": span_counts(gold, bms, by_marker, "strict"),
            "marker_status": set_counts({(g["biomarker"], g["status"]) for g in gold},
                                        {(b["biomarker"], b["status"]) for b in bms}, lambda t: t[0]),
            "tnm": span_counts([{**t, "label": "TNM"} for t in ex.gold["tnm"]],
                               [{**t, "label": "TNM"} for t in pred.get("tnm", [])], _label, "strict")}


ONCOLOGY_POOLS = ("CU 5a - Oncology (biomarkers)", "CU 5b - Oncology (response to treatment)")

ONCOLOGY = Task(
    name="oncology-biomarkers",
    description="CU5a: biomarker mentions (overlap and strict, per marker), (marker, status) pairs "
                "and TNM strings, on every document of the oncology patients.",
    split="test", labels=(),  # markers come from the lexicon; per-label keys are marker names
    views=(View("entity"), View("entity_strict"), View("marker_status"), View("tnm")),
    metrics=(Metric("entity_f1_overlap", "entity", micro_f1_totals),
             Metric("entity_f1_strict", "entity_strict", micro_f1_totals),
             Metric("marker_status_f1", "marker_status", micro_f1_totals),
             Metric("marker_status_macro_f1", "marker_status", macro_f1_totals),
             Metric("tnm_f1", "tnm", micro_f1_totals)),
    select=lambda p, d: p.pool in ONCOLOGY_POOLS,
    gold=lambda p, d: {"biomarkers": _spans(d, "oncology", label="BIOMARKER"),
                       "tnm": _spans(d, "oncology", label="TNM")},
    score=_onco_score, primary="marker_status_f1", span_layers=("biomarkers", "tnm"))


# --- response to treatment ------------------------------------------------------------------------

def _response_score(ex: Example, pred: Mapping) -> dict[str, Any]:
    label = pred.get("label")
    return {"class": set_counts({(ex.doc_id, ex.gold["label"])}, {(ex.doc_id, label)}, lambda t: t[1]),
            "_pair": (ex.gold["label"], label)}


RESPONSE = Task(
    name="response",
    description="CU5b: one response-to-treatment class per follow-up document; accuracy "
                "(= micro recall, one gold per document), macro-F1 and the confusion matrix.",
    split="test", labels=RESPONSE_LABELS,
    views=(View("class"),),
    metrics=(Metric("accuracy", "class", micro_recall), Metric("macro_f1", "class", macro_f1_totals)),
    select=lambda p, d: d.response is not None,
    gold=lambda p, d: {"label": d.response.label, "spans": []},
    score=_response_score, primary="macro_f1")


# --- infectiology --------------------------------------------------------------------------------

NORMALISED = ("Bacterie",)  # the label whose normalised value every gold source annotates (the species)


def _infectio_score(ex: Example, pred: Mapping) -> dict[str, Any]:
    gold, ents = ex.gold["entities"], list(pred.get("entities", []))
    with_neg = lambda x: f"{x['label']}|{x.get('negation')}"  # noqa: E731
    triple = lambda x: (x["label"], x.get("normalized") if x["label"] in NORMALISED else None,  # noqa: E731
                        x.get("negation"))
    stated = [r for r in pred.get("resistance", []) if not r.get("inferred")]
    return {
        "entity": span_counts(gold, ents, _label, "strict"),
        "entity_overlap": span_counts(gold, ents, _label, "overlap"),
        "entity_negation": span_counts(gold, ents, with_neg, "strict"),
        "triple": set_counts({triple(g) for g in gold}, {triple(e) for e in ents}, lambda t: t[0]),
        "antibiogram": set_counts(set(ex.gold["antibiogram"]),
                                  {(s["organism"], s["atc"], s["result"]) for s in pred.get("susceptibility", [])},
                                  lambda t: t[2]),
        "resistance": set_counts({(r["label"], r["negation"]) for r in ex.gold["resistance"]},
                                 {(r["phenotype"], r.get("negation")) for r in stated}, lambda t: t[0]),
    }


INFECTIOLOGY = Task(
    name="infectiology",
    description="CU6: Bacterie/Bacteriemie/Infection/Site spans (strict, overlap), with negation "
                "(Present/Absent/Indetermine), per-document (label, species for Bacterie, negation) "
                "triples, antibiogram (organism, ATC, S/I/R) triples and the resistance phenotypes "
                "stated in the text with their negation (inferred ones are alerts, not mentions).",
    split="test", labels=INFECTIO_LABELS,
    views=tuple(View(n) for n in ("entity", "entity_overlap", "entity_negation", "triple",
                                  "antibiogram", "resistance")),
    metrics=(Metric("entity_f1", "entity", micro_f1_totals),
             Metric("entity_macro_f1", "entity", macro_f1_totals),
             Metric("entity_f1_overlap", "entity_overlap", micro_f1_totals),
             Metric("entity_negation_f1", "entity_negation", micro_f1_totals),
             Metric("triple_f1", "triple", micro_f1_totals),
             Metric("antibiogram_f1", "antibiogram", micro_f1_totals),
             Metric("resistance_f1", "resistance", micro_f1_totals)),
    select=lambda p, d: p.pool == "CU 6 - Infectiology",
    gold=lambda p, d: {"entities": _spans(d, "infectio"),
                       "antibiogram": [(s.organism, s.atc, s.result) for s in d.antibiogram],
                       "resistance": _spans(d, "resistance")},
    score=_infectio_score, primary="entity_negation_f1", span_layers=("entities", "resistance"))


# --- generation (conclusions) --------------------------------------------------------------------

def split_conclusion(patient: Any, document: Any) -> tuple[str, str] | None:
    """(prompt, conclusion) of a generated report, or None when it has no conclusion line
    (``corpus.conclusions.conclusion_pair``: gold diagnosis + the grammar's lead-ins)."""
    return conclusion_pair(patient, document.text)


def _rouge_l(reference: str, generated: str) -> float:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False).score(reference, generated)["rougeL"].fmeasure


def _generation_score(ex: Example, pred: Mapping) -> dict[str, Any]:
    out: dict[str, Any] = {"rouge": [_rouge_l(ex.gold["conclusion"], pred.get("generated", "")), 1.0]}
    if pred.get("n_tokens"):
        out["nll"] = [float(pred["nll"]), float(pred["n_tokens"])]
    return out


GENERATION = Task(
    name="generation",
    description="Conclusions: the system reads the report up to its conclusion (the line stating the "
                "gold diagnosis after a conclusion lead-in, whatever the section title), writes the "
                "conclusion (ROUGE-L F-measure, mean per document) and scores the reference "
                "(perplexity = exp of total negative log-likelihood per token).",
    split="test", labels=(),
    views=(View("rouge", "values", ("rouge_l", "docs")), View("nll", "values", ("nll", "tokens"))),
    metrics=(Metric("rouge_l", "rouge", mean_of_first),
             Metric("perplexity", "nll", perplexity, higher_is_better=False)),
    select=lambda p, d: split_conclusion(p, d) is not None,
    text=lambda p, d: split_conclusion(p, d)[0],
    gold=lambda p, d: {"conclusion": split_conclusion(p, d)[1]},
    score=_generation_score, primary="rouge_l")


# --- the same tasks on text the generator did not write ---------------------------------------------

def _mirror(base: Task, source: str, load, description: str) -> Task:
    return dataclasses.replace(base, name=f"{base.name}@{source}", description=description, load=load,
                               mirrors=base.name, source=source)


HANDWRITTEN_TASKS = tuple(
    _mirror(b, "handwritten", handwritten_loader(b),
            f"{b.name} on the hand-written set (text the generator did not write), scored as on the commons.")
    for b in (PSEUDONYMISATION, ONCOLOGY, RESPONSE, INFECTIOLOGY))
EDS_PSEUDO = _mirror(PSEUDONYMISATION, "eds-pseudo", load_eds_pseudo,
                     "Pseudonymisation on EDS-Pseudo snippets (AP-HP style, written outside the project); "
                     "labels mapped to PARHAF CU1 (DATE -> DATE_IDENTIFIANTE, SECU -> ID/NIR ...).")

TASKS: dict[str, Task] = {t.name: t for t in (PSEUDONYMISATION, ONCOLOGY, RESPONSE, INFECTIOLOGY, GENERATION,
                                               E3C_NEGATION, *HANDWRITTEN_TASKS, EDS_PSEUDO)}


def get_task(name: str) -> Task:
    """The registered task ``name`` (commons tasks and the real-text ones of ``realdata``)."""
    from partages_core.errors import InputError

    if name not in TASKS:
        raise InputError(f"task: unknown task {name!r}; choose one of {sorted(TASKS)}")
    return TASKS[name]


__all__ = ["Example", "Metric", "Split", "Task", "TASKS", "View", "get_task", "split_conclusion",
           "NEGATIONS", "RESISTANCE_PHENOTYPES", "SIR", "leak_rate", "micro_precision", "micro_recall"]
