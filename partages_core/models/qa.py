"""A small French question-answering set derived from the commons' gold (biomarker status,
germ, response to treatment), scored by exact match, and its export as an EleutherAI
``lm-evaluation-harness`` task (YAML + JSONL) so that any causal LM can be scored with that tool:

    lm_eval --model hf --model_args pretrained=<model> --include_path <folder> --tasks partages_qa
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partages_core.corpus.model import Patient

TASK = "partages_qa"
STATUS_FR = {"amplified": "amplifié", "not-amplified": "non amplifié", "equivocal": "équivoque",
             "high": "élevé", "low": "faible", "methylated": "méthylé", "unmethylated": "non méthylé",
             "mutated": "muté", "wild-type": "sauvage", "positive": "positif", "negative": "négatif"}
RESPONSE_FR = {"ReponseComplete": "réponse complète", "ReponsePartielle": "réponse partielle",
               "MaladieStable": "maladie stable", "MaladieProgressive": "maladie progressive",
               "NonDetermine": "non déterminée", "NonApplicable": "non applicable"}
PROMPT = "{context}\n\nQuestion : {question}\nRéponse :"
# Words that mark the sentences worth reading for a question kind (a biomarker question also keeps
# every sentence naming its marker). The evidence is chosen from the question alone, never the answer.
EVIDENCE_WORDS = {
    "germ": ("culture", "antibiogramme", "bactériémie", "germe", "isolé", "isolement", "positive", "positif",
             "prélèvement", "ecbu", "documenté"),
    "response": ("réponse", "recist", "progression", "progressive", "stable", "stabilité", "rémission",
                 "régression", "évaluation", "complète", "partielle"),
}
MARKER_NAMES = {"her2": ("her2", "c-erbb2", "erbb2"), "pd-l1": ("pd-l1", "pdl1"), "1p19q": ("1p/19q", "1p19q"),
                "mmr": ("mmr", "mlh1", "msh2", "msh6", "pms2"), "msi": ("msi", "microsatellit"),
                "tmb": ("tmb", "charge mutationnelle"), "ki67": ("ki67", "ki-67")}
# A sentence ends at . ! ? followed by a space and a capital, or at a line end: "Bactériémie à K.
# pneumoniae" and "variant c.5946del" stay whole.
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[ \t]+(?=[A-ZÀ-ÖØ-Þ])|\n+")
MAX_EVIDENCE = 4


def evidence(text: str, kind: str, question: str) -> str:
    """The sentences of ``text`` a reader needs for the question (at most ``MAX_EVIDENCE``, in
    document order): those naming the biomarker, or holding a word of the kind's list; the whole
    text when none does. A small decoder sees a short window: the evidence has to be in it."""
    keys = list(EVIDENCE_WORDS.get(kind, ()))
    if kind == "biomarker":
        marker = question.removeprefix("Quel est le statut ").removesuffix(" ?").lower()
        keys = list(MARKER_NAMES.get(marker, (marker,)))
    sentences = [s.strip() for s in SENTENCE_SPLIT.split(text) if s.strip()]
    hit = [any(k in s.lower() for k in keys) for s in sentences]
    # the response heading ("Évaluation :") brings the line it heads: the statement is there
    kept = [s for i, s in enumerate(sentences) if hit[i] or (
        kind == "response" and i > 0 and hit[i - 1] and sentences[i - 1].endswith(":"))]
    return " ".join(kept[-MAX_EVIDENCE:]) if kept else text


def qa_items(patients: Sequence[Patient]) -> list[dict[str, Any]]:
    """One question per unambiguous gold fact of each document, in document order.

    A biomarker with two different statuses in one document, or a document with several germs,
    gives no question (the answer would not be unique).
    """
    items: list[dict[str, Any]] = []
    for p in patients:
        for d in p.documents:
            found: list[tuple[str, str, str]] = []
            statuses: dict[str, set[str]] = {}
            for s in d.spans("oncology"):
                if s.label == "BIOMARKER" and s.attrs.get("biomarker") and s.attrs.get("status") in STATUS_FR:
                    statuses.setdefault(str(s.attrs["biomarker"]), set()).add(STATUS_FR[s.attrs["status"]])
            for marker, values in sorted(statuses.items()):
                if len(values) == 1:
                    found.append(("biomarker", f"Quel est le statut {marker} ?", next(iter(values))))
            germs = {str(s.attrs.get("normalized") or s.text) for s in d.spans("infectio")
                     if s.label == "Bacterie" and s.attrs.get("negation", "Present") == "Present"}
            if len(germs) == 1:
                found.append(("germ", "Quel germe est identifié ?", germs.pop()))
            if d.response and d.response.label in RESPONSE_FR:
                found.append(("response", "Quelle est la réponse au traitement ?", RESPONSE_FR[d.response.label]))
            for k, (kind, question, answer) in enumerate(found):
                items.append({"id": f"{d.id}-q{k + 1}", "patient": p.id, "document": d.id, "kind": kind,
                              "question": question, "answer": answer, "context": d.text,
                              "evidence": evidence(d.text, kind, question)})
    return items


def normalise(text: str) -> str:
    """Exact-match normal form: NFC, lower case, punctuation and surrounding spaces dropped."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", " ", text)).strip()


def exact_match(prediction: str, answer: str) -> bool:
    return normalise(prediction) == normalise(answer)


def instruction_pairs(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The QA items in the decoder's instruction format (task ``qa-gold``); the input is the
    question's evidence sentences (:func:`evidence`), not the whole report."""
    return [{"task": "qa-gold", "patient": it["patient"], "document": it["document"], "kind": it["kind"],
             "instruction": it["question"], "input": it["evidence"], "output": it["answer"]} for it in items]


TASK_YAML = """# lm-evaluation-harness task: French QA derived from the PARTAGES commons' gold (fictional data).
task: {task}
dataset_path: json
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: generate_until
doc_to_text: "{{{{context}}}}\\n\\nQuestion : {{{{question}}}}\\nRéponse :"
doc_to_target: " {{{{answer}}}}"
generation_kwargs:
  until:
    - "\\n"
  do_sample: false
  max_gen_toks: 32
metric_list:
  - metric: exact_match
    aggregation: mean
    higher_is_better: true
    ignore_case: true
    ignore_punctuation: true
metadata:
  version: 1.0
"""


def export_lm_eval(patients: Sequence[Patient], out_dir: str | Path, task: str = TASK) -> dict[str, Any]:
    """Write ``<task>.yaml`` and ``<task>.jsonl`` into ``out_dir`` (replaced whole); return a summary."""
    from partages_core.files import atomic_folder

    items = qa_items(patients)
    out = Path(out_dir)
    data = (out / f"{task}.jsonl").resolve()
    with atomic_folder(out) as tmp:
        lines = [json.dumps({k: it[k] for k in ("id", "document", "kind", "context", "evidence", "question", "answer")},
                            ensure_ascii=False, sort_keys=True) for it in items]
        (tmp / f"{task}.jsonl").write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
        (tmp / f"{task}.yaml").write_text(TASK_YAML.format(task=task, data=json.dumps(str(data))),
                                          encoding="utf-8")
    kinds: dict[str, int] = {}
    for it in items:
        kinds[it["kind"]] = kinds.get(it["kind"], 0) + 1
    return {"task": task, "folder": str(out), "questions": len(items),
            "documents": len({it["document"] for it in items}), "by_kind": kinds}
