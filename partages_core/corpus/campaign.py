"""Annotation campaign: two annotators, inter-annotator agreement, adjudication.

An annotator is either simulated (:class:`Annotator`: the gold layer degraded by seeded, controlled
errors: misses, boundary shifts, label confusions, spurious spans) or real (:class:`Marked`: the
layers a person marked, e.g. the hand-written sources and their independent second annotation,
:func:`partages_core.corpus.handwritten.load_second`). Both go through :func:`run_campaign`:
optional UIMA CAS JSON round trip, span F1 per label with n mentions per annotator, micro F1,
Cohen's kappa on tokens, the list of disagreements, adjudication against a reference.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from partages_core.corpus.model import Document, Span
from partages_core.files import write_atomic
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


@dataclass(frozen=True)
class Marked:
    """A real annotator: the documents (by id) with the layers this person marked."""

    name: str
    docs: Mapping[str, Document]


def spans_of(who: Annotator | Marked, doc: Document, layer: str) -> list[Span]:
    """The layer of ``doc`` as annotator ``who`` marked it (simulated or real)."""
    if isinstance(who, Marked):
        if doc.id not in who.docs:
            raise ValueError(f"annotator {who.name}: no annotation of document {doc.id}")
        return sorted(who.docs[doc.id].spans(layer), key=lambda s: (s.start, s.end))
    return annotate(doc, layer, who)


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


def disagreements(doc_id: str, layer: str, a: Sequence[Span], b: Sequence[Span],
                  names: tuple[str, str] = ("A", "B")) -> list[dict]:
    """Every mark one annotator made and the other did not (same offsets and label), with the other's
    overlapping marks; and every shared mark whose attributes differ. What an adjudicator settles."""
    key = lambda s: (s.start, s.end, s.label)
    out = []
    for who, mine, theirs in ((names[0], a, b), (names[1], b, a)):
        keys = Counter(key(s) for s in theirs)
        for s in mine:
            if keys[key(s)]:
                keys[key(s)] -= 1
                continue
            near = [f"{o.text}|{o.label}" for o in theirs if o.start < s.end and s.start < o.end]
            out.append({"doc": doc_id, "layer": layer, "kind": "only " + who, "start": s.start, "end": s.end,
                        "label": s.label, "text": s.text, "attrs": dict(s.attrs), "other_overlaps": near})
    # shared marks: per (offsets, label), pair equal attributes first, then the rest in order; a mark left
    # without a partner is one-sided (above), not also an attribute difference (two nested marks on one surface)
    unpaired = {k: [o for o in b if key(o) == k and not any(o.attrs == s.attrs for s in a if key(s) == k)]
                for k in {key(s) for s in a}}
    for s in a:
        if any(o.attrs == s.attrs for o in b if key(o) == key(s)) or not unpaired[key(s)]:
            continue
        other = unpaired[key(s)].pop(0)
        out.append({"doc": doc_id, "layer": layer, "kind": "attributes", "start": s.start, "end": s.end,
                    "label": s.label, "text": s.text, names[0]: dict(s.attrs), names[1]: dict(other.attrs)})
    return out


def run_campaign(docs: Sequence[Document], layer: str, a: Annotator | Marked, b: Annotator | Marked,
                 folder: str | Path | None = None, adjudication: bool = True,
                 disagreements_out: str | Path | None = None, per_document: bool = False) -> dict:
    """Agreement report over documents: per-label F1 with n mentions per annotator, micro F1 (strict and
    overlap), token kappa, disagreements; the same for simulated and real annotators.

    ``folder``: each annotator's layer goes out as INCEpTION UIMA CAS JSON (``<folder>/<name>/<doc>.json``)
    and the comparison runs on what is read back. ``adjudication``: settle disagreements with the
    documents' own layer as reference (simulated campaigns; a real one is adjudicated by a third person
    from ``disagreements_out``, a JSONL file of :func:`disagreements`). ``per_document``: add each
    document's per-label ``[tp, fp, fn]`` (for document-bootstrap intervals, computed downstream)."""
    from partages_core.corpus.io.uima import read_cas_json, write_cas_json

    per_doc, loose, tokens_a, tokens_b, listed = [], [], [], [], []
    n = {a.name: Counter(), b.name: Counter()}
    disputed = matching = files = 0
    as_dict = lambda spans: [{"start": s.start, "end": s.end, "label": s.label} for s in spans]
    for doc in docs:
        marks = {}
        for who in (a, b):
            spans = spans_of(who, doc, layer)
            if folder is not None:
                marked = Document(id=doc.id, type=doc.type, header=doc.header, text=doc.text,
                                  annotations={layer: spans})
                path = write_cas_json(marked, Path(folder) / who.name / f"{doc.id}.json")
                spans = sorted(read_cas_json(path).spans(layer), key=lambda s: (s.start, s.end))
                files += 1
            marks[who.name] = spans
            n[who.name].update(s.label for s in spans)
        sa, sb = marks[a.name], marks[b.name]
        per_doc.append(span_agreement(sa, sb))
        loose.append(span_counts(as_dict(sa), as_dict(sb), lambda x: x["label"], mode="overlap"))
        tokens_a += token_labels(doc.text, sa)
        tokens_b += token_labels(doc.text, sb)
        listed += disagreements(doc.id, layer, sa, sb, (a.name, b.name))
        if adjudication:
            final, k = adjudicate(doc, layer, sa, sb)
            disputed += k
            matching += [(s.start, s.end, s.label) for s in final] == \
                [(s.start, s.end, s.label) for s in sorted(doc.spans(layer), key=lambda s: (s.start, s.end))]
    counts, overlap = merge(*per_doc), merge(*loose)
    report = {
        "layer": layer, "documents": len(docs), "annotators": [a.name, b.name],
        "per_label_f1": {label: round(c.f1, 4) for label, c in sorted(counts.items())},
        "mentions": {label: {a.name: n[a.name][label], b.name: n[b.name][label]} for label in sorted(counts)},
        "matched": micro(counts).tp,
        "micro_f1": round(micro(counts).f1, 4), "overlap_micro_f1": round(micro(overlap).f1, 4),
        "token_kappa": round(cohen_kappa(tokens_a, tokens_b), 4),
        "disagreements": len(listed),
        "attribute_disagreements": sum(d["kind"] == "attributes" for d in listed),
    }
    if folder is not None:
        report["cas_files"] = files
    if per_document:
        report["per_document"] = {doc.id: {lb: [c.tp, c.fp, c.fn] for lb, c in sorted(counts_.items())}
                                  for doc, counts_ in zip(docs, per_doc)}
    if adjudication:
        report["disagreements_adjudicated"] = disputed
        report["documents_matching_reference_after_adjudication"] = matching
    if disagreements_out is not None:
        write_atomic(Path(disagreements_out), "".join(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n"
                                                      for d in listed))
    return report


def cas_round_trip_campaign(docs: Sequence[Document], layer: str, a: Annotator | Marked, b: Annotator | Marked,
                            folder: str | Path) -> dict:
    """The two-annotator workflow through INCEpTION's format (:func:`run_campaign` with a CAS folder).

    Works the same on generated and hand-written documents (any document with a ``layer`` gold)."""
    return run_campaign(docs, layer, a, b, folder=folder)


REAL_LAYERS = ("pseudo", "infectio", "resistance", "oncology")


def real_campaign(pairs: Sequence[tuple], folder: str | Path | None = None,
                  layers: Sequence[str] = REAL_LAYERS, first: str = "A", second: str = "B") -> dict:
    """Agreement between two real annotations of the same texts (:func:`load_second` pairs: the
    sources' gold is annotator ``first``, the second annotation ``second``), through :func:`run_campaign`
    with the CAS round trip; disagreements go to ``<folder>/disagreements.jsonl`` for adjudication
    (nothing is adjudicated here). Also compares the document-level grade and response."""
    docs = [x.document for x, _ in pairs]
    a = Marked(first, {x.document.id: x.document for x, _ in pairs})
    b = Marked(second, {y.document.id: y.document for _, y in pairs})
    folder = Path(folder) if folder is not None else None
    out = {"documents": len(docs), "layers": {}}
    listed: list[str] = []
    for layer in layers:
        tmp = folder / f"disagreements-{layer}.jsonl" if folder else None
        out["layers"][layer] = run_campaign(docs, layer, a, b, folder=folder / "cas" / layer if folder else None,
                                            adjudication=False, disagreements_out=tmp, per_document=True)
        if tmp is not None:
            listed += tmp.read_text(encoding="utf-8").splitlines(keepends=True)
            tmp.unlink()
    doc_level = {}
    for field in ("grade", "response"):
        given = [(x.meta.get(field), y.meta.get(field)) for x, y in pairs if x.meta.get(field) or y.meta.get(field)]
        doc_level[field] = {"documents": len(given), "agree": sum(u == v for u, v in given)}
    out["document_level"] = doc_level
    matched = sum(r["matched"] for r in out["layers"].values())
    marks = sum(sum(m.values()) for r in out["layers"].values() for m in r["mentions"].values())
    out["micro_f1"] = round(2 * matched / marks, 4) if marks else 1.0
    if folder is not None:
        write_atomic(folder / "disagreements.jsonl", "".join(listed))
        write_atomic(folder / "agreement.json", json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return out


def adjudicated_agreement(annotators: Mapping[str, str | Path], reference: str | Path | None = None,
                          folder: str | Path | None = None, ids: Sequence[str] | None = None) -> dict:
    """Agreement of each recorded annotation (name -> folder of ``hw-NNN.md`` in the ``second/`` format)
    with the adjudicated reference (the sources, default the packaged ones): :func:`real_campaign` with the
    reference as first annotator, so a disagreement is an error of that annotator. Per name, its report;
    ``folder``: each report and its disagreements under ``<folder>/<name>/``; ``ids``: one batch only."""
    from partages_core.corpus.handwritten import load_second

    return {name: real_campaign(load_second(path, reference, ids), Path(folder) / name if folder else None,
                                first="adjudicated", second=name)
            for name, path in annotators.items()}
