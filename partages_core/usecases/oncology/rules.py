"""Rules for CU5a/CU5b: biomarker mentions, TNM (EDS-NLP ``eds.tnm``), grade, response to treatment.

Marker names come from the corpus lexicon plus ``usecases/oncology/lexicons/oncology_rules.yaml`` (aliases,
families, cue phrases); adding a marker is a data change. A mention runs from the marker name (or
the method phrase that opens its sentence) to the next marker of the sentence or the sentence end;
the status, value, method and variant are read inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from partages_core.corpus.grammar import lexicon
from partages_core.quality.normalize import same_length_fold

fold = same_length_fold  # the rules match on accent-folded text of the same length (offsets kept)

NEGATIVE_STATUSES = frozenset({"negative", "wild-type", "not-amplified", "unmethylated"})
# a sentence ends at ". ; ! ?" before a space, but not at a dot leader ("MLH1 ......... perte")
SENTENCE_RE = re.compile(r"[^\n]+?(?:(?<=[.;!?])(?<!\.\.)(?=\s)|$)", re.M)
# a control's result is not the marker's ("IHC MMR (témoin interne positif)"): masked before reading
# "(témoin interne +)", "(témoins conformes)": a note on the test's validity, outside the mention (FORMAT.md batch 14)
CONTROL_RE = re.compile(r"(?i)t[ée]moins?\s+(?:(?:interne|externe)s?\s+)?"
                        r"(?:(?:positif|n[ée]gatif|conserv[ée]|conforme|satisfaisant|valide|correct)s?|\+(?![\w+]))")
# "Méthylation du promoteur de MLH1 : présente": a methylation test of a marker of another family
METHYL_LEAD = re.compile(r"(?i)(?:hyper)?m[ée]thylation\s+(?:du\s+promoteur\s+)?(?:(?:de|du\s+g[èe]ne)\s+)?\Z")
PERCENT_RE = re.compile(r"(?:[<>≤≥]\s*)?\d+(?:[.,]\d+)?\s*%")
TMB_RE = re.compile(r"\d+(?:[.,]\d+)?\s*mut(?:ations)?\s*/\s*Mb", re.I)
SCORE_RE = re.compile(r"\bscore\s*(?:[:=]\s*)?([0-3](?:\s?\+)?)(?![\d%])|(?<![\w+])([0-3]\s?\+)(?![\d%])", re.I)
# "CPS 8", "TPS : 5", "score combiné positif (CPS) à 12", "score CPS évalué à 5" (the text is accent-folded)
CPS_RE = re.compile(r"\b(?:CPS|TPS|TC|IC|score|sur|dans)\)?\s*(?:(?:[:=]|(?:(?:evalue|estime|mesure)e?\s+)?[àa](?=\s))\s*)?(?:de\s+)?((?:[<>≤≥]=?\s*)?\d+(?:[.,]\d+)?)(?!\d|[.,]\d|\s*%)", re.I)
# variants, most specific first: protein change, exon-level event, cDNA (HGVS c.)
VARIANT_RES = (
    re.compile(r"\bp\.(?:\([^)\s]+\)|[A-Z][a-z]{0,2}\d+[A-Za-z*_\d]*)"
               r"|\b[ACDEFGHIKLMNPQRSTVWY]\d{1,4}(?:[ACDEFGHIKLMNPQRSTVWY*]|fs\b|del\b)(?![\w])"),
    re.compile(r"(?:délétion|deletion|del|insertion|ins|saut|skipping|duplication)\s+"
               r"(?:de\s+l['’]\s*|dans\s+l['’]\s*|de\s+)?exon\s*\d+|\bexon\s*\d+\s+(?:deletion|délétion|insertion|skipping)"
               # the lab shorthand of the EGFR exon events ("EGFR del19", "ex19del", "ex20ins", "ins20")
               r"|\b(?:ex(?:on)?\s?(?:19|20)\s?(?:del|ins)|(?:del|ins)\s?(?:ex(?:on)?\s?)?(?:19|20))\b", re.I),
    re.compile(r"\bc\.[0-9][0-9A-Za-z_+\-*>]*"),
)
TRAIL = " \t,;:-–/|"
# a variant written in HGVS (p. / c.) or as an exon event: a result before any later cue word of the clause
_HGVS = re.compile(r"\bp\.(?:\([^)\s]+\)|[A-Z][a-z]{0,2}\d+[A-Za-z*_\d]*)|\bc\.[0-9][0-9A-Za-z_+\-*>]*|" + VARIANT_RES[1].pattern, re.I)
_UNSET = object()
MAX_METHOD_PREFIX = 50  # "Par séquençage haut débit (NGS), EGFR : ..." opens the mention; a long clause does not


@dataclass(frozen=True)
class _Rules:
    name_re: re.Pattern
    name_to_markers: dict[str, tuple[str, ...]]
    family: dict[str, str]
    threshold: dict[str, float]
    families: dict[str, dict[str, str]]
    cue_re: re.Pattern
    cue_kind: dict[str, str]
    acronym_re: re.Pattern
    phrase_re: re.Pattern
    grade_re: re.Pattern
    response_re: re.Pattern
    implied: dict[str, str]
    one_of: dict[str, tuple[str, ...]]
    threshold_organs: dict[str, tuple[str, ...]]
    low_max: dict[str, float]  # "ER-low": a percentage of stained cells from 1 up to this bound is status low
    sequenced: frozenset = frozenset()  # expression markers whose gene is also sequenced ("ERBB2 : pas de variant")
    clones: frozenset = frozenset()  # antibody clones that are also names of their marker ("Ki67 ... MIB-1"), lower case
    low_upto: dict = None  # a bare percentage up to this bound is low; between it and the threshold, a value (breast Ki67)


def _data() -> dict[str, Any]:
    """The rules data file with every string accent-folded (matching runs on folded text)."""
    path = resources.files("partages_core.usecases.oncology") / "lexicons" / "oncology_rules.yaml"
    return _fold_all(yaml.safe_load(path.read_text(encoding="utf-8")))


def _fold_all(x: Any) -> Any:
    if isinstance(x, str):
        return fold(x)
    if isinstance(x, list):
        return [_fold_all(v) for v in x]
    if isinstance(x, dict):
        return {(fold(k) if isinstance(k, str) else k): _fold_all(v) for k, v in x.items()}
    return x


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """Compile the rules once per process (corpus lexicon names + the rules data file)."""
    data, onco = _data(), _fold_all(lexicon("oncology"))
    families = data["families"]
    names: dict[str, tuple[str, ...]] = {}
    family, threshold, threshold_organs, low_max, low_upto, sequenced, clones = {}, {}, {}, {}, {}, set(), set()
    read_apart = set(_fold_all(data.get("read_apart", [])))  # "MLH1/MSH2/MSH6/PMS2": each protein its own name
    for marker, spec in data["markers"].items():
        if spec["family"] not in families:
            raise ValueError(f"oncology_rules.yaml: markers.{marker}.family: unknown {spec['family']!r}")
        family[marker] = spec["family"]
        if "threshold" in spec:
            threshold[marker] = float(spec["threshold"])
        if "low_max" in spec:
            low_max[marker] = float(spec["low_max"])
        if "low_upto" in spec:
            low_upto[marker] = float(spec["low_upto"])
        if "threshold_organs" in spec:
            threshold_organs[marker] = tuple(spec["threshold_organs"])
        if spec.get("sequenced"):
            sequenced.add(marker)
        clones.update(c.lower() for c in spec.get("clones", []))
        for n in [marker, *spec.get("names", []), *onco["biomarkers"].get(marker, {}).get("names", [])]:
            if n not in read_apart:
                names[n] = (marker,)
    for marker in onco["biomarkers"]:
        if marker not in family:
            raise ValueError(f"oncology_rules.yaml: markers: corpus marker {marker!r} has no family")
    for alias, markers in data.get("expansions", {}).items():
        names[alias] = tuple(markers)
    implied = {}
    for alias, (marker, status) in data.get("implied", {}).items():
        names[alias] = tuple(marker) if isinstance(marker, list) else (marker,)  # "triple négatif": three
        implied[alias if alias in data.get("case_sensitive", []) else alias.lower()] = status
    sensitive = set(data.get("case_sensitive", []))
    lookup = {}
    alternatives = []
    ordered = sorted(names, key=lambda n: (-len(n), n))
    for n in ordered:
        key = n if n in sensitive else n.lower()
        lookup[key] = names[n]
        alternatives.append(re.escape(n) if n in sensitive else f"(?i:{re.escape(n)})")
    name_re = re.compile(r"(?<![\w])(?:" + _by_first_letter(alternatives, ordered) + r")(?![\w])")
    cue_alts, cue_kind = [], {}
    for i, (kind, patterns) in enumerate((k, p) for k, ps in data["cues"].items() for p in ps):
        group = f"c{i}"
        cue_kind[group] = kind
        cue_alts.append((len(patterns), f"(?P<{group}>{patterns})"))
    # longer patterns first so "non muté" beats "muté" at the same start
    cue_re = re.compile(r"(?<![\w])(?:" + "|".join(a for _, a in sorted(cue_alts, key=lambda a: -a[0]))
                        + r")(?![\w])", re.I)
    methods = data["methods"]
    acronym_re = re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<{m}>{p})" for m, p in methods["acronyms"].items())
                            + r")(?![\w])", re.I)
    phrase_re = re.compile("|".join(f"(?P<{m}>{p})" for m, p in methods["phrases"].items()), re.I)
    grade_re = re.compile("|".join(f"(?:{g})" for g in data["grades"]), re.I)
    resp_alts = [f"(?P<{label}_{i}>{p})" for label, ps in data["responses"].items() for i, p in enumerate(ps)]
    response_re = re.compile(r"(?<![\w])(?:" + "|".join(resp_alts) + ")", re.I)
    one_of = {k.lower(): tuple(v) for k, v in data.get("one_of", {}).items()}
    return _Rules(name_re, lookup, family, threshold, families, cue_re, cue_kind, acronym_re,
                  phrase_re, grade_re, response_re, implied, one_of, threshold_organs, low_max, frozenset(sequenced),
                  frozenset(clones), low_upto)


def _by_first_letter(alternatives: list[str], names: list[str]) -> str:
    """The alternation of ``alternatives`` (the regexes of ``names``, same order) grouped by the names' first letter,
    each group behind a look-ahead on that letter in either case (speed: a word start tries one group, not every
    name). Only names of one group can match at a given start, and a group keeps its names' order: the same matches."""
    groups: dict[str, list[str]] = {}
    for alternative, name in zip(alternatives, names):
        first = name[0].lower() if len(name[0].lower()) == 1 else name[0]
        groups.setdefault(first, []).append(alternative)
    return "|".join(f"(?=(?i:[{re.escape(first)}]))(?:{'|'.join(alts)})" for first, alts in groups.items())


def _markers_of(r: _Rules, surface: str) -> tuple[str, ...]:
    return r.name_to_markers.get(surface) or r.name_to_markers[surface.lower()]


# --- biomarkers -------------------------------------------------------------------------------
def find_method(text: str) -> str | None:
    """IHC/FISH/SISH/CISH/NGS/PCR named in ``text``: an acronym first, else a descriptive phrase."""
    r, text = rules(), fold(text)
    m = r.acronym_re.search(text) or r.phrase_re.search(text)
    return m.lastgroup if m else None


def _value(marker: str, text: str) -> tuple[str | None, str | None]:
    """The measured value and unit written in a mention (score, %, mut/Mb, CPS)."""
    if marker == "TMB" and (m := TMB_RE.search(text)):
        return m.group(0), "mut/Mb"
    if marker == "HER2" and (m := SCORE_RE.search(text)):
        return (m.group(1) or m.group(2)).replace(" ", ""), None
    if marker == "HER2" and re.match(r"\s*[:=]?\s*0(?![\d,.%])", text):
        return "0", None  # "HER2 : 0 (aucun marquage)"
    if rules().family.get(marker) == "methylation":
        return None, None  # "MGMT méthylé (pyroséquençage, 18 %)": a methylation percentage is not a value (FORMAT.md)
    text = VAF_RE.sub(lambda m: " " * len(m.group(0)), fold(text))  # a VAF is not the marker's value
    if m := PERCENT_RE.search(text):
        return m.group(0), "%"
    if marker == "PD-L1" and (m := CPS_RE.search(text)):
        return m.group(1), None
    if marker == "PD-L1" and (m := re.match(r"\)?\s*(?:pd-?l1\s*)?(?:[:=]\s*)?(?:(?:evalue|estime|mesure)e?\s+)?(?:de\s+|[àa]\s+)?([<>]?\s*\d+(?:[.,]\d+)?)(?!\d|[.,]\d|%)", text, re.I)):
        return m.group(1), None  # the name was the score itself: "CPS 8", "CPS = 3", "CPS PD-L1 = 12" (the marker after it)
    return None, None


def _number(value: str) -> float:
    digits = re.search(r"\d+(?:[.,]\d+)?", value)
    number = float(digits.group(0).replace(",", ".")) if digits else 0.0
    return number - 0.5 if value.lstrip().startswith(("<", "≤")) else number


def _variant(text: str) -> str | None:
    for regex in VARIANT_RES:
        if m := regex.search(text):
            return m.group(0)
    return None


def _has_cue(text: str) -> bool:
    r, text = rules(), fold(text)
    return r.cue_re.search(r.phrase_re.sub(" ", text)) is not None


# a positivity cut-off the report states next to the percentage ("MYC : 60 % des cellules (seuil 40 %)", "BCL2 > 50 %
# (seuil de positivité 50 %)"): the value is read against it (WHO-HAEM5 double expressor: MYC >= 40 %, BCL2 >= 50 %)
_STATED_CUTOFF = re.compile(r"(?i)\bseuil(?:\s+de\s+positivit[ée])?\s*(?:de\s+|[:=à]\s*|a\s+)?(?:[<>≥≤]=?\s*)?(\d+(?:[.,]\d+)?)\s*%")


_VUS = re.compile(r"signification\s+(?:clinique\s+)?(?:inconnue|indeterminee|incertaine)|(?<![\w-])(?:VUS|VSI)(?![\w-])"
                  r"|(?<![\w-])classe\s+3(?![\w-])")  # a variant of unknown significance (ACMG class 3)


def _status(marker: str, cue_text: str, value: str | None, variant: str | None = None,
            family: str | None = None) -> str | None:
    """Normalised status: the leftmost cue, read through the marker's family (or ``family``, the
    test's: "méthylation du promoteur de MLH1"); else the value."""
    r = rules()
    fam = family or r.family[marker]
    cue_text = r.phrase_re.sub(" ", fold(cue_text))  # "séquençage haut débit" is not a "haut" result
    hgvs = _HGVS.search(cue_text) if (fam == "mutation" or marker in r.sequenced) and \
        ("p." in cue_text or "c." in cue_text or "exon" in cue_text) else None
    if hgvs is not None and _VUS.search(cue_text, hgvs.end()):
        return "equivocal"  # "PALB2  c.3201+5G>A ... variant de signification inconnue (classe 3)": ACMG class 3
    for m in r.cue_re.finditer(cue_text):
        if hgvs is not None and hgvs.start() < m.start():
            return r.families["mutation"]["pos"]  # "EGFR délétion de l'exon 19 (p.E746_A750del), ..., sans mutation T790M"
        kind = r.cue_kind[m.lastgroup]
        if kind == "none":
            return None
        if kind.startswith("expr_"):  # "p53 surexprimée": an immunostain reads positive / negative
            if fam == "mutation":
                return "positive" if kind == "expr_pos" else "negative"
            kind = kind[5:]
        if kind in ("pos", "neg"):
            if marker in r.sequenced and _MOLECULAR_WORD.search(m.group()):
                return r.families["mutation"][kind]  # "ERBB2 : pas de variant détecté" (NGS): a sequence variant, wild-type
            status = r.families[fam][kind]
            if kind == "pos" and marker in r.low_max and value is not None and value.endswith("%") and \
                    1 <= _number(value) <= r.low_max[marker]:
                return "low"  # "RE positifs à 5 %": ER-low (ASCO/CAP 2020)
            if fam == "quantitative" and value is not None:
                return "value"  # PD-L1 with its score is always a value, "négatif (TPS < 1 %)" too (FORMAT.md batch 11)
            return status
        if kind == "low" and marker in r.low_max:
            return "low"  # "faible taux de RE", "RE faiblement positifs"
        if kind in ("high", "low") and fam not in ("proliferation", "msi"):
            if fam == "quantitative":  # "PD-L1 faible": low; with a number, the number
                return "value" if value is not None else kind
            continue  # "forte expression", "faible" on IHC markers: keep looking for the result
        if kind in ("methylated", "unmethylated") and fam != "methylation":
            if not re.sub(r"promoteur(?:\s+du\s+g[eè]ne)?", "", cue_text[:m.start()]).strip(" :=-"):
                return kind  # "MLH1 méthylé": the result right after the name (the MLH1 promoter, sporadic dMMR)
            continue  # "(NGS panel + méthylation) : absence de mutation IDH1"
        return {"rearranged": "positive", "not-rearranged": "negative"}.get(kind, kind)
    if variant is not None and (fam == "mutation" or marker in r.sequenced):
        return r.families["mutation"]["pos"]  # "EGFR : délétion de l'exon 19", "ERBB2 : insertion exon 20 (p.Y772_A775dup)"
    if value is None:
        return None
    if value.endswith("%") and fam not in ("quantitative", "proliferation") and (cut := _STATED_CUTOFF.search(cue_text)):
        return r.families[fam]["pos" if _number(value) >= _number(cut.group(1)) else "neg"]  # "60 % (seuil 40 %)"
    if marker == "HER2" and re.fullmatch(r"[0-3]\+?", value):
        if value in ("1+", "2+") and _HER2_LOW_NOTE.search(cue_text):
            return "low"  # "HER2 : score 1+ (HER2-low)": the score's own note gives the status (hw-328; ESMO 2023)
        return {"3+": "positive", "2+": "equivocal"}.get(value, "negative")
    if fam == "proliferation":
        if marker in r.low_upto and r.low_upto[marker] < _number(value) < r.threshold[marker]:
            return "value"  # "Ki67 18 %" in a breast carcinoma: between the low and high bounds (FORMAT.md)
        return "high" if _number(value) >= r.threshold.get(marker, 20) else "low"
    if fam == "quantitative":
        return "value"
    if fam == "expression" and value.endswith("%"):
        if marker in r.low_max and 1 <= _number(value) <= r.low_max[marker]:
            return "low"  # "RE 5 %": ER-low positive (ASCO/CAP 2020; FORMAT.md batch 13)
        return "positive" if _number(value) >= 1 else "negative"
    return "value"


_HER2_LOW_NOTE = re.compile(r"(?i)\(\s*(?:statut\s+|soit\s+|classee?\s+)?HER2[\s-]?low\s*\)")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) over trailing separators, a dangling 'et'/'ou' and sentence dots."""
    while True:
        seg = text[start:end]
        new = seg.rstrip(TRAIL + ".")
        if new.endswith(")") and new.count(")") > new.count("("):  # "(RE 100 %, RP 60 %)": not its bracket
            new = new[:-1]
        if new.endswith("("):  # "perte de MLH1 et PMS2 (dMMR)": the bracket opens the next mention
            new = new[:-1]
        # "pas de réarrangement de MYC ni de BCL2"; "mutation KRAS G12C avec co-mutation STK11": the next mention's joint
        for word in (" et", " ou", " and", " ni", " ni de", " avec"):
            if new.endswith(word):
                new = new[: -len(word)]
        if new == seg:
            break
        end = start + len(new)
    while start < end and text[start] in TRAIL:
        start += 1
    return start, end


_EXON_NOTE = re.compile(r"(?i)[ \t]*\([ \t]*exons?[ \t]*\d+(?:[ \t]*(?:-|à|a|et|,|/)[ \t]*\d+)*[ \t]*\)")


def _with_exon(text: str, end: int) -> int:
    """End of a listed name with the exon bracket that completes it ("HER2 (exon 20)", batch 26), else ``end``."""
    m = _EXON_NOTE.match(text, end)
    return m.end() if m else end


def _enclosing_close(text: str, pos: int, end: int) -> int:
    """The ')' closing the bracket ``pos`` lies in, brackets opened after ``pos`` skipped ("(pT4a, KRAS muté (G13D), ...)"); -1 if none."""
    depth = 0
    for i in range(pos, end):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                return i
            depth -= 1
    return -1


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE_RE.finditer(text)]


# a question mark right after a marker: "amplification de MET ?" asks for a test, it gives no result
_QUESTION = re.compile(r"[ \t]*\?")

# "dMMR (perte de MLH1 et PMS2)", "dMMR par perte du couple MLH1/PMS2": a name that carries its own result, then the
# proteins that explain it, each a mention of its own (FORMAT.md batch 14, hw-071, hw-199, hw-252)
_OWN_RESULT_MMR = frozenset({"dMMR", "pMMR"})
_MMR_PROTEINS = frozenset({"MLH1", "MSH2", "MSH6", "PMS2"})
_EXPLAINED_BY = re.compile(r"(?i)[ \t]*(?:\(|(?:par|avec|sur|en[ \t]+rapport[ \t]+avec|li[ée]e?[ \t]+[aà])[ \t])")


def _in_bracket_after(text: str, start: int, at: int) -> bool:
    """Whether ``at`` lies in a parenthesis opened after ``start`` (and not closed before ``at``)."""
    between = text[start:at]
    return between.rfind("(") > between.rfind(")")


# between a marker's name and its score's name: a clone, a method, "score (combiné)" ("PD-L1 (22C3) en IHC : score CPS")
_SCORE_GAP = re.compile(r"(?i)(?:[ \t:,-]|\([^()\n]{0,40}\)|\b(?:en|par)\s+(?:IHC|immunohistochimie)\b|\bscore(?:\s+combine)?\b)*")


def _has_result_before(r: _Rules, text: str, name: re.Match, bracket: int) -> bool:
    """Whether an MMR name has its result before the bracket that follows it ("dMMR (", "MMR déficientes (") rather
    than a bracket naming the panel before the result ("Protéines MMR (MLH1, MSH2, MSH6, PMS2) : conservées")."""
    return name.group(0) in r.implied or name.group(0).lower() in r.implied or \
        r.cue_re.search(text, name.end(), bracket) is not None


def _bracket_end(text: str, at: int, end: int) -> int:
    """Where the parenthesis open at ``at`` closes before ``end`` (else ``end``)."""
    close = text.find(")", at, end)
    return end if close < 0 else close


def _own_variant_in_bracket(r: _Rules, text: str, previous: re.Match, m: re.Match, e: int) -> bool:
    """A gene of another marker named with its own variant in a bracket ("ALK, ROS1 : pas d'altération ciblable
    (KRAS G12V)", hw-314), or "(dMMR)" / "(pMMR)" after the proteins: a mention of its own, not a part of the name
    before it."""
    return not set(_markers_of(r, m.group(0))) & set(_markers_of(r, previous.group(0))) and (
        _variant(text[m.end():_bracket_end(text, m.end(), e)]) is not None or
        # a name that carries its result, summing up the proteins before it: "perte de MLH1 et PMS2 (dMMR)"
        (m.group(0) in r.implied or m.group(0).lower() in r.implied) and
        set(_markers_of(r, previous.group(0))) <= _MMR_PROTEINS and _markers_of(r, m.group(0)) == ("MMR",))


# the rest of a bracket that a ";" cut, to its close, further ";" included ("(ratio = 2,8 ; 6,1 copies ; groupe 1)")
_BRACKET_REST = re.compile(r"(?:[^()\n;.]|[;.](?=[ \t]))*\)")
_DRUG_TARGET = re.compile(r"(?i)(?:\banti-?\s?|\binhibiteurs?\s+(?:de\s+|d['’]\s*|du\s+))\Z")
# a bracket right after a name that carries its own result ("HER2-low (2+ non amplifié)", "MSS (0/5 marqueurs instables)")
_NOTE_AFTER = re.compile(r"[ \t]*\([^()\n]*\)")


# a field's method bracket, its colon and a one-word answer before the same marker's result name ("Statut MSI (PCR
# pentaplex) : instable, MSI-H (5/5 marqueurs)", "Instabilité des microsatellites (PCR pentaplex, ...) : MSI-H"): one
# mention from the written name to the result's parenthesis (FORMAT.md batch 12: the MSI span, the method inside; MSI
# only: "Statut MMR (IHC) : pMMR" keeps the name of its result alone)
_FIELD_THEN_NAME = re.compile(r"[ \t]*(?:\([^()\n]{0,80}\)[ \t]*)?:[ \t]*(?:[^\s,;:()]+[ \t]*,[ \t]*)?")


def _names_in(text: str, s: int, e: int) -> list[re.Match]:
    """Marker names of a sentence, dropping those inside a parenthesis opened after the previous name ('Récepteurs
    hormonaux positifs (RE 100 %)' keeps the parts), except the proteins after an MMR mention ('MMR déficientes
    (perte de MLH1 et PMS2)': each protein a mention of its own, FORMAT.md batch 14)."""
    r, kept = rules(), []
    for m in r.name_re.finditer(text, s, e):
        if _DRUG_TARGET.search(text, max(s, m.start() - 20), m.start()):
            continue  # "anticorps anti-EGFR", "essai d'inhibiteur de KRAS G12V": a drug target, not a result
        if text[max(s, m.start() - 2):m.start()] in ("p.", "c."):
            continue  # "EGFR p.T790M": the variant of the gene named before, not a name
        if kept:
            before = text[kept[-1].start():m.start()]
            if before.rfind("(") > before.rfind(")") and not (
                    _markers_of(r, kept[-1].group(0)) == ("MMR",) and set(_markers_of(r, m.group(0))) <= _MMR_PROTEINS
                    and _has_result_before(r, text, kept[-1], kept[-1].start() + before.rfind("("))) and \
                    not _own_variant_in_bracket(r, text, kept[-1], m, e):
                if set(_markers_of(r, m.group(0))) < set(_markers_of(r, kept[-1].group(0))):
                    kept.pop()  # "Récepteurs hormonaux positifs (RE 100 %, RP 60 %)": the parts, each with its value
                    kept.append(m)
                continue
            if m.start() > 0 and text[m.start() - 1] == "-" and text[m.start() - 2:m.start() - 1].isalnum() and \
                    set(_markers_of(r, m.group(0))) == set(_markers_of(r, kept[-1].group(0))):
                continue  # "ROS1 : fusion CD74-ROS1 détectée": the fusion's name, not a second result
            gap = text[kept[-1].end():m.start()]
            if _FIELD_THEN_NAME.fullmatch(gap) and gap.strip(" :,-(") and \
                    set(_markers_of(r, m.group(0))) == set(_markers_of(r, kept[-1].group(0))) == {"MSI"}:
                continue  # "Statut MSI (PCR pentaplex) : instable, MSI-H": the name's result (not "Statut MMR (IHC) : pMMR")
            if not gap.strip(" :,-("):
                mine, previous = set(_markers_of(r, m.group(0))), set(_markers_of(r, kept[-1].group(0)))
                if mine == previous:
                    continue  # "Phénotype MSI : MSI-high": the second name is the result
                if mine < previous:
                    kept.pop()  # "Récepteurs hormonaux : RE 90 %, RP 40 %": the parts replace the group
            elif _SCORE_GAP.fullmatch(gap) and _markers_of(r, m.group(0)) == _markers_of(r, kept[-1].group(0)) == ("PD-L1",):
                continue  # "PD-L1 (clone 22C3) : TPS 60 %", "PD-L1 en IHC : score CPS à 5": the score, one mention
        kept.append(m)
    parts = {"MMR": {"MLH1", "MSH2", "MSH6", "PMS2"}}
    for k in list(kept):  # "Protéines MMR : perte de MLH1 ..., MSH2 conservée": MMR is the heading
        group = set(_markers_of(r, k.group(0)))  # not "Protéines MMR : déficientes (perte de MLH1 et PMS2)"
        if any(group == {g} and any(set(_markers_of(r, o.group(0))) & ps for o in kept
                                    if o.start() > k.start() and not _in_bracket_after(text, k.end(), o.start()))
               for g, ps in parts.items()) and re.match(r"\s*(?:\([^)\n]*\)\s*)?:", text[k.end():]):
            kept.remove(k)
    return _drop_list_headings(r, text, kept)


def _drop_list_headings(r: _Rules, text: str, kept: list[re.Match]) -> list[re.Match]:
    """A list of names ended by a colon whose names all come again after it is a heading, no mention
    ("IHC MLH1/MSH2/MSH6/PMS2 : perte de MLH1 et PMS2, MSH2 et MSH6 conservées")."""
    i = 0
    while i < len(kept):
        j = i
        while j + 1 < len(kept) and not re.sub(r"\bet\b", "", text[kept[j].end():kept[j + 1].start()]).strip(" ,/"):
            j += 1
        if j > i and re.match(r"[ \t]*(?:\([^)\n]*\)[ \t]*)?:", text[kept[j].end():]):
            run = {mk for k in kept[i:j + 1] for mk in _markers_of(r, k.group(0))}
            if run <= {mk for o in kept[j + 1:] for mk in _markers_of(r, o.group(0))}:
                kept = kept[:i] + kept[j + 1:]
                continue
        i = j + 1
    return kept


_CELL_GAP = re.compile(r"[\s|:(,]*")
# a negative result written once before a colon and a panel of genes ("Pas d'altération ciblable : EGFR, ALK, ROS1",
# "Absence de mutation des gènes suivants : ..."): each listed marker takes it (FORMAT.md, a result before a list)
_NEGATIVE_HEADING = re.compile(r"(?i)(?:\A|(?<=[\s(;,]))(?P<cue>(?:pas\s+d[e'’]\s*|absence\s+d[e'’]\s*|aucune?\s+|sans\s+)"
                               r"(?:alt[ée]ration|anomalie|mutation|variant|r[ée]arrangement|fusion)s?)"
                               r"(?:[ \t]+[^\s,;:()]+){0,5}?[ \t]*(?:\([^()\n]*\)[ \t]*)?:[ \t]*\Z")


def _drop_clones(text: str, names: list[re.Match]) -> list[re.Match]:
    """The antibody clone written in the cell or bracket after its marker's name ("| Ki67 | MIB-1 | 30 % |",
    "Ki67 (MIB-1) : 30 %") is the method's detail, not a second mention."""
    return [m for k, m in enumerate(names) if not (
        k and m.group(0).lower() in rules().clones and _markers_of(rules(), names[k - 1].group(0)) == _markers_of(rules(), m.group(0))
        and _CELL_GAP.fullmatch(text, names[k - 1].end(), m.start()))]


def extract_biomarkers(text: str) -> list[dict[str, Any]]:
    """Every biomarker mention with its normalised marker, status, value, unit, method, variant
    (and ``vaf``, a variant allele frequency, kept apart from the marker's value). A mention whose
    result is pending or failed has status None (``extract`` reports it under ``pending``)."""
    orig, text = text, CONTROL_RE.sub(lambda c: " " * len(c.group(0)), fold(text))
    out: list[dict[str, Any]] = []
    organ: Any = _UNSET  # the organs named in the report, read once when a threshold needs them
    for s, e in _sentences(text):
        names = _drop_clones(text, _names_in(text, s, e))
        if not names:
            continue
        prefix = text[s:names[0].start()]
        prefix_method = find_method(prefix)
        head_free = prefix[prefix.rfind(":") + 1:]  # the cue words after a heading ("Biologie (...) :")
        if not head_free.strip() and (shared := _NEGATIVE_HEADING.search(prefix)):
            head_free = shared.group("cue")  # "Pas d'altération ciblable : EGFR, ALK, ROS1": the heading is the list's result
        if prefix.rfind("(") > prefix.rfind(")") and _variant(text[names[0].end():_bracket_end(text, names[0].end(), e)]):
            head_free = ""  # "Pas d'altération ciblable (KRAS G12V)": the gene names its own variant in the bracket
        prefix_cues = head_free if rules().cue_re.search(head_free) else ""
        pending: list[dict[str, Any]] = []
        left_cue = None  # "perte d'expression de MLH1 et PMS2, expression conservée de MSH2 et MSH6"
        for i, m in enumerate(names):
            gap = text[names[i - 1].end() if i else s + len(prefix) - len(head_free):m.start()]
            if _LEFT_CUE.search(gap) and rules().cue_re.search(gap):
                clause = gap[_last_break(gap)[1] if _last_break(gap)[0] >= 0 else 0:]  # "EGFR del19 présente, amplification
                # de MET", "MLH1 conservé et perte de PMS2": the last clause's word
                left_cue = clause if rules().cue_re.search(clause) else gap
            elif left_cue and "," in gap and rules().cue_re.search(
                    text, m.end(), (text.find(",", m.end(), e) + 1 or e + 1) - 1):
                left_cue = None  # "perte de MSH2 et MSH6, MLH1 et PMS2 conservés": a new clause with its own result
            elif ("muta" in gap or "varian" in gap or "fusion" in gap or "arrangement" in gap or "amplification" in gap
                  or "translocation" in gap) and _NEG_LEAD.search(gap):
                left_cue = gap[gap.rfind(",") + 1:]  # "..., sans mutation T790M", "Pas de fusion NTRK détectée": the negated noun
            elif i and _BARE_NEG.search(gap):
                left_cue = "pas de "  # "EGFR muté L858R, sans T790M", "... négatif pour T790M": the cue right before the name
            elif i and _in_bracket_after(text, names[i - 1].end(), m.start()) and \
                    _markers_of(rules(), names[i - 1].group(0)) == ("MMR",) and \
                    not rules().cue_re.search(gap, gap.rfind("(")) and \
                    not rules().cue_re.search(text, m.end(), _bracket_end(text, m.end(), e)):
                # "MMR : expression conservée des 4 protéines (MLH1, MSH2, ...)", "dMMR (MLH1/PMS2)": the bracket
                # names the proteins without a result of its own (not "dMMR (MLH1/PMS2 perdus)"): the MMR result
                left_cue = text[names[i - 1].start():names[i - 1].end() + gap.rfind("(")]
            elif re.sub(r"\b(?:et|ou|ni|de|du|des)\b|\bd'", "", gap).strip(" ,/"):  # "de MYC ni de BCL2"
                left_cue = None
            seg_end = names[i + 1].start() if i + 1 < len(names) else e
            span_cut = None
            if i + 1 < len(names):  # "Ki67 de 80 %, et la FISH ne montrait pas de réarrangement de MYC":
                nxt = text[m.end():seg_end]  # the clause that opens the next mention is not this one's
                # the next name's cue written before it: "... de MYC" or a whole cue phrase after the last comma ("PD-L1 à
                # 5 %, pas de réarrangement ALK", hw-348)
                if _LEFT_CUE.search(nxt):  # the next name's own cue after the last comma or "et" ("EGFR muté, amplification
                    # de MET", "MLH1 conservé et perte de PMS2")
                    cue = (rules().cue_re.search(nxt, brk[1]) if (brk := _last_break(nxt))[0] >= 0 else None) or \
                        rules().cue_re.search(nxt)
                elif (words := nxt.rsplit(None, 1)) and words[-1].lower() in _RESULT_NOUNS:
                    cue = rules().cue_re.search(nxt, last + 1) if (last := nxt.rfind(",")) >= 0 else None
                    cue = cue if cue and not nxt[cue.end():].strip() and not rules().cue_re.search(nxt, 0, last) else None
                else:
                    cue = None
                if (bare := _BARE_NEG.search(nxt)) and bare.start() and "," not in nxt[:bare.start()] and \
                        (rules().cue_re.search(nxt, 0, bare.start()) or _variant(nxt[:bare.start()])):  # its own result first
                    seg_end = m.end() + bare.start()  # "EGFR muté sans T790M": the next name's cue is neither span's
                comma = _last_break(nxt, cue.start())[0] if cue else -1
                own = comma > 0 and (rules().cue_re.search(nxt, 0, comma) or _value(_markers_of(rules(), m.group(0))[0], nxt[:comma])[0])
                if own:  # this mention has its own result before the comma
                    seg_end = m.end() + comma
                elif cue or (lead := _LEAD_IN.search(nxt)):  # "PMS2, expression conservée de MSH2", "BRAF non muté, mutation NRAS"
                    at = cue.start() if cue else lead.start()
                    if not cue and (neg := _NEG_BEFORE.search(nxt, 0, at)):
                        at = neg.start()  # "IDH1 R132H négative, pas de mutation IDH2": the cue opens the next clause
                    comma = _last_break(nxt, at)[0]
                    if comma >= 0 and not nxt[comma + 1:comma + 2].isdigit() and \
                            not rules().cue_re.search(nxt, comma, at):
                        span_cut = m.end() + comma  # the clause after the comma opens the next mention: not in the span
            start = m.start()
            if i == 0 and prefix_method and len(prefix.strip()) <= MAX_METHOD_PREFIX and ":" not in prefix and "|" not in prefix:
                start = s + len(prefix) - len(prefix.lstrip())  # not a heading: "FISH : amplification de MDM2"
            start, end = _trim(text, start, seg_end)
            after = text[m.end():end]
            sentence_method = find_method(text[start:end]) or prefix_method or find_method(text[s:e])
            implied = rules().implied.get(m.group(0)) or rules().implied.get(m.group(0).lower())
            name_alone = False
            if implied and (note := _NOTE_AFTER.match(after)):
                implied_only = not _has_cue(after[note.end():])  # "HER2-low (2+ non amplifié)": the note explains the name's result
                name_alone = any((rules().implied.get(n.group(0)) or rules().implied.get(n.group(0).lower()) or implied) != implied
                                 for n in rules().name_re.finditer(note.group(0)))  # "HER2-zero (pas HER2-low)": outside
            else:
                implied_only = bool(implied) and not _has_cue(after)
            lead = METHYL_LEAD.search(text, max(s, m.start() - 40), m.start())
            if lead:
                start = min(start, lead.start())
            test_family = "methylation" if lead else None
            if _QUESTION.match(text, m.end()):
                continue  # "amplification de MET ?" (a test to consider): a question, not a result
            for marker in _markers_of(rules(), m.group(0)):
                value, unit = _value(marker, after)
                if _VAF_LEAD.search(text, max(s, m.start() - 30), m.start()):
                    value = unit = None  # "VAF de BRCA2 proche de 50 %": the figure is the allele frequency, no result
                status = _status(marker, after, value, _variant(after), test_family)
                if span_cut is not None and m.end() <= span_cut and (
                        mine := _status(marker, text[m.end():span_cut], value, _variant(after), test_family)) is not None:
                    status = mine  # "Mutation KRAS G12C, pas de co-mutation STK11": the next clause's cue is not this one's
                if status is None and lead and lead.group(0).lower().startswith("hyper"):
                    status = "methylated"  # "hyperméthylation du promoteur de MLH1 (pyroséquençage)": the word is the result
                if i == 0 and prefix_cues and not _has_cue(after):  # "un remaniement IgH/FGFR3"
                    status = _status(marker, prefix_cues, value, _variant(after))
                if implied_only:  # "MSS", "pMMR", "HER2-zero"
                    status = implied
                sign = _SIGN.match(text, m.end(), seg_end) if status is None else None
                if sign and sign.group(2) and re.match(r"[\w-]", text[sign.end(2):sign.end(2) + 1]):
                    sign = None  # "KRAS-NRAS-BRAF sauvages": a hyphen between names, not a "−"
                if sign:  # "CK5/6 +, EGFR +", "RE -, RP -" (an IHC list)
                    status = r_status(marker, sign.group(1) or sign.group(2))
                    if sign.group(1) and sign.start(1) == m.end() and rules().family[marker] == "mutation" \
                            and sentence_method != "IHC" and m.group(0).upper() != "P53":
                        status = "mutated"  # "chez un patient EGFR+": the prose shorthand of a mutated gene
                    end = max(end, sign.end(1) if sign.group(1) else sign.end(2))
                own = after if span_cut is None else text[m.end():max(m.end(), span_cut)]
                if left_cue is not None and not (":" in own and _has_cue(own[own.index(":"):])):
                    status = _status(marker, left_cue, None)  # unless a field gives the result: "Mutation BRAF : absente"
                    if _NOT_FOUND_AFTER.match(text, m.end()):  # "Amplification de HER2 non retrouvée", "Mutation de KRAS absente"
                        if status in _NEGATIVE_OF:
                            status = _NEGATIVE_OF[status]
                        elif status == "negative" and re.search(r"(?i)\bperte\b", left_cue):
                            status = "positive"  # "Perte de MLH1 non retrouvée": the protein is kept
                    elif _no_result_after(text, m.end()):
                        status = None  # "Mutation de KRAS non recherchée", "... en cours": no result yet
                    elif (said := _SEARCH_ANSWER.match(text, m.end())) and said.group("neg") and status in _NEGATIVE_OF:
                        status = _NEGATIVE_OF[status]  # "La recherche de mutation de BRAF est négative"
                asked = left_cue if left_cue is not None else prefix_cues if i == 0 else ""
                answer = _FIELD_ANSWER.match(after) if asked else None
                asked_status = _status(marker, asked, None) if answer else None
                if asked_status:  # "Amplification de MET : non", "Mutation EGFR : oui": the field answers the word on its left
                    status = _NEGATIVE_OF.get(asked_status, asked_status) if answer.group("no") else asked_status
                status = _by_method(marker, status, sentence_method, after, text[start:end], m.group(0))
                if status in ("high", "low") and value is not None and marker in rules().threshold_organs \
                        and _status(marker, after, None) is None:  # read by threshold, not by a word
                    if organ is _UNSET:  # the organs the report names (a family history may name another first)
                        organ = {n for n, cue, _ in grading()["organs"] if cue.search(text)}
                    if not organ & set(rules().threshold_organs[marker]):
                        status = "value"  # "Ki67 : 15 %" in a glioma: no low / high cut-off there
                one_of = rules().one_of.get(m.group(0).lower())
                if one_of and status not in NEGATIVE_STATUSES and marker not in one_of:
                    continue  # "IDH-muté": one gene of the group is mutated, not each
                if status in ("amplified", "not-amplified"):  # "HER2 2+ en IHC, FISH : amplifié": the ISH result
                    ish = re.search(r"\b(FISH|SISH|CISH)\b", text[start:end])
                    sentence_method = ish.group(1) if ish else sentence_method
                variant = _variant(after)
                end = m.end() if name_alone else _result_end(text, m.end(), end, implied_only)
                if span_cut is not None and m.end() <= span_cut < end:
                    end = _trim(text, start, span_cut)[1]  # the status was read as before; only the span stops
                if m.group(0) in _OWN_RESULT_MMR and _EXPLAINED_BY.match(text, m.end()):
                    end = m.end()  # the explanation holds the proteins' own mentions
                elif marker == "MMR" and i + 1 < len(names) and _in_bracket_after(text, m.end(), names[i + 1].start()):
                    bracket = m.end() + text[m.end():names[i + 1].start()].rfind("(")  # "déficientes (perte de MLH1 ..."
                    end = _trim(text, start, bracket)[1]  # the proteins' bracket holds their own mentions
                opened = text.rfind("(", s, m.start())
                if start > opened > text.rfind(")", s, m.start()) and 0 <= (close := _enclosing_close(text, m.end(), end)):
                    end = _trim(text, start, close)[1]  # a mention inside a bracket ends with it: "(perte MSH2/MSH6), pT1a"
                listed = i + 1 < len(names) and not re.sub(r"\b(?:et|ou|ni|de|du|des)\b|\bd'", "",
                                                           text[m.end():names[i + 1].start()]).strip(" ,/")
                if listed and left_cue is not None:
                    end = m.end()  # "perte de MSH2 et de MSH6": a result before a list marks each name alone (FORMAT.md),
                elif left_cue is not None and i > 0 and not re.sub(r"\b(?:et|ou|ni|de|du|des)\b|\bd'", "",
                                                                   text[names[i - 1].end():m.start()]).strip(" ,/"):
                    # the last one too ("... et [MSH6] (témoin interne positif), soit un statut pMMR", hw-344; "NTRK1-3")
                    end = m.end() + len(_NAME_RANGE.match(text, m.end()).group())
                lead_in = None if listed else _LEAD_IN.search(text, max(s, m.start() - 60), m.start())
                if lead_in and start == m.start():
                    start = lead_in.start()  # "mutation KRAS G12C", "amplification de MDM2": the result word is inside
                    if status is None and _EXON_LEAD.match(lead_in.group()) and not rules().cue_re.search(after) and \
                            not _SOUGHT_BEFORE.search(text, max(s, lead_in.start() - 30), lead_in.start()):
                        status = rules().families["mutation"]["pos"]  # "Saut de l'exon 14 de MET": the alteration is the result
                    if status is None and (cls := _VARIANT_CLASS.search(lead_in.group())):
                        # "Variant de classe 3 de PALB2": the ACMG class written before the gene is its result
                        status = "equivocal" if cls.group(1) == "3" else rules().families["mutation"]["pos"]
                    if i + 1 < len(names) and (nxt := _LEAD_IN.search(text, m.end(), names[i + 1].start())) and \
                            re.fullmatch(r"[ \t]*(?:,|;|et)[ \t]*", text[m.end():nxt.start()]):
                        end = min(end, m.end())  # "perte d'expression de MSH2 et perte de MSH6": the next has its own
                    if not rules().cue_re.search(after) and value is None and \
                            not _CLAUSE_RESULT.search(after.split(",")[0]):  # "Co-mutation TP53 = plus mauvais pronostic"
                        tail = re.match(r"\s*(?:\(?(?:p\.)?[A-Z]\d+[A-Z*]\)?|\((?=[^()\n]*[\dA-Z])[^()\n]{0,40}\)"  # not "(discuté, à revoir)"
                                        r"|(?i:en|par)\s+(?i:IHC|immuno-?histochimie|NGS|PCR))?", text[m.end():end])  # "Perte de PTEN en IHC"
                        end = m.end() + len(tail.group(0).rstrip()) if tail else m.end()
                if start < m.start() and (lead_in and not _STATUS_LEAD.match(lead_in.group()) or lead) and \
                        ((said := _RESULT_THEN_VERB.match(text, m.end())) or _COMMENT_AFTER.match(text, m.end())):
                    # the result written before the marker, a comment right after it outside ("hyperméthylation du
                    # promoteur de MLH1 est en faveur d'une forme sporadique", "... de MLH1 : profil en faveur de ...")
                    end = min(end, _trim(text, start, said.end("close") if said and said.group("close") else m.end())[1])
                if asked_status:
                    end = max(end, m.end() + len(answer.group(0).rstrip()))  # the answer is the result: inside the span
                if _CELL_LEFT.search(text, max(0, m.start() - 3), m.start()) and _CELL_RIGHT.match(text, m.end()):
                    start, end = m.start(), m.end()  # "| FISH | MDM2 (12q15) | amplifié |": the name carries the row (FORMAT.md)
                if text[e - 1] == ";" and text.count("(", start, end) > text.count(")", start, end) and \
                        (close := _BRACKET_REST.match(text, e)):
                    end = close.end()  # "(ratio HER2/CEP17 = 1,4 ; 3,2 copies par noyau)": a ";" in the bracket ends no mention
                if i + 1 < len(names) and not text[end:names[i + 1].start()].strip() and \
                        (nxt := _LEAD_IN.search(text, max(m.end(), names[i + 1].start() - 60), names[i + 1].start())) and \
                        text[m.end():nxt.start()].strip(" \t:"):  # not "MMR perte d'expression de MLH1": its own result
                    end = _trim(text, start, nxt.start())[1]  # "mutation KRAS G12C avec co-mutation STK11": the next one's lead-in
                if text[end - 1:end] == ")" and (clone := _CLONE_TAIL.search(text, start, end)):
                    end = clone.start()  # "PD-L1 : CPS 6 (clone 22C3)": the antibody clone stays outside (FORMAT.md batch 20)
                item = {"biomarker": marker, "status": status, "value": value, "unit": unit,
                        "method": sentence_method, "variant": variant, "vaf": _vaf(after),
                        "start": start, "end": end, "text": orig[start:end],
                        "negated": status in NEGATIVE_STATUSES}
                bare = not implied and left_cue is None and not sign and \
                    not (lead_in and (_VARIANT_CLASS.search(lead_in.group()) or _EXON_LEAD.match(lead_in.group()))) and \
                    not re.sub(r"\b(?:et|ou|and)\b", "", after[_with_exon(after, 0):]).strip(TRAIL + ".() ")
                # "HER2 (exon 20), KRAS et BRAF : non mutés": the exon bracket completes a listed name, no result
                if bare and text[m.end():seg_end].strip() == ":" and i + 1 < len(names):
                    continue  # "Instabilité microsatellitaire : MLH1, PMS2 ... conservées": a heading over the list
                if bare and (own_lead := _own_lead_before_comma(text, s, names, i)) is not None and \
                        (lead_status := _status(marker, own_lead.group(), None)) is not None:
                    # "co-mutation TP53, EGFR sauvage": the first item's own result word before it, the next item with its
                    # own result after it: no list sharing one result (FORMAT.md: the result word before one marker inside)
                    item.update(start=own_lead.start(), end=m.end(), text=orig[own_lead.start():m.end()], status=lead_status,
                                negated=lead_status in NEGATIVE_STATUSES)
                    out.append(item)
                    continue
                if bare:  # "EGFR, ALK et ROS1 : négatifs": wait for the shared result on the right
                    own_lead = lead_in is not None and start == lead_in.start() and i + 1 == len(names) and \
                        (i == 0 or re.sub(r"\b(?:et|ou|ni|de|du|des)\b|\bd'", "", text[names[i - 1].end():m.start()]).strip(" ,/"))
                    first = start if own_lead else m.start()  # "Présence d'une [fusion EML4-ALK]": its own lead-in, inside
                    exon_end = _with_exon(text, m.end())
                    item.update(start=first, end=exon_end, text=orig[first:exon_end])  # a listed name alone (FORMAT.md)
                    pending.append(item)
                    continue
                if status is None and value is None and not rules().cue_re.search(after):
                    if prefix_cues:  # "Absence de mutation des gènes KRAS, NRAS et BRAF"
                        pending.append(item)
                    continue  # a name without any result (e.g. "recherche EGFR demandée")
                if pending and implied and marker == "MMR" and {p["biomarker"] for p in pending} <= _MMR_PROTEINS:
                    pending = []  # "MLH1/MSH2/MSH6/PMS2 : profil pMMR": the summary is MMR's result, not each protein's
                for p in pending:
                    _share(p, item, after)
                if pending and not sign and i and not re.sub(r"\b(?:et|ou|ni)\b", "", text[_with_exon(text, names[i - 1].end()):m.start()]).strip(" ,/"):
                    # "EGFR, MET non mutés", "MLH1 et PMS2 : perte ...": a result after a list marks each name alone (FORMAT.md)
                    exon_end = _with_exon(text, m.end())  # "KRAS, BRAF, HER2 (exon 20) : pas de variant": the exon completes it
                    item.update(start=m.start(), end=exon_end, text=orig[m.start():exon_end])
                out.extend(pending)
                pending = []
                out.append(item)
                ish = _her2_ish(marker, item, after, m.end(), orig) if marker == "HER2" else None
                if ish is not None and not text[item["end"]:ish["start"]].strip() and (note := _HER2_LOW_NOTE.match(text, ish["end"] + len(text[ish["end"]:]) -
                                                                      len(text[ish["end"]:].lstrip(" \t")))):
                    # "HER2 2+ non amplifié (HER2-low)": the overall word in its bracket makes one span with that status
                    # (FORMAT.md batch 24, as hw-328's "HER2 : score 1+ (HER2-low)"); without it, two mentions (batch 16)
                    item.update(end=note.end(), text=orig[item["start"]:note.end()], status="low",
                                negated="low" in NEGATIVE_STATUSES)
                elif ish is not None:  # "HER2 2+ (équivoque), FISH : non amplifié": the IHC score and the ISH result
                    out.append(ish)
        for p in pending:
            if prefix_cues:
                _share(p, None, prefix_cues)
                out.append(p)
    _slash_pairs(orig, out)
    return out


# a result word written once before a slash pair ("perte du couple MLH1/PMS2", "mutation IDH1/IDH2", "double expression
# MYC/BCL2"), or after it ("IDH1/IDH2 non mutés", "... en IHC")
_PAIR_LEAD = re.compile(r"(?i)(?<![\w-])(?:perte(?:[ \t]+du[ \t]+couple)?|mutation|double[ \t]+expression)[ \t]+\Z")
_PAIR_RESULT = re.compile(r"(?i)(?:[ \t]+(?:non[ \t]+)?(?:mut[ée]e?s?|sauvages?|conserv[ée]e?s?|perdue?s?|n[ée]gati(?:f|ve)s?|"
                          r"positi(?:f|ve)s?)(?![\w-]))?(?:[ \t]+en[ \t]+(?:IHC|NGS|PCR|FISH)(?![\w-]))?")


_NEGATED_BEFORE = re.compile(r"(?i)(?<![\w-])(?:pas|absence|sans|aucune?|ni|non)(?![\w-])")


def _own_lead_before_comma(text: str, s: int, names: list[re.Match], i: int) -> re.Match | None:
    """The positive result word written right before a name at its clause's start ("co-mutation TP53, EGFR sauvage"),
    where a comma alone follows the name and the next name has its own result word right after it up to its clause's
    end; None otherwise (a list sharing one result: "Mutation de KRAS, NRAS et BRAF absente")."""
    if i + 1 >= len(names) or text[names[i].end():names[i + 1].start()].strip() != ",":
        return None
    # its clause: from the sentence start, or the last comma after the previous name ("Mutation KRAS G12C, co-mutation TP53")
    clause = s if i == 0 else names[i - 1].end() + text[names[i - 1].end():names[i].start()].rfind(",") + 1
    if clause <= (names[i - 1].end() if i else s - 1):
        return None  # no comma after the previous name: the same clause
    lead = _LEAD_IN.search(text, max(clause, names[i].start() - 60), names[i].start())
    if lead is None or text[lead.end():names[i].start()].strip() or _NEGATED_BEFORE.search(text, clause, lead.start()):
        return None
    nxt = names[i + 1]
    cue = rules().cue_re.match(text, nxt.end() + len(text[nxt.end():]) - len(text[nxt.end():].lstrip(" \t")))
    if cue is None or not re.match(r"[ \t]*(?:[,;.]|$)", text[cue.end():]):
        return None
    return lead

def _slash_pairs(text: str, out: list[dict[str, Any]]) -> None:
    """A slash surface with its result is one nested pair, each marker over the whole surface ("par [[[[perte du couple
    MLH1/PMS2|MLH1]]|PMS2]]", "[[[[IDH1/IDH2 non mutés|IDH1]]|IDH2]]"; FORMAT.md, hw-011, hw-071, hw-199, hw-295)."""
    for a, b in zip(out, out[1:]):
        if text[a["end"]:b["start"]] != "/" or re.search(r"\s", a["text"] + b["text"]) or a["status"] != b["status"]:
            continue
        lead = _PAIR_LEAD.search(text, max(0, a["start"] - 30), a["start"])
        start = lead.start() if lead else a["start"]
        end = _PAIR_RESULT.match(text, b["end"]).end()
        if start < a["start"] or end > b["end"]:
            for x in (a, b):
                x.update(start=start, end=end, text=text[start:end])


# a clause commenting the result ("est en faveur d'une origine sporadique", "ce qui contre-indique ...")
_RESULT_THEN_VERB = re.compile(r"(?i)(?P<close>[ \t]*\([^()\n]{0,30}\)|[ \t]+[^\s,;()]*\d[^\s,;()]*)?[ \t]+(?:est|sont|serait|seraient|etait|oriente(?:nt)?|evoque(?:nt)?|sugg[eè]re(?:nt)?|plaide(?:nt)?|"
                               r"en\s+faveur|ce\s+qui|qui|permet(?:tant)?|justifi(?:e|ant)|contre-?indiqu(?:e|ant)|rend(?:ant)?|"
                               r"autoris(?:e|ant)|ouvr(?:e|ant)|n'est|ne\s+(?:permet|justifie)"
                               r"|sous)(?![\w-])")  # "EGFR L858R sous osimertinib depuis 2024": the treatment is outside
# a yes / no field after a result word and its marker ("Amplification de MET : non"): the answer, not the word, is the result
_FIELD_ANSWER = re.compile(r"(?i)\A(?:[ \t]+(?:p\.)?(?-i:[A-Z]\d+[A-Z*]))?[ \t]*:[ \t]*(?:(?P<no>non|absente?s?|n[ée]gati(?:f|ve)s?|non d[ée]tect[ée]e?s?|non retrouv[ée]e?s?)"
                           r"|(?P<yes>oui|pr[ée]sente?s?|positi(?:f|ve)s?|d[ée]tect[ée]e?s?|retrouv[ée]e?s?))[ \t]*(?=[.;,\n)]|\Z)")
# the result word before the marker denied right after it ("Amplification de HER2 non retrouvée en FISH", "Réarrangement
# de ALK non détecté", "Mutation de KRAS absente"): the negative of that word (as "Mutation EGFR non détectée")
_NOT_FOUND_AFTER = re.compile(r"(?i)(?:[ \t]+(?:p\.)?(?-i:[A-Z]\d+[A-Z*]))?[ \t]+(?:non[ \t]+(?:retrouv|d[ée]tect|identifi)\w*"
                              r"|absente?s?|n['’](?:est|a)[ \t]+pas[ \t]+(?:[ée]t[ée][ \t]+)?(?:retrouv|d[ée]tect|identifi)\w*)(?![\w-])")
# the answer of a search written as a predicate after the marker ("La recherche de mutation de BRAF est (revenue)
# négative"): the answer, not the word searched for, is the result
_STATUS_LEAD = re.compile(r"(?i)statut\s")  # "statut" names the field, no result: "Le statut HER2 est positif"
_SEARCH_ANSWER = re.compile(r"(?i)(?:[ \t]+(?:p\.)?(?-i:[A-Z]\d+[A-Z*]))?[ \t]+(?:est|sont|reste|restent|s['’]est[ \t]+r[ée]v[ée]l[ée]e)"
                            r"[ \t]+(?:(?:revenue?s?|revenus)[ \t]+)?(?:(?P<neg>n[ée]gati(?:f|ve)s?)|positi(?:f|ve)s?)(?![\w-])")


_BREAK = re.compile(r",|(?<![\w-])et(?![\w-])")  # where a clause ends between two mentions


def _last_break(s: str, end: int | None = None) -> tuple[int, int]:
    """(start, end) of the last comma or "et" in ``s[:end]``, (-1, -1) if none."""
    found = (-1, -1)
    for k in _BREAK.finditer(s, 0, len(s) if end is None else end):
        found = (k.start(), k.end())
    return found


def _no_result_after(text: str, pos: int) -> bool:
    """The first cue right after a marker (same clause) says there is no result ("non recherchée", "en cours")."""
    clause = re.split(r"[,;.:()\n]", text[pos:pos + 60], maxsplit=1)[0]
    first = rules().cue_re.search(rules().phrase_re.sub(" ", fold(clause)))
    return first is not None and rules().cue_kind[first.lastgroup] == "none"


_NEGATIVE_OF = {"amplified": "not-amplified", "mutated": "wild-type", "positive": "negative", "methylated": "unmethylated"}
# a marker name alone in a table cell, a probe's locus in brackets after it
_CELL_LEFT = re.compile(r"\|[ \t]*\Z")
_CELL_RIGHT = re.compile(r"[ \t]*(?:\([^()|\n]{0,20}\)[ \t]*)?\|")
_CLAUSE_RESULT = re.compile(r"(?i)%|\bVAF\b|\bclasse\s+[1-5]\b|\bintensit[ée]\b|\b(?:IHC|FISH|SISH|CISH|NGS|PCR)\b|\bratio\b|\bscore\b|\bexons?\b|\bc\.\d|\bp\.[A-Z(]")


# a result word written before the marker (FORMAT.md, batch 11: "[mutation KRAS G12C]", "[amplification de MDM2 ...]")
_LEAD_IN = re.compile(r"(?i)(?<![\w-])(?:(?:co-?)?mutation(?:\s+(?:somatique|germinale|constitutionnelle|activatrice|de\s+r[ée]sistance))?"
                      r"(?:\s+(?:de\s+l['’]exon\s+\d+\s+)?(?:de\s+l['’]\s*|d[eu]\s+|d['’]\s*)(?:promoteur\s+(?:de\s+|du\s+)?)?(?:g[èe]ne\s+)?|\s+)"
                      r"|amplification\s+(?:du\s+g[èe]ne\s+|de\s+|d['’]\s*)"
                      # "avec réarrangement de MYC" (a positive result word, inside); "pas de / sans réarrangement de": the cue, outside
                      r"|(?<!pas de )(?<!sans )(?<!absence de )(?:r[ée]arrangement|remaniement|translocation)\s+(?:du\s+g[èe]ne\s+|de\s+|d['’]\s*)"
                      r"|(?:faible|fort|haut|bas)\s+(?:taux|niveau)\s+(?:de\s+(?:la\s+|l['’]\s*)?|des\s+|d['’]\s*)"  # "faible taux de RE"
                      r"|surexpression\s+(?:(?:membranaire|intense|forte|compl[èe]te)\s+){0,2}(?:de\s+(?:la\s+)?|du\s+|des\s+|d['’]\s*)"  # "surexpression de HER2"
                      # "pas de [mutation C797S]", "absence de [mutation EGFR]": the result word inside, the negation cue
                      # outside (FORMAT.md batch 20, hw-297, hw-348; "absence de" aligned in session 24, h28)
                      r"|(?:(?<=absence de )|(?<=pas de ))(?:mutation|variant\s+pathog[èe]ne|r[ée]arrangement|fusion)s?\s+(?:du\s+g[èe]ne\s+|de\s+|d['’]\s*|sur\s+)?"
                      r"|variant\s+pathog[èe]ne(?:\s+h[ée]t[ée]rozygote|\s+constitutionnel)?\s+(?:du\s+g[èe]ne\s+|de\s+|d['’]\s*)?"
                      # the result words before one marker are inside (FORMAT.md batch 23: "[Variant de classe 3 de PALB2]",
                      # "[Perte de PTEN en immunohistochimie]", hw-296's "[Mutation pathogène de BRCA2 (...)]", "[délétion
                      # de l'exon 19 de l'EGFR (...)]"); a list after them marks each name alone (``listed``)
                      r"|(?:mutation|variant)\s+(?:(?:probablement\s+)?pathog[èe]ne|de\s+classe\s+[1-5])\s+(?:du\s+g[èe]ne\s+|de\s+|d['’]\s*)"
                      r"|perte\s+(?:d['’]\s*expression\s+(?:nucl[ée]aire\s+)?)?(?:de\s+|du\s+|d['’]\s*)"
                      r"|(?:d[ée]l[ée]tion|insertion|duplication|saut)\s+(?:de\s+l['’]\s*|dans\s+l['’]\s*)exon\s+\d+\s+(?:de\s+l['’]\s*|du\s+(?:g[èe]ne\s+)?|d['’]\s*|de\s+)"
                      r"|promoteur\s+(?:de\s+|du\s+g[èe]ne\s+|d['’]\s*)?"  # "promoteur MLH1 hyperméthylé" (FORMAT.md, batch 11 lead-in)
                      # "déficience du système MMR (dMMR)" (batch 21, hw-359): the result noun before the system's name
                      r"|d[ée]ficien(?:ce|te?s?)\s+(?:du\s+|de\s+|d['’]\s*)"
                      # a "statut" lead-in is inside (FORMAT.md, hw-005, hw-011: "[statut 1p/19q (FISH) : absence de
                      # codélétion]", hw-207; "[Statut HRD : positif ...]", hw-264)
                      r"|statut\s+"
                      r"|co-?d[ée]l[ée]tion\s+(?:des\s+bras\s+|de\s+)?"  # "Codélétion 1p/19q", "avec codélétion des bras 1p/19q"
                      r"|fusion\s+[A-Z0-9]+-)\Z")
# an exon-level alteration written before its gene ("Saut de l'exon 14 de MET", "délétion de l'exon 19 de l'EGFR"): a
# sequence variant, mutated (FORMAT.md: MET exon 14 skipping is mutated / wild-type)
_EXON_LEAD = re.compile(r"(?i)(?:d[ée]l[ée]tion|insertion|duplication|saut)\s+(?:de\s+l['’]\s*|dans\s+l['’]\s*)exon")
_SOUGHT_BEFORE = re.compile(r"(?i)(?:recherche|recherch[ée]e?|test)\s+(?:d['’]\s*une?\s+|d['’]\s*|de\s+|du\s+)?\Z")  # "Recherche d'un saut ..."
_VARIANT_CLASS = re.compile(r"(?i)classe\s+([345])")  # ACMG / IARC class 3 (unknown significance), 4-5 (pathogenic)
# a trailing antibody clone or a note on the test's validity (a control, masked blank by CONTROL_RE) stays outside
# (FORMAT.md batches 11 and 14: "... perte d'expression nucléaire]] (témoin interne positif)")
_CLONE = re.compile(r"(?i)\s*(?:\([^()\n]*\b(?:clone|anticorps|sonde)\b[^()\n]*\)|\([ \t]*\)|,\s*(?:clone|anticorps)\b[^,;()\n]*)")


# a conclusion drawn from the result, after an arrow or a colon ("-> profil en faveur d'une forme sporadique"): outside
# (also what it means for the tumour or the treatment: "Ki67 30 % : aspect de tumeur luminale B-like", "Variant
# pathogène de BRCA2 (VAF 41 %) : éligibilité à un inhibiteur de PARP", FORMAT.md batch 23)
_COMMENT_AFTER = re.compile(r"(?i)[ \t]*(?:->|=>|→|:)[ \t]*(?:profil|en[ \t]+faveur|pas[ \t]+d['’]argument|compatible|aspect|"
                            r"[ée]ligibilit[ée]|[ée]ligibles?|indication)(?![\w-])")
# a note on where the cells were counted, or that a further test is not needed, stays outside the result (FORMAT.md
# batch 23: "[Ki67 : 30 % des noyaux tumoraux] (zones chaudes)", "[statut HER2-low] (pas d'hybridation in situ
# nécessaire)", as hw-279's "(comptage sur 500 cellules en zone chaude)")
# Also where it was tested ("(plateforme de génétique moléculaire)", as the specimen after "sur"), session 25; and a
# test still pending after the result ("HER2 2+ en attente d'hybridation"), outside. The variant's likely origin
# ("(probablement somatique)") ends its result phrase, inside (FORMAT.md, adjudicated batch 28)
_NOTE_OUTSIDE = re.compile(r"(?i)[ \t]*\((?:[^()\n]*(?<![\w-])(?:comptage|zones?[ \t]+chaudes?|hot[ \t-]?spots?)(?![\w-])[^()\n]*"
                           r"|(?:pas|non)[ \t]+(?:d['’][ \t]*|de[ \t]+)?[^()\n]*n[ée]cessaires?|[^()\n]*non[ \t]+n[ée]cessaires?"
                           r"|[ \t]*(?:plate-?formes?|laboratoires?|labo)(?![\w-])[^()\n]*)\)"
                           r"|[ \t,]+en[ \t]+attente[ \t]+(?:d['’]|de[ \t]|du[ \t]|des[ \t]).*")


_CLASS_END = re.compile(r"(?i)\bclasse\s+[1-5](?:[ \t]*\([^()\n]{0,30}\)|\))?")  # "(classe 5)" keeps its bracket
_SPECIMEN_AFTER = re.compile(r"(?i)[ \t]+sur[ \t]+(?:la[ \t]+|le[ \t]+|l['’][ \t]*|les[ \t]+)?(?:micro-?)?(?:biopsies?|pi[èe]ces?|exer[èe]ses?|"
                             r"cytoblocs?|blocs?|ponctions?|cytoponctions?|prel[eè]vements?|pr[ée]l[èe]vements?)(?![\w-])")


def _result_end(text: str, name_end: int, end: int, named: bool = False) -> int:
    """The mention stops at the comma after its result when the next clause holds no result of its own
    ("PD-L1 faible, immunothérapie non indiquée", "BRAF non muté, récidive ganglionnaire"): the span is the
    result phrase (FORMAT.md), a VAF, method or score after a comma stays inside."""
    seg = text[name_end:end]
    first = rules().cue_re.search(seg)
    value = PERCENT_RE.search(seg) or SCORE_RE.search(seg)
    variant = next((v for v in (r.search(seg) for r in VARIANT_RES) if v is not None), None)
    # the result: a cue, a value, a variant ("EGFR exon 19 (délétion), osimertinib ..."), or the name itself ("dMMR")
    measure = _CLAUSE_RESULT.search(seg)
    anchor = 0 if named else min((x.end() for x in (first, value, variant, measure) if x is not None), default=None)
    specimen = _SPECIMEN_AFTER.search(seg)  # "HER2 0 sur biopsie": where it was tested stays outside
    if specimen:
        seg, end = seg[:specimen.start()], name_end + specimen.start()
    if anchor is None or anchor > len(seg):
        return end
    if cls := _CLASS_END.search(seg, anchor):  # ", variant de classe 5 (pathogène)" ends the result phrase (batches 12, 23)
        seg, end = seg[:cls.end()], name_end + cls.end()
    verb = _RESULT_THEN_VERB.match(seg, anchor)
    if verb and not named:  # "BRAF muté est en faveur d'une origine sporadique": the comment after the result is outside
        return _trim(text, name_end, name_end + (verb.end("close") if verb.group("close") else anchor))[1]
    comment = _COMMENT_AFTER.search(seg, anchor)  # "MYC : ... 60 % (seuil 40 %) -> profil « double expresseur »"
    if comment:
        seg = seg[:comment.start()]
        end = name_end + comment.start()
    note = _NOTE_OUTSIDE.search(seg, anchor)
    if note:
        seg = seg[:note.start()]
        end = name_end + note.start()
    clone = _CLONE.search(seg, anchor)  # "... TPS 5 %]] (clone SP263)": the antibody stays outside (FORMAT.md)
    if clone:
        return _trim(text, name_end, name_end + clone.start())[1]
    depth, i = seg.count("(", 0, anchor) - seg.count(")", 0, anchor), anchor  # "(ratio > 10, clusters)": inside
    while i < len(seg):
        c = seg[i]
        depth += (c == "(") - (c == ")")
        if c == "," and depth <= 0:
            nxt = seg.find(",", i + 1)
            clause = seg[i + 1:nxt if nxt > 0 else len(seg)]
            if not (rules().cue_re.search(clause) or _CLAUSE_RESULT.search(clause) or
                    re.fullmatch(r"\s*(?:et\s+)?\d+\s*", clause)):  # "exons 2, 3 et 4"
                return _trim(text, name_end, name_end + i)[1]
        i += 1
    return end


_ISH = re.compile(r"(?i)\b(FISH|SISH|CISH|DDISH|hybridation\s+in\s+situ)\b")


def _her2_ish(marker: str, item: dict[str, Any], after: str, name_end: int | None = None,
              text: str | None = None) -> dict[str, Any] | None:
    """An IHC 2+ followed in the same mention by an in-situ hybridisation result: the IHC mention
    keeps "equivocal" (method IHC) and the ISH result becomes a second mention (as the gold marks
    them: two results, two methods)."""
    score = SCORE_RE.search(after)
    if item["value"] not in ("2+", "2") or score is None:
        return None
    m = _ISH.search(after)
    head = re.sub(r"(?i)\b(?:IHC|immuno\w*|score)\b", " ", after[:score.start()])
    bare = _BARE_ISH.match(after, score.end()) if m is None and "(" not in after[:score.start()] and \
        item["status"] in ("equivocal", "amplified", "not-amplified") else None  # not "HER2-low (2+ non amplifié)"
    if m is None and bare is None or _has_cue(head):  # "HER2 positif (IHC 2+, SISH amplifié)": the final status is written
        return None
    if bare is not None:  # "HER2 2+ non amplifié": two results, two mentions, no method written (FORMAT.md batch 13)
        status = "amplified" if bare.group("no") is None else "not-amplified"
        ish = dict(item, status=status, value=None, unit=None, negated=status in NEGATIVE_STATUSES)
        item.update(status="equivocal", negated=False)
        if name_end is not None and text is not None:
            item["end"] = _trim(text, item["start"], name_end + score.end())[1]
            item["text"] = text[item["start"]:item["end"]]
            start, end = name_end + bare.start("result"), name_end + bare.end()
            ish.update(start=start, end=end, text=text[start:end])
        return ish
    rest = re.sub(r"(?i)[ée]quivoque|douteux|ambigu\w*", " ", after[score.end():])
    status = _status(marker, rest, None)
    if status is None:
        return None
    status = {"positive": "amplified", "negative": "not-amplified"}.get(status, status)
    if status not in ("amplified", "not-amplified"):
        return None
    method = "FISH" if m.group(1).lower().startswith("hybridation") else m.group(1).upper()
    ish = dict(item, status=status, method=method, value=None, unit=None, negated=status in NEGATIVE_STATUSES)
    item.update(status="equivocal", method="IHC", negated=False)
    if name_end is not None and text is not None:
        # two results, two spans (FORMAT.md batch 13): "[HER2 score 2+ en IHC] puis [amplifié en FISH (ratio ...)]",
        # "[HER2 2+ en IHC] -> FISH : [ratio ... => amplifié]" (the ISH heading outside)
        ihc = score.end() + _IHC_TAIL.match(after, score.end()).end() - score.end()
        lead = _ISH_LEAD.match(after, ihc) or re.compile(r"[ \t]*").match(after, ihc)  # "HER2 2+ amplifié en FISH"
        start = name_end + lead.end()
        if lead.end() > ihc and start < item["end"]:
            item["end"] = _trim(text, item["start"], name_end + ihc)[1]
            item["text"] = text[item["start"]:item["end"]]
            ish.update(start=start, text=text[start:ish["end"]])
    return ish


_BARE_ISH = re.compile(r"(?i)[ \t]+(?P<result>(?P<no>non[ \t]+)?amplifi[ée]e?s?)(?![\w-])")
_IHC_TAIL = re.compile(r"(?i)(?:[ \t]*(?:\(?(?:en[ \t]+)?(?:IHC|immuno-?histochimie)\)?|\((?:[eé]quivoque|douteux|ambigu)\)))*")
_ISH_LEAD = re.compile(r"(?i)[ \t]*(?:,|;|/|->|=>|→|puis|et|avec|mais)[ \t]*(?:(?:en[ \t]+|par[ \t]+)?(?:FISH|SISH|CISH|DDISH|hybridation[ \t]+in[ \t]+situ)"
                       r"[ \t]*(?:[:=]|->)[ \t]*)?")


_SIGN = re.compile(r"(?:[ \t]*(\+)|[ \t]*([−-]))(?![+\d\w-])[ \t]*(?:[,.;)(/]|\Z|\n)")


def r_status(marker: str, sign: str) -> str:
    """The status a bare "+" / "−" gives a marker of its family."""
    if rules().family[marker] == "mutation":  # a sign is an immunostain: positive / negative
        return "positive" if sign == "+" else "negative"
    fam = rules().families[rules().family[marker]]
    return fam["pos"] if sign == "+" else fam["neg"]


_NEG_LEAD = re.compile(r"(?i)(?<![\w])(?:sans|absence\s+d[e'’]|pas\s+d[e'’])\s*(?:(?:co-?)?mutations?|variants?|fusions?|r[ée]arrangements?|"
                       r"amplifications?|translocations?)\s+(?:d[eu]\s+|d['’]\s*|des\s+)?(?:g[èe]nes?\s+)?\Z")
_VAF_LEAD = re.compile(r"(?i)(?<![\w-])(?:VAF|fr[ée]quence\s+all[ée]lique)\s+(?:de\s+|du\s+|d['’]\s*)?\Z")
# result nouns that close a cue phrase written before a marker's name ("pas de réarrangement ALK"; folded text)
_RESULT_NOUNS = frozenset("mutation mutations rearrangement rearrangements remaniement fusion fusions amplification "
                          "variant variants translocation perte deletion".split())
_NAME_RANGE = re.compile(r"(?:-\d+)?")
_CLONE_TAIL = re.compile(r"(?i)[ \t]*\([ \t]*clone\b[^()\n]*\)\Z")
_NEG_BEFORE = re.compile(r"(?i)(?<![\w])(?:pas\s+d[e'’]|sans|absence\s+d[e'’])\s*\Z")  # the cue before a result word
# a negation written right before a variant or marker's name with no result noun, or with "mutation" ("sans T790M",
# "absence de T790M", "négatif pour T790M", "EGFR L858R sans mutation T790M"): that name's own result, absent
_BARE_NEG = re.compile(r"(?i)(?<![\w-])(?:sans|absence\s+d[e'’]|pas\s+d[e'’]|n[ée]gati(?:f|ve)s?\s+pour)"
                       r"(?:\s+(?:mutations?|variants?))?\s*\Z")
_LEFT_CUE = re.compile(r"(?i)(?:\bde|\bdu|\bdes|\bd'|\bperte(?:\s+du\s+couple|\s+d['’]\s*expression(?:\s+nucl[ée]aire)?)?)\s*\Z")  # "perte MLH1/PMS2"
_IHC_WORD = re.compile(r"(?i)\b(?:negati|positi)")
_MOLECULAR_WORD = re.compile(r"(?i)sauvage|mut[ée]|mutation|mutant|wild|variant|insertion")  # "pas d'insertion dans l'exon 20"


def _by_method(marker: str, status: str | None, method: str | None, after: str = "", mention: str = "",
               name: str = "") -> str | None:
    """A mutation-family marker read with a mutation-specific antibody ("IDH1 R132H négatif", "IHC
    BRAF V600E positive", "H3 K27M négatif") is positive/negative, not mutated/wild-type, unless the
    result says "mutant"/"muté"."""
    if rules().family.get(marker) != "mutation" or status not in ("mutated", "wild-type"):
        return status
    ihc = find_method(mention) == "IHC" if mention else method == "IHC"
    antibody = (_variant(after) or _variant(name)) is not None and _IHC_WORD.search(after) is not None
    if (ihc or antibody) and _IHC_WORD.search(after) and not _MOLECULAR_WORD.search(after):
        return {"mutated": "positive", "wild-type": "negative"}[status]
    return status


VAF_RE = re.compile(r"(?:VAF|fr[ée]quence all[ée]lique|AF)\s*(?:[:=]|de|a)?\s*(\d+(?:[.,]\d+)?\s*%)", re.I)


def _vaf(text: str) -> str | None:
    m = VAF_RE.search(fold(text))
    return m.group(1) if m else None


def _share(item: dict[str, Any], right: dict[str, Any] | None, cue_text: str) -> None:
    """Give an enumerated marker the result written once for the whole list."""
    item["status"] = _status(item["biomarker"], cue_text, None)
    item["negated"] = item["status"] in NEGATIVE_STATUSES
    if right is not None and item["method"] is None:
        item["method"] = right["method"]


# --- TNM and grade ----------------------------------------------------------------------------
# TNM as pathologists and oncologists write it (UICC/AJCC 8th edition): prefixes y (after neoadjuvant
# treatment), r (recurrence), c/p/u (clinical, pathological, ultrasound), a (autopsy); categories with
# sub-letters, ranges ("N1-2"), multiplicity "(m)", "(sn)", "(i+)", "(mol+)", written with or
# without spaces ("T3N1M0"). The string stops at the last category: the edition in parentheses, a
# node count in parentheses ("pN1a (2/14)", FORMAT.md TNM), R/L/V/Pn and the next words are outside
# (PARHAF convention).
_PFX = r"(?:y?mr|y?r?[cpua]?|[cpua]?y)"  # "mrT3c N1b", "ymrT2": the MRI staging of a rectal cancer (batch 28)
_T = (rf"{_PFX}T(?:is|[xX]|[0-4](?:[a-d]\d?)?(?:\s*[-/]\s*[0-4](?:[a-d]\d?)?)?)"
      r"(?:\s?\((?:m|\d+|is)\))?")
_N = (rf"{_PFX}N(?:[xX]|\+|[0-3](?:[a-c]|mi)?(?:\s*[-/]\s*[0-3][a-c]?)?)"  # "cN+": nodes involved, not staged
      r"(?:\s?\((?:sn|i[+-]|mol[+-])\))?")
_M = rf"{_PFX}M(?:[xX]|[01][a-d]?)(?:\s?\((?:[A-Z]{{3}}|\+)\))?"  # UICC site code "(HEP)", not "(foie)"
_SEP = r"[ \t]*,?[ \t]*"
# a node count before M is inside ("pT2N1a(2/12)M0": one string); after the last category it is outside
TNM_RE = re.compile(rf"(?<![\w/.-])(?P<t>{_T})(?:{_SEP}(?P<n>{_N}))?"
                    rf"(?:(?:\s?\(\d+\s*/\s*\d+\))?{_SEP}(?P<m>{_M}))?(?![\w+])")
# an N or M category with its prefix (y/r/c/p), alone: the prefix makes it a classification, not a word
_LONE_CATEGORY = re.compile(rf"(?<![\w/.-])(?:y?r?[cp]|y|r)(?:N(?:[xX]|[0-3](?:[a-c]|mi)?)(?:\s?\((?:sn|i[+-]|mol[+-])\))?|M(?:[xX]|[01][a-d]?))(?![\w+])")
# an M category written alone right after a stage IV: "stade IV M1b" (FORMAT.md batch 20, hw-349; as "rM1b")
_STAGE_M = re.compile(r"(?i:stade)[ \t]+IV[ABC]?[ \t]*[,(:]?[ \t]*(?P<m>M(?:[xX]|1[a-d]?)(?:\s?\((?:[A-Z]{3}|\+)\))?)(?![\w+])")
_MRI = re.compile(r"(?i)(?:s[ée]quences?|hypersignal|hyposignal|pond[ée]r[ée]e?s?|signal|IRM)\s*\Z")


def extract_tnm(text: str) -> list[dict[str, Any]]:
    """TNM stages: a T category with its prefix (y/r/c/p), or a bare T followed by N/M."""
    out = []
    for m in _LONE_CATEGORY.finditer(text):  # "rechute pulmonaire, rM1b" (hw-249): a prefixed N or M written alone
        if not TNM_RE.match(text, m.start()) and not any(a <= m.start() < b for a, b in
                                                         ((x.start(), x.end()) for x in TNM_RE.finditer(text))):
            out.append({"text": m.group(0), "start": m.start(), "end": m.end()})
    for m in _STAGE_M.finditer(text) if "IV" in text else ():  # (a substring test first: one scan less per text)
        out.append({"text": m.group("m"), "start": m.start("m"), "end": m.end("m")})
    for m in TNM_RE.finditer(text):
        t = m.group("t")
        prefixed = not t.startswith("T")
        if not prefixed and not (m.group("n") or m.group("m")):
            continue  # a bare "T2" is an MRI sequence or a vertebra, not a stage
        if not prefixed and _MRI.search(text[max(0, m.start() - 25):m.start()]):
            continue
        out.append({"text": m.group(0), "start": m.start(), "end": m.end()})
    return sorted(out, key=lambda x: x["start"])


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_DIFF = {"bien": 1, "moyennement": 2, "peu": 3, "in": 4, "non": 4}
_DIFF_WORDS = {1: "bien différencié", 2: "moyennement différencié", 3: "peu différencié", 4: "indifférencié"}


@lru_cache(maxsize=1)
def grading() -> dict[str, Any]:
    """Grading systems per organ and the toxicity words that make a "grade" not a tumour grade
    (``data/grading_systems.yaml``, sources named there), compiled."""
    path = resources.files("partages_core.usecases.oncology") / "data" / "grading_systems.yaml"
    data = _fold_all(yaml.safe_load(path.read_text(encoding="utf-8")))
    organs = [(name, re.compile(spec["cue"], re.I), spec) for name, spec in data["organs"].items()]
    words = [f"(?:{w})s?" for w in data["toxicity"]] + [rf"\w{{3,}}(?:{x})s?" for x in data.get("toxicity_endings", [])]
    toxicity = re.compile(r"(?<![\w])(?:" + "|".join(words) + r")(?![\w])", re.I)  # plurals too ("paronychies")
    performance = re.compile(r"(?<![\w])(?:" + "|".join(data.get("performance_status", [])) + r")[\s|:=(]*\Z", re.I)
    return {"organs": organs, "toxicity": toxicity, "window": int(data.get("toxicity_window", 60)),
            "sbr_total_max": {int(k): int(v) for k, v in data["sbr_total_max"].items()},
            "performance": performance,
            "system_of": {name: spec["system"] for name, spec in data["organs"].items()},
            "any_organ": re.compile("|".join(f"(?P<{name}>{spec['cue']})" for name, spec in data["organs"].items()),
                                    re.I)}


GRADE_RE = re.compile(
    r"(?i)(?<![\w])(?:"
    r"(?P<gleason>(?:score\s+de\s+)?gleason\s*(?:[:=]\s*)?(?P<g1>[3-5])\s*\+\s*(?P<g2>[3-5])(?:\s*=\s*\d+)?"
    r"|(?:score\s+de\s+)?gleason\s*(?:[:=]\s*)?(?P<gsum>[6-9]|10)(?:\s*\((?P<g3>[3-5])\s*\+\s*(?P<g4>[3-5])\))?)"
    # "grade SBR modifié (Elston-Ellis) 2 (3+2+1)" (hw-343), "grade de Elston et Ellis 3": the modification named in brackets
    r"|(?P<sbr>(?:grade\s+(?:histopronostique\s+)?(?:de\s+)?)?(?:SBR|EE|Elston[- ](?:et[- ])?Ellis|Nottingham)(?:\s+modifi[ée]e?)?"
    r"(?:\s*\((?:Elston[- ](?:et[- ])?Ellis|EE|Nottingham)\))?\s*(?:[:=]\s*)?(?:grade\s*)?"
    # the three component scores, summed ("Score de Elston et Ellis : 3 + 2 + 1 = 6", batch 23: grade 2, not 3)
    r"(?:(?P<sbr3>[1-3]\s*\+\s*[1-3]\s*\+\s*[1-3])(?:\s*=\s*\d)?"
    r"|(?P<sbrv>III|II|I|[1-3])(?![\w])(?!\s*\+)(?:\s*\(\s*\d\s*\+\s*\d\s*\+\s*\d\s*\))?))"
    r"|(?P<named>grade\s+(?:nucl[ée]olaire\s+)?(?:de\s+)?(?:l['’]\s*)?(?P<sys1>ISUP(?:/OMS)?|OMS|WHO|Fuhrman|FNCLCC|FIGO|IASLC)\s*(?:[:=]\s*)?(?P<v1>IV|III|II|I|[1-4])(?![\w])"
    r"|(?P<sys2>ISUP(?:/OMS)?|Fuhrman|FNCLCC|FIGO|IASLC|OMS)\s*(?:[:=]\s*)?(?:grade\s*)?(?P<v2>IV|III|II|I|[1-4])(?![\w])"
    r"|grade\s*(?:histopronostique\s*)?(?:[:=]\s*)?(?P<v3>IV|III|II|I|[1-4])(?![\w])(?:\s*\(?\s*(?:de\s+l['’]\s*|de\s+la\s+|selon\s+(?:l['’]\s*|la\s+(?:classification\s+)?(?:de\s+l['’]\s*)?)?)?(?P<sys3>OMS|WHO|ISUP|Fuhrman|FNCLCC|FIGO|IASLC|SBR|Elston[- ]Ellis|Nottingham|EE)(?:\s+\d{4})?)?)"
    r"|(?P<g>G(?P<gv>[1-4X]))(?![\w])"
    r"|(?P<binary>(?:de\s+)?(?P<bin>haut|bas)\s+grade)"
    r"|(?P<diff>(?P<dw>bien|moyennement|peu|in|non)\s*-?\s*diff[ée]renci[ée]e?s?)"
    r")")


def _organ(text: str) -> tuple[str | None, dict]:
    """The organ of the report (the first organ cue in the text), with its grading system."""
    g = grading()
    m = g["any_organ"].search(text)  # one scan: the leftmost organ cue
    if not m:
        return None, {}
    name = m.lastgroup
    return name, next(spec for n, _, spec in g["organs"] if n == name)


def extract_grade(text: str) -> list[dict[str, Any]]:
    """Tumour grade mentions (SBR/Nottingham, ISUP/Gleason, OMS, FNCLCC, Fuhrman, G1–G4,
    differentiation, high/low grade) with ``system`` and ``value``; toxicity grades ("neutropénie de
    grade 4", CTCAE) are not tumour grades and are left out."""
    folded = fold(text)
    g = grading()
    matches = list(GRADE_RE.finditer(folded))
    if not matches:
        return []
    organ, spec = _organ(folded)
    out = []
    for m in matches:
        clause = re.split(r"[.;\n]|\bet\b|,", folded[max(0, m.start() - g["window"]):m.start()])[-1]
        if g["toxicity"].search(clause) or re.match(r"\s*(?:CTCAE|NCI)", folded[m.end():m.end() + 12]):
            continue
        if g["performance"].search(folded, max(0, m.start() - 30), m.start()):
            continue  # "PS | OMS 1": a performance status
        system, value = _grade_value(m, organ, spec)
        if m.group("v3") and not m.group("sys3") and \
                (w := _WRITTEN_SYSTEM_LEFT.search(folded, max(0, m.start() - 80), m.start())):
            system, value = _in_system(w.group("sys").upper(), value or int(_ROMAN.get(m.group("v3")) or m.group("v3")),
                                       spec.get("system"))  # "Score FNCLCC : ... = 6, grade 3"
        if system is None:
            continue
        out.append({"text": text[m.start():m.end()], "start": m.start(), "end": m.end(), "system": system,
                    "value": value, "organ": organ})
    return out


def _grade_value(m: re.Match, organ: str | None, spec: dict) -> tuple[str | None, Any]:
    system = spec.get("system")
    if m.group("gleason"):  # the Gleason score (sum); ``document_grade`` reads it as an ISUP group
        a, b = m.group("g1") or m.group("g3"), m.group("g2") or m.group("g4")
        return "Gleason", int(m.group("gsum")) if m.group("gsum") else int(a) + int(b)
    if m.group("sbr"):
        if m.group("sbr3"):  # the component scores' total, read through Elston & Ellis (data/grading_systems.yaml)
            total = sum(int(x) for x in re.findall(r"\d", m.group("sbr3")))
            return "SBR", min(g for g, top in grading()["sbr_total_max"].items() if total <= top)
        v = m.group("sbrv")
        return "SBR", _ROMAN.get(v) or int(v)
    if m.group("named") is not None:
        sys_ = (m.group("sys1") or m.group("sys2") or m.group("sys3") or "").upper()
        v = m.group("v1") or m.group("v2") or m.group("v3")
        value = _ROMAN.get(v) or int(v)
        if not sys_:  # a bare "grade 3": only a tumour grade where the organ has a numbered system
            if system is None or system == "binary" or organ == "prostate":  # prostate: a Gleason pattern
                return None, None
            sys_ = system
        sys_ = {"ISUP/OMS": "ISUP", "WHO": "OMS", "ELSTON-ELLIS": "SBR", "ELSTON ELLIS": "SBR",
                "NOTTINGHAM": "SBR", "EE": "SBR"}.get(sys_, sys_)
        return _in_system(sys_, value, system)
    if m.group("g"):
        if m.group("gv") == "X" or system is None:
            return None, None
        return _in_system(system, int(m.group("gv")), system)
    if m.group("binary"):
        return "binary", "haut" if m.group("bin").lower() == "haut" else "bas"
    if m.group("diff"):
        return "differentiation", _DIFF[m.group("dw").lower()]
    return None, None


def _in_system(sys_: str, value: int, organ_system: str | None) -> tuple[str, Any]:
    """FIGO/IASLC/G grades of organs graded by differentiation read as differentiation words."""
    if sys_ in ("FIGO", "IASLC", "differenciation") or (organ_system == "differenciation" and sys_ not in
                                                         ("OMS", "ISUP", "SBR", "FNCLCC", "FUHRMAN")):
        return "differentiation", value
    return {"FUHRMAN": "Fuhrman"}.get(sys_, sys_), value


_WRITTEN_SYSTEM = re.compile(r"(?i)(?<![\w])(?:SBR|EE|Elston|Nottingham|ISUP|OMS|WHO|Fuhrman|FNCLCC|Gleason)(?![\w])")
# "Score FNCLCC : différenciation 3 + mitoses 3 + nécrose 1 = 6, grade 3": the system named earlier in the sentence
_WRITTEN_SYSTEM_LEFT = re.compile(r"(?i)(?:score|grade|grading|classification)\s+(?:de\s+l[a']\s*|selon\s+)?(?P<sys>FNCLCC|SBR|ISUP|Fuhrman|OMS)[^.;\n]*\Z")


def _isup(a: int, b: int) -> int:
    """ISUP grade group of a Gleason pattern pair (Epstein 2016)."""
    total = a + b
    if total <= 6:
        return 1
    if total == 7:
        return 2 if a == 3 else 3
    return 4 if total == 8 else 5


def document_grade(text: str, mentions: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The tumour grade of a report in the system of its organ (``data/grading_systems.yaml``), as the
    hand-written gold writes it: SBR/OMS/FNCLCC/ISUP/Fuhrman number, differentiation word ("peu
    différencié"), the worst ISUP group, or the worst Gleason pattern pair where no ISUP group is written. None when the report
    only gives a two-tier histotype ("carcinome séreux de haut grade") or no tumour grade. ``mentions``:
    ``extract_grade(text)`` when the caller has it already (read, not changed)."""
    mentions = extract_grade(text) if mentions is None else mentions
    if not mentions:
        return None
    organ_system = grading()["system_of"].get(mentions[0]["organ"])
    read = []
    for g in mentions:
        system, value = g["system"], g["value"]
        if system == "binary":
            continue
        if system == "Gleason":
            pair = re.search(r"([3-5])\s*\+\s*([3-5])", fold(g["text"]))
            system, value = "ISUP", _isup(int(pair.group(1)), int(pair.group(2))) if pair else \
                {6: 1, 7: 2, 8: 4, 9: 5, 10: 5}.get(value, 5)
        if system == "differentiation":
            system, value = "differenciation", _DIFF_WORDS.get(value, str(value))
        read.append((system, value, g))
    # a system the report writes ("grade 3 de la FNCLCC", "score FNCLCC") wins over the one its first organ word
    # implies ("masse refoulant le rein" before "liposarcome", batch 13)
    folded = fold(text)
    written = [r for r in read if _WRITTEN_SYSTEM.search(fold(r[2]["text"])) or
               _WRITTEN_SYSTEM_LEFT.search(folded, max(0, r[2]["start"] - 80), r[2]["start"])]
    if written and all(r[0] != "differenciation" and r not in written for r in read if r[0] == organ_system):
        organ_system = written[0][0]  # only a bare "grade 3" (or nothing) was read in the organ's system
    same = [r for r in read if r[0] == organ_system]
    read = same or read
    if not read:
        return None
    system = read[0][0]
    if system == "ISUP":  # the worst group, written ("grade ISUP 3") before derived from Gleason patterns
        written = [r for r in read if r[0] == "ISUP" and r[2]["system"] == "ISUP"]
        read = [max(written or [r for r in read if r[0] == "ISUP"], key=lambda r: r[1])]
        if not written and read[0][2]["system"] == "Gleason" and not re.search(r"(?i)\bISUP\b", folded):
            # a Gleason score alone keeps its system and its written pattern pair ("Gleason 8 (4+4)": Gleason "4+4";
            # FORMAT.md, adjudicated batch 28); an ISUP group written anywhere ("groupe de grade ISUP 5") keeps ISUP
            g = read[0][2]
            pair = re.search(r"([3-5])\s*\+\s*([3-5])", fold(g["text"]))
            return {"system": "Gleason", "value": f"{pair.group(1)}+{pair.group(2)}" if pair else str(g["value"]),
                    "text": g["text"], "start": g["start"], "end": g["end"]}
    system, value, g = read[0]
    if system == "SBR" and re.search(r"(?i)nottingham", g["text"]) and not re.search(r"(?i)\bSBR\b", g["text"]):
        system = "Nottingham"  # the system as the report writes it (FORMAT.md: SBR and Nottingham both)
    return {"system": system, "value": str(value), "text": g["text"], "start": g["start"], "end": g["end"]}


# --- response to treatment (CU5b) --------------------------------------------------------------
# Where the phrase that justifies a response class stops (PARHAF marks the shortest justifying
# phrase): before the treatment that follows ("sous pembrolizumab"), the decision ("poursuite"),
# a toxicity, or a comma that opens something else than the evidence ("sans lésion nouvelle",
# "soit -39 %" stay in).
_JUSTIFY_STOP = re.compile(
    r"(?i),(?!\s*(?:sans\b|soit\b|pas\s+d|et\b|avec\b|ganglions?\b|de\s+la\b|de\s+\d|ni\b))"
    r"|\s+sous\s+(?!forme|reserve)|\s+(?:poursuite|on\s+poursuit|a\s+poursuivre|decision|indication)\b"
    r"|\s*;|\s+(?:->|=>|→)")


# FORMAT.md (RESPONSE): the criteria right after the phrase are inside ("maladie stable selon mRECIST 1.1"), what follows
# them is not ("... après 5 mois d'immunothérapie", "... par apparition de nouvelles lésions"); a figure or score in
# brackets stays outside ("réponse partielle (- 41 %)", "(Deauville 2)", "(ypT0 ypN0, RCB 0)"), a bracket that only names
# the criteria stays inside ("(RECIST 1.1)"); a time qualifier after the phrase stays outside ("à ce stade", "à 6 mois",
# "aujourd'hui", "pour le moment", "avant l'analyse histologique").
_CRITERIA = r"(?:i|m)?(?:recist|percist|rano|lugano|choi|hopkins|easl|imwg|cheson)(?:\s*v?\d+(?:\.\d+)?)?"
_WITH_CRITERIA = re.compile(r"(?i)\bselon\s+(?:les\s+)?(?:criteres?\s+)?(?:de\s+|d['’]\s*)?" + _CRITERIA + r"(?![\w.])")
_OPENING = re.compile(r"\s*\(")
_BARE_CRITERIA = re.compile(r"(?i)\(\s*" + _CRITERIA + r"\s*\)")
_NUMBER = r"(?:\d+|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|dix-huit|vingt-quatre)"
_AFTER_PHRASE = re.compile(
    r"(?i)\s+(?:a\s+ce\s+(?:jour|stade)|aujourd['’]hui|pour\s+le\s+moment|pour\s+l['’]instant|en\s+fin\s+de\s+traitement|"
    r"sur\s+ce\s+(?:scanner|bilan|examen)|avant\s+l['’]analyse|(?:a|apres)\s+" + _NUMBER
    + r"\s+(?:mois|semaines?|cycles?|cures?|ans?)\b)")


def _clause_end(text: str, start: int, end: int) -> int:
    """End of the clause of the cue at ``start`` in ``text[start:end]``: before the treatment, the decision, a comma
    that opens something else (never inside brackets)."""
    for m in _JUSTIFY_STOP.finditer(text, start, end):
        if text.count("(", start, m.start()) <= text.count(")", start, m.start()):
            return m.start()
    return end


def _bracket_close(text: str, opening: int) -> int:
    """The index after the bracket that closes the one at ``opening`` (nested ones counted), or -1."""
    depth = 0
    for i in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return -1


def _justification_end(text: str, start: int, end: int) -> int:
    """End of the justifying phrase inside the clause ``text[start:end]`` (never inside brackets)."""
    end = _clause_end(text, start, end)
    if (crit := _WITH_CRITERIA.search(text, start, end)) is not None:
        end = crit.end()
    for m in _OPENING.finditer(text, start, end):
        if m.start() > start and text.count("(", start, m.start()) <= text.count(")", start, m.start()) \
                and not _BARE_CRITERIA.match(text, m.end() - 1):
            close = _bracket_close(text, m.end() - 1)  # "(+32 % RECIST) et apparition de ...": the phrase goes on
            if not (0 < close < end and re.match(r"\s+et\s", text[close:end])):
                end = m.start()
            break
    if (after := _AFTER_PHRASE.search(text, start, end)) is not None and after.start() > start:
        end = after.start()
    tail = _DANGLING.search(text, start, end)  # "... à ce jour, et la [décision]": the words before the stop
    return tail.start() if tail and tail.start() > start else end


_DANGLING = re.compile(r"(?i)(?:[\s,;:]+(?:et|ou|mais|puis|la|le|les|l['’]|de|du|des|d['’]|une?))+[\s,;:]*\Z")


# a cue negated or written as a condition is not a finding: "pas de nouvelle lésion", "en cas de progression",
# "jusqu'à progression ou toxicité", "si réponse partielle"; nor the end of a treatment's planned duration ("jusqu'à
# 2 ans ou progression", batch 23 hw-393) nor a test planned at a progression ("ADN tumoral circulant à la
# progression", hw-348; "rebiopsie lors de la progression")
_NOT_A_FINDING = re.compile(r"(?i)(?<![\w])(?:pas\s+d(?:e\s+|['’]\s*)|absence\s+d(?:e\s+|['’]\s*)|sans\s+|aucune?\s+|ni\s+(?:de\s+|d['’]\s*)?|"
                            r"en\s+cas\s+d(?:e\s+|['’]\s*)|si\s+(?:une?\s+|la\s+|le\s+)?|jusqu['’]\s*(?:a|à)\s+(?:la\s+|une?\s+)?|"
                            r"jusqu['’]\s*(?:a|à|au|en)\s+[^.;:\n]{1,30}?\s+ou\s+(?:de\s+|d['’]\s*)?(?:la\s+|une?\s+)?|"
                            r"(?:adn\s+tumoral(?:\s+circulant)?|adnc|ctdna|(?:re-?)?biopsie(?:\s+liquide)?|ngs|pr[eé]l[eè]vements?|"
                            r"s[eé]quen[cç]age)\b[^.;:\n]{0,20}?\s(?:a|à|lors\s+de|au\s+moment\s+de)\s+(?:la\s+|une\s+)?|"
                            r"risque\s+d(?:e\s+|['’]\s*)|avant\s+toute\s+)\Z")


_NAMES_RESPONSE = re.compile(r"(?i)(?:reponse|efficacite)\b")
# a later state in the same sentence: "puis", "mais", "désormais", "aujourd'hui" ("Après la réponse partielle du premier
# bilan, il s'agit aujourd'hui d'une maladie stable", session 25)
_THEN = re.compile(r"(?i)(?:,\s*|\s+)(?:puis|mais|desormais|actuellement|aujourd['’]hui|a\s+present)\s+")


def classify_response(text: str) -> dict[str, Any]:
    """The CU5b class of a follow-up report and the phrase that justifies it (the last cue wins; the phrase: the last of
    that class with its criteria, else the last with its evidence, else the last);
    no cue at all: ``NonApplicable`` with no span."""
    orig, text = text, fold(text)
    matches, pos = [], 0
    while (m := rules().response_re.search(text, pos)) is not None:
        if _NOT_A_FINDING.search(text, max(0, m.start() - 40), m.start()):
            pos = m.start() + 1  # "pas de nouvelle lésion, diminution de 30 %": the cue after it still counts
            continue
        matches.append(m)
        # a cue runs to the end of its sentence; a later state written after "puis" / "mais" in it is read too
        # ("maladie stable jusqu'en mars, puis progression hépatique")
        then = _THEN.search(text, m.start() + 1, m.end())
        pos = then.end() if then else max(m.end(), m.start() + 1)
    if not matches:
        return {"label": "NonApplicable", "start": None, "end": None, "text": ""}
    label = matches[-1].lastgroup.rsplit("_", 1)[0]
    # the justification: the last phrase of that class that gives the evidence (a measurement, new or
    # vanished lesions) rather than the conclusion that restates it ("réponse partielle")
    same = [m for m in matches if m.lastgroup.rsplit("_", 1)[0] == label]
    spans = [(m, _trim(text, m.start(), _justification_end(text, m.start(), m.end()))) for m in same]
    # the evidence is read on the whole clause, its brackets in ("réponse partielle (- 41 %)" gives its figure)
    evidence = [(m, se) for m, se in spans if _EVIDENCE.search(text, m.start(), _clause_end(text, m.start(), m.end()))]
    # a phrase with its criteria states the response as the reader grades it ("progression selon les critères RANO"
    # over the "augmentation de la prise de contraste" before it, hw-284, hw-346)
    graded = [(m, se) for m, se in spans if _WITH_CRITERIA.search(text, se[0], se[1])]
    if label == "NonDetermine":  # no measurement proves it: the phrase that names the response ("réponse à la
        # chimiothérapie non évaluable" over "scanner prévu le 25/11 non fait" before it, hw-381; hw-333)
        graded = [(m, se) for m, se in spans if _NAMES_RESPONSE.match(text, se[0])]
    _, (start, end) = (graded or evidence or spans)[-1]
    return {"label": label, "start": start, "end": end, "text": orig[start:end]}


_EVIDENCE = re.compile(r"(?i)\d|\b(?:apparition|disparition|nouvelles?\s+l[ée]sions?|signal\s+tumoral|"
                       r"diminution|augmentation|majoration|regression|reduction)\b")
