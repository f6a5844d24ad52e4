"""The use-case models: where they live, how ``partages models finetune`` trains them, how the
extractors load them (one place for oncology, infectiology and pseudonymisation).

==================== ========================== ====================================================
name                 head                       gold used for training
==================== ========================== ====================================================
oncology-tagger      ``SpanTagger``             ``doc.annotations["oncology"]``: BIOMARKER, TNM spans
infectio-tagger      ``SpanTagger``             ``doc.annotations["infectio"]``: Bacterie, Bacteriemie,
                                                Infection, Site spans (label only)
resistance-tagger    ``SpanTagger``             ``doc.annotations["resistance"]`` phenotype spans
pseudo-tagger        ``SpanTagger``             ``doc.annotations["pseudo"]`` identifying spans
response-classifier  ``TextClassifier``         ``doc.response.label`` (CU5b) of follow-up documents,
                     (line classifier)          line by line (:func:`response_lines`)
==================== ========================== ====================================================

``partages models finetune --task oncology|infectio|resistance|pseudo|response`` trains one of them
into ``<artefacts>/models/<name>`` (:func:`finetune`); :func:`train_usecase_models` trains several.
The taggers learn from *lines*: gold spans never cross a line in the commons, every line holding a
span is kept, plus a seeded sample of distinct span-free lines (``NEGATIVE_RATIO`` per positive
line); the extractors predict line by line too (:func:`predict_lines`). Short inputs make the CPU
training some 5x faster than whole documents, and a whole-document tagger at the profile's epochs
learnt nothing here (F1 0.0 on the small commons: the spans drown in ``O`` tokens), so this is the
only recipe the command runs.

The CU5b classifier reads lines too: the line holding the gold response span carries its class, a
seeded sample of the letters' other lines carries ``NO_RESPONSE``; the class of a letter is that of the
line least likely to say nothing (``TextClassifier.predict_spans``). The commons holds about 15 training
letters, so the classifier also learns from a generated training cohort (``RESPONSE_TRAIN_SEED``, never
the commons' seed nor the evaluation cohort's, ``config.FRESH_SEED``) and from the
hand-written development letters (never the frozen test part). Each model is fine-tuned from the commons encoder
(``<artefacts>/models/encoder``, ``partages models pretrain-encoder``) when it has been built, else
from scratch with a WordPiece tokenizer trained on the same split.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from partages_core.config import Profile, artefacts_dir, get_profile
from partages_core.errors import InputError

# model name -> (training task of ``partages models finetune``, head class name)
USECASE_MODELS: dict[str, tuple[str, str]] = {
    "oncology-tagger": ("oncology", "SpanTagger"),
    "infectio-tagger": ("infectio", "SpanTagger"),
    "resistance-tagger": ("resistance", "SpanTagger"),
    "pseudo-tagger": ("pseudo", "SpanTagger"),
    "response-classifier": ("response", "TextClassifier"),
}


# default optimiser steps per model on CPU (batch 16): enough for the taggers to find the spans of
# the small commons (see benchmarks/bench_model_extractors.py), small enough for a laptop; the
# pseudonymisation tagger's 2000 = what `partages models build` trains (chosen on the dev split)
DEFAULT_STEPS = {"oncology-tagger": 250, "infectio-tagger": 250, "resistance-tagger": 250, "pseudo-tagger": 2000,
                 "response-classifier": 1200}
# CU5b training cohort: generator patients of this seed (about 8 % carry one response letter: 6000
# give about 480 letters), plus the hand-written dev letters. 1200 steps, chosen on a dev cohort of a third
# seed (303), never on the evaluation cohort: 800 let one training seed collapse a class (build.py's note);
# about 80 CPU-s on one thread.
RESPONSE_TRAIN_SEED = 202
RESPONSE_TRAIN_PATIENTS = 6000
NO_RESPONSE = "_aucune"  # the line classifier's label of a line that says nothing of the response
RESPONSE_NEGATIVE_RATIO = 3.0  # other lines per response line (dev cohort: 1.000 at 3, 0.980 at 2)
DEFAULT_MODELS = ("oncology-tagger", "infectio-tagger", "response-classifier")  # what the extractors load
TASK_MODELS = {task: name for name, (task, _) in USECASE_MODELS.items()}  # finetune --task -> model
# how each tagger turns piece tags into spans (``SpanTagger.train(decode=…)``; default "token"). The
# pseudonymisation tagger splits names into pieces of different labels ("Sa|k|arya": NOM, PRENOM, NOM):
# "word" (one label per word, glued pieces one span, dangling punctuation trimmed) took it from strict F1
# 0.828 to 0.918 on the commons DEV split (37 documents) with the same leak rate (0.010), and from 0.446
# to 0.624 on the hand-written dev part (160 documents; leak 0.039 both) (h18, docs/history/models.md). Session 21: word
# decoding also resolves two spans of one label side by side (``heads._resolve_twins``: "Ben | Ammar" joined, "Paul |
# Léon" NOM, NOM relabelled), same model: commons dev 0.895 -> 0.917 (40 documents), hand-written dev 0.526 -> 0.542
# (370). The other taggers keep "token" (not measured).
DECODE = {"pseudo-tagger": "word"}
NEGATIVE_RATIO = 2.0
BATCH_SIZE = 16
LEARNING_RATE = 1e-3
LINE_RE = re.compile(r"[^\n]+")


def line_examples(patients: Sequence, layer: str) -> tuple[list[str], list[list[dict]], int]:
    """Every non-empty line of the patients' documents with its gold spans of ``layer`` (offsets
    into the line), and how many gold spans cross a line break (not representable: counted)."""
    texts, spans, crossing = [], [], 0
    for p in patients:
        for d in p.documents:
            gold = d.spans(layer)
            for m in LINE_RE.finditer(d.text):
                texts.append(m.group(0))
                spans.append([{"start": g.start - m.start(), "end": g.end - m.start(), "label": g.label}
                              for g in gold if g.start >= m.start() and g.end <= m.end()])
                crossing += sum(1 for g in gold if g.start < m.end() < g.end)
    return texts, spans, crossing


def training_lines(texts: Sequence[str], spans: Sequence[list[dict]], seed: int,
                   ratio: float = NEGATIVE_RATIO) -> tuple[list[str], list[list[dict]]]:
    """Lines with spans, plus ``ratio`` x as many distinct span-free lines drawn with ``seed``."""
    positive = [i for i, s in enumerate(spans) if s]
    seen: set[str] = set()
    negative = []
    for i, s in enumerate(spans):
        if not s and texts[i].strip() and texts[i] not in seen:
            seen.add(texts[i])
            negative.append(i)
    random.Random(seed).shuffle(negative)
    keep = sorted(positive + negative[:int(ratio * len(positive))])
    return [texts[i] for i in keep], [spans[i] for i in keep]


def predict_lines(tagger: Any, texts: Sequence[str], batch_size: int = 32) -> list[list[dict[str, Any]]]:
    """Tagger spans per text, predicted line by line (as trained) with offsets into the text."""
    lines, owner = [], []
    for k, text in enumerate(texts):
        for m in LINE_RE.finditer(text):
            if m.group(0).strip():
                lines.append(m)
                owner.append(k)
    out: list[list[dict[str, Any]]] = [[] for _ in texts]
    for k, m, found in zip(owner, lines, tagger.predict([m.group(0) for m in lines], batch_size) if lines else []):
        for s in found:
            out[k].append({**s, "start": s["start"] + m.start(), "end": s["end"] + m.start()})
    return out


def response_lines(docs: Sequence, seed: int, ratio: float = RESPONSE_NEGATIVE_RATIO) -> tuple[list[str], list[str]]:
    """CU5b training lines of documents with a gold response: each line holding (part of) the gold
    span with its class, and per letter ``ratio`` other lines as ``NO_RESPONSE``: the lines around the
    response (its heading, the signature) and the rest drawn with ``seed``. Lines are drawn per letter,
    so the boilerplate every letter repeats ("Évaluation :") is learnt as often as it is read."""
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    for d in docs:
        r = d.response
        lines = [m for m in LINE_RE.finditer(d.text) if m.group(0).strip()]
        hit = [i for i, m in enumerate(lines) if r.start < m.end() and m.start() < r.end]
        texts += [lines[i].group(0) for i in hit]
        labels += [r.label] * len(hit)
        near = [i for i in (min(hit, default=0) - 1, max(hit, default=0) + 1) if 0 <= i < len(lines) and i not in hit]
        rest = [i for i in range(len(lines)) if i not in hit and i not in near]
        rng.shuffle(rest)
        chosen = (near + rest)[:max(1, int(ratio * max(len(hit), 1)))]
        texts += [lines[i].group(0) for i in chosen]
        labels += [NO_RESPONSE] * len(chosen)
    return texts, labels


def response_training_letters(patients: Sequence = (), cohort_patients: int = RESPONSE_TRAIN_PATIENTS) -> list:
    """The CU5b classifier's training letters: those of ``patients`` (the commons' train split), of a
    generated cohort of ``cohort_patients`` patients of ``RESPONSE_TRAIN_SEED`` and the hand-written
    development letters (never the frozen test part)."""
    from partages_core.corpus.generator import generate
    from partages_core.corpus.handwritten import load_handwritten

    if RESPONSE_TRAIN_SEED == get_profile().seed:
        raise InputError(f"response classifier: training seed {RESPONSE_TRAIN_SEED} is the commons' seed")
    cohort = list(generate(cohort_patients, RESPONSE_TRAIN_SEED)) if cohort_patients else []
    return [d for p in [*patients, *cohort, *load_handwritten("dev")] for d in p.documents if d.response]


def usecase_model_dir(name: str, profile: Profile | None = None) -> Path:
    """The folder of use-case model ``name``: ``<artefacts>/models/<name>``."""
    if name not in USECASE_MODELS:
        raise InputError(f"model: unknown use-case model {name!r}; choose one of {sorted(USECASE_MODELS)}")
    return artefacts_dir(profile or get_profile()) / "models" / name


def _train_one(name: str, train: Sequence, test: Sequence, out: Path, seed: int, profile: Profile,
               max_steps: int | None, base: str | Path | None, resume: bool,
               learning_rate: float, cohort_patients: int = RESPONSE_TRAIN_PATIENTS) -> dict[str, Any]:
    """Fine-tune one use-case model on ``train`` patients, score it on ``test``, save it (the CU5b
    classifier also learns from ``response_training_letters``' cohort of ``cohort_patients``)."""
    from partages_core.corpus.model import RESPONSE_LABELS
    from partages_core.models.data import response_examples
    from partages_core.models.heads import SpanTagger, TextClassifier

    task, head = USECASE_MODELS[name]
    steps = max_steps or DEFAULT_STEPS[name]
    tic = time.perf_counter()
    extra: dict[str, Any] = {}
    if head == "SpanTagger":
        texts, spans, crossing = line_examples(train, task)
        texts, spans = training_lines(texts, spans, seed)
        if not any(spans):
            raise InputError(f"{name}: no gold {task!r} span in the training patients")
        model = SpanTagger.train(texts, spans, out, seed=seed, base=base, profile=profile, max_steps=steps,
                                 batch_size=BATCH_SIZE, learning_rate=learning_rate, resume=resume,
                                 decode=DECODE.get(name, "token"))
        extra = {"train_lines": len(texts), "spans_across_lines_skipped": crossing}
        result = {}
        if test:
            held, gold, _ = line_examples(test, task)
            predicted = model.predict(held)  # once, scored in both modes
            overlap = model.evaluate(held, gold, "overlap", predicted)["f1"]
            result = {**model.evaluate(held, gold, "strict", predicted), "f1_overlap": overlap}
            model.info["f1_overlap"] = overlap
    else:
        letters = response_training_letters(train, cohort_patients)
        if not letters:
            raise InputError("response-classifier: no document with a gold response (doc.response) "
                             "in the training patients")
        texts, labels = response_lines(letters, seed)
        model = TextClassifier.train(texts, labels, out, seed=seed, base=base, profile=profile,
                                     label_set=RESPONSE_LABELS, max_steps=steps, batch_size=BATCH_SIZE,
                                     learning_rate=learning_rate, resume=resume, none_label=NO_RESPONSE)
        extra = {"train_letters": len(letters), "train_lines": len(texts),
                 "train_cohort": f"generator seed {RESPONSE_TRAIN_SEED}, {cohort_patients} patients"
                                 " + hand-written dev letters"}
        held = response_examples(test)
        result = model.evaluate(*held) if held[0] else {}
    model.info.update(extra)
    model.save(out)
    _load_cached.cache_clear()
    return {"model": str(out), "task": task, "base": model.info.get("base"), "steps": model.info.get("steps"),
            "seconds": round(time.perf_counter() - tic, 2), **extra, **result}


def train_usecase_models(profile: Profile | str | None = None, seed: int = 13, *,
                         names: Sequence[str] | None = None, patients: Sequence | None = None,
                         max_steps: int | None = None, base: str | Path | None = None,
                         out_root: str | Path | None = None, resume: bool = True,
                         learning_rate: float = LEARNING_RATE,
                         cohort_patients: int = RESPONSE_TRAIN_PATIENTS) -> dict[str, dict[str, Any]]:
    """Train the use-case models on the train split of the commons (``load_commons`` +
    ``split_patients(seed)``), score each on the test split and save it; returns their metrics.

    ``patients`` replaces the profile's commons (e.g. a smaller one in tests); ``max_steps`` sets
    every model's optimiser steps (default ``DEFAULT_STEPS``); ``out_root`` replaces
    ``<artefacts>/models``. The held-out scores are stored in each model's ``label_map.json``.
    """
    from partages_core.quality.splits import split_patients

    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    names = list(names or DEFAULT_MODELS)
    for n in names:
        usecase_model_dir(n, profile)  # validates the name
    if patients is None:
        from partages_core.corpus.commons import load_commons

        patients = load_commons(profile).patients
    split = split_patients(list(patients), seed)
    root = Path(out_root) if out_root else artefacts_dir(profile) / "models"
    return {n: _train_one(n, split["train"], split["test"], root / n, seed, profile, max_steps, base, resume,
                           learning_rate, cohort_patients)
            for n in names}


def finetune(task: str, patients: Sequence, out: str | Path | None = None, seed: int = 13, *,
             profile: Profile | str | None = None, max_steps: int | None = None, base: str | Path | None = None,
             resume: bool = True, learning_rate: float = LEARNING_RATE,
             cohort_patients: int = RESPONSE_TRAIN_PATIENTS) -> dict[str, Any]:
    """``partages models finetune --task TASK``: train the use-case model of ``task`` on the train
    split of ``patients`` (``split_patients(seed)``), score it on the test split, save it in ``out``
    (default ``<artefacts>/models/<name>``, where the extractors load it)."""
    from partages_core.quality.splits import split_patients

    if task not in TASK_MODELS:
        raise InputError(f"--task: expected one of {sorted(TASK_MODELS)}, got {task!r}")
    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    name = TASK_MODELS[task]
    split = split_patients(list(patients), seed)
    folder = Path(out) if out else usecase_model_dir(name, profile)
    return {"name": name, **_train_one(name, split["train"], split["test"], folder, seed, profile, max_steps,
                                       base, resume, learning_rate, cohort_patients)}


def _stamp(path: Path) -> float:
    files = [path / "label_map.json", path / "config.json"]
    return max((f.stat().st_mtime_ns for f in files if f.is_file()), default=0)


@lru_cache(maxsize=8)
def _load_cached(path: str, head: str, stamp: float) -> Any:
    from partages_core.models.heads import SpanTagger, TextClassifier

    return (SpanTagger if head == "SpanTagger" else TextClassifier).load(path)


def load_usecase_model(name: str, profile: Profile | None = None) -> Any:
    """The trained model ``name`` (cached per process; reloaded when its folder is rewritten).

    A missing model raises ``InputError`` saying how to train it.
    """
    folder = usecase_model_dir(name, profile)
    task, head = USECASE_MODELS[name]
    if not (folder / "config.json").is_file():
        raise InputError(
            f"method: 'model' needs the {name} model, which is not trained (nothing at {folder}); "
            f"train it with `partages models finetune --task {task}`, or use --method rules")
    return _load_cached(str(folder), head, _stamp(folder))


def model_available(name: str, profile: Profile | None = None) -> bool:
    """Whether use-case model ``name`` has been trained (its folder holds a config)."""
    return (usecase_model_dir(name, profile) / "config.json").is_file()
