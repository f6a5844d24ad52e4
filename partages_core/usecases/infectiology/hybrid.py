"""CU6 hybrid: the rules plus a fine-tuned spaCy NER (``models.cu6_ner``), arbitrated per label.

The rules keep everything they are good at: species names and their normal forms, negation, the
antibiogram and the resistance phenotypes (rows and phenotypes come from the rules unchanged). The
model reads the text line by line and proposes CU6 spans; :func:`arbitrate` merges them:

* ``add``: labels for which a model span that overlaps no rules entity is added (phrasings the rules
  do not know), with the rules' negation of its clause (``model.entities_from_spans``);
* ``extend``: labels for which a model span lengthens a bare rules entity of one or two words on its
  right ("abcès" -> "abcès pelvien"; :func:`extends`);
* ``bounds``: labels for which, when exactly one model span of the same label overlaps a rules
  entity, the model's boundaries replace the rules' (the negation stays the rules').

The arbitration used (:data:`ADD`, :data:`EXTEND`, :data:`BOUNDS`) was chosen on hand-written dev documents the
model was not trained on (``benchmarks/bench_cu6_hybrid.py --crossfit``, three dev folds); the choice
and the frozen-part figures are in ``docs/MODELS.md`` and ``docs/USECASES.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from partages_core.usecases.infectiology import rules as _rules
from partages_core.usecases.infectiology.lexicon import fold, key, lower_same_length
from partages_core.usecases.infectiology.model import _normalized, entities_from_spans

# Chosen on the whole hand-written dev part by cross-fitting (``bench_cu6_hybrid.py --crossfit``, h18): each
# document read by an NER trained without its fold (``cu6_ner.dev_fold``). Against the rules in force before
# each batch was written (98 documents, 841 entities), adding Infection and Bacteriemie spans that pass
# :func:`plausible` gains +0.013 [+0.006, +0.020] strict and with negation (paired bootstrap), more than adding
# Infection alone (+0.007) or every label (+0.010); against the current rules, tuned on those documents
# (137 documents), it costs −0.002 [−0.005, 0.000]. The model's Site and Bacterie additions are mostly wrong.
ADD: tuple[str, ...] = ("Infection", "Bacteriemie")
BOUNDS: tuple[str, ...] = ()
# Labels whose rules span the model may lengthen (:func:`extends`), chosen by cross-fit on the dev part (h18,
# session 12; docs/history/models.md, "CU6 hybrid: the model lengthens bare heads"). Against the rules in force before
# each batch was written (120 documents, 1050 entities), lengthening a bare rules Infection ("abcès" -> "abcès
# pelvien", "méningite" -> "méningite à pneumocoque") with ADD gains +0.048 [+0.034, +0.062] strict over the
# rules (ADD alone +0.015); against the current rules, tuned on those documents, it costs -0.005 [-0.008, -0.001].
# Free model boundaries (BOUNDS) were worse: where the model shortened a rules span it was mostly wrong.
EXTEND: tuple[str, ...] = ("Infection",)


# What a model span must look like to be added where the rules found nothing (the model alone adds
# many spans that are no CU6 entity at all on unseen writing: names, exams, symptoms).
_PLAUSIBLE = {
    "Infection": re.compile(r"(?i)(?:it(?:e|es)\b|infection|infecte|abc[eè]s|empy[eè]me|phlegmon|pneumo(?:pathie|nie)|"
                            r"[eé]rysip[eè]le|cellulite|pyélo|pyelo|PNA|IU\b|ISO\b|PAVM|DHB|os[eè]\b|"
                            r"septique|choc\s+toxique|surinfect)"),
    # a blood culture with its result ("HC + (2 paires) à CGP", "hémocultures restées négatives"), not one
    # still pending or listed with other samples ("HC x2 périph + 1 sur KT", "Hémocs x2 + ECBU")
    "Bacteriemie": re.compile(r"(?i)bact[eé]ri[eé]mie|[a-z]{4,}[eé]mie\b|(?:h[eé]moc|\bHC\b).*(?:positi|st[eé]ril|n[eé]gati|"
                              r"\+\s*(?:$|[àa]\s|\(|\d+\s*/))"),
    "Site": re.compile(r"(?i)\w{3,}"),
    "Bacterie": re.compile(r"(?:[A-Z][a-z]+\s+[a-z]{3,}|[A-Z]\.\s*[a-z]{3,}|(?i:coque|bacille|ocoque|bacter))"),
}
_NOT = re.compile(r"(?i)^(?:HC|h[eé]mocs?|ECBU|LBA|PL)$")
# "-ite"/"-ose" words that are no infection, which the Infection pattern reads by their ending: qualities
# ("opacité", "significativité"), an effusion ("ascite"), lesions and degenerations ("sténose", "nécrose")
_NOT_INFECTION = re.compile(r"(?i)(?:opac|significativ|imperm[eé]abil|activ|positiv|n[eé]gativ|acid|mobil|sensibil|fragil|"
                            r"capac|toxic|morbid|mortal|grav|asc)it[eé]s?|\w*st[eé]nose|thrombose|n[eé]crose|fibrose|"
                            r"arthrose|scl[eé]rose|cirrhose")
_DIVERTICULAR = re.compile(r"(?i)diverticul")  # "sigmoïdite diverticulaire": not a CU6 infection in the gold


# Words added after an entity that the gold leaves out: certainty and course ("suspectée", "documentée",
# "objectivée", "récidivante"), and a dangling letter ("pyélonéphrite droite l['uretère]").
_NOT_EXTENSION = re.compile(r"(?i)\b(?:suspect|document|objectiv|probable|possible|confirm|r[eé]cidiv|pr[eé]sum|clinique"
                            r"|[eé]limin|exclu|[eé]cart|sans\b|(?<!gram )n[eé]gati|grade|stade|ECBU|bandelette|h[eé]moc)"
                            r"|(?:^|\s)(?:\w|sur|sous|de|du|des|à|au|aux|en|par|pour|avec|chez)['’]?$")


def extends(text: str, rule: dict[str, Any], model: dict[str, Any]) -> bool:
    """Whether the model span ``model`` lengthens the rules entity ``rule`` on its right: a bare head of one or
    two words ("abcès", "prostatite aiguë"; a longer one the rules built from a pattern is left alone), same
    label and start, a later end on the same line, at most 6 words added, none of :data:`_NOT_EXTENSION`."""
    added = text[rule["end"]:model["end"]]
    return len(text[rule["start"]:rule["end"]].split()) <= 2 and model["label"] == rule["label"] \
        and model["start"] == rule["start"] and model["end"] > rule["end"] \
        and "\n" not in added and len(added.split()) <= 6 and not _NOT_EXTENSION.search(added) \
        and (rule["label"] != "Infection" or plausible("Infection", text[rule["start"]:model["end"]]))


def plausible(label: str, text: str) -> bool:
    """Whether a model span of ``label`` reads like one (:data:`_PLAUSIBLE`); an Infection the rules would
    refuse is refused too: a bare "infection", a non-bacterial qualifier ("virale", "herpétique",
    ``rules._NOT_BACTERIAL``), a head word that only ends like one (:data:`_NOT_INFECTION`), a diverticulitis."""
    pat = _PLAUSIBLE.get(label)
    if pat is None or pat.search(text) is None or _NOT.match(text.strip()):
        return False
    if label == "Infection":
        head = text.split()[0].strip(",.;:") if text.split() else ""
        if key(text) in _rules._BARE_INFECTION or _NOT_INFECTION.fullmatch(head) or _DIVERTICULAR.search(text) \
                or _rules._NOT_BACTERIAL.search(" " + lower_same_length(fold(text))):
            return False
    return True


def arbitrate(text: str, rules_entities: Sequence[dict[str, Any]], model_entities: Sequence[dict[str, Any]],
              add: Iterable[str] = ADD, bounds: Iterable[str] = BOUNDS, filtered: bool = True,
              extend: Iterable[str] = EXTEND) -> list[dict[str, Any]]:
    """The rules' entities, lengthened by the model for ``extend`` labels (:func:`extends`), with model
    boundaries for ``bounds`` labels, plus the model's extra entities of ``add`` labels (those overlapping no
    rules entity), sorted by position."""
    add, bounds, extend = set(add), set(bounds), set(extend)
    out = []
    for e in rules_entities:
        e = dict(e)
        longer = [m for m in model_entities if e["label"] in extend and extends(text, e, m)
                  and not any(e["end"] <= o["start"] < m["end"] < o["end"] for o in rules_entities)]  # cuts none
        if len(longer) == 1:
            m = longer[0]
            e.update(end=m["end"], text=text[e["start"]:m["end"]],
                     normalized=_normalized(e["label"], text[e["start"]:m["end"]]) or e["normalized"])
        elif e["label"] in bounds:
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
                  bounds: Iterable[str] = BOUNDS, model_only: bool = False, extend: Iterable[str] = EXTEND) -> list[tuple[list[dict], list[dict], list[dict]]]:
    """(entities, antibiogram rows, resistance) per text: rules + model entities (the model's alone
    with ``model_only``), the rest rules."""
    from partages_core.errors import InputError
    from partages_core.models.cu6_ner import is_built, model_path, model_spans

    if not is_built(path):
        raise InputError(f"method: the CU6 NER is not built (nothing at {path or model_path()}); build it with "
                         "`partages models finetune --task infectio-ner`, or use --method rules")
    texts = list(texts)
    add, bounds, extend = tuple(add), tuple(bounds), tuple(extend)
    out = []
    for text, spans in zip(texts, model_spans(texts, path)):
        entities, rows, resistance = _rules.extract_rules(text)
        found = entities_from_spans(text, spans)
        out.append((with_nested(found, entities) if model_only else arbitrate(text, entities, found, add, bounds, extend=extend),
                    rows, resistance))
    return out


def extract_hybrid(text: str, model_only: bool = False) -> tuple[list[dict], list[dict], list[dict]]:
    """One text through :func:`extract_batch` (``infectiology.extract(method="hybrid"|"ner")``)."""
    return extract_batch([text], model_only=model_only)[0]
