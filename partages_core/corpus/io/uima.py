"""INCEpTION / UIMA CAS JSON through ``dkpro-cassis``: what PARTAGES hospitals deliver.

We write one CAS per document with a ``de.partages.Span`` type (label, layer, attributes as JSON).
Reading accepts ours and foreign INCEpTION layers: any annotation type with a ``label`` or
``value`` feature becomes a span (layer from our label sets, else ``uima``); annotations of other
types are counted per type in the report, never dropped silently.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path

from cassis import Cas, TypeSystem, load_cas_from_json

from partages_core.corpus.io.brat import LAYER_OF
from partages_core.corpus.model import Document, Response, Span, Susceptibility
from partages_core.errors import InputError
from partages_core.files import write_atomic

SPAN_TYPE = "de.partages.Span"
SUSCEPTIBILITY_TYPE = "de.partages.Susceptibility"
RESPONSE_TYPE = "de.partages.Response"
_BUILTIN = ("uima.tcas.DocumentAnnotation", "uima.cas.Sofa")


def _typesystem() -> TypeSystem:
    ts = TypeSystem()
    for name, features in ((SPAN_TYPE, ("label", "layer", "attributes")),
                           (SUSCEPTIBILITY_TYPE, ("organism", "antibiotic", "atc", "result")),
                           (RESPONSE_TYPE, ("label",))):
        t = ts.create_type(name)
        for f in features:
            ts.create_feature(t, f, "uima.cas.String")
    return ts


def write_cas_json(doc: Document, path: str | Path) -> Path:
    """One document → one CAS JSON file (sofa = the text; offsets are code points)."""
    ts = _typesystem()
    cas = Cas(typesystem=ts)
    cas.sofa_string = doc.text
    S, A, R = ts.get_type(SPAN_TYPE), ts.get_type(SUSCEPTIBILITY_TYPE), ts.get_type(RESPONSE_TYPE)
    for layer in sorted(doc.annotations):
        for s in doc.annotations[layer]:
            cas.add(S(begin=s.start, end=s.end, label=s.label, layer=layer,
                      attributes=json.dumps(s.attrs, ensure_ascii=False, sort_keys=True)))
    for row in doc.antibiogram:
        cas.add(A(begin=row.start, end=row.end, organism=row.organism, antibiotic=row.antibiotic,
                  atc=row.atc, result=row.result))
    if doc.response:
        cas.add(R(begin=doc.response.start, end=doc.response.end, label=doc.response.label))
    path = Path(path)
    write_atomic(path, cas.to_json())
    return path


def read_cas_json(path: str | Path, unmapped: Counter | None = None) -> Document:
    """Read a CAS JSON file into a Document; unmapped annotation types are counted."""
    path = Path(path)
    try:
        with warnings.catch_warnings():  # cassis warns on offsets outside the text; we refuse them below
            warnings.simplefilter("ignore", UserWarning)
            cas = load_cas_from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: not found") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from None
    except Exception as err:  # cassis raises many kinds on malformed input; all are the file's fault
        raise InputError(f"{path}: not a UIMA CAS JSON file ({type(err).__name__}: {str(err)[:200]})") from None
    unmapped = unmapped if unmapped is not None else Counter()
    text = cas.sofa_string or ""
    doc = Document(id=path.stem, type="", header="", text=text)
    for fs in cas.select_all_annotations():
        name = fs.type.name
        if name in _BUILTIN or not hasattr(fs, "begin"):
            continue
        begin, end = fs.begin, fs.end
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= len(text)):
            raise InputError(f"{path}: {name} annotation (xmi:id {getattr(fs, 'xmiID', '?')}): offsets "
                             f"{begin}-{end} outside the text ({len(text)} characters)")
        if name == SPAN_TYPE:
            try:
                attrs = json.loads(fs.attributes or "{}")
            except json.JSONDecodeError as err:
                raise InputError(f"{path}: {name} annotation {begin}-{end}: 'attributes' is not JSON ({err.msg})") from None
            doc.annotations.setdefault(fs.layer, []).append(
                Span(fs.begin, fs.end, fs.label, text[fs.begin:fs.end], attrs))
        elif name == SUSCEPTIBILITY_TYPE:
            doc.antibiogram.append(Susceptibility(fs.organism, fs.antibiotic, fs.atc, fs.result, fs.begin, fs.end))
        elif name == RESPONSE_TYPE:
            doc.response = Response(fs.label, fs.begin, fs.end, text[fs.begin:fs.end])
        else:
            label = _feature(fs, "label") or _feature(fs, "value")
            if label is None:
                unmapped[name] += 1
                continue
            layer = LAYER_OF.get(label, "uima")
            doc.annotations.setdefault(layer, []).append(
                Span(fs.begin, fs.end, label, text[fs.begin:fs.end], {"uima_type": name}))
    for spans in doc.annotations.values():
        spans.sort(key=lambda s: (s.start, s.end, s.label))
    doc.antibiogram.sort(key=lambda r: r.start)
    return doc


def _feature(fs, name: str) -> str | None:
    """The value of a declared string feature, or None when the type has no such feature."""
    return fs.get(name) if fs.type.get_feature(name) is not None else None
