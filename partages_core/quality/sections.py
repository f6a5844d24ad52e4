"""Sectioning and sentence splitting of French reports with an EDS-NLP pipeline built in code.

``eds.sections`` matches titles at the start of a line (on the accent-free ``NORM`` attribute);
we extend its AP-HP title list with the ones the facilities of the commons use (``terrain``,
``bilan infectieux``, ``antibiogramme``, ``traitement``…). Offsets are into the text given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Titles added to EDS-NLP's defaults (accent-free, lower case, as ``eds.normalizer`` sees them).
EXTRA_TITLES = {
    "antécédents": ["terrain", "antecedents medicaux", "atcd"],
    "traitements sortie": ["traitement", "traitement de sortie", "ordonnance"],
    "bilan infectieux": ["bilan infectieux"],
    "antibiogramme": [r"antibiogramme.{0,60}"],
    "histoire de la maladie": ["histoire de la maladie", "hdm"],
    "examens": ["examen clinique", "examen"],
}


@dataclass(frozen=True)
class Section:
    """One section: its label, the title span and the body span (offsets into the text)."""

    label: str
    title_start: int
    title_end: int
    start: int
    end: int


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """``eds.normalizer`` → ``eds.sentences`` → ``eds.sections`` with the extended title list."""
    import edsnlp
    import edsnlp.pipes as eds
    from edsnlp.pipes.misc.sections.patterns import sections as default_sections

    titles = {k: list(v) for k, v in default_sections.items()}
    for label, pats in EXTRA_TITLES.items():
        titles.setdefault(label, [])
        titles[label] += [p for p in pats if p not in titles[label]]
    nlp = edsnlp.blank("eds")
    nlp.add_pipe(eds.normalizer())
    nlp.add_pipe(eds.sentences())
    nlp.add_pipe(eds.sections(sections=titles))
    return nlp


def analyse(text: str) -> dict[str, list]:
    """Sections and sentences of one text: ``{"sections": [Section], "sentences": [(start, end)]}``."""
    return _result(pipeline()(text))


def analyse_many(texts: Iterable[str]) -> list[dict[str, list]]:
    """Same as :func:`analyse` for many texts (EDS-NLP's batched ``pipe``)."""
    return [_result(doc) for doc in pipeline().pipe(list(texts))]


def _result(doc: Any) -> dict[str, list]:
    sections = [Section(s.label_, t.start_char, t.end_char, s.start_char, s.end_char)
                for s, t in zip(doc.spans["sections"], doc.spans["section_titles"])]
    sentences = [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
    return {"sections": sections, "sentences": sentences}
