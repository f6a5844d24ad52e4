"""Clinical coherence rules over generated patients, read from what the reports say.

Each rule reads the written text and the gold layers (not the generator's internal draws) and
returns violations; the knowledge is ``lexicons/clinical_rules.yaml`` (sources named there).
``check_cohort`` runs them all; the tests require 0 violations over 5,000 patients.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from stdnum.fr import nir as _nir

from partages_core.corpus.grammar import lexicon
from partages_core.corpus.identities import MONTHS, MONTHS_ABBR, TODAY, age_on
from partages_core.corpus.model import Document, Patient



@dataclass(frozen=True)
class Violation:
    rule: str
    document: str
    detail: str


def _rules() -> dict:
    return lexicon("clinical_rules")


def site_of(patient: Patient) -> str | None:
    code = patient.icd10
    return next((s for s, info in _rules()["sites"].items() if info["icd10"] == code), None)


# --- dates ---------------------------------------------------------------------------------
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_MONTH_NUMBER = {m: i + 1 for names in (MONTHS, MONTHS_ABBR) for i, m in enumerate(names)}
_LONG = re.compile(r"^(?:\w+ )?(\d{1,2}|1er) (" + "|".join(re.escape(m) for m in _MONTH_NUMBER) + r") (\d{4})$")


_WORD_VALUES = {w: i for i, w in enumerate(("zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit",
                                              "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize"))}
_WORD_VALUES.update({"premier": 1, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
                     "soixante": 60})


def words_number(words: list[str]) -> int | None:
    """French number words (accents already removed) to an int: "mille neuf cent quatre vingt un" → 1981."""
    total = current = 0
    for w in words:
        if w == "et":
            continue
        if w in ("cent", "cents"):
            current = max(current, 1) * 100
        elif w == "mille":
            total += max(current, 1) * 1000
            current = 0
        elif w in ("vingt", "vingts") and current % 100 == 4:
            current += 76  # quatre-vingt: 4 x 20
        elif w in _WORD_VALUES:
            current += _WORD_VALUES[w]
        else:
            return None
    return total + current


def _spelled_date(text: str) -> dt.date | None:
    """A date written in words ("vingt-deux février deux mille vingt-six"), with or without accents."""
    from partages_core.corpus.builder import strip_accents

    words = strip_accents(text.lower()).replace("-", " ").split()
    months = [strip_accents(m) for m in MONTHS]
    at = next((i for i, w in enumerate(words) if w in months), None)
    if at is None or at == 0 or at == len(words) - 1:
        return None
    day, year = words_number(words[:at]), words_number(words[at + 1:])
    if day is None or year is None:
        return None
    return dt.date(year, months.index(words[at]) + 1, day)


def parse_date(text: str) -> dt.date | None:
    """A date as the commons writes it (numeric with 2- or 4-digit year, ISO, long, spelled out);
    else None (a day and month without a year, a month and year: not a whole date)."""
    text = text.strip()
    try:
        if text[:1].isalpha() and not _LONG.match(text):
            return _spelled_date(text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        m = _NUMERIC.match(text)
        if m:
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            if len(m[3]) == 2:
                year += 2000 if year <= TODAY.year % 100 else 1900
            return dt.date(year, month, day)
        m = _LONG.match(text)
        if m:
            day = 1 if m[1] == "1er" else int(m[1])
            return dt.date(int(m[3]), _MONTH_NUMBER[m[2]], day)
    except ValueError:
        return None
    return None


def check_dates(patient: Patient) -> list[Violation]:
    out = []
    sc, idt = patient.suggested_scenario, patient.identity
    birth = dt.date.fromisoformat(idt["birth_date"])
    admission = dt.date.fromisoformat(sc["admission_date"])
    discharge = admission + dt.timedelta(days=sc["length_of_stay"])
    if not birth < admission <= discharge <= TODAY:
        out.append(Violation("dates_in_order", patient.id, f"birth {birth}, in {admission}, out {discharge}"))
    for doc in patient.documents:
        for s in doc.spans("pseudo"):
            if s.label == "DATE_NAISSANCE":
                parsed = parse_date(s.text)
                if parsed is None or parsed != birth:
                    out.append(Violation("birth_date_as_written", doc.id, f"{s.text!r} vs {birth}"))
            elif s.label == "DATE_IDENTIFIANTE":
                parsed = parse_date(s.text)
                if parsed is not None and not birth < parsed <= TODAY + dt.timedelta(days=120):
                    out.append(Violation("dates_after_birth", doc.id, f"{s.text!r} (born {birth})"))
            elif s.label == "DATE_NON_IDENTIFIANTE" and s.text.isdigit():
                if not birth.year <= int(s.text) <= admission.year:
                    out.append(Violation("years_in_life", doc.id, f"{s.text} (born {birth.year})"))
    return out


# --- ages and civil state -------------------------------------------------------------------
_AGE = re.compile(r"(?:, |âgée? de |Pt\(?e?\)? |Pte? |, )(\d{1,3}) ans?\b|\b(\d{1,3}) a\. ")
_MARRIED = re.compile(r"mari[ée]|divorc|veu[fv]|pacs", re.I)


def check_ages(patient: Patient) -> list[Violation]:
    out = []
    sc, idt, a = patient.suggested_scenario, patient.identity, _rules()["ages"]
    birth = dt.date.fromisoformat(idt["birth_date"])
    admission = dt.date.fromisoformat(sc["admission_date"])
    age = sc["age"]["value"]
    if age_on(birth, admission) != age:
        out.append(Violation("age_matches_birth_date", patient.id, f"age {age}, born {birth}, in {admission}"))
    code = patient.icd10
    if code.startswith("O") and (idt["sex"] != "F" or not a["pregnancy"][0] <= age <= a["pregnancy"][1]):
        out.append(Violation("pregnancy_age_and_sex", patient.id, f"{code} at {age} ({idt['sex']})"))
    if code.startswith(("C61", "N40")) and idt["sex"] != "M":
        out.append(Violation("prostate_is_male", patient.id, code))
    for doc in patient.documents:
        for m in _AGE.finditer(doc.text):
            if m.start() > 0 and doc.text[max(0, m.start() - 12):m.start()].strip().endswith(("à", "IDM")):
                continue
            written = int(m[1] or m[2])
            if written != age:
                out.append(Violation("age_as_written", doc.id, f"{m.group().strip()!r} vs {age}"))
        for s in doc.spans("pseudo"):
            if age < a["working_from"] and s.label == "IDENTITE_SOCIALE":
                out.append(Violation("child_has_no_profession", doc.id, f"{s.text!r} at {age}"))
            if age < a["adult_from"] and s.label == "SITUATION_FAMILIALE" and _MARRIED.search(s.text):
                out.append(Violation("child_is_not_married", doc.id, f"{s.text!r} at {age}"))
        if age < a["retired_from"] and re.search(r"\bretraitée?\b", doc.text, re.I):
            out.append(Violation("retired_age", doc.id, f"retired at {age}"))
        if idt["sex"] == "M" and re.search(r"césarienne", doc.text, re.I):
            out.append(Violation("caesarean_is_female", doc.id, "césarienne in a man's record"))
    out += _check_nir(patient, birth)
    return out


def _check_nir(patient: Patient, birth: dt.date) -> list[Violation]:
    idt = patient.identity
    digits = idt["nir"].replace(" ", "")
    problems = []
    if not _nir.is_valid(digits):
        problems.append("invalid key")
    if digits[0] != ("1" if idt["sex"] == "M" else "2"):
        problems.append("sex digit")
    if digits[1:5] != f"{birth.year % 100:02d}{birth.month:02d}":
        problems.append("birth year/month")
    abroad = (idt.get("birth_place") or {}).get("country", "France") != "France"
    if abroad != (digits[5:7] == "99"):
        problems.append("department 99 iff born abroad")
    return [Violation("nir_matches_identity", patient.id, ", ".join(problems))] if problems else []


# --- tumours ----------------------------------------------------------------------------------
_TNM = re.compile(r"(?P<prefix>y?[pc])?(?P<T>T(?:is|[0-4][a-d]?(?:mi)?|X))\s*(?:y?[pc])?(?P<N>N[0-3X][a-c]?(?:mi)?)?\s*(?:[pc])?(?P<M>M[01][a-d]?)?")
_BREAST_GRADE = re.compile(r"(?:SBR (?P<roman>I{1,3})|grade (?P<digit>[123]) selon Elston-Ellis) \((?P<a>\d)\+(?P<b>\d)\+(?P<c>\d)\)")
_GLEASON = re.compile(r"(\d)\+(\d)\)?(?: = \d+)?[^.\n]*?ISUP (\d)", re.I)
_GLIOMA = re.compile(r"(glioblastome|astrocytome|oligodendrogliome)", re.I)


def _anapaths(patient: Patient) -> Iterable[Document]:
    return (d for d in patient.documents if d.type == "ANAPATH")


def check_grading(patient: Patient) -> list[Violation]:
    site = site_of(patient)
    if site is None:
        return []
    out, rules = [], _rules()
    allowed = set(rules["sites"][site]["grading_systems"])
    for doc in _anapaths(patient):
        for system, pattern in rules["grading_patterns"].items():
            if re.search(pattern, doc.text) and system not in allowed:
                out.append(Violation("grading_matches_organ", doc.id, f"{system} grading for {site}"))
        for m in _BREAST_GRADE.finditer(doc.text):
            roman, digit, parts = m["roman"], m["digit"], [int(m[k]) for k in ("a", "b", "c")]
            grade = {"I": 1, "II": 2, "III": 3}[roman] if roman else int(digit)
            total = sum(parts)
            if grade != (1 if total <= 5 else 2 if total <= 7 else 3):
                out.append(Violation("breast_grade_sum", doc.id, m.group()))
        for m in _GLEASON.finditer(doc.text):
            if rules["isup_groups"].get(f"{m[1]}+{m[2]}") != int(m[3]):
                out.append(Violation("gleason_isup_group", doc.id, m.group()))
        if site == "cerveau":
            out += _check_glioma(doc)
        if site == "peau":
            out += _check_breslow(doc)
    return out


def _check_glioma(doc: Document) -> list[Violation]:
    kinds = _rules()["sites"]["cerveau"]["gliomas"]
    m = _GLIOMA.search(doc.text)
    g = re.search(r"grade (?:OMS |CNS WHO )?(\d)", doc.text)
    if not m:
        return [Violation("glioma_integrated_diagnosis", doc.id, "no WHO CNS5 tumour type")]
    kind = kinds[m[1].lower()]
    out = []
    if g and int(g[1]) not in kind["grades"]:
        out.append(Violation("glioma_grade_for_type", doc.id, f"{m[1]} grade {g[1]}"))
    markers = _biomarkers(doc)
    idh = [st for mk, st in markers if mk in ("IDH1", "IDH2")]
    if kind["idh"] == "wild-type" and "mutated" in idh:
        out.append(Violation("glioma_type_matches_idh", doc.id, f"{m[1]} with IDH mutation"))
    if kind["idh"] == "mutated" and idh and "mutated" not in idh:
        out.append(Violation("glioma_type_matches_idh", doc.id, f"{m[1]} without IDH mutation"))
    codel = [st for mk, st in markers if mk == "1p19q"]
    if codel and (codel[0] == "positive") != kind["codeletion"]:
        out.append(Violation("glioma_type_matches_1p19q", doc.id, f"{m[1]} 1p/19q {codel[0]}"))
    return out


def _check_breslow(doc: Document) -> list[Violation]:
    m = re.search(r"Breslow[^0-9]*(\d+(?:,\d+)?) mm", doc.text)
    tnm = [s.text for s in doc.spans("oncology") if s.label == "TNM"]
    if not (m and tnm):
        return []
    thickness = float(m[1].replace(",", "."))
    t = _TNM.search(tnm[0])
    lo, hi = _rules()["breslow_t"][t["T"][:2]]
    if not lo < thickness <= hi and not (t["T"][:2] == "T1" and thickness <= hi):
        return [Violation("melanoma_t_matches_breslow", doc.id, f"{t['T']} with {thickness} mm")]
    return []


def check_tnm(patient: Patient) -> list[Violation]:
    site = site_of(patient)
    out = []
    for doc in _anapaths(patient):
        for span in (s for s in doc.spans("oncology") if s.label == "TNM"):
            if site is None:
                continue
            cats = _rules()["sites"][site]["tnm"]
            if cats == "none":
                out.append(Violation("tnm_matches_site", doc.id, f"{span.text!r} for {site} (no TNM)"))
                continue
            m = _TNM.search(span.text)
            if not m:
                out.append(Violation("tnm_parses", doc.id, span.text))
                continue
            for axis in ("T", "N", "M"):
                if m[axis] and m[axis] not in cats[axis]:
                    out.append(Violation("tnm_matches_site", doc.id, f"{m[axis]} not a {site} category"))
            if m["prefix"] and m["prefix"].endswith("p") and re.search(r"\b(?:Micro)?[Bb]iopsies?\b \(", doc.text):
                out.append(Violation("ptnm_needs_a_resection", doc.id, f"{span.text!r} on a biopsy"))
    return out


def _biomarkers(doc: Document) -> list[tuple[str, str]]:
    return [(s.attrs["biomarker"], s.attrs["status"]) for s in doc.spans("oncology") if s.label == "BIOMARKER"]


def check_biomarkers(patient: Patient) -> list[Violation]:
    site = site_of(patient)
    if site is None:
        return []
    out, rules, onco = [], _rules(), lexicon("oncology")["biomarkers"]
    info = rules["sites"][site]
    for doc in _anapaths(patient):
        spans = [s for s in doc.spans("oncology") if s.label == "BIOMARKER"]
        for s in spans:
            marker, status, method = s.attrs["biomarker"], s.attrs["status"], s.attrs["method"]
            where = f"{marker} {status} {method} ({s.text!r})"
            if marker in rules["mmr_proteins"]:  # read one by one on the MMR immunostain: kept or lost
                if "MMR" not in info["markers"]:
                    out.append(Violation("biomarker_plausible_for_tumour", doc.id, f"{marker} for {site}"))
                if status not in ("positive", "negative") or method != "IHC":
                    out.append(Violation("biomarker_status_exists", doc.id, where))
                continue
            if marker not in info["markers"]:
                out.append(Violation("biomarker_plausible_for_tumour", doc.id, f"{marker} for {site}"))
            if status not in onco[marker]["statuses"]:
                out.append(Violation("biomarker_status_exists", doc.id, where))
            if method not in rules["marker_methods"].get(marker, onco[marker]["methods"]) or \
                    status not in rules["method_statuses"][method]:
                out.append(Violation("biomarker_method_gives_status", doc.id, where))
            value = s.attrs.get("value")
            if marker == "HER2" and value in rules["her2_ihc_scores"]:
                if rules["her2_ihc_scores"][value] != status or method != "IHC":
                    out.append(Violation("her2_score_matches_status", doc.id, where))
            if marker in rules["percent_cutoffs"] and value and value.strip().endswith("%"):
                above, below, cut = rules["percent_cutoffs"][marker]
                number = float(re.sub(r"[^\d,.]", "", value).replace(",", ".") or 0)
                expected = below if value.strip().startswith("<") or number < cut else above
                if status != expected:
                    out.append(Violation("percent_matches_status", doc.id, where))
            if marker == "PD-L1":
                score = info.get("pdl1_score", "TPS")
                other = "CPS" if score == "TPS" else "TPS"
                if other in s.text:
                    out.append(Violation("pdl1_score_for_tumour", doc.id, f"{other} for {site}"))
        markers = _biomarkers(doc)
        for group in rules["exclusive_drivers"].get(site, []):
            drivers = [mk for mk, st in markers if mk in group and st in ("mutated", "positive", "amplified")]
            if len(drivers) > 1:
                out.append(Violation("exclusive_drivers", doc.id, "+".join(drivers)))
        msi = {st for mk, st in markers if mk == "MSI"}
        mmr = {st for mk, st in markers if mk == "MMR"}
        if msi and mmr and (("high" in msi) != ("negative" in mmr)):
            out.append(Violation("msi_matches_mmr", doc.id, f"MSI {msi} MMR {mmr}"))
        lost = {st == "negative" for mk, st in markers if mk in rules["mmr_proteins"]}
        if mmr and lost and (True in lost) != ("negative" in mmr):
            out.append(Violation("mmr_matches_proteins", doc.id, f"MMR {mmr}, a protein lost: {True in lost}"))
        if any(mk == "1p19q" and st == "positive" for mk, st in markers) and \
                not any(mk.startswith("IDH") and st == "mutated" for mk, st in markers):
            out.append(Violation("codeletion_needs_idh", doc.id, "1p/19q codeleted, IDH not mutated"))
    return out


# --- antibiograms -----------------------------------------------------------------------------
def check_antibiograms(patient: Patient) -> list[Violation]:
    out, rules = [], _rules()
    fam_of = {sp: fam for fam, members in rules["families"].items() for sp in members}
    for doc in patient.documents:
        by_org: dict[str, dict[str, str]] = {}
        for row in doc.antibiogram:
            by_org.setdefault(row.organism, {})[row.antibiotic] = row.result
        for organism, res in by_org.items():
            for ab in rules["intrinsic_resistance"].get(organism, []):
                if res.get(ab, "R") != "R":
                    out.append(Violation("intrinsic_resistance", doc.id, f"{organism} {ab} {res[ab]}"))
            for rule in rules["hierarchy"]:
                if fam_of.get(organism) != rule["family"]:
                    continue
                if all(res.get(ab) == v for ab, v in rule["if"].items()):
                    out += _require(doc.id, "beta_lactam_hierarchy", organism, res, rule["then"],
                                    f"{rule['if']}")
        for span in doc.spans("resistance"):
            organism, name = span.attrs.get("organism"), span.label
            allowed = rules["mechanism_species"].get(name)
            if allowed is not None and organism not in allowed:
                out.append(Violation("mechanism_possible_for_species", doc.id, f"{name} in {organism}"))
            effect = rules["mechanism_effects"].get(name, {}).get(
                "absent" if span.attrs.get("negation") == "Absent" else "present", {})
            if organism in by_org:
                out += _require(doc.id, "antibiogram_matches_mechanism", organism, by_org[organism],
                                effect, f"{name} {span.attrs.get('negation')}")
    return out


def _require(doc_id: str, rule: str, organism: str, res: dict[str, str], then: dict, why: str) -> list[Violation]:
    out = []
    for target, drugs in then.items():
        for ab in drugs:
            got = res.get(ab)
            if got is None:
                continue
            ok = got != "S" if target == "not_S" else got == target
            if not ok:
                out.append(Violation(rule, doc_id, f"{organism}: {why} but {ab} {got}"))
    return out


CHECKS: dict[str, Callable[[Patient], list[Violation]]] = {
    "dates": check_dates, "ages": check_ages, "grading": check_grading, "tnm": check_tnm,
    "biomarkers": check_biomarkers, "antibiograms": check_antibiograms,
}


def check_patient(patient: Patient) -> list[Violation]:
    return [v for check in CHECKS.values() for v in check(patient)]


def check_cohort(patients: Iterable[Patient]) -> dict:
    """Every rule over every patient: violations by rule and the first examples."""
    violations, n = [], 0
    for p in patients:
        n += 1
        violations += check_patient(p)
    return {"patients": n, "violations": len(violations),
            "by_rule": dict(Counter(v.rule for v in violations)), "examples": violations[:20]}
