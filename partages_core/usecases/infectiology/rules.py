"""Rule-based CU6 extractor: entities with negation, antibiogram rows, resistance phenotypes.

One pass of compiled regexes over accent-folded text (same offsets as the input); negation from
French cue words inside the mention's clause; phenotypes also inferred from the antibiogram with
the usual rules of thumb (CA-SFM/EUCAST expert rules, simplified) and flagged ``inferred=True``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from partages_core.usecases.infectiology.lexicon import (ENTEROBACTERALES, Lexicon, fold, get_lexicon, key,
                                                         lower_same_length)

# A clause ends at . ; : ! ? ( ) newline or a comma; a period after a lone capital ("E. coli") does not.
_BOUNDARY = re.compile(r"(?<!\b[A-Z])\.(?!\d)|[;:!?()\[\]\n,]")
_SENTENCE = re.compile(r"(?<!\b[A-Z])\.(?!\d)|[!?\n]")
_RESULT = r"(?P<res>S|I|R|SDD|sensible|intermediaire|resistante?)"
# One antibiogram cell: antibiotic name, a separator (dots, colon, spaces, tab), S/I/R (+ optional MIC).
_ROW = re.compile(
    r"(?P<ab>[A-Za-z][A-Za-z0-9'/+\- ]*?[A-Za-z0-9)])[ \t]*(?:\.{2,}|…+|_{2,}|:|=|\t|[ \t]{2,}|[ \t])"
    rf"[ \t]*(?:(?:CMI\s*)?[<>=]*\s*\d+(?:[.,]\d+)?\s*(?:mg/l)?\s*)?{_RESULT}(?![\w-])(?:[ \t]*\([^)\n]*\))?",
    re.IGNORECASE)
_ROW_LINE = re.compile(r"[ \t:.](?:S|I|R|SDD)\s*(?:\(|$)|[ \t:.]\s*(?:sensible|resistante?|intermediaire)\s*$",
                       re.IGNORECASE)
_LINK = re.compile(r"\s*(a|au|aux|a\s+type\s+de|de|d'|sur)\s*", re.IGNORECASE)
_SITE_CUE = re.compile(r"(site|porte d'entree|point de depart|foyer)\W*\Z", re.IGNORECASE)
_HEADING = re.compile(r"(?im)^[ \t]*(?:antibiogramme|germe|souche|isolat|bacterie identifiee)\b[^\n]*")
_RESULT_MAP = {"s": "S", "i": "I", "r": "R", "sdd": "I", "sensible": "S", "intermediaire": "I",
               "resistant": "R", "resistante": "R"}
_CARBAPENEMS = ("imipénème", "méropénème", "ertapénème")
_C3G = ("céfotaxime", "ceftriaxone", "ceftazidime")


@dataclass
class _Mention:
    label: str
    start: int
    end: int
    normalized: str | None
    negation: str | None = None  # set when the phrase itself carries it


def _accepts(m: re.Match, lx: Lexicon, text: str, group: int | str = 0) -> bool:
    """Short upper-case forms (BGN, SARM, AMX) only count when written in upper case."""
    k = key(m.group(group))
    return k not in lx.abbrevs or text[m.start(group):m.end(group)].isupper() or not \
        any(c.isalpha() for c in text[m.start(group):m.end(group)])


def _clause(folded: str, start: int, end: int, window: int = 60) -> tuple[str, str]:
    """Lower-case text before and after a mention, cut at the clause boundaries."""
    left = folded[max(0, start - window):start]
    cut = [b.end() for b in _BOUNDARY.finditer(left)]
    left = left[cut[-1]:] if cut else left
    right = folded[end:end + window]
    stop = _BOUNDARY.search(right)
    right = right[:stop.start()] if stop else right
    return left.lower(), right.lower()


@lru_cache(maxsize=16)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern:
    """One regex for a list of cue words, each matched as whole words."""
    parts = sorted(cues, key=len, reverse=True)
    body = "|".join(re.escape(c) + ("" if c.endswith("'") else r"(?!\w)") for c in parts)
    return re.compile(rf"(?<!\w)(?:{body})")


def _has_cue(text: str, cues: list[str]) -> bool:
    """Whether one of ``cues`` occurs in ``text`` as whole words."""
    return bool(text) and _cue_regex(tuple(cues)).search(text) is not None


def negation_of(folded: str, start: int, end: int, lx: Lexicon | None = None) -> str:
    """Present / Absent / Indetermine for the mention ``folded[start:end]`` from clause cues."""
    lx = lx or get_lexicon()
    left, right = _clause(folded, start, end)
    for brk in lx.negation["breaks"]:  # "pas de fièvre mais bactériémie": the cue stops at "mais"
        i = left.rfind(f" {brk} ")
        if i >= 0:
            left = left[i + len(brk) + 2:]
    right_near = " ".join(right.split()[:4])
    if _has_cue(left, lx.negation["absent_before"]) or \
            _has_cue(right_near, lx.negation["absent_after"]):
        return "Absent"
    if _has_cue(left, lx.negation["uncertain_before"]) or \
            _has_cue(right_near, lx.negation["uncertain_after"]) or right_near.startswith("?"):
        return "Indetermine"
    return "Present"


def _bacteremia_negation(m: re.Match) -> str | None:
    core = key(m.group("core"))
    if m.group("pre") and key(m.group("pre")) in ("absence de", "pas de"):
        return "Absent"
    if m.group("pre") or m.group("post") or "possible" in core:
        return "Indetermine"
    if any(w in core for w in ("negative", "sterile")):
        return "Absent"
    if "positive" in core:
        return "Present"
    return None


def _scan(text: str, folded: str, lx: Lexicon,
          headers: list[tuple[int, str]]) -> tuple[list[dict], list[_Mention]]:
    """Stated resistance phenotypes and CU6 mentions, from one regex scan."""
    low = lower_same_length(folded)
    resistance: list[dict] = []
    found: list[_Mention] = []
    sites: list[re.Match] = []
    heading_starts = {s for s, _ in headers}
    for m in lx.re_all.finditer(low):
        kind = m.lastgroup if m.lastgroup in ("ph", "inf", "bac", "site") else None
        if m.group("ph") is not None:
            if not _accepts(m, lx, text, "ph"):
                continue
            phenotype, negation = lx.phenotypes[key(m.group("ph"))]
            if negation == "Present":
                negation = negation_of(folded, m.start(), m.end(), lx)
            enzyme = m.group("enz")
            resistance.append({"phenotype": phenotype, "organism": None, "negation": negation,
                               "inferred": False, "text": text[m.start():m.end()], "start": m.start(),
                               "end": m.end(),
                               "enzyme": enzyme.upper().replace("OXA48", "OXA-48") if enzyme else None})
        elif m.group("core") is not None:
            found.append(_Mention("Bacteriemie", m.start(), m.end(), None, _bacteremia_negation(m)))
        elif kind == "inf":
            found.append(_Mention("Infection", m.start(), m.end(), lx.infections[key(m.group())]))
        elif kind == "bac":
            if _accepts(m, lx, text) and m.start() not in heading_starts:
                found.append(_Mention("Bacterie", m.start(), m.end(), lx.bacteria[key(m.group())]))
        elif kind == "site" and _accepts(m, lx, text):
            sites.append(m)
    # A Site is the site *of an infection*: keep anatomical words only in a sentence that speaks of
    # an infection or a bacteraemia (or after "site", "porte d'entrée", "point de départ").
    if sites:
        sentences = [0] + [b.end() for b in _SENTENCE.finditer(folded)]
        infected = {bisect_right(sentences, x.start) for x in found if x.label in ("Infection", "Bacteriemie")}
        for m in sites:
            cued = _SITE_CUE.search(folded, max(0, m.start() - 25), m.start())
            if bisect_right(sentences, m.start()) in infected or cued:
                found.append(_Mention("Site", m.start(), m.end(), lx.sites[key(m.group())]))
        found.sort(key=lambda x: (x.start, -x.end))
    # "bactériémie à E. coli": the bacterium shares the bacteraemia's negation.
    for prev, cur in zip(found, found[1:]):
        if prev.label == "Bacteriemie" and cur.label == "Bacterie" and \
                _LINK.fullmatch(folded, prev.end, cur.start):
            cur.negation = prev.negation or negation_of(folded, prev.start, prev.end, lx)
    for x in found:
        if x.negation is None:
            x.negation = negation_of(folded, x.start, x.end, lx)
    return resistance, found


def parse_antibiogram(text: str, folded: str | None = None,
                      bacteria: list[tuple[int, str]] | None = None) -> tuple[list[dict], list[dict]]:
    """Antibiogram rows found in ``text`` and the rows that looked like one but were not mapped.

    Rows: ``{"organism","antibiotic","atc","result","start","end"}``; the organism is the last
    bacterium named before the row (``bacteria``: (offset, species) pairs, e.g. the table header).
    """
    lx = get_lexicon()
    folded = folded if folded is not None else fold(text)
    if bacteria is None:
        bacteria = [(m.start(), lx.bacteria[key(m.group())]) for m in lx.re_bacteria.finditer(folded)
                    if _accepts(m, lx, text)]
    starts = [b[0] for b in bacteria]
    rows, unmapped = [], []
    line_start = 0
    for line in folded.split("\n"):
        if len(line) <= 120 and _ROW_LINE.search(line):
            for m in _ROW.finditer(line):
                ab = key(m.group("ab"))
                hit = lx.antibiotics.get(ab)
                if hit is None:  # a label before the name ("Antibiotique : amox") or a suffix
                    sub = lx.re_antibiotic.search(ab)
                    hit = lx.antibiotics.get(key(sub.group())) if sub and len(sub.group()) >= 3 else None
                start, end = line_start + m.start(), line_start + m.end()
                if hit is None or (key(m.group("ab")) in lx.abbrevs and not text[line_start + m.start("ab"):line_start + m.end("ab")].isupper()):
                    unmapped.append({"text": text[start:end], "start": start, "end": end,
                                     "reason": f"antibiotic {m.group('ab')!r} not in the lexicon"})
                    continue
                i = bisect_right(starts, start) - 1
                organism = bacteria[i][1] if i >= 0 else None
                rows.append({"organism": organism, "antibiotic": hit[0], "atc": hit[1],
                             "result": _RESULT_MAP[m.group("res").lower()], "start": start, "end": end})
        line_start += len(line) + 1
    return rows, unmapped


def infer_phenotypes(rows: list[dict], text: str) -> list[dict]:
    """Phenotypes implied by an antibiogram (one organism at a time), flagged ``inferred=True``.

    SARM: S. aureus, oxacillin (or cefoxitin) R. ERV: Enterococcus, vancomycin R. EPC (suspected):
    an enterobacterium with a carbapenem I/R. C3G R on an enterobacterium: BLSE when cefepime is
    also R, hyperproduced cephalosporinase when cefepime stays S.
    """
    by_org: dict[str, dict[str, dict]] = {}
    for r in rows:
        if r["organism"]:
            by_org.setdefault(r["organism"], {})[r["antibiotic"]] = r
    out = []

    def add(phenotype: str, organism: str, row: dict, negation: str = "Present") -> None:
        out.append({"phenotype": phenotype, "organism": organism, "negation": negation, "inferred": True,
                    "text": text[row["start"]:row["end"]], "start": row["start"], "end": row["end"],
                    "enzyme": None})

    for org, ab in by_org.items():
        res = {name: r["result"] for name, r in ab.items()}
        if org == "Staphylococcus aureus":
            for name in ("oxacilline", "céfoxitine"):
                if name in res:
                    add("SARM", org, ab[name], "Present" if res[name] == "R" else "Absent")
                    break
        elif org.startswith("Enterococcus") and "vancomycine" in res:
            if res["vancomycine"] == "R":
                add("ERV", org, ab["vancomycine"])
        elif org in ENTEROBACTERALES:
            # Proteus/Morganella are naturally less susceptible to imipenem: not a carbapenemase sign.
            natural = ("imipénème",) if org in ("Proteus mirabilis", "Morganella morganii") else ()
            carba = [n for n in _CARBAPENEMS if res.get(n) in ("I", "R") and n not in natural]
            c3g = [n for n in _C3G if res.get(n) == "R"]
            if carba:
                add("EPC", org, ab[carba[0]], "Indetermine")  # to confirm by a carbapenemase test
            elif c3g:
                add("BLSE" if res.get("céfépime") == "R" else "CASE_HP", org, ab[c3g[0]])
    return out


def extract_rules(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Entities, antibiogram rows and resistance mentions (stated + inferred) of one text."""
    lx = get_lexicon()
    folded = fold(text)
    headers = _header_organisms(folded, lx, text)
    resistance, mentions = _scan(text, folded, lx, headers)
    entities = [{"label": x.label, "text": text[x.start:x.end], "start": x.start, "end": x.end,
                 "negation": x.negation, "normalized": x.normalized} for x in mentions]
    bacteria = [(x.start, x.normalized) for x in mentions if x.label == "Bacterie" and x.negation != "Absent"]
    bacteria += headers
    bacteria.sort()
    rows, _ = parse_antibiogram(text, folded, bacteria)
    # The organism of a stated phenotype: implied by it (SARM), else the last bacterium named before.
    starts = [b[0] for b in bacteria]
    for r in resistance:
        implied = {"SARM": "Staphylococcus aureus"}.get(r["phenotype"])
        i = bisect_right(starts, r["start"]) - 1
        r["organism"] = implied or (bacteria[i][1] if i >= 0 else None)
    resistance += infer_phenotypes(rows, text)
    return entities, rows, resistance


def _header_organisms(folded: str, lx: Lexicon, text: str) -> list[tuple[int, str]]:
    """Organisms named in table headings ("ANTIBIOGRAMME (E. coli)", "Germe : ...") that are not
    narrative mentions (hence no entity) but own the rows below them."""
    out = []
    for h in _HEADING.finditer(folded):
        for m in lx.re_bacteria.finditer(folded, h.start(), h.end()):
            if _accepts(m, lx, text):
                out.append((m.start(), lx.bacteria[key(m.group())]))
    return out
