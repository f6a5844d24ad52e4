"""Quality of a pseudonymiser on gold-annotated documents: per-label counts, leak, over-scrubbing.

Leak rate: fraction of gold identifier strings (every label but DATE_NON_IDENTIFIANTE) still
present, as a whole word, in the output text. Over-scrubbing: fraction of clinical gold spans
(oncology, infectiology, resistance layers, antibiogram rows) touched by a predicted entity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from partages_core.corpus.model import Document
from partages_core.metrics import Counts, merge, span_counts

NOT_IDENTIFYING = ("DATE_NON_IDENTIFIANTE",)
CLINICAL_LAYERS = ("oncology", "infectio", "resistance")


@dataclass
class PseudoScores:
    """Counts per label (strict and overlap), leaks and over-scrubbing over a set of documents."""

    strict: dict = field(default_factory=dict)
    overlap: dict = field(default_factory=dict)
    gold_identifiers: int = 0
    leaked: int = 0
    clinical_spans: int = 0
    clinical_altered: int = 0
    leaks: list = field(default_factory=list)

    @property
    def leak_rate(self) -> float:
        return self.leaked / self.gold_identifiers if self.gold_identifiers else 0.0

    @property
    def over_scrub_rate(self) -> float:
        return self.clinical_altered / self.clinical_spans if self.clinical_spans else 0.0


def apply_mask(text: str, entities: list[dict]) -> str:
    """Replace each entity by ``[LABEL]`` (how a detector without surrogates would redact)."""
    out, pos = [], 0
    for e in sorted(entities, key=lambda e: e["start"]):
        if e["start"] < pos:
            continue
        out += [text[pos:e["start"]], f"[{e['label']}]"]
        pos = e["end"]
    return "".join(out) + text[pos:]


def score_document(doc: Document, pred: list[dict], output: str, scores: PseudoScores) -> None:
    """Add one document's figures to ``scores``."""
    gold = [{"start": s.start, "end": s.end, "label": s.label} for s in doc.spans("pseudo")]
    label = lambda x: x["label"]  # noqa: E731
    scores.strict = merge(scores.strict, span_counts(gold, pred, label, "strict"))
    scores.overlap = merge(scores.overlap, span_counts(gold, pred, label, "overlap"))
    for s in doc.spans("pseudo"):
        if s.label in NOT_IDENTIFYING:
            continue
        scores.gold_identifiers += 1
        if re.search(rf"(?<!\w){re.escape(s.text)}(?!\w)", output):
            scores.leaked += 1
            scores.leaks.append((doc.id, s.label, s.text))
    clinical = [(s.start, s.end) for layer in CLINICAL_LAYERS for s in doc.spans(layer)]
    clinical += [(r.start, r.end) for r in doc.antibiogram]
    for start, end in clinical:
        scores.clinical_spans += 1
        if any(p["start"] < end and start < p["end"] and output_changed(p) for p in pred):
            scores.clinical_altered += 1


def output_changed(entity: dict) -> bool:
    return entity.get("replacement", None) != entity.get("text")


def evaluate(docs: Iterable[tuple[dict | None, Document]],
             run: Callable[[str, dict | None], tuple[list[dict], str]]) -> PseudoScores:
    """Score ``run(text, context) -> (entities, output_text)`` over (context, document) pairs."""
    scores = PseudoScores()
    for context, doc in docs:
        pred, output = run(doc.text, context)
        score_document(doc, pred, output, scores)
    return scores


def per_label_table(counts: dict[str, Counts]) -> list[dict]:
    """Rows {label, precision, recall, f1, support} sorted by label."""
    return [{"label": k, "precision": round(c.precision, 4), "recall": round(c.recall, 4),
             "f1": round(c.f1, 4), "support": c.tp + c.fn} for k, c in sorted(counts.items())]
