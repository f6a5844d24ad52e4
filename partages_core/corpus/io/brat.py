"""BRAT standoff (.txt + .ann): entities (incl. discontinuous), attributes, notes, normalisations.

Our layers map to entity types by label; antibiogram rows and the response label travel as
``Susceptibility`` and ``Response`` entities with attributes, so a round trip loses nothing.
Reading foreign corpora, what cannot be mapped (relations, events, equivalences) is counted and
reported in :class:`BratReport`, never silently dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from partages_core.corpus.model import (
    INFECTIO_LABELS, ONCOLOGY_LABELS, PSEUDO_LABELS, RESISTANCE_PHENOTYPES, Document, Response, Span,
    Susceptibility,
)
from partages_core.errors import InputError
from partages_core.files import write_atomic

LAYER_OF = {**{l: "pseudo" for l in PSEUDO_LABELS}, **{l: "oncology" for l in ONCOLOGY_LABELS},
            **{l: "infectio" for l in INFECTIO_LABELS}, **{l: "resistance" for l in RESISTANCE_PHENOTYPES}}
_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")


@dataclass
class BratReport:
    """What an import read and what it could not map, per kind."""

    documents: int = 0
    entities: Counter = field(default_factory=Counter)
    attributes: int = 0
    notes: int = 0
    unmapped: Counter = field(default_factory=Counter)


def write_brat(doc: Document, folder: str | Path) -> Path:
    """Write ``<id>.txt`` and ``<id>.ann``; returns the .ann path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{doc.id}.txt", doc.text)
    lines: list[str] = []
    n_t = n_a = 0

    def entity(label: str, frags: list[tuple[int, int]], text: str, attrs: dict) -> None:
        nonlocal n_t, n_a
        n_t += 1
        frags = [piece for s, e in frags for piece in _line_pieces(doc.text, s, e)]
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        text = " ".join(doc.text[s:e] for s, e in frags) if len(frags) > 1 else text
        lines.append(f"T{n_t}\t{label} {offsets}\t{text}")
        for key, value in attrs.items():
            if value is None or key == "fragments":
                continue
            n_a += 1
            if value is True:  # BRAT binary attribute
                lines.append(f"A{n_a}\t{key} T{n_t}")
            elif value is False:
                lines.append(f"A{n_a}\t{key} T{n_t} false")
            else:
                lines.append(f"A{n_a}\t{key} T{n_t} {_escape(value)}")

    for layer in sorted(doc.annotations):
        for s in doc.annotations[layer]:
            frags = [tuple(f) for f in s.attrs.get("fragments", [[s.start, s.end]])]
            entity(s.label, frags, s.text, s.attrs)
    for row in doc.antibiogram:
        entity("Susceptibility", [(row.start, row.end)], doc.text[row.start:row.end],
               {"organism": row.organism, "antibiotic": row.antibiotic, "atc": row.atc, "result": row.result})
    if doc.response:
        r = doc.response
        entity("Response", [(r.start, r.end)], r.text, {"label": r.label})
    ann = folder / f"{doc.id}.ann"
    write_atomic(ann, "\n".join(lines) + ("\n" if lines else ""))
    return ann


def read_brat(ann_path: str | Path, report: BratReport | None = None) -> Document:
    """Read one .ann (and its .txt); malformed lines raise an error naming file and line."""
    ann_path = Path(ann_path)
    txt_path = ann_path.with_suffix(".txt")
    try:
        text = txt_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{txt_path}: text file for {ann_path.name} is missing") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{txt_path}: not UTF-8 ({err.reason} at byte {err.start})") from None
    report = report if report is not None else BratReport()
    entities: dict[str, dict] = {}
    attributes: list[tuple[str, str, object, int]] = []
    notes: list[tuple[str, str, int]] = []
    try:
        ann_lines = ann_path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise InputError(f"{ann_path}: not UTF-8 ({err.reason} at byte {err.start})") from None
    seen_ids: set[str] = set()
    for line_no, line in enumerate(ann_lines, 1):
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            m = _T.match(line)
            if not m:
                raise InputError(f"{ann_path}:{line_no}: malformed entity line {line!r}")
            tid, label, offsets, surface = m.groups()
            if tid in seen_ids:
                raise InputError(f"{ann_path}:{line_no}: entity id {tid} repeats an earlier line")
            seen_ids.add(tid)
            frags = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
            for s, e in frags:
                if not 0 <= s <= e <= len(text):
                    raise InputError(f"{ann_path}:{line_no}: offsets {s}-{e} outside the text ({len(text)} chars)")
            covered = " ".join(text[s:e] for s, e in frags)
            if surface != covered and surface.split() != covered.split():
                raise InputError(f"{ann_path}:{line_no}: {tid} surface text {surface!r} does not match the text "
                                 f"at its offsets ({covered!r})")
            entities[tid] = {"label": label, "frags": frags, "text": surface, "attrs": {}}
        elif kind in "AM":
            parts = line.split("\t", 1)[1].split(" ") if "\t" in line else []
            if len(parts) < 2:
                raise InputError(f"{ann_path}:{line_no}: malformed attribute line {line!r}")
            value: object = _unescape(" ".join(parts[2:])) if len(parts) > 2 else True
            value = False if value == "false" else value
            aid = line.split("\t", 1)[0]
            if aid in seen_ids:
                raise InputError(f"{ann_path}:{line_no}: attribute id {aid} repeats an earlier line")
            seen_ids.add(aid)
            attributes.append((parts[1], parts[0], value, line_no))
        elif kind == "#":
            fields = line.split("\t")
            if len(fields) >= 3 and fields[1].startswith("AnnotatorNotes "):
                notes.append((fields[1].split(" ", 1)[1], fields[2], line_no))
            else:
                report.unmapped["note"] += 1
        elif kind == "N":
            fields = line.split("\t")
            ref = fields[1].split(" ") if len(fields) > 1 else []
            if len(ref) == 3:
                notes.append((ref[1], ref[2], line_no))
            else:
                report.unmapped["normalization"] += 1
        else:
            report.unmapped[{"R": "relation", "E": "event", "*": "equivalence"}.get(kind, kind)] += 1
    for target, key, value, line_no in attributes:
        if target not in entities:
            raise InputError(f"{ann_path}:{line_no}: attribute refers to unknown entity {target}")
        entities[target]["attrs"][key] = value
        report.attributes += 1
    for target, note, line_no in notes:
        if target not in entities:
            report.unmapped["note on unknown entity"] += 1
            continue
        entities[target]["attrs"]["note"] = note
        report.notes += 1
    doc = Document(id=ann_path.stem, type="", header="", text=text)
    for tid, ent in entities.items():
        try:
            _attach(doc, ent)
        except KeyError as err:
            raise InputError(f"{ann_path}: {tid} ({ent['label']}) lacks attribute {err.args[0]!r}") from None
        report.entities[ent["label"]] += 1
    report.documents += 1
    return doc


def read_brat_folder(folder: str | Path) -> tuple[list[Document], BratReport]:
    """Every .ann under ``folder`` (recursively, sorted) with one report for all."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    report = BratReport()
    docs = [read_brat(p, report) for p in sorted(folder.rglob("*.ann"))]
    return docs, report


def report_dict(report: BratReport) -> dict:
    """Plain-JSON view of a report (counters as sorted dicts)."""
    return {"documents": report.documents, "entities": dict(sorted(report.entities.items())),
            "attributes": report.attributes, "notes": report.notes,
            "unmapped": dict(sorted(report.unmapped.items()))}


def _line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span's pieces between its line breaks: a BRAT fragment never holds a newline (the .ann is one
    entity per line), so a span that crosses a line break is written as fragments around it."""
    pieces, i = [], start
    for j in range(start, end):
        if text[j] == "\n":
            if j > i:
                pieces.append((i, j))
            i = j + 1
    if end > i:
        pieces.append((i, end))
    return pieces or [(start, end)]


def _join_line_pieces(text: str, frags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fragments separated by line breaks only are one span again (the inverse of :func:`_line_pieces`)."""
    joined = [frags[0]]
    for s, e in frags[1:]:
        gap = text[joined[-1][1]:s]
        if gap and set(gap) == {"\n"}:
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    return joined


def _attach(doc: Document, ent: dict) -> None:
    label, frags, attrs = ent["label"], _join_line_pieces(doc.text, ent["frags"]), ent["attrs"]
    start, end = frags[0][0], frags[-1][1]
    if label == "Susceptibility":
        doc.antibiogram.append(Susceptibility(attrs["organism"], attrs["antibiotic"], attrs["atc"],
                                              attrs["result"], start, end))
        return
    if label == "Response":
        doc.response = Response(attrs["label"], start, end, ent["text"])
        return
    if len(frags) > 1:
        attrs["fragments"] = [list(f) for f in frags]
    layer = LAYER_OF.get(label, "brat")
    text = ent["text"] if len(frags) > 1 else doc.text[start:end]
    doc.annotations.setdefault(layer, []).append(Span(start, end, label, text, attrs))


def _escape(value: object) -> str:
    """Attribute values cannot hold spaces in BRAT: spaces and newlines are escaped."""
    return str(value).replace("\\", "\\\\").replace(" ", "\\s").replace("\n", "\\n")


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\s", " ").replace("\\\\", "\\")
