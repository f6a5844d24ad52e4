"""CU6 hybrid: the rules plus a fine-tuned spaCy NER (``models.cu6_ner``), arbitrated per label.

The rules keep everything they are good at: species names and their normal forms, negation, the
antibiogram and the resistance phenotypes (rows and phenotypes come from the rules unchanged). The
model reads the text line by line and proposes CU6 spans; :func:`arbitrate` merges them:

* ``add``: labels for which a model span that overlaps no rules entity is added (phrasings the rules
  do not know), with the rules' negation of its clause (``model.entities_from_spans``);
* ``bounds``: labels for which, when exactly one model span of the same label overlaps a rules
  entity, the model's boundaries replace the rules' (the negation stays the rules').

The arbitration used (:data:`ADD`, :data:`BOUNDS`) was chosen on hand-written dev documents the
model was not trained on (``benchmarks/bench_cu6_hybrid.py``, a held-out dev fold); the choice and
the frozen-part figures are in ``docs/USECASES.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from partages_core.usecases.infectiology import rules as _rules
from partages_core.usecases.infectiology.model import _normalized, entities_from_spans

# Chosen on two held-out dev folds (hw-091..hw-139 with an NER trained without them and the rules of
# 427d1eb; hw-146..hw-160 with the built NER, which never saw them, and the rules of b4ef351): adding
# Infection only is at least as good as adding Bacterie + Bacteriemie + Infection on both folds and both
# metrics (the model's extra bacteraemia and organism spans were false positives there).
ADD: tuple[str, ...] = ("Infection",)
BOUNDS: tuple[str, ...] = ()


# What a model span must look like to be added where the rules found nothing (the model alone adds
# many spans that are no CU6 entity at all on unseen writing: names, exams, symptoms).
_PLAUSIBLE = {
    "Infection": re.compile(r"(?i)(?:it(?:e|es)\b|infection|infecte|abc[eè]s|empy[eè]me|phlegmon|pneumo(?:pathie|nie)|"
                            r"[eé]rysip[eè]le|cellulite|pyélo|pyelo|PNA|IU\b|ISO\b|PAVM|DHB|os[eè]\b|"
                            r"septique|choc\s+toxique|surinfect)"),
    "Bacteriemie": re.compile(r"(?i)bact[eé]ri[eé]mie|[a-z]{4,}[eé]mie\b|(?:h[eé]moc|\bHC\b).*(?:positi|st[eé]ril|n[eé]gati|\+)"),
    "Site": re.compile(r"(?i)\w{3,}"),
    "Bacterie": re.compile(r"(?:[A-Z][a-z]+\s+[a-z]{3,}|[A-Z]\.\s*[a-z]{3,}|(?i:coque|bacille|ocoque|bacter))"),
}
_NOT = re.compile(r"(?i)^(?:HC|h[eé]mocs?|ECBU|LBA|PL)$")


def plausible(label: str, text: str) -> bool:
    """Whether a model span of ``label`` reads like one (:data:`_PLAUSIBLE`)."""
    pat = _PLAUSIBLE.get(label)
    return pat is not None and pat.search(text) is not None and not _NOT.match(text.strip())


def arbitrate(text: str, rules_entities: Sequence[dict[str, Any]], model_entities: Sequence[dict[str, Any]],
              add: Iterable[str] = ADD, bounds: Iterable[str] = BOUNDS, filtered: bool = True) -> list[dict[str, Any]]:
    """The rules' entities, with model boundaries for ``bounds`` labels and the model's extra
    entities of ``add`` labels (those overlapping no rules entity), sorted by position."""
    add, bounds = set(add), set(bounds)
    out = []
    for e in rules_entities:
        e = dict(e)
        if e["label"] in bounds:
            same = [m for m in model_entities if m["label"] == e["label"] and m["start"] < e["end"] and e["start"] < m["end"]]
            if len(same) == 1 and (same[0]["start"], same[0]["end"]) != (e["start"], e["end"]):
                m = same[0]
                clash = any(o is not e and o["start"] < m["end"] and m["start"] < o["end"] and o["label"] != e["label"]
                            for o in rules_entities)
                if not clash:
                    e.update(start=m["start"], end=m["end"], text=text[m["start"]:m["end"]],
                             normalized=_normalized(e["label"], m["text"]) or e["normalized"])
        out.append(e)
    for m in model_entities:
        if m["label"] in add and not any(o["start"] < m["end"] and m["start"] < o["end"] for o in out) \
                and (not filtered or plausible(m["label"], m["text"])):
            out.append(dict(m))
    return sorted(out, key=lambda e: (e["start"], -e["end"]))


def with_nested(model_entities: Sequence[dict[str, Any]], rules_entities: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The model's entities plus the rules' entities nested inside one of them ("[bactériémie à
    [E. coli]]", "[infection de [prothèse]]"): spaCy's NER cannot predict nested spans, the rules'
    lexicon finds the species and sites within the model's boundaries."""
    out = [dict(m) for m in model_entities]
    for e in rules_entities:
        if any(m["start"] <= e["start"] and e["end"] <= m["end"] and (m["start"], m["end"]) != (e["start"], e["end"])
               for m in model_entities) and not any((o["start"], o["end"]) == (e["start"], e["end"]) for o in out):
            out.append(dict(e))
    return sorted(out, key=lambda e: (e["start"], -e["end"]))


def extract_batch(texts: Sequence[str], path: str | None = None, add: Iterable[str] = ADD,
                  bounds: Iterable[str] = BOUNDS, model_only: bool = False) -> list[tuple[list[dict], list[dict], list[dict]]]:
    """(entities, antibiogram rows, resistance) per text: rules + model entities (the model's alone
    with ``model_only``), the rest rules."""
    from partages_core.errors import InputError
    from partages_core.models.cu6_ner import is_built, model_path, model_spans

    if not is_built(path):
        raise InputError(f"method: the CU6 NER is not built (nothing at {path or model_path()}); build it with "
                         "`partages models finetune --task infectio-ner`, or use --method rules")
    texts = list(texts)
    add, bounds = tuple(add), tuple(bounds)
    out = []
    for text, spans in zip(texts, model_spans(texts, path)):
        entities, rows, resistance = _rules.extract_rules(text)
        found = entities_from_spans(text, spans)
        out.append((with_nested(found, entities) if model_only else arbitrate(text, entities, found, add, bounds),
                    rows, resistance))
    return out


def extract_hybrid(text: str, model_only: bool = False) -> tuple[list[dict], list[dict], list[dict]]:
    """One text through :func:`extract_batch` (``infectiology.extract(method="hybrid"|"ner")``)."""
    return extract_batch([text], model_only=model_only)[0]
