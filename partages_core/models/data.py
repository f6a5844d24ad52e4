"""Texts and tasks drawn from the commons for the models: patient-level splits (no patient in two
splits), pretraining texts, fine-tuning examples per gold layer, instruction pairs for the LM."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from partages_core.corpus.conclusions import conclusion_pair
from partages_core.corpus.model import Patient
from partages_core.quality.splits import split_patients

# gold layer per token-classification task, in the rules extractors' label vocabulary
SPAN_TASKS = {"pseudo": "pseudo", "oncology": "oncology", "infectio": "infectio", "resistance": "resistance"}


def split_texts(patients: Sequence[Patient], seed: int = 13) -> dict[str, list[str]]:
    """Document texts per split (train/dev/test) from ``split_patients``."""
    return {name: [d.text for p in group for d in p.documents]
            for name, group in split_patients(patients, seed).items()}


def span_examples(patients: Sequence[Patient], task: str) -> tuple[list[str], list[list[dict]]]:
    """(texts, spans) of every document for a token-classification task (gold layer ``task``)."""
    layer = SPAN_TASKS[task]
    texts, spans = [], []
    for p in patients:
        for d in p.documents:
            texts.append(d.text)
            spans.append([{"start": s.start, "end": s.end, "label": s.label} for s in d.spans(layer)])
    return texts, spans


def response_examples(patients: Sequence[Patient]) -> tuple[list[str], list[str]]:
    """(texts, response labels) of follow-up documents that carry a CU5b gold response."""
    pairs = [(d.text, d.response.label) for p in patients for d in p.documents if d.response]
    return [t for t, _ in pairs], [y for _, y in pairs]


def instruction_pairs(patients: Sequence[Patient]) -> list[dict[str, Any]]:
    """French instruction/answer pairs: write the conclusion of a report, and Q/A on the scenario."""
    pairs: list[dict[str, Any]] = []
    for p in patients:
        for d in p.documents:
            cut = conclusion_pair(p, d.text)
            if cut:
                pairs.append({"task": "conclusion", "patient": p.id, "document": d.id,
                              "instruction": "Rédige la conclusion de ce compte rendu.",
                              "input": conclusion_evidence(cut[0]), "report": cut[0], "output": cut[1]})
        s = p.suggested_scenario
        first = p.documents[0].text if p.documents else ""
        for question, answer in (
            ("Quel est le diagnostic principal ?", s["primary_diagnosis"]["label"]),
            ("Quel est le mode d'entrée ?", s["admission_mode"]),
            ("Quel est l'âge du patient ?", f"{s['age']['value']} {s['age']['unit']}"),
        ):
            pairs.append({"task": "qa", "patient": p.id, "document": p.documents[0].id if p.documents else "",
                          "instruction": question, "input": first, "output": answer})
    return pairs


_LEAD = re.compile(r"\b(?:pour|de)\s+([^.\n]+)\.", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 3]


# Sentences that say nothing about the diagnosis: identity, letterhead, history, way of life, vital
# signs. The decoder's window is short; these would push the findings out of it.
_NOISE = re.compile(
    r"\b(?:nom|prénom|ipp|nda|nir|ddn|ins|réf|séjour|né\(?e?\)? le|atcd|antécédents?|terrain|allergi\w*|"
    r"mode de vie|personne à prévenir|contact|exerce comme|retraité\w*|nationalité|originaire|célibataire|"
    r"marié\w*|pacsé\w*|divorcé\w*|veu[fv]\w*|domicile|tabagisme|ta \d|fc \d|constantes|spo2|poids|imc|cf\.|"
    r"secrétariat|téléphone|tél|adresse|rpps|n° de dossier|identifiant)\b", re.IGNORECASE)


def conclusion_evidence(report: str, cap: int = 700) -> str:
    """What the decoder reads to conclude, the report's key findings (a 2-layer model does not find
    the reason for admission 200 tokens back): the service line of the letterhead, then the
    sentences of the body that are not identity, history, way of life or vital signs (the story,
    the examination, the treatment and its course), then last, nearest the answer, the sentence
    giving the reason for the stay or visit (the lead, see :func:`extractive_baseline`), which names
    the diagnosis when the report does. At most ``cap`` characters (the findings are cut from the
    start). Chosen from the report alone."""
    lines = report.split("\n")
    service = next((ln.strip() for ln in lines[:8] if re.search(r"\b(?:service|pôle|unité)\b", ln, re.IGNORECASE)), "")
    body = "\n".join(lines[8:])
    match = _LEAD.search(body)
    lead = body[body.rfind("\n", 0, match.start()) + 1:match.end()].strip() if match else ""
    kept = [s for s in _sentences(body) if not (lead and (s in lead or lead in s)) and not _NOISE.search(s)
            and not (len(s.split()) <= 3 and (s.endswith(":") or s.isupper() or s.startswith("-")))]
    budget = max(0, cap - len(service) - len(lead))
    findings = " ".join(kept)[-budget:] if budget else ""
    return "\n".join(part for part in (service[:cap], findings.strip(), lead[-cap:]) if part)


def extractive_baseline(report: str) -> str:
    """Baseline conclusion, extractive "lead": the reason for the stay or the visit, i.e. the first
    "pour …" / "de …" clause after the letterhead (the report's first 8 lines); the last sentence of
    the report when there is none. (The last sentence alone scores ROUGE-L 0.02 on the small
    commons' training conclusions, this lead 0.21.)"""
    match = _LEAD.search(report.split("\n", 8)[-1])
    return match.group(1).strip() + "." if match else last_sentence(report)


def last_sentence(report: str) -> str:
    """The weaker extractive baseline: the report's last sentence before its conclusion."""
    sentences = _sentences(report)
    return sentences[-1] if sentences else ""


def handwritten_texts() -> dict[str, list[str]]:
    """Texts of the hand-written set per split (``handwritten-dev``, ``handwritten-test``): text the
    generator did not write, for reporting only (never for tuning)."""
    from partages_core.corpus.handwritten import load_handwritten

    return {f"handwritten-{split}": [d.text for p in load_handwritten(split) for d in p.documents]
            for split in ("dev", "test")}
