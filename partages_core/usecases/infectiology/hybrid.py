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
# REFINE (``arbitrate``'s ``refine``, h18 session 20; docs/history/models.md "Session 20"): where the model and the
# rules overlap with other boundaries, the gold sides with the model (cross-fit, rules of each batch's time) mostly
# when it adds an Infection's qualifier or complement, which EXTEND already takes; the rest are narrow shapes, each
# a FORMAT.md convention: a Bacteriemie's first "à <organism>" (:func:`completes`), a course word or one that does
# not attach to the infection left out (:func:`trims`), no new phrase (:data:`_NEW_PHRASE`) and no site after an
# organ-named head (:func:`organ_site`) in a lengthening, no sterile culture added beside the bacteraemia its
# sentence concludes with (:func:`concluded`). With the two filter fixes of :data:`_PLAUSIBLE` ("droite") and
# :data:`_NOT_INFECTION` ("pancréatite"), on the dev cross-fit (3 folds, each document read by an NER trained
# without it), paired against main's hybrid (14e9de9): batch-time rules (168 documents, 1633 entities) +0.013
# [+0.008, +0.018] strict, current rules (207 documents, 1860 entities) +0.007 [+0.004, +0.011]; hybrid minus rules
# +0.049 [+0.037, +0.062] and −0.001 [−0.001, +0.000]. Chosen on these documents: blind batches test it.
REFINE = True

# What a model span must look like to be added where the rules found nothing (the model alone adds
# many spans that are no CU6 entity at all on unseen writing: names, exams, symptoms).
_PLAUSIBLE = {
    "Infection": re.compile(r"(?i)(?:(?<!dro)it(?:e|es)\b|infection|infecte|abc[eè]s|empy[eè]me|phlegmon|pneumo(?:pathie|nie)|"
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
# ("opacité", "significativité"), an effusion ("ascite"), lesions and degenerations ("sténose", "nécrose"), an
# inflammation of the pancreas (the hand-written gold marks none; "droite" is kept out of the pattern itself)
_NOT_INFECTION = re.compile(r"(?i)(?:opac|significativ|imperm[eé]abil|activ|positiv|n[eé]gativ|acid|mobil|sensibil|fragil|"
                            r"capac|toxic|morbid|mortal|grav|asc)it[eé]s?|\w*st[eé]nose|thrombose|n[eé]crose|fibrose|"
                            r"arthrose|scl[eé]rose|cirrhose|pancr[eé]atites?")
_DIVERTICULAR = re.compile(r"(?i)diverticul")  # "sigmoïdite diverticulaire": not a CU6 infection in the gold


# Words added after an entity that the gold leaves out: certainty and course ("suspectée", "documentée",
# "objectivée", "récidivante"), and a dangling letter ("pyélonéphrite droite l['uretère]").
_NOT_EXTENSION = re.compile(r"(?i)\b(?:suspect|document|objectiv|probable|possible|confirm|r[eé]cidiv|pr[eé]sum|clinique"
                            r"|[eé]limin|exclu|[eé]cart|sans\b|(?<!gram )n[eé]gati|grade|stade|ECBU|bandelette|h[eé]moc)"
                            r"|(?:^|\s)(?:\w|sur|sous|de|du|des|à|au|aux|en|par|pour|avec|chez)['’]?$")


# What opens a new phrase rather than a complement after an infection: an article, "sous", "à" + article ("à l'ETT",
# an exam), and "initiale" (a course word, as "récidivante")
_NEW_PHRASE = re.compile(r"(?i)^\s*(?:(?:à|a)\s+)?(?:(?:la|le|les|sous|un|une)(?![\w-])|l['’])|^\s*initiale?s?\b")
_SITE_PREP = re.compile(r"(?i)^\s*(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*|sur\s+|"
                        r"li[eé]e?s?\s+(?:au|aux|à\s+la|à\s+l['’]))")
_ORGANISM_TAIL = re.compile(r"(?i)^\s+(?:à|a|au)\s+(?!\d)[^\d\n;:()]+$")  # "à S. aureus", "au même germe"
_COMPLEMENT = re.compile(r"(?i)\s(?:à|a|au|aux|sur(?!\s+\d)|li[eé]e?s?)\s")  # "2 paires sur 2": a count
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])\.(?!\d)|[!?\n]")


def extends(text: str, rule: dict[str, Any], model: dict[str, Any], refine: bool = True) -> bool:
    """Whether the model span ``model`` lengthens the rules entity ``rule`` on its right: a bare head of one or
    two words ("abcès", "prostatite aiguë"; a longer one the rules built from a pattern is left alone), same
    label and start, a later end on the same line, at most 6 words added, none of :data:`_NOT_EXTENSION`; with
    ``refine``, not a new phrase (:data:`_NEW_PHRASE`) nor a site after an organ-named head (:func:`organ_site`)."""
    added = text[rule["end"]:model["end"]]
    return len(text[rule["start"]:rule["end"]].split()) <= 2 and model["label"] == rule["label"] \
        and model["start"] == rule["start"] and model["end"] > rule["end"] \
        and "\n" not in added and len(added.split()) <= 6 and not _NOT_EXTENSION.search(added) \
        and (rule["label"] != "Infection" or plausible("Infection", text[rule["start"]:model["end"]])) \
        and not (refine and (_NEW_PHRASE.match(added) or organ_site(text[rule["start"]:rule["end"]], added)))


def organ_site(head: str, added: str) -> bool:
    """Whether ``added`` opens a site complement ("de la base gauche", "sur sonde") after ``head``, a name that
    already says the organ ("pneumopathie", "sinusite"): FORMAT.md keeps that site a Site of its own; a generic
    head (``rules._HEAD``: "infection", "ostéite", "abcès", ...), a proper name ("borréliose de Lyme") and a
    qualifier the rules know ("du post-partum", ``rules._INF_ADJ``) keep theirs."""
    prep = _SITE_PREP.match(added)
    if not prep or _rules._HEAD.match(key(head.split()[0])):
        return False
    rest = added[prep.end():]
    return not rest[:1].isupper() and not _rules._INF_ADJ.match(" " + lower_same_length(fold(added.strip())))


def completes(text: str, rule: dict[str, Any], model: dict[str, Any]) -> bool:
    """Whether ``model`` gives a rules Bacteriemie with no complement ("bactériémie", "hémocultures 3/3
    positives") its first complement "à <organism>" (FORMAT.md: inside), no digit in it ("à 10 h" is a time)."""
    added = text[rule["end"]:model["end"]]
    return rule["label"] == model["label"] == "Bacteriemie" and model["start"] == rule["start"] \
        and model["end"] > rule["end"] and not _COMPLEMENT.search(" " + text[rule["start"]:rule["end"]] + " ") \
        and bool(_ORGANISM_TAIL.match(added)) and len(added.split()) <= 5


def concluded(text: str, a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two entities share a sentence across a colon, comma, semicolon or dash ("Hémocultures stériles :
    pas de bactériémie"): FORMAT.md then marks only the bacteraemia the sentence concludes with."""
    lo, hi = min(a["end"], b["end"]), max(a["start"], b["start"])
    gap = text[lo:hi]
    return lo <= hi and not _SENTENCE_END.search(gap) and bool(re.search(r"[:;,–—-]", gap))


def trims(text: str, rule: dict[str, Any], model: dict[str, Any]) -> bool:
    """Whether ``model`` ends a rules Infection earlier, where the words it leaves out open with one the gold
    leaves out after an entity (:data:`_NOT_EXTENSION`: "cystites récidivantes", "PAVM ... confirmée") or with
    one that does not attach to it (:func:`attached`: "abcès du Douglas point")."""
    cut = text[model["end"]:rule["end"]]
    return rule["label"] == model["label"] == "Infection" and model["start"] == rule["start"] \
        and rule["start"] < model["end"] < rule["end"] and cut[:1].isspace() \
        and bool(_NOT_EXTENSION.match(cut.lstrip()) or not attached(cut))


def attached(cut: str) -> bool:
    """Whether ``cut`` opens with what attaches to an infection: a qualifier or timing the rules know
    (``rules._INF_ADJ``, ``rules._TIMING``), a site without preposition (``rules._ADJ_SITE``), a complement
    ("de ...", "sur ...", "à ..."), a name; not a dictated "point", a pronoun or "pas" of the next clause."""
    low = " " + lower_same_length(fold(cut.strip()))
    return bool(_rules._INF_ADJ.match(low) or _rules._TIMING.match(low) or _rules._ADJ_SITE.match(low)
                or _SITE_PREP.match(cut) or re.match(r"(?i)\s*(?:à|a|au|aux)\s", cut) or cut.strip()[:1].isupper())


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
              extend: Iterable[str] = EXTEND, refine: bool = REFINE) -> list[dict[str, Any]]:
    """The rules' entities, lengthened by the model for ``extend`` labels (:func:`extends`), with model
    boundaries for ``bounds`` labels, plus the model's extra entities of ``add`` labels (those overlapping no
    rules entity), sorted by position. ``refine``: the boundary rules of session 20 (:data:`REFINE`)."""
    add, bounds, extend = set(add), set(bounds), set(extend)
    out = []
    for e in rules_entities:
        e = dict(e)
        longer = [m for m in model_entities if (e["label"] in extend and extends(text, e, m, refine)
                                                or refine and (completes(text, e, m) or trims(text, e, m)))
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
                and (not filtered or plausible(m["label"], m["text"])) \
                and not (refine and m["label"] == "Bacteriemie"
                         and any(o["label"] == "Bacteriemie" and concluded(text, o, m) for o in out)):
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
