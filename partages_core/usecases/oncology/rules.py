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

NEGATIVE_STATUSES = frozenset({"negative", "wild-type", "not-amplified", "unmethylated"})
SENTENCE_RE = re.compile(r"[^\n]+?(?:(?<=[.;!?])(?=\s)|$)", re.M)
PERCENT_RE = re.compile(r"(?:[<>≤≥]\s*)?\d+(?:[.,]\d+)?\s*%")
TMB_RE = re.compile(r"\d+(?:[.,]\d+)?\s*mut(?:ations)?\s*/\s*Mb", re.I)
SCORE_RE = re.compile(r"\bscore\s*(?:[:=]\s*)?([0-3](?:\s?\+)?)(?![\d%])|(?<![\w+])([0-3]\s?\+)(?![\d%])", re.I)
CPS_RE = re.compile(r"\b(?:CPS|TPS|TC|IC|score|sur|dans)\s*(?:[:=]\s*)?(?:de\s+)?(\d+(?:[.,]\d+)?)(?![\d.,]|\s*%)", re.I)
# variants, most specific first: protein change, exon-level event, cDNA (HGVS c.)
VARIANT_RES = (
    re.compile(r"\bp\.(?:\([^)\s]+\)|[A-Z][a-z]{0,2}\d+[A-Za-z*_\d]*)"
               r"|\b[ACDEFGHIKLMNPQRSTVWY]\d{1,4}(?:[ACDEFGHIKLMNPQRSTVWY*]|fs\b|del\b)(?![\w])"),
    re.compile(r"(?:délétion|deletion|del|insertion|ins|saut|skipping|duplication)\s+"
               r"(?:de\s+l['’]\s*|dans\s+l['’]\s*|de\s+)?exon\s*\d+|\bexon\s*\d+\s+(?:deletion|délétion|insertion|skipping)", re.I),
    re.compile(r"\bc\.[0-9][0-9A-Za-z_+\-*>]*"),
)
TNM_CANDIDATE_RE = re.compile(r"(?<![A-Za-z])(?:y?[pcr]?|y)T(?:is|x|X|[0-4])")
TNM_VERSION_RE = re.compile(r"\s*\(?\s*(?:TNM|UICC|AJCC)(?:\s+(?:\d{4}|\d+\s*(?:e|è|ème|th)\s*(?:édition|ed\.?)?|v?\d+))+\s*\)?")
TRAIL = " \t,;:-–/"
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


def _data() -> dict[str, Any]:
    path = resources.files("partages_core.usecases.oncology") / "lexicons" / "oncology_rules.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """Compile the rules once per process (corpus lexicon names + the rules data file)."""
    data, onco = _data(), lexicon("oncology")
    families = data["families"]
    names: dict[str, tuple[str, ...]] = {}
    family, threshold = {}, {}
    for marker, spec in data["markers"].items():
        if spec["family"] not in families:
            raise ValueError(f"oncology_rules.yaml: markers.{marker}.family: unknown {spec['family']!r}")
        family[marker] = spec["family"]
        if "threshold" in spec:
            threshold[marker] = float(spec["threshold"])
        for n in [marker, *spec.get("names", []), *onco["biomarkers"].get(marker, {}).get("names", [])]:
            names[n] = (marker,)
    for marker in onco["biomarkers"]:
        if marker not in family:
            raise ValueError(f"oncology_rules.yaml: markers: corpus marker {marker!r} has no family")
    for alias, markers in data.get("expansions", {}).items():
        names[alias] = tuple(markers)
    sensitive = set(data.get("case_sensitive", []))
    lookup = {}
    alternatives = []
    for n in sorted(names, key=lambda n: (-len(n), n)):
        key = n if n in sensitive else n.lower()
        lookup[key] = names[n]
        alternatives.append(re.escape(n) if n in sensitive else f"(?i:{re.escape(n)})")
    name_re = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")
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
    return _Rules(name_re, lookup, family, threshold, families, cue_re, cue_kind, acronym_re,
                  phrase_re, grade_re, response_re)


def _markers_of(r: _Rules, surface: str) -> tuple[str, ...]:
    return r.name_to_markers.get(surface) or r.name_to_markers[surface.lower()]


# --- biomarkers -------------------------------------------------------------------------------
def find_method(text: str) -> str | None:
    """IHC/FISH/SISH/CISH/NGS/PCR named in ``text``: an acronym first, else a descriptive phrase."""
    r = rules()
    m = r.acronym_re.search(text) or r.phrase_re.search(text)
    return m.lastgroup if m else None


def _value(marker: str, text: str) -> tuple[str | None, str | None]:
    """The measured value and unit written in a mention (score, %, mut/Mb, CPS)."""
    if marker == "TMB" and (m := TMB_RE.search(text)):
        return m.group(0), "mut/Mb"
    if marker == "HER2" and (m := SCORE_RE.search(text)):
        return (m.group(1) or m.group(2)).replace(" ", ""), None
    if m := PERCENT_RE.search(text):
        return m.group(0), "%"
    if marker == "PD-L1" and (m := CPS_RE.search(text)):
        return m.group(1), None
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
    r = rules()
    return r.cue_re.search(r.phrase_re.sub(" ", text)) is not None


def _status(marker: str, cue_text: str, value: str | None, variant: str | None = None) -> str | None:
    """Normalised status: the leftmost cue, read through the marker's family; else the value."""
    r = rules()
    fam = r.family[marker]
    cue_text = r.phrase_re.sub(" ", cue_text)  # "séquençage haut débit" is not a "haut" result
    for m in r.cue_re.finditer(cue_text):
        kind = r.cue_kind[m.lastgroup]
        if kind == "none":
            return None
        if kind in ("pos", "neg"):
            status = r.families[fam][kind]
            if fam == "quantitative" and kind == "pos" and value is not None:
                return "value"
            return status
        if kind in ("high", "low") and fam not in ("proliferation", "msi"):
            if fam == "quantitative" and value is not None:
                return "value"
            continue  # "forte expression", "faible" on IHC markers: keep looking for the result
        return {"rearranged": "positive", "not-rearranged": "negative"}.get(kind, kind)
    if variant is not None and fam == "mutation":
        return r.families[fam]["pos"]  # "EGFR : délétion de l'exon 19"
    if value is None:
        return None
    if marker == "HER2" and re.fullmatch(r"[0-3]\+?", value):
        return {"3+": "positive", "2+": "equivocal"}.get(value, "negative")
    if fam == "proliferation":
        return "high" if _number(value) >= r.threshold.get(marker, 20) else "low"
    if fam == "quantitative":
        return "value"
    if fam == "expression" and value.endswith("%"):
        return "positive" if _number(value) >= 1 else "negative"
    return "value"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) over trailing separators, a dangling 'et'/'ou' and sentence dots."""
    while True:
        seg = text[start:end]
        new = seg.rstrip(TRAIL + ".")
        for word in (" et", " ou", " and"):
            if new.endswith(word):
                new = new[: -len(word)]
        if new == seg:
            break
        end = start + len(new)
    while start < end and text[start] in TRAIL:
        start += 1
    return start, end


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE_RE.finditer(text)]


def _names_in(text: str, s: int, e: int) -> list[re.Match]:
    """Marker names of a sentence, dropping those inside a parenthesis opened after the previous
    name (e.g. 'MMR déficientes (perte de MLH1 et PMS2)': MLH1/PMS2 belong to the MMR mention)."""
    r, kept = rules(), []
    for m in r.name_re.finditer(text, s, e):
        if kept:
            before = text[kept[-1].start():m.start()]
            if before.rfind("(") > before.rfind(")"):
                continue
            gap = text[kept[-1].end():m.start()]
            if not gap.strip(" :,-("):
                mine, previous = set(_markers_of(r, m.group(0))), set(_markers_of(r, kept[-1].group(0)))
                if mine == previous:
                    continue  # "Phénotype MSI : MSI-high": the second name is the result
                if mine < previous:
                    kept.pop()  # "Récepteurs hormonaux : RE 90 %, RP 40 %": the parts replace the group
        kept.append(m)
    return kept


def extract_biomarkers(text: str) -> list[dict[str, Any]]:
    """Every biomarker mention with its normalised marker, status, value, unit, method, variant."""
    out: list[dict[str, Any]] = []
    for s, e in _sentences(text):
        names = _names_in(text, s, e)
        if not names:
            continue
        prefix = text[s:names[0].start()]
        prefix_method = find_method(prefix)
        prefix_cues = prefix if rules().cue_re.search(prefix) else ""
        pending: list[dict[str, Any]] = []
        for i, m in enumerate(names):
            seg_end = names[i + 1].start() if i + 1 < len(names) else e
            start = m.start()
            if i == 0 and prefix_method and len(prefix.strip()) <= MAX_METHOD_PREFIX:
                start = s + len(prefix) - len(prefix.lstrip())
            start, end = _trim(text, start, seg_end)
            after = text[m.end():end]
            sentence_method = find_method(text[start:end]) or prefix_method or find_method(text[s:e])
            for marker in _markers_of(rules(), m.group(0)):
                value, unit = _value(marker, after)
                status = _status(marker, after, value, _variant(after))
                if i == 0 and prefix_cues and not _has_cue(after):  # "un remaniement IgH/FGFR3"
                    status = _status(marker, prefix_cues, value, _variant(after))
                variant = _variant(after)
                item = {"biomarker": marker, "status": status, "value": value, "unit": unit,
                        "method": sentence_method, "variant": variant,
                        "start": start, "end": end, "text": text[start:end],
                        "negated": status in NEGATIVE_STATUSES}
                bare = not re.sub(r"\b(?:et|ou|and)\b", "", after).strip(TRAIL + ".() ")
                if bare:  # "EGFR, ALK et ROS1 : négatifs": wait for the shared result on the right
                    pending.append(item)
                    continue
                if status is None and value is None and not rules().cue_re.search(after):
                    if prefix_cues:  # "Absence de mutation des gènes KRAS, NRAS et BRAF"
                        pending.append(item)
                    continue  # a name without any result (e.g. "recherche EGFR demandée")
                for p in pending:
                    _share(p, item, after)
                out.extend(pending)
                pending = []
                out.append(item)
        for p in pending:
            if prefix_cues:
                _share(p, None, prefix_cues)
                out.append(p)
    return out


def _share(item: dict[str, Any], right: dict[str, Any] | None, cue_text: str) -> None:
    """Give an enumerated marker the result written once for the whole list."""
    item["status"] = _status(item["biomarker"], cue_text, None)
    item["negated"] = item["status"] in NEGATIVE_STATUSES
    if right is not None and item["method"] is None:
        item["method"] = right["method"]


# --- TNM and grade ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def tnm_pipeline():
    """An EDS-NLP pipeline with the ``eds.tnm`` pipe (built in code, offline)."""
    import edsnlp
    import edsnlp.pipes as eds

    nlp = edsnlp.blank("eds")
    nlp.add_pipe(eds.tnm())
    return nlp


def extract_tnm(text: str) -> list[dict[str, Any]]:
    """TNM stages (p/c/y prefixes, version): ``eds.tnm`` on each line holding a candidate."""
    out, seen = [], set()
    for line in re.finditer(r"[^\n]+", text):
        if not TNM_CANDIDATE_RE.search(line.group(0)):
            continue  # edsnlp is imported and run only where a stage may be written
        doc = tnm_pipeline()(line.group(0))
        for ent in list(doc.ents) + list(doc.spans.get("tnm", [])):
            start, end = line.start() + ent.start_char, line.start() + ent.end_char
            if (start, end) in seen or any(s <= start < e for s, e in seen):
                continue
            if v := TNM_VERSION_RE.match(text, end):
                end = v.end()
            start, end = _trim(text, start, end)
            seen.add((start, end))
            out.append({"text": text[start:end], "start": start, "end": end})
    return sorted(out, key=lambda t: t["start"])


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_DIFF = {"bien": 1, "moyennement": 2, "peu": 3, "in": 4}


def extract_grade(text: str) -> list[dict[str, Any]]:
    """Histological grade mentions (SBR/Elston-Ellis, ISUP, Gleason, differentiation)."""
    out = []
    for m in rules().grade_re.finditer(text):
        surface = m.group(0)
        low = surface.lower()
        if "gleason" in low:
            system, value = "Gleason", int(re.search(r"(\d+)", surface[15:] or surface).group(1))
        elif "différenci" in low:
            system, value = "differentiation", _DIFF[re.match(r"(bien|moyennement|peu|in)", low).group(1)]
        else:
            sys_m = re.search(r"SBR|Elston[- ]Ellis|EE|Nottingham|ISUP|OMS|Fuhrman|FNCLCC", surface, re.I)
            system = sys_m.group(0) if sys_m else None
            num = re.search(r"\b(IV|III|II|I|[1-4])\b", surface[5:])
            value = _ROMAN.get(num.group(1), None) or int(num.group(1)) if num else None
        out.append({"text": surface, "start": m.start(), "end": m.end(), "system": system, "value": value})
    return out


# --- response to treatment (CU5b) --------------------------------------------------------------
def classify_response(text: str) -> dict[str, Any]:
    """The CU5b class of a follow-up report and the clause that justifies it (the last cue wins);
    no cue at all: ``NonApplicable`` with no span."""
    last = None
    for last in rules().response_re.finditer(text):
        pass
    if last is None:
        return {"label": "NonApplicable", "start": None, "end": None, "text": ""}
    label = last.lastgroup.rsplit("_", 1)[0]
    start, end = _trim(text, last.start(), last.end())
    return {"label": label, "start": start, "end": end, "text": text[start:end]}
