"""Rule-based pseudonymisation of French clinical text (PARTAGES CU1), fast and context-aware.

``detect`` finds the PARHAF identifier categories (model.PSEUDO_LABELS) with compiled regular
expressions, a first-name gazetteer, trigger words (titles, "né le", "Nom :", "Vit à") and, when
given, the patient's own identity (``patient.identity``), as eds-pseudo does; every name found is
then propagated to its other mentions in the document. ``pseudonymize`` replaces what was found
with consistent surrogates (see ``surrogates``). Plain ``re``, no tokenizer: this is what makes it
fast; clinical look-alikes (eponyms, genes, drugs) are protected by ``lexicons.PROTECTED``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from stdnum.fr import nir as _nir

from partages_core.errors import InputError
from partages_core.governance.lexicons import COMMON_WORDS, COUNTRIES, PROTECTED, first_names, fold
from partages_core.governance.surrogates import MONTHS, SurrogateMapping, parse_date

# --- building blocks ---------------------------------------------------------------------------
UP = "A-ZÀ-ÖØ-Þ"
LO = "a-zà-öø-ÿ"
CAP = rf"[{UP}][{LO}]+(?:['’][{UP}][{LO}]+)?"
CAPH = rf"{CAP}(?:-{CAP})*"                                   # Jean-Pierre, Lucien-Marchal
UPW = rf"[{UP}]{{2,}}(?:[-'][{UP}]{{2,}})*"                     # GAUTHIER, LE-ROUX
PART_T = r"(?:de la|de l'|de|du|des|d'|De|Du|Des|Le|La|Da|Dos|Di|Del|Van|Von|Ben|El)"
PART_U = r"(?:DE LA|DE L'|DE|DU|DES|D'|LE|LA|DA|DOS|DI|DEL|VAN|VON|BEN|EL)"
SURNAME = rf"(?:{PART_T} ){{0,2}}{CAPH}|(?:{PART_U} ?){{0,2}}{UPW}"
INITIAL = rf"[{UP}]\."
TITLE = r"(?:Dr|Docteur|Pr|Professeur|Mme|Madame|Mlle|Mademoiselle|Monsieur|M\.|Mr|Me|Dre)"
MONTH_RE = "|".join(MONTHS + ("fevrier", "aout", "decembre"))
CITY = rf"[{UP}][{LO}'’]+(?:[- ](?:(?:sur|sous|lès|les|le|la|en|de|du|des|aux|au|d')[- ])?[{UP}][{LO}'’]+)*"
STREET = r"(?:rue|avenue|av\.|boulevard|bd|chemin|allée|allee|impasse|place|route|quai|cours|square|rond-point|résidence|lotissement)"

_RX: dict[str, re.Pattern] = {k: re.compile(v, f) for k, v, f in (
    ("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0),
    ("url", r"\b(?:https?://|www\.)[^\s<>()\"'|]+[^\s<>()\"'|.,;:]", 0),
    ("phone", r"(?<![\d+])(?:(?:\+33|0033)\s?\(?0?\)?\s?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)", 0),
    ("nir", r"(?<![\d])[12]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?\d{2}(?!\d)", 0),
    ("ipp", r"\b(?:IPP|NIP|Identifiant(?: patient)?|N° patient)\s*:?\s*(?:n°\s*)?([A-Z]?\d{6,12})\b", re.I),
    ("nda", r"\b(?:NDA|Séjour|Sejour|N° de séjour|Venue|Dossier)\s*:?\s*(?:n°\s*)?([A-Z]?\d{6,12})\b", 0),
    ("ins", r"\b(?:INS|NSS|N° SS)\s*:?\s*(\d[\d ]{12,20}\d)\b", 0),
    ("date_num", r"(?<![\d/.,])(?:0?[1-9]|[12]\d|3[01])([/.\-])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})(?![\d])(?![/.]\d)", 0),
    ("date_long", rf"\b(?:(?:1er|[12]?\d|3[01])\s+)?(?:{MONTH_RE})\s+(?:19|20)\d{{2}}\b", re.I),
    ("date_short", r"\b(?:le|du|au|depuis le|jusqu'au)\s+((?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2]))(?![\d/])", 0),
    ("year", r"\b(?:en|depuis|année|annee|dès)\s+((?:19|20)\d{2})\b(?!\s*(?:mg|ml|UI|g|µg))", re.I),
    ("hospital", rf"\b(?:CHU|CHR|CHI|CH|Centre Hospitalier(?: Universitaire| Régional| Intercommunal)?|Hôpital|Hopital|Clinique|Polyclinique|Groupe Hospitalier|Institut)\b(?: (?:de la|de l'|de|du|des|d'))? ?(?:{CAPH})(?:[ -](?:{CAPH}))*", 0),
    ("address", rf"\b\d{{1,4}}(?: ?(?:bis|ter))?,? {STREET} (?:(?:du|de la|de l'|des|de|d'|l')\s?)?[{UP}{LO}0-9'’ -]+?(?=\s*(?:[,;|()\n]|\.(?:\s|$)|$| \d{{5}}))", 0),
    ("postcode_city", rf"(?<!\d)(\d{{5}}) ({CITY}|[{UP}]{{2,}}(?:[- ][{UP}]{{2,}})*)(?:\s+(?:CEDEX|Cedex)(?: \d+)?)?", 0),
    ("city_trigger", rf"\b(?:[Vv]it [àa]|[Hh]abite à|[Dd]omicilié(?:e)? à|[Rr]éside à|[Dd]emeurant à|[Nn]é(?:e)? à)\s+({CITY})(?:\s*\((\d{{5}})\))?", 0),
    ("city_header", rf"\|\s*({CITY})\s*$", re.M),
    ("family", r"\b(mariée?|célibataire|celibataire|divorcée?|veuve|veuf|en couple|pacsée?|en concubinage|concubin(?:e)?)\b", re.I),
    ("job_trigger", r"\b(?:exerce comme|travaille comme|profession\s*:|métier\s*:|ancien(?:ne)? )\s*([^\n.,;()]{3,45}?)(?=\s*[\n.,;()]|$)", re.I),
    ("job_after_status", r"(?:Mode de vie\s*:\s*)?\b(?:mariée?|célibataire|divorcée?|veuve|veuf|en couple|pacsée?), ((?!retraité|sans profession|exerce|nationalit)[a-zà-öø-ÿ' -]{3,45}?)(?=[,.](?:\s|$))", 0),
    ("nationality", rf"\b[Nn]ationalit[ée]\s*:?\s+([{LO}]+)", 0),
    ("country", r"\b(?:[Oo]riginaire (?:du|de la|de l'|d'|des|de)|[Nn]ée? (?:au|en)|[Pp]ays d'origine\s*:)\s*([A-ZÀ-Þ][\w'’-]+(?: [A-ZÀ-Þd][\w'’-]+)*)", 0),
    ("country_gaz", r"\b(?:" + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True)) + r")\b", 0),
    ("titled", rf"\b{TITLE}\.? +(?:({INITIAL}) ?({SURNAME})|({UPW}(?: {UPW})*) +({CAPH})(?![{LO}])|({CAPH}) +({SURNAME})|({SURNAME}))", 0),
    ("trigger_name", rf"\b(?:[Rr]édigé par|[Vv]alidé par|[Ss]igné par|[Cc]opie\s*:|[Aa]vec|[Aa]dressée? par|[Pp]ar) +(?:{TITLE}\.? +)?({INITIAL}) ?({SURNAME})", 0),
    ("nom_field", rf"\b(?:Nom(?: de naissance| d'usage| marital)?|NOM)\s*:\s*((?:{PART_U} ?){{0,2}}{UPW}|{SURNAME})", 0),
    ("prenom_field", rf"\b(?:Prénom|Prenom|PRÉNOM|PRENOM)s?\s*:\s*({CAPH}|{UPW})", 0),
    ("capword", rf"(?<![\w'’-])(?:{CAPH})(?![\w'’-])", 0),
    ("upper_before", rf"((?:{PART_U} ){{0,2}}{UPW}(?: {UPW})*) $", 0),
    ("surname_after", rf" ((?:{PART_T} ){{0,2}}{CAPH}|(?:{PART_U} ?){{0,2}}{UPW})(?![\w'’])", 0),
    ("birth_cue", r"(?:\bn[ée]e?(?:\(e\))?\s+le|\bDDN|\bdate de naissance|\bnaissance\s*:|\bn[ée]e?(?:\(e\))?\s*:)\s*:?\s*$", re.I),
    ("name_paren", rf"[{UP}{LO}] \($", 0),
)}

# Priority when two candidates overlap: higher wins, then the longer one.
PRIORITY = {"EMAIL": 90, "URL": 90, "ID": 85, "TELEPHONE": 85, "ADRESSE": 80, "HOPITAL": 75,
            "DATE_NAISSANCE": 72, "DATE_IDENTIFIANTE": 70, "DATE_NON_IDENTIFIANTE": 69,
            "CODE_POSTAL": 65, "NOM": 60, "PRENOM": 60, "VILLE": 55, "PAYS": 50, "NATIONALITE": 50,
            "IDENTITE_SOCIALE": 45, "SITUATION_FAMILIALE": 45}
CONTEXT_BONUS = 5
_Cand = tuple[int, int, str, int]  # start, end, label, priority


def detect(text: str, context: dict | None = None) -> list[dict]:
    """Identifier mentions in ``text``: ``[{"start","end","label","text"}]`` sorted by offset.

    ``context`` is the patient's identity (``patient.identity``) when known; it adds exact
    matches of the patient's own name, relatives, address, numbers and birth date.
    """
    if not isinstance(text, str):
        raise InputError(f"text: expected str, got {type(text).__name__}")
    cands: list[_Cand] = []
    add = lambda s, e, label, bonus=0: cands.append((s, e, label, PRIORITY[label] + bonus))  # noqa: E731
    _structured(text, add)
    _dates(text, add, context)
    _places_and_social(text, add)
    _names(text, add)
    if context:
        _context(text, context, add)
    kept = _resolve(cands)
    kept = _propagate(text, kept)
    return [{"start": s, "end": e, "label": label, "text": text[s:e]} for s, e, label, _ in kept]


def _structured(text: str, add) -> None:
    for m in _RX["email"].finditer(text):
        add(m.start(), m.end(), "EMAIL")
    for m in _RX["url"].finditer(text):
        add(m.start(), m.end(), "URL")
    for m in _RX["phone"].finditer(text):
        add(m.start(), m.end(), "TELEPHONE")
    for m in _RX["nir"].finditer(text):
        if is_valid_nir(m.group(0)):
            add(m.start(), m.end(), "ID", 10)
    for key in ("ipp", "nda", "ins"):
        for m in _RX[key].finditer(text):
            add(m.start(1), m.end(1), "ID")


def is_valid_nir(value: str) -> bool:
    """A French NIR (numéro de sécurité sociale) whose 2-digit key checks out (python-stdnum)."""
    return _nir.is_valid(value.replace(" ", ""))


def _dates(text: str, add, context: dict | None) -> None:
    birth = _birth_of(context)
    found: list[tuple[int, int]] = []
    for key in ("date_num", "date_long"):
        for m in _RX[key].finditer(text):
            found.append((m.start(), m.end()))
    for m in _RX["date_short"].finditer(text):
        found.append((m.start(1), m.end(1)))
    for s, e in found:
        add(s, e, _date_label(text, s, e, birth))
    for m in _RX["year"].finditer(text):
        add(m.start(1), m.end(1), "DATE_NON_IDENTIFIANTE")


def _birth_of(context: dict | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(context["birth_date"])) if context and context.get("birth_date") else None
    except ValueError:
        return None


def _date_label(text: str, s: int, e: int, birth: dt.date | None) -> str:
    """Birth date (cue before it, in parentheses after a name, or equal to the known one) or not."""
    before = text[max(0, s - 30):s]
    if _RX["birth_cue"].search(before) or _RX["name_paren"].search(before[-3:]):
        return "DATE_NAISSANCE"
    if birth:
        parsed = parse_date(text[s:e])
        if parsed and parsed[0].day == birth.day and parsed[0].month == birth.month \
                and parsed[0].year % 100 == birth.year % 100 and not parsed[1].endswith("|0"):
            return "DATE_NAISSANCE"
    return "DATE_IDENTIFIANTE"


def _places_and_social(text: str, add) -> None:
    for m in _RX["address"].finditer(text):
        add(m.start(), m.end(), "ADRESSE")
    for m in _RX["hospital"].finditer(text):
        add(m.start(), m.end(), "HOPITAL")
    for m in _RX["postcode_city"].finditer(text):
        add(m.start(1), m.end(1), "CODE_POSTAL")
        if fold(m.group(2)) not in PROTECTED:
            add(m.start(2), m.end(2), "VILLE")
    for m in _RX["city_trigger"].finditer(text):
        add(m.start(1), m.end(1), "VILLE")
        if m.group(2):
            add(m.start(2), m.end(2), "CODE_POSTAL")
    for m in _RX["city_header"].finditer(text):
        if not m.group(1).startswith(("Service", "Pôle", "Unité")):
            add(m.start(1), m.end(1), "VILLE")
    for m in _RX["family"].finditer(text):
        add(m.start(), m.end(), "SITUATION_FAMILIALE")
    for key in ("job_trigger", "job_after_status"):
        for m in _RX[key].finditer(text):
            job = m.group(1).strip()
            if job and not fold(job).startswith(("retraite", "sans ", "nationalit")):
                add(m.start(1), m.start(1) + len(job), "IDENTITE_SOCIALE")
    for m in _RX["nationality"].finditer(text):
        add(m.start(1), m.end(1), "NATIONALITE")
    for key in ("country", "country_gaz"):
        for m in _RX[key].finditer(text):
            g = 1 if m.groups() else 0
            add(m.start(g), m.end(g), "PAYS")


def _is_name(word: str) -> bool:
    return fold(word) not in PROTECTED and word not in COMMON_WORDS


def _names(text: str, add) -> None:
    for m in _RX["titled"].finditer(text):
        g = m.groups()
        if g[0]:
            if _is_name(g[1]):
                add(m.start(1), m.end(1), "PRENOM")
                add(m.start(2), m.end(2), "NOM")
        elif g[2]:
            if _is_name(g[2]):
                add(m.start(3), m.end(3), "NOM")
                add(m.start(4), m.end(4), "PRENOM")
        elif g[4]:
            if fold(g[4].split("-")[0]) in first_names() and _is_name(g[5]):
                add(m.start(5), m.end(5), "PRENOM")
                add(m.start(6), m.end(6), "NOM")
            elif _is_name(g[4]):
                add(m.start(5), m.end(5), "NOM")
        elif g[6] and _is_name(g[6]):
            add(m.start(7), m.end(7), "NOM")
    for m in _RX["trigger_name"].finditer(text):
        if _is_name(m.group(2)):
            add(m.start(1), m.end(1), "PRENOM")
            add(m.start(2), m.end(2), "NOM")
    for m in _RX["nom_field"].finditer(text):
        if _is_name(m.group(1)):
            add(m.start(1), m.end(1), "NOM")
    for m in _RX["prenom_field"].finditer(text):
        add(m.start(1), m.end(1), "PRENOM")
    names = first_names()
    for m in _RX["capword"].finditer(text):
        word = m.group(0)
        if fold(word.split("-")[0]) not in names or word in COMMON_WORDS:
            continue
        after = _RX["surname_after"].match(text, m.end(), min(len(text), m.end() + 60))
        before = _RX["upper_before"].search(text, max(0, m.start() - 40), m.start())
        if after and _is_name(after.group(1)) and fold(after.group(1)) not in names and after.group(1) not in COMMON_WORDS:
            add(m.start(), m.end(), "PRENOM", -2)
            add(after.start(1), after.end(1), "NOM", -2)
        elif before and _is_name(before.group(1).split()[-1]):
            add(m.start(), m.end(), "PRENOM", -2)
            add(before.start(1), before.end(1), "NOM", -2)
        elif after and fold(after.group(1)) in names and _is_name(after.group(1)):
            add(m.start(), m.end(), "PRENOM", -2)  # "Marie Laurent": first name + name-like surname
            add(after.start(1), after.end(1), "NOM", -2)


@lru_cache(maxsize=256)
def _context_patterns(frozen: str) -> list[tuple[re.Pattern, str]]:
    ctx = json.loads(frozen)
    items: list[tuple[str, str]] = []
    people = [ctx] + [ctx[k] for k in ("relative", "gp") if isinstance(ctx.get(k), dict)]
    for person in people:
        for key, label in (("first", "PRENOM"), ("last", "NOM")):
            if person.get(key):
                items.append((str(person[key]), label))
    for key, label in (("city", "VILLE"), ("postcode", "CODE_POSTAL"), ("address", "ADRESSE"),
                       ("profession", "IDENTITE_SOCIALE"), ("email", "EMAIL"), ("ipp", "ID"),
                       ("nda", "ID"), ("ins", "ID")):
        if ctx.get(key):
            items.append((str(ctx[key]), label))
    out: list[tuple[re.Pattern, str]] = []
    for value, label in items:
        value = value.strip()
        if len(value) < 2 or fold(value) in PROTECTED:
            continue
        flags = re.IGNORECASE if label in ("PRENOM", "NOM", "VILLE", "ADRESSE", "IDENTITE_SOCIALE") else 0
        out.append((re.compile(rf"(?<![\w]){re.escape(value)}(?![\w])", flags), label))
    for key in ("phone", "nir"):
        digits = re.sub(r"\D", "", str(ctx.get(key, "") or (ctx.get("relative") or {}).get(key, "")))
        if len(digits) >= 8:
            out.append((re.compile(r"(?<![\d+])\+?" + r"[\s.\-]?".join(digits) + r"(?!\d)"), "TELEPHONE" if key == "phone" else "ID"))
    rel = ctx.get("relative") or {}
    digits = re.sub(r"\D", "", str(rel.get("phone", "")))
    if len(digits) >= 8:
        out.append((re.compile(r"(?<![\d+])\+?" + r"[\s.\-]?".join(digits) + r"(?!\d)"), "TELEPHONE"))
    return out


def _context(text: str, context: dict, add) -> None:
    try:
        frozen = json.dumps(context, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError) as err:
        raise InputError(f"context: not a JSON-like identity dict ({err})") from None
    for rx, label in _context_patterns(frozen):
        for m in rx.finditer(text):
            add(m.start(), m.end(), label, CONTEXT_BONUS)


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Keep non-overlapping candidates: higher priority first, then longer, then earlier."""
    kept: list[_Cand] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(set(cands), key=lambda c: (-c[3], -(c[1] - c[0]), c[0])):
        if c[1] <= c[0] or any(c[0] < e and s < c[1] for s, e in taken):
            continue
        kept.append(c)
        taken.append((c[0], c[1]))
    return sorted(kept)


def _propagate(text: str, kept: list[_Cand]) -> list[_Cand]:
    """Label every other mention of a name or city already found in this document."""
    words = {}
    for s, e, label, _ in kept:
        value = text[s:e]
        if label in ("NOM", "PRENOM", "VILLE") and len(value) >= 3 and "." not in value and _is_name(value):
            words.setdefault(value, label)
    if not words:
        return kept
    rx = re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w'’-])")
    extra = [(m.start(), m.end(), words[m.group(0)], 40) for m in rx.finditer(text)]
    return _resolve(kept + extra)


# --- replacement -------------------------------------------------------------------------------
def pseudonymize(text: str, context: dict | None = None, seed: int = 0,
                 mapping: SurrogateMapping | None = None) -> dict[str, Any]:
    """Replace identifiers with consistent surrogates: ``{"text", "entities"}`` (offsets into input).

    Pass one ``mapping`` to all documents of a patient so that names stay consistent and all
    dates move by the same offset; without it a mapping keyed on the context is made.
    """
    mapping = mapping if mapping is not None else SurrogateMapping(seed=seed, key=_context_key(context))
    entities = []
    out, pos = [], 0
    found = detect(text, context)
    avoid = frozenset(fold(e["text"]) for e in found)
    for ent in found:
        replacement = mapping.surrogate(ent["label"], ent["text"], avoid)
        out.append(text[pos:ent["start"]])
        out.append(replacement)
        pos = ent["end"]
        entities.append({**ent, "replacement": replacement})
    out.append(text[pos:])
    return {"text": "".join(out), "entities": entities}


def _context_key(context: dict | None) -> str:
    if not context:
        return ""
    return "|".join(str(context.get(k, "")) for k in ("nir", "ipp", "last", "first", "birth_date"))


def pseudonymize_stream(chunks: Iterable[str], context: dict | None = None, seed: int = 0,
                        mapping: SurrogateMapping | None = None,
                        max_chars: int = 200_000) -> Iterator[dict[str, Any]]:
    """Pseudonymise a long text given as pieces, paragraph by paragraph, without holding it all.

    Cuts only at blank lines (or at a line end past ``max_chars``), so an entity is never split;
    offsets in each yielded ``entities`` list are into the whole input.
    """
    mapping = mapping if mapping is not None else SurrogateMapping(seed=seed, key=_context_key(context))
    buffer, offset = "", 0
    for piece in chunks:
        buffer += piece
        while len(buffer) >= max_chars:
            cut = buffer.rfind("\n\n", 0, max_chars)
            if cut < 0:
                cut = buffer.rfind("\n", 0, max_chars)
            if cut < 0:
                cut = max(buffer.rfind(" ", 0, max_chars), max_chars - 1)
            head, buffer = buffer[:cut + 1], buffer[cut + 1:]
            yield _shift(pseudonymize(head, context, seed, mapping), offset)
            offset += len(head)
    if buffer:
        yield _shift(pseudonymize(buffer, context, seed, mapping), offset)


def _shift(result: dict[str, Any], offset: int) -> dict[str, Any]:
    for ent in result["entities"]:
        ent["start"] += offset
        ent["end"] += offset
    return result

