"""Where a generated report states its conclusion, found from the gold and the generator's grammar.

A heading regex is not enough on the commons: the generator writes the "Conclusion" section title
as ``Conclusion :``, ``CONCLUSION``, ``CONCLUSION : …`` on the same line, ``- Conclusion -`` or not
at all (dictated letters), and its writing noise drops accents and swaps letters in it
("CONCLUISON"). What does not vary is the structure: the conclusion is a line of its own that opens
with one of the conclusion rules' lead-ins (``Au total :``, ``CCL :``, ``En résumé,``, ``Au total,
il s'agit donc d'un patient de 54 ans présentant`` …, read from the grammar's lexicons) followed by
the patient's primary diagnosis (the scenario's gold label). ``locate_conclusion`` finds the last
such line; the reference conclusion is the statement from the diagnosis to the end of its sentence
(the lead-in is form, not content), the prompt is the report before that line, without a trailing
section title.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any

from partages_core.corpus.grammar import compile_rule, lexicon

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"[ \t]+")
_TITLE = "conclusion"


@dataclass(frozen=True)
class Conclusion:
    prompt: str  # the report before the conclusion line, without a trailing section title
    reference: str  # the conclusion statement: the diagnosis to the end of its sentence
    start: int  # offset of the statement in the document text
    end: int
    lead_in: str  # the text on the line before the statement ("CONCLUSION : CCL : ")


def _fold(text: str) -> str:
    """Lower case, no diacritics, digits as N, single spaces: the comparison form (one character
    in, one out, so offsets in the folded text are offsets in the original)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(base if len(base) == 1 else ch.lower()[:1])
    return "".join(out)


def _compare_form(text: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("N", _fold(text))).strip()


def _gendered(text: str) -> set[str]:
    return {text.replace("f(ve)", "ve").replace("(e)", "e"), text.replace("(ve)", "").replace("(e)", "")}


@lru_cache(maxsize=1)
def lead_ins() -> frozenset[str]:
    """Every lead-in the generator's conclusion rules write before ``{diagnosis}`` (both genders,
    slots before the diagnosis as ``N``), in comparison form."""
    grammar, variety = lexicon("grammar"), lexicon("variety")
    rules = list(grammar["rules"].get("conclusion", []))
    for style, sections in variety.get("styles", {}).items():
        if isinstance(sections, dict):
            rules += sections.get("conclusion", [])
    rules += variety.get("child_rules", {}).get("conclusion", [])
    found: set[str] = set()
    for rule in rules:
        if "{diagnosis}" not in rule:
            continue
        parts = compile_rule(rule.split("{diagnosis}", 1)[0])
        choices = [[p] if isinstance(p, str) else ["N"] if p[0] == "slot"
                   else ["".join(x if isinstance(x, str) else "N" for x in alt) for alt in p[1]]
                   for p in parts]
        for combo in product(*choices):
            for text in _gendered("".join(combo)):
                found.add(_compare_form(text))
    return frozenset(found)


def _close(a: str, b: str) -> bool:
    """Equal, or equal but for the generator's noise (a swapped pair of letters, in a text long
    enough to receive one)."""
    return a == b or (len(b) >= 10 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def is_lead_in(prefix: str) -> bool:
    """``prefix`` (the line before the diagnosis) is a conclusion rule's lead-in, possibly after
    the section title on the same line ("CONCLUSION : CCL : ")."""
    form = _compare_form(prefix)
    titled = re.match(r"^[-\s]*([a-z]{8,12})\s*:?\s*-?\s*(.*)$", form)
    candidates = [form]
    if titled and _close(titled.group(1), _TITLE):
        candidates.append(titled.group(2))
    return any(_close(c, cue) for c in candidates for cue in lead_ins())


def _is_title(line: str) -> bool:
    letters = re.sub(r"[^a-z]", "", _fold(line))
    return bool(letters) and _close(letters, _TITLE)


def _occurrences(folded: str, label: str) -> list[int]:
    """Starts of ``label`` in ``folded`` (both folded), also with two neighbouring letters swapped
    (the generator's typo noise), last first."""
    variants = {label} | {label[:i] + label[i + 1] + label[i] + label[i + 2:] for i in range(len(label) - 1)}
    starts = {m.start() for v in variants if v.strip() for m in re.finditer(re.escape(v), folded)}
    return sorted(starts, reverse=True)


def locate_conclusion(text: str, diagnosis: str) -> Conclusion | None:
    """The report's conclusion statement about ``diagnosis`` (the scenario's gold label), or None
    when the report has no conclusion line (pathology and microbiology reports, for instance)."""
    if not diagnosis.strip():
        return None
    folded, label = _fold(text), _fold(diagnosis.strip())
    for start in _occurrences(folded, label):
        line_start = text.rfind("\n", 0, start) + 1
        prefix = text[line_start:start]
        if not is_lead_in(prefix):
            continue
        stop = re.compile(r"\.(?=\s|$)|\n").search(text, start + len(label))
        end = stop.end() if stop and stop.group() == "." else (stop.start() if stop else len(text))
        reference = text[start:end].strip()
        lines = text[:line_start].rstrip().split("\n")
        if lines and _is_title(lines[-1]):
            lines = lines[:-1]
        return Conclusion("\n".join(lines).rstrip(), reference, start, start + len(reference), prefix)
    return None


def conclusion_pair(patient: Any, text: str) -> tuple[str, str] | None:
    """(prompt, reference conclusion) of one of ``patient``'s generated reports, or None without a
    conclusion line: the task pair that the decoder and the ``generation`` evaluation task share."""
    found = locate_conclusion(text, patient.suggested_scenario["primary_diagnosis"]["label"])
    return (found.prompt, found.reference) if found and found.prompt else None


__all__ = ["Conclusion", "conclusion_pair", "is_lead_in", "lead_ins", "locate_conclusion"]
