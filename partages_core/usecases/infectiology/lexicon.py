"""Compiled resources of the infectiology extractor: bacteria, sites, antibiotics (ATC), phenotypes.

Sources, merged once and cached: the corpus lexicon (``corpus/lexicons/infectiology.yaml``), this
package's extra wording (``usecases/infectiology/lexicons/infectiology_extra.yaml``), its implanted devices
(``usecases/infectiology/data/implanted_devices.yaml``, Sites an infection sits on) and EDS-NLP's French drug
list with ATC codes (class J01, antibacterials for systemic use). Matching is done on
accent-folded text of the same length as the input, so offsets never shift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from partages_core.corpus.grammar import lexicon
from partages_core.quality.normalize import same_length_fold

fold = same_length_fold  # matching runs on accent-folded text of the same length (offsets kept)


def lower_same_length(text: str) -> str:
    """``text.lower()`` unless a character changes length when lowered (then char by char)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def key(text: str) -> str:
    """Lookup key of a surface form: folded, lower case, single spaces."""
    return " ".join(fold(text).lower().split())


def _is_abbrev(surface: str) -> bool:
    """Short upper-case forms (BGN, SARM, AMX) must match in upper case only."""
    letters = [c for c in surface if c.isalpha()]
    return bool(letters) and len(surface) <= 6 and all(c.isupper() for c in letters)


def alternation(surfaces: list[str]) -> str:
    """A regex of folded surface forms as a character trie (fast: one branch per first letter);
    spaces match any run of whitespace. Longest match wins because every branch is greedy."""
    trie: dict = {}
    for form in {key(s) for s in surfaces if key(s)}:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = []
    for ch in sorted(c for c in node if c):
        atom = r"\s+" if ch == " " else re.escape(ch)
        branches.append(atom + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def _first_then_boundary(escaped: str) -> str:
    """``(?<![\\w-])`` + the escaped word, written as its first letter then the look-behind over both characters:
    the same matches, and a pattern of such words opens with a letter, which ``re`` scans for quickly (speed)."""
    if not escaped[0].isalnum():
        return rf"(?<![\w-]){escaped}"
    return f"{escaped[0]}(?<![\\w-]{escaped[0]}){escaped[1:]}"


def _grouped_first_then_boundary(escaped: list[str]) -> str:
    """The alternation of :func:`_first_then_boundary` words (in the order given), grouped by first letter: a start
    tries one group instead of every word (speed; words with different first letters never compete)."""
    groups: dict[str, list[str]] = {}
    alone = []
    for e in escaped:
        if e[0].isalnum():
            groups.setdefault(e[0], []).append(e[1:])
        else:
            alone.append(_first_then_boundary(e))
    return "|".join([f"{c}(?<![\\w-]{c})(?:{'|'.join(rests)})" for c, rests in groups.items()] + alone)


def word_regex(body: str) -> re.Pattern:
    """Case-insensitive regex of ``body`` bounded by non-word characters."""
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass
class Lexicon:
    """Everything the rules need, compiled once (see :func:`get_lexicon`)."""

    bacteria: dict[str, str] = field(default_factory=dict)        # key -> species/group
    abbrevs: set[str] = field(default_factory=set)                 # keys that must be upper case
    infections: dict[str, str] = field(default_factory=dict)      # key -> site category
    sites: dict[str, str] = field(default_factory=dict)           # key -> site category
    devices: set[str] = field(default_factory=set)                # keys of implanted devices (a Site after "sur")
    bacteremia: list[str] = field(default_factory=list)
    antibiotics: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, ATC)
    phenotypes: dict[str, tuple[str, str]] = field(default_factory=dict)   # key -> (phenotype, negation)
    enzymes: list[str] = field(default_factory=list)
    negation: dict[str, list[str]] = field(default_factory=dict)
    gram_negative: set[str] = field(default_factory=set)
    re_bacteria: re.Pattern | None = None
    re_infection: re.Pattern | None = None
    re_site: re.Pattern | None = None
    re_bacteremia: re.Pattern | None = None
    re_phenotype: re.Pattern | None = None
    re_antibiotic: re.Pattern | None = None
    re_all: re.Pattern | None = None  # every mention kind in one scan of lower-case folded text
    re_genus: re.Pattern | None = None  # "Genus epithet" for any bacterial genus (case-sensitive)


def _extra() -> dict:
    path = resources.files("partages_core.usecases.infectiology") / "lexicons" / "infectiology_extra.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _devices() -> dict[str, list[str]]:
    """Implanted devices an infection sits on, by site category (``data/implanted_devices.yaml``, sources there)."""
    path = resources.files("partages_core.usecases.infectiology") / "data" / "implanted_devices.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _edsnlp_antibacterials() -> dict[str, str]:
    """French names (INN and brands) of ATC J01 drugs and rifamycins (J04AB) from EDS-NLP's drug list: key -> ATC."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("edsnlp")  # locate the file without importing edsnlp (slow)
    if spec is None or not spec.origin:
        return {}
    path = Path(spec.origin).parent / "resources" / "drugs.json"  # what eds.drugs reads
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for atc, names in json.loads(path.read_text(encoding="utf-8")).items():
        if atc.startswith(("J01", "J04AB")):
            for name in names:
                out.setdefault(key(name), atc)
    return out


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """Merge the corpus lexicon, the extra wording and EDS-NLP's ATC list; compile the regexes."""
    inf, extra = lexicon("infectiology"), _extra()
    lx = Lexicon()
    species_all: set[str] = set()
    for source in (inf["bacteria"], extra["bacteria"]):
        for species, forms in source.items():
            species_all.add(species)
            for form in [species, *forms]:
                lx.bacteria.setdefault(key(form), species)
                if _is_abbrev(form):
                    lx.abbrevs.add(key(form))
    for species in species_all:  # "E. coli", "E.coli", "E coli" for every Genus species
        parts = species.split()
        if len(parts) == 2 and parts[0][0].isupper():
            for form in (f"{parts[0][0]}. {parts[1]}", f"{parts[0][0]}.{parts[1]}", f"{parts[0][0]} {parts[1]}"):
                lx.bacteria.setdefault(key(form), species)
    for category, entry in inf["sites"].items():
        for form in entry["infection"]:
            lx.infections.setdefault(key(form), category)
        for form in entry["site"]:
            lx.sites.setdefault(key(form), category)
    for category, forms in extra["infection_extra"].items():
        for form in forms:
            lx.infections.setdefault(key(form), category)
    for category, forms in extra["site_extra"].items():
        for form in forms:
            lx.sites.setdefault(key(form), category)
            if _is_abbrev(form):
                lx.abbrevs.add(key(form))
    for category, forms in _devices().items():
        for form in forms:
            lx.sites.setdefault(key(form), category)
            lx.devices.add(key(form))
            if _is_abbrev(form):
                lx.abbrevs.add(key(form))
    lx.bacteremia = sorted({*inf["bacteremia_words"], *inf["bacteremia_negated"],
                            *inf["bacteremia_uncertain"], *extra["bacteremia_extra"]})
    # Antibiotics: corpus lexicon names and abbreviations first (canonical names), then EDS-NLP.
    for name, info in inf["antibiotics"].items():
        lx.antibiotics[key(name)] = (name, info["atc"])
        lx.antibiotics[key(info["abbr"])] = (name, info["atc"])
        lx.abbrevs.add(key(info["abbr"]))
    eds = _edsnlp_antibacterials()
    atc_to_name = {atc: name for name, atc in lx.antibiotics.values()}
    atc_extra = extra["antibiotic_atc"]
    for alias, name in extra["antibiotic_aliases"].items():
        known = lx.antibiotics.get(key(name))
        atc = known[1] if known else eds.get(key(name)) or atc_extra.get(name, "")
        lx.antibiotics.setdefault(key(alias), (known[0] if known else name, atc))
        lx.antibiotics.setdefault(key(name), (known[0] if known else name, atc))
        if _is_abbrev(alias):
            lx.abbrevs.add(key(alias))
    for form, atc in eds.items():
        if len(form) >= 4:
            lx.antibiotics.setdefault(form, (atc_to_name.get(atc, form), atc))
    # Resistance phenotypes: the corpus phrases, then the extra ones (with their negation).
    lx.enzymes = list(extra["enzymes"])
    for name, entry in inf["phenotypes"].items():
        for phrase in entry["phrases"]:
            lx.phenotypes.setdefault(key(phrase.replace(" {enzyme}", "")), (name, "Present"))
        for phrase in entry["negated"]:
            lx.phenotypes.setdefault(key(phrase), (name, "Absent"))
    for name, by_negation in extra["phenotypes"].items():
        for negation, phrases in by_negation.items():
            for phrase in phrases:
                lx.phenotypes.setdefault(key(phrase), (name, negation))
                if _is_abbrev(phrase):
                    lx.abbrevs.add(key(phrase))
    lx.negation = {k: [key(c) for c in v] for k, v in extra["negation"].items()}
    lx.gram_negative = set(inf["gram_negative"]) | {
        "Acinetobacter baumannii", "Serratia marcescens", "Citrobacter freundii", "Klebsiella oxytoca",
        "Morganella morganii", "BGN", "Enterobacterales"}
    lx.re_bacteria = word_regex(alternation(list(lx.bacteria)))
    lx.re_infection = word_regex(alternation(list(lx.infections)))
    lx.re_site = word_regex(alternation(list(lx.sites)))
    lx.re_bacteremia = word_regex(
        r"(?:(?P<pre>suspicion\s+de|absence\s+de|pas\s+de)\s+)?"
        rf"(?P<core>{alternation(lx.bacteremia)})"
        r"(?:\s+(?P<post>possible|probable|non\s+exclue))?")
    enzymes = "|".join(re.escape(key(e)) for e in sorted(lx.enzymes, key=len, reverse=True))
    lx.re_phenotype = word_regex(
        rf"(?P<ph>{alternation(list(lx.phenotypes))})(?:\s+(?:de\s+type\s+)?(?P<enz>{enzymes}))?")
    lx.re_antibiotic = re.compile(alternation(list(lx.antibiotics)), re.IGNORECASE)
    # One scan for everything (the order sets priority at a given start: phenotype phrases such as
    # "entérobactérie productrice de BLSE" win over the bacterium they contain).
    lx.re_all = re.compile(
        r"(?<![\w-])(?:"
        rf"(?P<ph>{alternation(list(lx.phenotypes))})(?:\s+(?:de\s+type\s+)?(?P<enz>{enzymes}))?"
        r"|(?:(?P<pre>suspicion\s+de|absence\s+de|pas\s+de)\s+)?"
        rf"(?P<core>{alternation(lx.bacteremia)})(?:\s+(?P<post>possible|probable|non\s+exclue))?"
        rf"|(?P<inf>{alternation(list(lx.infections))})"
        rf"|(?P<bac>{alternation(list(lx.bacteria))})"
        rf"|(?P<site>{alternation(list(lx.sites))})"
        r")(?![\w-])")
    genera = _grouped_first_then_boundary(sorted((re.escape(g) for g in extra.get("genera", [])), key=len,
                                                 reverse=True))
    lx.re_genus = re.compile(rf"(?P<genus>{genera})(?:[ \t]+(?P<epithet>[a-z]{{3,}}))?(?![\w-])")
    return lx


ENTEROBACTERALES = {"Escherichia coli", "Klebsiella pneumoniae", "Enterobacter cloacae",
                    "Proteus mirabilis", "Serratia marcescens", "Citrobacter freundii",
                    "Klebsiella oxytoca", "Morganella morganii", "Enterobacterales"}
