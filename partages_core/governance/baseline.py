"""Baseline pseudonymiser built from EDS-NLP rule components (eds.dates + eds.matcher).

It does the same job as :mod:`pseudonymisation` the way one would with stock EDS-NLP parts:
dates from ``eds.dates`` (absolute dates identifying, year-only not, durations ignored), and
``eds.matcher`` regex and term patterns for identifiers, titled names, places and a first-name
gazetteer. Used by the benchmark as the reference for speed and recall.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from partages_core.governance.lexicons import surrogate_pools

REGEX = {
    "EMAIL": [r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"],
    "URL": [r"(?:https?://|www\.)[^\s<>()\"'|]+[^\s<>()\"'|.,;:]"],
    "TELEPHONE": [r"(?:\+33\s?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}"],
    "ID": [r"[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}\s?\d{2}", r"(?:IPP|Identifiant patient)\s*:?\s*\d{6,12}",
           r"(?:NDA|Séjour)\s*:?\s*[A-Z]?\d{6,12}"],
    "ADRESSE": [r"\d{1,4},? (?:rue|avenue|boulevard|chemin|allée|impasse|place|route|quai) [^\n,.;|()]+"],
    "CODE_POSTAL": [r"\b\d{5}\b"],
    "HOPITAL": [r"(?:CHU|CH|Centre Hospitalier|Hôpital|Clinique)(?: de| du| des)? [A-ZÀ-Þ][\w'-]+(?:[ -][A-ZÀ-Þ][\w'-]+)*"],
    "NOM": [r"(?:Dr|Docteur|Pr|Professeur|Mme|Madame|M\.|Monsieur)\.? (?:[A-Z]\. )?[A-ZÀ-Þ][\w'-]+(?: [A-ZÀ-Þ][\w'-]+)?",
            r"Nom\s*:\s*[A-ZÀ-Þ][\w' -]+?(?=\s{2}|\n)"],
    "VILLE": [r"(?:Vit à|\d{5}) [A-ZÀ-Þ][\w'-]+"],
    "SITUATION_FAMILIALE": [r"\b(?:mariée?|célibataire|divorcée?|veuve|veuf|en couple|pacsée?)\b"],
    "NATIONALITE": [r"(?<=nationalité )[a-zà-ÿ]+"],
}


@lru_cache(maxsize=1)
def baseline_pipeline():
    """An EDS-NLP pipeline (blank French tokenizer + eds.dates + eds.matcher), built in code."""
    import edsnlp

    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.dates")
    # French first names (Faker fr_FR, the list surrogates come from): a favourable gazetteer
    names = sorted({n for pool in ("first_M", "first_F") for n in surrogate_pools()[pool]})
    nlp.add_pipe("eds.matcher", config=dict(regex=REGEX, terms={"PRENOM": names}, attr="TEXT",
                                            ignore_excluded=False))
    return nlp


def baseline_detect(text: str, nlp=None) -> list[dict[str, Any]]:
    """Spans found by the EDS-NLP baseline, in the same shape as ``pseudonymisation.detect``."""
    nlp = nlp or baseline_pipeline()
    return _spans(nlp(text))


def baseline_pipe(texts: list[str], nlp=None) -> list[list[dict[str, Any]]]:
    nlp = nlp or baseline_pipeline()
    return [_spans(doc) for doc in nlp.pipe(texts)]


def _spans(doc) -> list[dict[str, Any]]:
    out = []
    for span in doc.spans.get("dates", []):
        date = span._.date
        mode = str(getattr(date, "mode", ""))
        if "ABSOLUTE" not in mode.upper():
            continue
        if getattr(date, "day", None) is None and getattr(date, "month", None) is None:
            label = "DATE_NON_IDENTIFIANTE"
        else:
            before = doc.text[max(0, span.start_char - 12):span.start_char].lower()
            label = "DATE_NAISSANCE" if ("né" in before or "ddn" in before or "ne le" in before) else "DATE_IDENTIFIANTE"
        out.append({"start": span.start_char, "end": span.end_char, "label": label, "text": span.text})
    for span in doc.ents:
        out.append({"start": span.start_char, "end": span.end_char, "label": span.label_, "text": span.text})
    return sorted(out, key=lambda e: (e["start"], e["end"]))
