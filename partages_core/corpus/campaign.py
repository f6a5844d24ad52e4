"""Annotation campaign: two simulated annotators, inter-annotator agreement, adjudication.

Annotators are the gold layer degraded by seeded, controlled errors (misses, boundary shifts,
label confusions, spurious spans); agreement is span F1 per label and Cohen's kappa on tokens.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from partages_core.corpus.model import Document, Span
from partages_core.metrics import Counts, merge, micro, span_counts

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Annotator:
    """How often an annotator misses a span, shifts a boundary, confuses a label, adds noise."""

    name: str
    seed: int
    miss: float = 0.05
    boundary: float = 0.05
    confusion: float = 0.03
    spurious: float = 0.02


def annotate(doc: Document, layer: str, annotator: Annotator) -> list[Span]:
    """The layer as this annotator would have marked it (deterministic per annotator and doc)."""
    rng = random.Random(f"{annotator.seed}:{doc.id}:{layer}")
    labels = sorted({s.label for s in doc.spans(layer)})
    out = []
    for s in doc.spans(layer):
        r = rng.random()
        if r < annotator.miss:
            continue
        start, end, label = s.start, s.end, s.label
        if r < annotator.miss + annotator.boundary and end - start > 2:
            if rng.random() < 0.5:
                end -= 1
            else:
                start += 1
        elif r < annotator.miss + annotator.boundary + annotator.confusion and len(labels) > 1:
            label = rng.choice([l for l in labels if l != s.label])
        out.append(Span(start, end, label, doc.text[start:end], dict(s.attrs)))
    words = [m for m in _TOKEN.finditer(doc.text) if m.group().isalpha() and len(m.group()) > 3]
    for _ in range(sum(rng.random() < annotator.spurious for _ in doc.spans(layer))):
        if words and labels:
            m = rng.choice(words)
            out.append(Span(m.start(), m.end(), rng.choice(labels), m.group(), {}))
    return sorted(out, key=lambda s: (s.start, s.end))


def span_agreement(a: Sequence[Span], b: Sequence[Span]) -> dict[str, Counts]:
    """Per-label counts with A as reference (F1 is symmetric in A and B)."""
    as_dict = lambda spans: [{"start": s.start, "end": s.end, "label": s.label} for s in spans]
    return span_counts(as_dict(a), as_dict(b), lambda x: x["label"])


def token_labels(text: str, spans: Sequence[Span]) -> list[str]:
    """One label per token (``O`` outside spans); the unit of Cohen's kappa."""
    out = []
    for m in _TOKEN.finditer(text):
        label = next((s.label for s in spans if s.start < m.end() and m.start() < s.end), "O")
        out.append(label)
    return out


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa between two label sequences of equal length."""
    if len(a) != len(b):
        raise ValueError(f"kappa: sequences differ in length ({len(a)} vs {len(b)})")
    n = len(a)
    if n == 0:
        return 1.0
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def adjudicate(doc: Document, layer: str, a: Sequence[Span], b: Sequence[Span]) -> tuple[list[Span], int]:
    """Keep what both annotators agree on; the adjudicator (the reference layer) settles each
    disagreement. As in real campaigns, shared errors and spans both missed stay unseen.

    Returns the adjudicated layer and the number of disagreements that had to be settled.
    """
    key = lambda s: (s.start, s.end, s.label)
    agreed = {key(s) for s in a} & {key(s) for s in b}
    disputed = ({key(s) for s in a} | {key(s) for s in b}) - agreed
    reference = {key(s): s for s in doc.spans(layer)}
    kept = [next(s for s in a if key(s) == k) for k in sorted(agreed)]
    kept += [reference[k] for k in sorted(disputed) if k in reference]
    return sorted(kept, key=lambda s: (s.start, s.end)), len(disputed)


def run_campaign(docs: Sequence[Document], layer: str, a: Annotator, b: Annotator) -> dict:
    """Agreement report over documents: per-label F1, micro F1, token kappa, adjudication counts."""
    per_doc, tokens_a, tokens_b, disputed, adjudicated_ok = [], [], [], 0, 0
    for doc in docs:
        sa, sb = annotate(doc, layer, a), annotate(doc, layer, b)
        per_doc.append(span_agreement(sa, sb))
        tokens_a += token_labels(doc.text, sa)
        tokens_b += token_labels(doc.text, sb)
        final, n = adjudicate(doc, layer, sa, sb)
        disputed += n
        adjudicated_ok += final == sorted(doc.spans(layer), key=lambda s: (s.start, s.end))
    counts = merge(*per_doc)
    return {
        "layer": layer, "documents": len(docs),
        "per_label_f1": {label: round(c.f1, 4) for label, c in sorted(counts.items())},
        "micro_f1": round(micro(counts).f1, 4),
        "token_kappa": round(cohen_kappa(tokens_a, tokens_b), 4),
        "disagreements_adjudicated": disputed,
        "documents_matching_reference_after_adjudication": adjudicated_ok,
    }


def cas_round_trip_campaign(docs: Sequence[Document], layer: str, a: Annotator, b: Annotator,
                            folder: str | Path) -> dict:
    """The two-annotator workflow through INCEpTION's format: each annotator's layer is exported as
    UIMA CAS JSON (``<folder>/<annotator>/<doc>.json``), read back, compared per label, adjudicated.

    Works the same on generated and hand-written documents (any document with a ``layer`` gold)."""
    from partages_core.corpus.io.uima import read_cas_json, write_cas_json

    folder = Path(folder)
    per_doc, disputed, matching, files = [], 0, 0, 0
    for doc in docs:
        back = {}
        for who in (a, b):
            marked = Document(id=doc.id, type=doc.type, header=doc.header, text=doc.text,
                              annotations={layer: annotate(doc, layer, who)})
            path = write_cas_json(marked, folder / who.name / f"{doc.id}.json")
            back[who.name] = read_cas_json(path).spans(layer)
            files += 1
        sa, sb = back[a.name], back[b.name]
        per_doc.append(span_agreement(sa, sb))
        final, n = adjudicate(doc, layer, sa, sb)
        disputed += n
        matching += [(s.start, s.end, s.label) for s in final] == \
            [(s.start, s.end, s.label) for s in sorted(doc.spans(layer), key=lambda s: (s.start, s.end))]
    counts = merge(*per_doc)
    return {"layer": layer, "documents": len(docs), "cas_files": files,
            "per_label_f1": {label: round(c.f1, 4) for label, c in sorted(counts.items())},
            "micro_f1": round(micro(counts).f1, 4), "disagreements_adjudicated": disputed,
            "documents_matching_reference_after_adjudication": matching}
