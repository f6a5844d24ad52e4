"""Terminology harmonisation: drugs → ATC (EDS-NLP resource), bacteria → species, units, ICD-10.

Each facility writes the same concept its own way (``AUGMENTIN``, ``amoxicilline-acide
clavulanique``; ``colibacille``, ``E. coli``; ``g/l``, ``g/L``); these helpers give one code or one
spelling so that counts and models compare across facilities.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from partages_core.corpus.grammar import lexicon

ICD10_RE = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,3})?$")
CCAM_RE = re.compile(r"^[A-Z]{4}[0-9]{3}$")
ATC_RE = re.compile(r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$")


def fold(text: str) -> str:
    """Accent- and case-insensitive key with hyphens/punctuation as spaces (for lexicon look-ups)."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^a-z0-9.]+", " ", text).split())


# --- ICD-10 ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def icd10_codes() -> frozenset[str]:
    """The bundled CIM-10 FR code list (``icd10_codes.txt``, derived from EDS-NLP's resource)."""
    path = resources.files("partages_core.quality") / "icd10_codes.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def icd10_problem(code: object) -> str | None:
    """Why ``code`` is not a usable ICD-10 code, or None when it is well formed and listed."""
    if not isinstance(code, str) or not ICD10_RE.match(code):
        return f"malformed ICD-10 code {code!r} (expected e.g. K85.1)"
    if code not in icd10_codes():
        return f"ICD-10 code {code!r} not in the bundled CIM-10 list"
    return None


# --- drugs → ATC ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _drug_index() -> dict[str, str]:
    """Folded drug name (brand or molecule, from EDS-NLP ``drugs.json``) → most specific ATC code."""
    from edsnlp.pipes.ner.drugs.patterns import get_patterns

    index: dict[str, str] = {}
    for atc, names in sorted(get_patterns().items()):
        for name in names:
            key = fold(name)
            # prefer a full 7-character ATC code over a class code for the same name
            if key not in index or (len(atc) > len(index[key])):
                index[key] = atc
    # "imipeneme et inhibiteur d'enzyme" (J01DH51) is how the resource names imipénème/cilastatine
    for atc, names in sorted(get_patterns().items()):
        for name in names:
            key = fold(name)
            if " et inhibiteur" in key:
                index.setdefault(key.split(" et inhibiteur")[0], atc)
    return index


def drug_atc(name: str) -> str | None:
    """ATC code of a drug or antibiotic name (brand, molecule or lexicon abbreviation), else None."""
    key = fold(name)
    index = _drug_index()
    if key in index:
        return index[key]
    abbr = _antibiotic_abbreviations().get(name.strip().upper())
    if abbr:
        return index.get(fold(abbr))
    # "amoxicilline-acide clavulanique" is written "amoxicilline acide clavulanique" in the resource
    return index.get(key.replace(" et ", " "))


@lru_cache(maxsize=1)
def _antibiotic_abbreviations() -> dict[str, str]:
    """Lab abbreviations (AMX, TZP…) → antibiotic name, from the infectiology lexicon."""
    return {v["abbr"].upper(): k for k, v in lexicon("infectiology")["antibiotics"].items()}


# --- bacteria → species ---------------------------------------------------------------------
@lru_cache(maxsize=1)
def _species_index() -> dict[str, str]:
    index = {}
    for species, names in lexicon("infectiology")["bacteria"].items():
        for name in [species, *names]:
            index[fold(name)] = species
    return index


def species_list() -> tuple[str, ...]:
    """The normalised species names (keys of ``bacteria`` in ``corpus/lexicons/infectiology.yaml``)."""
    return tuple(sorted(lexicon("infectiology")["bacteria"]))


def normalise_bacterium(name: str) -> str | None:
    """Species for a bacterium as clinicians write it (``colibacille`` → Escherichia coli), else None."""
    key = fold(name)
    index = _species_index()
    return index.get(key) or index.get(key.replace(". ", ".").replace(".", ". ").strip())


# --- units -----------------------------------------------------------------------------------
_PREFIX = {"": "", "m": "m", "µ": "µ", "μ": "µ", "u": "µ", "mc": "µ", "n": "n", "k": "k", "d": "d"}
UNIT_RE = re.compile(
    r"(?<![\w/])(?P<value>\d+(?:[.,]\d+)?)\s?"
    r"(?P<unit>(?:mc|[mµμunkd])?(?:g|mol|l|L|UI|ui)(?:/(?:(?:mc|[mµμund])?(?:l|L|kg|j|min|24h|h)))*)"
    r"(?![\w/])")


def harmonise_unit(unit: str) -> str:
    """One spelling per unit: litre is ``L`` (g/l → g/L), micro is ``µ``, per day is ``/j``."""
    parts = unit.split("/")
    out = []
    for part in parts:
        m = re.fullmatch(r"(mc|[mµμunkd])?(g|mol|l|L|UI|ui|kg|j|min|24h|h)", part)
        if not m:
            out.append(part)
            continue
        prefix, base = m.group(1) or "", m.group(2)
        if base in ("kg", "j", "min", "24h", "h"):
            out.append(part)
            continue
        base = {"l": "L", "ui": "UI"}.get(base, base)
        out.append(_PREFIX.get(prefix, prefix) + base)
    return "/".join(out)


@dataclass(frozen=True)
class Quantity:
    """A value with its unit found in a text; offsets into that text."""

    start: int
    end: int
    value: float
    unit: str
    unit_raw: str


def find_quantities(text: str) -> list[Quantity]:
    """Every ``<number> <unit>`` in ``text`` with the unit harmonised (decimal comma read as a point)."""
    return [Quantity(m.start(), m.end(), float(m.group("value").replace(",", ".")),
                     harmonise_unit(m.group("unit")), m.group("unit"))
            for m in UNIT_RE.finditer(text)]
