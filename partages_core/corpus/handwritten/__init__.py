"""The hand-written development set: fictional documents written by people, not by the generator.

Sources are ``docs/*.md`` in this package (format: ``FORMAT.md``): a YAML front matter and the
text with inline ``[[surface|LABEL key=value]]`` markup. :func:`load_handwritten` turns them into
the project's records (:class:`~partages_core.corpus.model.Patient` with gold layers, offsets
computed after the markup is stripped); :func:`write_handwritten` writes a PARHAF folder that
``read_parhaf`` loads, plus ``handwritten.json`` (split, grade and facility kind per document).
The ``test`` split is frozen: no rule or model may be tuned on it.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from partages_core.corpus.model import (
    BIOMARKER_METHODS, BIOMARKER_STATUSES, DOCUMENT_TYPES, ID_TYPES, INFECTIO_LABELS, NAME_ROLES,
    NEGATIONS, ONCOLOGY_LABELS, POOLS, PSEUDO_LABELS, RESISTANCE_PHENOTYPES, RESPONSE_LABELS, SIR,
    Document, Patient, Response, Span, Susceptibility,
)
from partages_core.errors import InputError

SPLITS = ("dev", "test")
FACILITY_KINDS = ("CHU", "CH", "GHU", "CLCC", "clinique", "EHPAD", "cabinet", "laboratoire", "SSR", "HAD")
GRADE_SYSTEMS = ("SBR", "ISUP", "Gleason", "OMS", "FNCLCC", "Fuhrman", "differenciation", "Nottingham")
META = "handwritten.json"
REQUIRED = ("id", "split", "type", "specialty", "facility", "facility_kind", "patient", "pool", "icd10")
LAYER_OF = {**{lb: "pseudo" for lb in PSEUDO_LABELS}, **{lb: "oncology" for lb in ONCOLOGY_LABELS},
            **{lb: "infectio" for lb in INFECTIO_LABELS}, **{lb: "resistance" for lb in RESISTANCE_PHENOTYPES}}
# allowed attributes per label (value sets where closed); ``required`` ones must be given
ATTRS: dict[str, dict[str, tuple[str, ...] | None]] = {
    **{lb: {} for lb in PSEUDO_LABELS},
    "NOM": {"role": NAME_ROLES}, "PRENOM": {"role": NAME_ROLES}, "ID": {"id_type": ID_TYPES},
    "BIOMARKER": {"biomarker": None, "status": BIOMARKER_STATUSES, "method": BIOMARKER_METHODS,
                  "value": None},
    "TNM": {}, "RESPONSE": {"label": RESPONSE_LABELS},
    **{lb: {"negation": NEGATIONS} for lb in ("Bacteriemie", "Infection", "Site")},
    "Bacterie": {"negation": NEGATIONS, "normalized": None},
    **{lb: {"negation": NEGATIONS, "organism": None} for lb in RESISTANCE_PHENOTYPES},
}
REQUIRED_ATTRS = {"NOM": ("role",), "PRENOM": ("role",), "ID": ("id_type",), "Bacterie": ("normalized",),
                  "BIOMARKER": ("biomarker", "status"), "RESPONSE": ("label",)}
ATC_RE = re.compile(r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_SPEC = re.compile(r"([^\]|\[]*)\]\]")


@dataclass
class HandwrittenDoc:
    """One source file after parsing: the document, its patient fields and its set metadata."""

    path: str
    meta: dict[str, Any]
    document: Document
    extra: dict[str, Any] = field(default_factory=dict)


def source_dir() -> Path:
    """The folder of the packaged ``docs/*.md`` sources."""
    return Path(str(resources.files("partages_core.corpus.handwritten") / "docs"))


def parse_markup(source: str, where: str = "<text>",
                 first_line: int = 1) -> tuple[str, list[tuple[int, int, str, dict[str, str]]]]:
    """Strip ``[[surface|LABEL k=v]]`` markup (nestable); return the text and (start, end, label, attrs)."""
    out: list[str] = []
    length = 0
    stack: list[tuple[int, int]] = []  # (start offset in output, line of the opening)
    spans = []
    i, line = 0, first_line
    while i < len(source):
        if source.startswith("[[", i):
            stack.append((length, line))
            i += 2
            continue
        c = source[i]
        if c == "|" and stack:
            m = _SPEC.match(source, i + 1)
            if not m:
                raise InputError(f"{where}:{line}: '|' inside a marked span must be followed by 'LABEL k=v]]'")
            start, _ = stack.pop()
            label, attrs = _spec(m.group(1), f"{where}:{line}")
            spans.append((start, length, label, attrs))
            i = m.end()
            continue
        if source.startswith("]]", i):
            raise InputError(f"{where}:{line}: ']]' without a '[[' and '|LABEL' before it")
        if c == "\n":
            line += 1
        out.append(c)
        length += 1
        i += 1
    if stack:
        raise InputError(f"{where}:{stack[-1][1]}: '[[' is never closed by '|LABEL ...]]'")
    return "".join(out), spans


def _spec(spec: str, where: str) -> tuple[str, dict[str, str]]:
    try:
        words = shlex.split(spec)
    except ValueError as err:
        raise InputError(f"{where}: bad annotation '{spec}' ({err})") from None
    if not words:
        raise InputError(f"{where}: empty label after '|'")
    label, attrs = words[0], {}
    allowed = ATTRS.get(label)
    if allowed is None:
        raise InputError(f"{where}: unknown label {label!r} (see FORMAT.md)")
    for w in words[1:]:
        k, eq, v = w.partition("=")
        if not eq or not v:
            raise InputError(f"{where}: {label}: attribute {w!r} is not key=value")
        if k not in allowed:
            raise InputError(f"{where}: {label}: unknown attribute {k!r} (allowed: {', '.join(allowed) or 'none'})")
        if allowed[k] is not None and v not in allowed[k]:
            raise InputError(f"{where}: {label}: {k}={v!r} not in {', '.join(allowed[k])}")
        attrs[k] = v
    missing = [k for k in REQUIRED_ATTRS.get(label, ()) if k not in attrs]
    if missing:
        raise InputError(f"{where}: {label}: missing attribute(s) {', '.join(missing)}")
    return label, attrs


def _yaml_meta(block: str, path: Path) -> dict[str, Any]:
    """The front matter mapping of ``path`` from its YAML ``block``."""
    try:
        meta = yaml.safe_load(block) or {}
    except yaml.YAMLError as err:
        raise InputError(f"{path}: front matter is not valid YAML ({str(err).splitlines()[0]})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: front matter must be a mapping")
    return meta


def read_front_matter(path: Path) -> dict[str, Any]:
    """The checked front matter of one source, read line by line up to its closing ``---``: the text
    after it is never decoded nor parsed (a dev run reads only the split and patient of the frozen files)."""
    lines: list[bytes] = []
    with path.open("rb") as f:  # bytes, line by line: the body is never decoded
        if f.readline() != b"---\n":
            raise InputError(f"{path}:1: missing YAML front matter between '---' lines")
        for line in f:
            if line == b"---\n":
                try:
                    meta = _yaml_meta(b"".join(lines).decode("utf-8"), path)
                except UnicodeDecodeError as err:
                    raise InputError(f"{path}: front matter is not UTF-8 ({err.reason})") from None
                _check_meta(meta, path)
                return meta
            lines.append(line)
    raise InputError(f"{path}:1: missing YAML front matter between '---' lines")


def _front(path: Path) -> tuple[dict, str, int]:
    """A source's front matter (a mapping), the text after it and the line where that text starts."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from None
    m = _FRONT.match(raw)
    if not m:
        raise InputError(f"{path}:1: missing YAML front matter between '---' lines")
    meta = _yaml_meta(m.group(1), path)
    rest = raw[m.end():]
    first_line = m.group(0).count("\n") + 1 + len(rest) - len(rest.lstrip("\n"))
    return meta, rest.strip("\n") + "\n", first_line


def _attach(doc: Document, raw_spans: list, path: Path) -> None:
    """Put parsed marks on ``doc``: one layer per label family, the RESPONSE span as ``doc.response``."""
    for start, end, label, attrs in raw_spans:
        surface = doc.text[start:end]
        if not surface.strip() or surface != surface.strip():
            raise InputError(f"{path}: {label} span {surface!r} is empty or starts/ends with a space")
        if label == "RESPONSE":
            if doc.response is not None:
                raise InputError(f"{path}: more than one RESPONSE span")
            doc.response = Response(attrs["label"], start, end, surface)
            continue
        layer = LAYER_OF[label]
        if layer in ("infectio", "resistance"):
            attrs.setdefault("negation", "Present")
        doc.annotations.setdefault(layer, []).append(Span(start, end, label, surface, attrs))
    for layer in doc.annotations:
        doc.annotations[layer].sort(key=lambda s: (s.start, -s.end, s.label))


def parse_file(path: Path) -> HandwrittenDoc:
    """One source file → a :class:`HandwrittenDoc`; errors name the file, line and field."""
    meta, body, first_line = _front(path)
    _check_meta(meta, path)
    text, raw_spans = parse_markup(body, str(path), first_line)
    doc = Document(id=str(meta["id"]), type=meta["type"], header=str(meta.get("header", "")), text=text)
    _attach(doc, raw_spans, path)
    doc.antibiogram = [_susceptibility(row, k, text, path) for k, row in enumerate(meta.get("susceptibility") or [])]
    if meta.get("response") and doc.response is None:
        raise InputError(f"{path}: front matter 'response' needs a [[...|RESPONSE label=...]] span in the text")
    if doc.response is not None and meta.get("response") not in (None, doc.response.label):
        raise InputError(f"{path}: front matter response {meta['response']!r} differs from the RESPONSE span")
    return HandwrittenDoc(str(path), meta, doc)


def second_dir() -> Path:
    """The folder of the second annotator's files (``second/hw-NNN.md``, same markup as the sources)."""
    return source_dir().parent / "second"


def first_dir() -> Path:
    """The first annotator's marks before adjudication (``first/hw-NNN.md``, same format as ``second/``): a
    record, since an adjudication corrects the sources."""
    return source_dir().parent / "first"


def parse_second(path: Path, first: HandwrittenDoc) -> HandwrittenDoc:
    """A second annotation of ``first``: front matter ``id`` and ``annotator`` (``grade``, ``response``
    optional), same markup; its text must equal the first annotation's, else ``FILE:LINE: reason``."""
    meta, body, first_line = _front(path)
    missing = [k for k in ("id", "annotator") if k not in meta]
    if missing:
        raise InputError(f"{path}: front matter: missing field(s) {', '.join(missing)}")
    if str(meta["id"]) != path.stem:
        raise InputError(f"{path}: front matter: id {meta['id']!r} must equal the file name {path.stem!r}")
    text, raw_spans = parse_markup(body, str(path), first_line)
    if text != first.document.text:
        ours, theirs = text.split("\n"), first.document.text.split("\n")
        k = next((i for i, (x, y) in enumerate(zip(ours, theirs)) if x != y), min(len(ours), len(theirs)))
        got = ours[k] if k < len(ours) else "<end of text>"
        raise InputError(f"{path}:{first_line + k}: text differs from the first annotation {first.path} "
                         f"({got[:60]!r})")
    doc = Document(id=first.document.id, type=first.document.type, header=first.document.header, text=text)
    _attach(doc, raw_spans, path)
    if meta.get("response") and doc.response is None:
        raise InputError(f"{path}: front matter 'response' needs a [[...|RESPONSE label=...]] span in the text")
    return HandwrittenDoc(str(path), meta, doc)


def load_second(folder: str | Path | None = None, first: str | Path | None = None,
                ids: Sequence[str] | None = None) -> list[tuple[HandwrittenDoc, HandwrittenDoc]]:
    """(first annotation, second annotation) for every ``*.md`` of ``folder`` (default: the packaged
    ``second/``), or for the documents ``ids`` only (a batch, :func:`dev_range`); the first is the source of
    the same id in ``first`` (default: the packaged sources)."""
    folder, first = Path(folder) if folder else second_dir(), Path(first) if first else source_dir()
    paths = sorted(folder.glob("*.md"))
    if ids is not None:
        paths = [p for p in paths if p.stem in set(ids)]
    if not paths:
        within = f" of {ids[0]}..{ids[-1]}" if ids else ""
        raise InputError(f"{folder}: no *.md annotations{within}")
    pairs = []
    for p in paths:
        src = first / p.name
        if not src.is_file():
            raise InputError(f"{p}:1: no first annotation {p.name} in {first}")
        a = parse_file(src)
        pairs.append((a, parse_second(p, a)))
    return pairs


def load_annotated(folder: str | Path | None = None, first: str | Path | None = None,
                   ids: Sequence[str] | None = None) -> list[tuple[HandwrittenDoc, HandwrittenDoc]]:
    """(A, B) as the two annotators marked them: :func:`load_second`, with A taken per document from its
    record ``first/hw-NNN.md`` (next to the sources' folder) where there is one, since an adjudication
    corrects the sources; a document of a batch not yet adjudicated has no record and keeps the source."""
    record = (Path(first) if first else source_dir()).parent / "first"
    return [(parse_second(record / f"{a.document.id}.md", a) if (record / f"{a.document.id}.md").is_file() else a, b)
            for a, b in load_second(folder, first, ids)]


def _check_meta(meta: dict, path: Path) -> None:
    missing = [k for k in REQUIRED if k not in meta]
    if missing:
        raise InputError(f"{path}: front matter: missing field(s) {', '.join(missing)}")
    if meta["id"] != path.stem:
        raise InputError(f"{path}: front matter: id {meta['id']!r} must equal the file name {path.stem!r}")
    checks = {"split": SPLITS, "type": DOCUMENT_TYPES, "facility_kind": FACILITY_KINDS, "pool": POOLS}
    for key, allowed in checks.items():
        if meta[key] not in allowed:
            raise InputError(f"{path}: front matter: {key}={meta[key]!r} not in {', '.join(allowed)}")
    grade = meta.get("grade")
    if grade is not None:
        if not isinstance(grade, dict) or grade.get("system") not in GRADE_SYSTEMS or "value" not in grade:
            raise InputError(f"{path}: front matter: grade must be {{system: one of {', '.join(GRADE_SYSTEMS)}, value: ...}}")


def _susceptibility(row: Any, k: int, text: str, path: Path) -> Susceptibility:
    """One antibiogram gold row; the ATC code is written in the source (gold never depends on a lexicon)."""
    where = f"{path}: front matter: susceptibility #{k + 1}"
    if isinstance(row, str):
        parts = [p.strip() for p in row.split("|")]
        if len(parts) not in (4, 5):
            raise InputError(f"{where}: expected 'organism | antibiotic | S/I/R | ATC [| row text]'")
        row = dict(zip(("organism", "antibiotic", "result", "atc", "row"), parts))
    if not isinstance(row, dict) or any(k_ not in row for k_ in ("organism", "antibiotic", "result", "atc")):
        raise InputError(f"{where}: needs organism, antibiotic, result and atc")
    if row["result"] not in SIR:
        raise InputError(f"{where}: result {row['result']!r} not in S, I, R")
    if not ATC_RE.match(str(row["atc"])):
        raise InputError(f"{where}: atc {row['atc']!r} is not an ATC code (e.g. J01CA04)")
    start = end = 0
    if row.get("row"):
        start = text.find(row["row"])
        if start < 0:
            raise InputError(f"{where}: row text {row['row']!r} not found in the document")
        end = start + len(row["row"])
    return Susceptibility(row["organism"], row["antibiotic"], row["atc"], row["result"], start, end)


def review_path(folder: str | Path | None = None) -> Path:
    """The second-pass record ``review.yaml`` next to the sources' folder."""
    folder = Path(folder) if folder else source_dir()
    return folder.parent / "review.yaml" if (folder.parent / "review.yaml").is_file() else folder / "review.yaml"


def _front_matters(folder: str | Path | None = None, split: str | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """(path, checked front matter) of every source of ``folder`` (default: the packaged set), or of one split,
    sorted by id. Whole patients per split are checked on every file's front matter; no text is parsed."""
    folder = Path(folder) if folder else source_dir()
    if split not in (None, "all", *SPLITS):
        raise InputError(f"split {split!r}: expected dev, test or all")
    paths = sorted(folder.glob("*.md"))
    if not paths:
        raise InputError(f"{folder}: no *.md hand-written sources")
    seen: dict[str, str] = {}
    wanted = []
    for p in paths:
        meta = read_front_matter(p)
        pid = str(meta["patient"])
        if seen.setdefault(pid, meta["split"]) != meta["split"]:
            raise InputError(f"{p}: patient {pid} has documents in both splits (a patient belongs to one split)")
        if split in (None, "all") or meta["split"] == split:
            wanted.append((p, meta))
    return wanted


def load_sources(folder: str | Path | None = None, split: str | None = None) -> list[HandwrittenDoc]:
    """Every ``*.md`` source of ``folder`` (default: the packaged set), or those of one split, sorted by id;
    only the asked split's files are parsed past their front matter (a ``dev`` load never parses the frozen text)."""
    return [parse_file(p) for p, _ in _front_matters(folder, split)]


def splits(folder: str | Path | None = None) -> dict[str, str]:
    """The split of every source id, from the front matter alone (no text is parsed)."""
    return {i: m["split"] for i, m in metadata(folder=folder).items()}


# The two-annotator campaign's batches (issue 17): name, first and last id, in order; the dataset card
# reports the agreement of each batch alone (``partages corpus campaign --docs FIRST LAST``).
CAMPAIGN_BATCHES = (("batch 11", "hw-191", "hw-208"), ("batch 12", "hw-209", "hw-224"),
                    ("batch 13", "hw-225", "hw-240"), ("batch 14", "hw-241", "hw-256"),
                    ("batch 15", "hw-257", "hw-272"), ("batch 16", "hw-273", "hw-288"),
                    ("batch 17", "hw-289", "hw-304"), ("batch 18", "hw-305", "hw-320"),
                    ("batch 19", "hw-321", "hw-336"), ("batch 20", "hw-337", "hw-352"),
                    ("batch 21", "hw-353", "hw-368"), ("batch 22", "hw-369", "hw-384"),
                    ("batch 23", "hw-385", "hw-400"), ("batch 24", "hw-401", "hw-416"),
                    ("batch 25", "hw-417", "hw-432"), ("batch 26", "hw-433", "hw-448"),
                    ("batch 27", "hw-449", "hw-464"), ("batch 28", "hw-465", "hw-480"))

# The frozen test part's second annotation (session 21): one campaign group of its own beside the dev batches,
# every test id with a file in ``second/`` (``partages corpus campaign --split test``); ``dev_range`` still refuses
# its ids, so no dev path reads its text.
FROZEN_PART = "frozen test part"


def frozen_second_ids(second: str | Path | None = None, folder: str | Path | None = None) -> list[str]:
    """The frozen test ids that have a second annotation in ``second`` (default: the packaged ``second/``), from
    the sources' front matter alone (``folder``, default the packaged sources); [] when there is none."""
    test = {i for i, sp in splits(folder).items() if sp == "test"}
    return sorted(p.stem for p in (Path(second) if second else second_dir()).glob("*.md") if p.stem in test)


def dev_range(first: str, last: str, folder: str | Path | None = None, option: str = "--docs") -> list[str]:
    """The dev ids from ``first`` to ``last`` (a new batch to score); a frozen test id in that range,
    or a range with no dev document, is refused with one line naming ``option`` (front matter only is read)."""
    if not (re.fullmatch(r"hw-\d{3}", first) and re.fullmatch(r"hw-\d{3}", last)) or first > last:
        raise InputError(f"{option} {first} {last}: expected two ids hw-NNN, the first not after the last")
    inside = {i: sp for i, sp in splits(folder).items() if first <= i <= last}
    frozen = sorted(i for i, sp in inside.items() if sp != "dev")
    if frozen:
        raise InputError(f"{option} {first} {last}: {frozen[0]} is in the frozen test split "
                         f"({len(frozen)} test document(s) in the range); {option} scores dev documents only")
    if not inside:
        raise InputError(f"{option} {first} {last}: no hand-written document in that range")
    return sorted(inside)


def load_handwritten(split: str | None = None, folder: str | Path | None = None) -> list[Patient]:
    """The hand-written set as patients (documents grouped by ``patient``), optionally one split."""
    patients: dict[str, Patient] = {}
    for d in load_sources(folder, split):
        m, pid = d.meta, str(d.meta["patient"])
        if pid not in patients:
            patients[pid] = Patient(
                id=pid, specialty=str(m["specialty"]), author=str(m.get("author", "handwritten")),
                reviewer=str(m.get("reviewer", "handwritten")), pool=m["pool"], facility=str(m["facility"]),
                suggested_scenario={"primary_diagnosis": {"code": str(m["icd10"])}}, identity={})
        patients[pid].documents.append(d.document)
    return list(patients.values())


def metadata(split: str | None = None, folder: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Per document: split, facility kind, patient, grade, style (what PARHAF has no field for), from the
    front matter alone."""
    keys = ("split", "facility_kind", "patient", "grade", "style")
    return {str(m["id"]): {k: m.get(k) for k in keys} for _, m in _front_matters(folder, split)}


def write_handwritten(out: str | Path, split: str | None = None, folder: str | Path | None = None) -> Path:
    """Write the set (or one split) as a PARHAF folder plus ``handwritten.json``."""
    from partages_core.corpus.io.parhaf import write_parhaf

    target = write_parhaf(load_handwritten(split, folder), out)
    (target / META).write_text(json.dumps(metadata(split, folder), ensure_ascii=False, indent=1, sort_keys=True)
                               + "\n", encoding="utf-8")
    return target
