"""Where the use cases' fine-tuned models live, how they are trained and loaded (one place for
oncology and infectiology).

Three models, in the folders ``partages models finetune --task …`` writes (so the CLI and this
module train the same artefacts, ``<artefacts>/models/<name>``):

==================== ========================== ====================================================
name                 head                       gold used for training
==================== ========================== ====================================================
oncology-tagger      ``SpanTagger``             ``doc.annotations["oncology"]``: BIOMARKER, TNM spans
infectio-tagger      ``SpanTagger``             ``doc.annotations["infectio"]``: Bacterie, Bacteriemie,
                                                Infection, Site spans (label only)
response-classifier  ``TextClassifier``         ``doc.response.label`` (CU5b) of follow-up documents
==================== ========================== ====================================================

Train them all with :func:`train_usecase_models` (or one by one with
``partages models finetune --task oncology|infectio|response``). Each is fine-tuned from the
commons encoder (``<artefacts>/models/encoder``, ``partages models pretrain-encoder``) when it has
been built, else from scratch with a WordPiece tokenizer trained on the same split.
"""

from __future__ import annotations

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
    "response-classifier": ("response", "TextClassifier"),
}


def usecase_model_dir(name: str, profile: Profile | None = None) -> Path:
    """The folder of use-case model ``name``: ``<artefacts>/models/<name>``."""
    if name not in USECASE_MODELS:
        raise InputError(f"model: unknown use-case model {name!r}; choose one of {sorted(USECASE_MODELS)}")
    return artefacts_dir(profile or get_profile()) / "models" / name


def _train_one(name: str, train: Sequence, test: Sequence, out: Path, seed: int, profile: Profile,
               max_steps: int | None, base: str | Path | None, resume: bool) -> dict[str, Any]:
    """Fine-tune one use-case model on ``train`` patients, score it on ``test``, save it."""
    from partages_core.corpus.model import RESPONSE_LABELS
    from partages_core.models.data import response_examples, span_examples
    from partages_core.models.heads import SpanTagger, TextClassifier

    task, head = USECASE_MODELS[name]
    tic = time.perf_counter()
    if head == "SpanTagger":
        model = SpanTagger.train(*span_examples(train, task), out, seed=seed, base=base, profile=profile,
                                 max_steps=max_steps, resume=resume)
        result = model.evaluate(*span_examples(test, task)) if test else {}
    else:
        texts, labels = response_examples(train)
        if not texts:
            raise InputError("response-classifier: no document with a gold response (doc.response) "
                             "in the training patients")
        model = TextClassifier.train(texts, labels, out, seed=seed, base=base, profile=profile,
                                     label_set=RESPONSE_LABELS, max_steps=max_steps, resume=resume)
        held = response_examples(test)
        result = model.evaluate(*held) if held[0] else {}
    model.save(out)
    _load_cached.cache_clear()
    return {"model": str(out), "task": task, "base": model.info.get("base"),
            "steps": model.info.get("steps"), "seconds": round(time.perf_counter() - tic, 2), **result}


def train_usecase_models(profile: Profile | str | None = None, seed: int = 13, *,
                         names: Sequence[str] | None = None, patients: Sequence | None = None,
                         max_steps: int | None = None, base: str | Path | None = None,
                         out_root: str | Path | None = None, resume: bool = True) -> dict[str, dict[str, Any]]:
    """Train the use-case models on the train split of the commons (``load_commons`` +
    ``split_patients(seed)``), score each on the test split and save it; returns their metrics.

    ``patients`` replaces the profile's commons (e.g. a smaller one in tests); ``max_steps`` caps
    each fine-tuning (default: the profile's epochs); ``out_root`` replaces ``<artefacts>/models``.
    """
    from partages_core.quality.splits import split_patients

    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    names = list(names or USECASE_MODELS)
    for n in names:
        usecase_model_dir(n, profile)  # validates the name
    if patients is None:
        from partages_core.corpus.commons import load_commons

        patients = load_commons(profile).patients
    split = split_patients(list(patients), seed)
    root = Path(out_root) if out_root else artefacts_dir(profile) / "models"
    return {n: _train_one(n, split["train"], split["test"], root / n, seed, profile, max_steps, base, resume)
            for n in names}


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
            f"method: 'model' needs the trained {name} at {folder}, which is missing; train it with "
            f"`partages models finetune --task {task}` or "
            "`python -c 'from partages_core.usecases.model_store import train_usecase_models; "
            "train_usecase_models()'` (all three use-case models), or use --method rules")
    return _load_cached(str(folder), head, _stamp(folder))


def model_available(name: str, profile: Profile | None = None) -> bool:
    """Whether use-case model ``name`` has been trained (its folder holds a config)."""
    return (usecase_model_dir(name, profile) / "config.json").is_file()
