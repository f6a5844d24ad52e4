"""Model-backed CU6 extractor: a span tagger fine-tuned on the commons (``models.usecase_models``,
model ``infectio-tagger``) finds Bacterie / Bacteriemie / Infection / Site spans.

The tagger only decides where the entities are and their label. Everything else is the rules':
negation (``infectiology.rules.negation_of`` on the predicted span's clause; the bacteraemia
phrases' own cues, and a bacterium written after its bacteraemia shares its negation, as in the
rules), normalisation (the rules lexicon; ``None`` when the predicted surface is not in it), and
the **susceptibility rows and resistance phenotypes, which come from the rules path unchanged**.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from partages_core.usecases.infectiology import rules as _rules
from partages_core.usecases.infectiology.lexicon import fold, get_lexicon, key, lower_same_length
from partages_core.models.usecase_models import load_usecase_model, predict_lines

TAGGER = "infectio-tagger"


def _normalized(label: str, surface: str) -> str | None:
    """The rules lexicon's normal form of a predicted surface (species, site category)."""
    lx = get_lexicon()
    table = {"Bacterie": lx.bacteria, "Infection": lx.infections, "Site": lx.sites}.get(label)
    return table.get(key(surface)) if table is not None else None


# a blood-culture result inside a predicted bacteraemia span ("hémocultures de contrôle (J3, J5) stériles",
# "HC : négatives", "0/2 à 48 h"): the span states its own absence, as the rules' bacteraemia phrases do
_NEGATIVE_RESULT = re.compile(r"(?<![\w-])(?:steriles?|negati(?:ve|f)s?|n'(?:ont|a)[ \t]+rien[ \t]+pousse|0[ \t]*/[ \t]*\d)(?![\w-])")


def _negation(label: str, folded: str, start: int, end: int) -> str:
    lx = get_lexicon()
    if label == "Bacteriemie":  # "hémocultures négatives", "suspicion de bactériémie"
        low = lower_same_length(folded)
        m = lx.re_bacteremia.fullmatch(low, start, end)
        own = _rules._bacteremia_negation(m) if m else None
        if own is None and _NEGATIVE_RESULT.search(low, start, end) and "positi" not in low[start:end]:
            own = "Absent"
        if own is not None:
            return own
    return _rules.negation_of(folded, start, end, lx)


def entities_from_spans(text: str, spans: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """CU6 entities (rules schema) from tagger spans: negation and normalisation by the rules."""
    folded = fold(text)
    out: list[dict[str, Any]] = []
    for s in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        start, end = s["start"], s["end"]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1] in " \t\n,;:":
            end -= 1
        if end <= start:
            continue
        out.append({"label": s["label"], "text": text[start:end], "start": start, "end": end,
                    "negation": _negation(s["label"], folded, start, end),
                    "normalized": _normalized(s["label"], text[start:end])})
    for prev, cur in zip(out, out[1:]):  # "bactériémie à E. coli": the bacterium shares its negation
        if prev["label"] == "Bacteriemie" and cur["label"] == "Bacterie" and \
                _rules._LINK.fullmatch(folded, prev["end"], cur["start"]):
            cur["negation"] = prev["negation"]
    return out


def extract_batch(texts: Sequence[str], batch_size: int = 32) -> list[tuple[list[dict], list[dict], list[dict]]]:
    """(entities, antibiogram rows, resistance) per text: entities from the tagger, the rest rules."""
    tagger = load_usecase_model(TAGGER)
    out = []
    for text, spans in zip(texts, predict_lines(tagger, list(texts), batch_size)):
        _, rows, resistance = _rules.extract_rules(text)
        out.append((entities_from_spans(text, spans), rows, resistance))
    return out


def extract_model(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    """One text through :func:`extract_batch` (the ``infectiology.extract(method="model")`` path)."""
    return extract_batch([text])[0]
