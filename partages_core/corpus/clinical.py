"""Clinically coherent draws for the generator: tumour profiles and susceptibility profiles.

The knowledge lives in ``lexicons/clinical_rules.yaml`` (sources named there); this module only
draws within it. ``corpus/coherence.py`` checks the written reports against the same rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from partages_core.corpus.grammar import lexicon

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
DRIVER_POSITIVE = ("mutated", "positive", "amplified")
NEGATIVE_STATUSES = ("negative", "wild-type", "not-amplified", "unmethylated")


def rules() -> dict:
    return lexicon("clinical_rules")


def family_of(species: str) -> str:
    for name, members in rules()["families"].items():
        if species in members:
            return name
    return "other"


# --- tumours ---------------------------------------------------------------------------------
@dataclass
class Tumour:
    """What one pathology report states about a tumour, drawn coherently."""

    site: str
    histology: str
    grade: str                      # the grading phrase, written as is
    specimen: str
    tnm: str | None
    markers: list[tuple[str, str]] = field(default_factory=list)   # (marker, status)
    extra: dict = field(default_factory=dict)


def draw_tumour(rng: random.Random, site: str) -> Tumour:
    """A tumour of ``site`` with a grade of the organ's system, a site-valid TNM and markers."""
    info = rules()["sites"][site]
    extra: dict = {}
    histology = rng.choice(info["histologies"]) if "histologies" in info else ""
    grade = _grade(rng, site, extra)
    if site == "cerveau":
        kind = extra["glioma"]
        histology = {"glioblastome": "glioblastome, IDH-wildtype",
                     "astrocytome": "astrocytome, IDH-muté",
                     "oligodendrogliome": "oligodendrogliome, IDH-muté et 1p/19q-codélété"}[kind]
    resection = rng.random() < 0.65
    specimen = _specimen(rng, site, resection)
    tnm = _tnm(rng, site, extra) if resection and info["tnm"] != "none" else None
    markers = _marker_statuses(rng, site, info, extra)
    return Tumour(site, histology, grade, specimen, tnm, markers, extra)


def _specimen(rng: random.Random, site: str, resection: bool) -> str:
    if not resection:
        return rng.choice(("biopsie", "biopsies", "microbiopsies"))
    return rng.choice({
        "sein": ("tumorectomie", "mastectomie"), "poumon": ("lobectomie", "segmentectomie"),
        "côlon": ("colectomie", "hémicolectomie droite"), "estomac": ("gastrectomie",),
        "peau": ("exérèse cutanée",), "prostate": ("prostatectomie totale",),
        "cerveau": ("exérèse chirurgicale",),
    }[site])


def _grade(rng: random.Random, site: str, extra: dict) -> str:
    if site == "sein":
        parts = [rng.randint(1, 3) for _ in range(3)]
        total = sum(parts)
        grade = 1 if total <= 5 else 2 if total <= 7 else 3
        extra["breast_grade"] = (grade, parts)
        return rng.choice((
            f"grade histopronostique SBR {ROMAN[grade]} ({parts[0]}+{parts[1]}+{parts[2]})",
            f"grade {grade} selon Elston-Ellis ({parts[0]}+{parts[1]}+{parts[2]})",
            f"grade SBR modifié {grade}",
            f"grade de Nottingham {grade}",
        ))
    if site == "prostate":
        primary = rng.choice((3, 3, 4, 4, 5))
        secondary = rng.choice((3, 4, 4, 5)) if primary < 5 else rng.choice((4, 5))
        key = f"{primary}+{secondary}"
        group = rules()["isup_groups"][key]
        return rng.choice((
            f"score de Gleason {key} = {primary + secondary} (groupe ISUP {group})",
            f"Gleason {primary + secondary} ({key}), grade group ISUP {group}",
            f"score de Gleason {primary + secondary} ({key}), groupe de grade ISUP {group}",
        ))
    if site == "cerveau":
        kind = rng.choice(sorted(rules()["sites"]["cerveau"]["gliomas"]))
        grade = rng.choice(rules()["sites"]["cerveau"]["gliomas"][kind]["grades"])
        extra["glioma"], extra["cns_grade"] = kind, grade
        return rng.choice((f"grade OMS {grade}", f"grade {grade} OMS (classification 2021)",
                           f"grade CNS WHO {grade}"))
    if site == "peau":
        t = rng.choice(("T1", "T1", "T2", "T3", "T4"))
        lo, hi = rules()["breslow_t"][t]
        thickness = round(rng.uniform(lo + 0.05, min(hi, lo + 3.0)), 1)
        thickness = min(max(thickness, lo + 0.1), hi)
        extra["breslow"], extra["melanoma_t"] = thickness, t
        clark = rng.choice(("II", "III", "IV")) if t in ("T1", "T2") else rng.choice(("IV", "V"))
        return rng.choice((f"indice de Breslow {str(thickness).replace('.', ',')} mm, niveau de Clark {clark}",
                           f"épaisseur de Breslow : {str(thickness).replace('.', ',')} mm"))
    if site == "poumon" and rng.random() < 0.4:
        return f"grade {rng.randint(1, 3)} IASLC"
    return rng.choice(("bien différencié", "moyennement différencié", "peu différencié",
                       "de bas grade", "de haut grade"))


def _tnm(rng: random.Random, site: str, extra: dict) -> str:
    cats = rules()["sites"][site]["tnm"]
    t = rng.choice(cats["T"])
    if site == "peau":
        t = rng.choice([c for c in cats["T"] if c.startswith(extra["melanoma_t"])])
    n = "N0" if t == "Tis" else rng.choice(cats["N"])
    prefix = "yp" if rng.random() < 0.1 else "p"
    style = rng.random()
    if style < 0.45:
        text = f"{prefix}{t}{n}"
    elif style < 0.75:
        text = f"{prefix}{t} {prefix}{n}" if prefix == "p" else f"{prefix}{t} {n}"
    elif style < 0.9:
        text = f"{prefix}{t}{n}M0" if "M0" in cats["M"] else f"{prefix}{t}{n}"
    else:
        text = f"{prefix}{t}{n}{rng.choice(cats['M'][1:])}"
    return text  # the edition, when written, follows the span (hand-written FORMAT.md convention)


def _marker_statuses(rng: random.Random, site: str, info: dict, extra: dict) -> list[tuple[str, str]]:
    onco = lexicon("oncology")["biomarkers"]
    k = min(len(info["markers"]), rng.randrange(2, 6))
    markers = rng.sample(info["markers"], k=k)
    if site == "cerveau":
        markers = sorted(set(markers) | {"IDH1"}, key=info["markers"].index)
    out: list[tuple[str, str]] = []
    positive_driver = False
    exclusive = {m for group in rules()["exclusive_drivers"].get(site, []) for m in group}
    msi_high = rng.random() < 0.15
    for marker in markers:
        statuses = sorted(onco[marker]["statuses"])
        status = rng.choice(statuses)
        if site == "cerveau":
            status = _glioma_status(rng, marker, extra, statuses)
        elif marker in ("MSI", "MMR"):
            status = ("high" if marker == "MSI" else "negative") if msi_high else \
                     ("negative" if marker == "MSI" else "positive")
        if marker in exclusive and status in DRIVER_POSITIVE and site != "cerveau":
            if positive_driver or rng.random() < 0.5:
                status = next(s for s in statuses if s in NEGATIVE_STATUSES)
            else:
                positive_driver = True
        out.append((marker, status))
    return out


def _glioma_status(rng: random.Random, marker: str, extra: dict, statuses: list[str]) -> str:
    kind = rules()["sites"]["cerveau"]["gliomas"][extra["glioma"]]
    if marker == "IDH1":
        return "mutated" if kind["idh"] == "mutated" else "wild-type"
    if marker == "IDH2":  # the lexicon writes IDH2 wild-type only: the IDH mutation is IDH1 here
        return "wild-type"
    if marker == "1p19q":
        return "positive" if kind["codeletion"] else "negative"
    return rng.choice(statuses)


# --- antibiograms ----------------------------------------------------------------------------
def mechanisms_for(species: str) -> list[str]:
    return sorted(m for m, sp in rules()["mechanism_species"].items() if species in sp)


def draw_susceptibility(rng: random.Random, species: str, panel: list[str],
                        phenotype: tuple[str, bool] | None, enzyme: str | None = None) -> dict[str, str]:
    """S/I/R per antibiotic of ``panel``: background, then intrinsic and mechanism, then rules."""
    fam = family_of(species)
    res = {ab: _background(rng, species, fam, ab) for ab in panel}
    forced: dict[str, str] = {}
    for ab in rules()["intrinsic_resistance"].get(species, []):
        forced[ab] = "R"
    if phenotype:
        name, negated = phenotype
        effect = rules()["mechanism_effects"][name]["absent" if negated else "present"]
        for ab in effect.get("R", []):
            forced.setdefault(ab, "R")
        for ab in effect.get("S", []):
            forced.setdefault(ab, "S")
        for ab in effect.get("not_S", []):
            forced.setdefault(ab, "R" if rng.random() < 0.85 else "I")
        if name == "EPC" and not negated:
            for ab in ("imipénème", "méropénème"):
                forced.setdefault(ab, rng.choice(("R", "R", "I")))
            if enzyme != "OXA-48":
                for ab in ("céfotaxime", "ceftriaxone", "ceftazidime"):
                    forced.setdefault(ab, "R")
    for ab, value in forced.items():
        if ab in res:
            res[ab] = value
    _apply_hierarchy(res, fam, frozen=set(forced))
    if "céfotaxime" in res and "ceftriaxone" in res:
        res["ceftriaxone"] = res["céfotaxime"]
    return res


def _background(rng: random.Random, species: str, fam: str, ab: str) -> str:
    """Acquired resistance drawn at rough French rates (not a surveillance figure)."""
    r = rng.random()
    rates = {
        "amoxicilline": 0.5, "amoxicilline-acide clavulanique": 0.3, "pipéracilline-tazobactam": 0.08,
        "céfotaxime": 0.05, "ceftriaxone": 0.05, "ceftazidime": 0.05, "céfépime": 0.04,
        "imipénème": 0.0, "méropénème": 0.0, "ertapénème": 0.0, "gentamicine": 0.08,
        "amikacine": 0.02, "ciprofloxacine": 0.18, "lévofloxacine": 0.15, "cotrimoxazole": 0.22,
        "fosfomycine": 0.03, "oxacilline": 0.2, "vancomycine": 0.0, "linézolide": 0.0,
        "clindamycine": 0.15,
    }
    if fam == "pseudomonas":
        rates.update({"pipéracilline-tazobactam": 0.15, "ceftazidime": 0.1, "céfépime": 0.08,
                      "imipénème": 0.15, "méropénème": 0.08, "ciprofloxacine": 0.2})
    if species == "Staphylococcus epidermidis":
        rates["oxacilline"] = 0.6
    if species == "Enterococcus faecalis":
        rates["amoxicilline"] = 0.0
    if species == "Enterococcus faecium":
        rates["amoxicilline"] = 0.9
    if fam == "streptococci":
        rates.update({"amoxicilline": 0.1, "céfotaxime": 0.03, "lévofloxacine": 0.02})
    rate = rates.get(ab, 0.1)
    if r < rate:
        return "R"
    if r < rate * 1.2 and ab not in ("oxacilline", "vancomycine", "ertapénème"):
        return "I"
    return "S"


def _apply_hierarchy(res: dict[str, str], fam: str, frozen: set[str]) -> None:
    """Force the interpretive rules to a fixpoint; drugs set by a mechanism or intrinsic
    resistance are never overturned (rules are written so that they never need to be)."""
    for _ in range(6):
        changed = False
        for rule in rules()["hierarchy"]:
            if rule["family"] != fam:
                continue
            if not all(res.get(ab) == v for ab, v in rule["if"].items()):
                continue
            for target, drugs in rule["then"].items():
                for ab in drugs:
                    if ab not in res or ab in frozen:
                        continue
                    want = res[ab] if target == "not_S" and res[ab] != "S" else ("R" if target == "not_S" else target)
                    if res[ab] != want:
                        res[ab], changed = want, True
        if not changed:
            return


def mic_for(rng: random.Random, antibiotic: str, result: str) -> str | None:
    """A MIC (mg/L) on the doubling scale consistent with the EUCAST breakpoints, or None."""
    bp = rules()["mic_breakpoints_enterobacterales"].get(antibiotic)
    if not bp:
        return None
    s, r = bp
    scale = [0.016, 0.03, 0.06, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128]
    pool = {"S": [x for x in scale if x <= s], "I": [x for x in scale if s < x <= r],
            "R": [x for x in scale if x > r]}[result]
    if not pool:
        return None
    value = rng.choice(pool[-4:]) if result == "S" else rng.choice(pool[:4])
    text = f"{value:g}".replace(".", ",")
    if result == "S" and value == pool[0]:
        text = "≤ " + text
    if result == "R" and value == pool[-1]:
        text = "> " + text
    return text
