"""Check a checkpoint directory before loading it, so a bad one fails with a message naming
what is missing (config, weights, tokenizer) or what architecture was found instead."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from partages_core.errors import InputError

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json", "sentencepiece.bpe.model",
                   "tokenizer.model", "spiece.model")
TASKS = ("masked-lm", "causal-lm", "token-classification", "sequence-classification")


def _mapping(task: str) -> dict[str, str]:
    from transformers.models.auto import modeling_auto as ma

    return {
        "masked-lm": ma.MODEL_FOR_MASKED_LM_MAPPING_NAMES,
        "causal-lm": ma.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        "token-classification": ma.MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES,
        "sequence-classification": ma.MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES,
    }[task]


def check_checkpoint(path: str | Path, task: str, *, base_encoder: bool = False,
                     tokenizer: bool = True) -> dict[str, Any]:
    """Return the config of a loadable ``task`` checkpoint, else raise ``InputError``.

    ``base_encoder=True`` accepts any encoder with a masked-LM architecture (a base to fine-tune
    from, e.g. a downloaded CamemBERT-bio); otherwise the saved ``architectures`` must be the task's.
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, not {task!r}")
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(f"{folder}: checkpoint directory not found")
    missing = []
    if not (folder / "config.json").is_file():
        missing.append("config.json")
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        missing.append("model weights (one of " + ", ".join(WEIGHT_FILES) + ")")
    if tokenizer and not any((folder / name).is_file() for name in TOKENIZER_FILES):
        missing.append("tokenizer (one of " + ", ".join(TOKENIZER_FILES) + ")")
    if missing:
        raise InputError(f"{folder}: incomplete checkpoint, missing " + "; ".join(missing))
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"{folder / 'config.json'}: unreadable ({err})") from err
    model_type = config.get("model_type")
    if not model_type:
        raise InputError(f"{folder / 'config.json'}: field model_type missing")
    wanted = "masked-lm" if base_encoder else task
    mapping = _mapping(wanted)
    if model_type not in mapping:
        raise InputError(f"{folder / 'config.json'}: model_type {model_type!r} has no {wanted} "
                         f"architecture (expected an encoder such as bert/roberta/camembert)"
                         if base_encoder or wanted != "causal-lm" else
                         f"{folder / 'config.json'}: model_type {model_type!r} is not a causal LM")
    archs = config.get("architectures") or []
    if not base_encoder and archs and mapping[model_type] not in archs:
        raise InputError(f"{folder / 'config.json'}: wrong architecture {archs}, expected "
                         f"{mapping[model_type]} for {task}")
    return config
