"""One training loop for every model here: ``transformers.Trainer`` with resumable checkpoints
under ``<out>/checkpoints``, seeded, progress bars off when ``CI=true`` or not on a terminal.
The same code runs under ``torchrun``/``accelerate launch`` (DDP, gloo on CPU, NCCL on GPU)."""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

CHECKPOINTS = "checkpoints"


def show_progress() -> bool:
    """Progress bars only for a person at a terminal, never in CI."""
    return os.environ.get("CI", "").lower() not in ("1", "true", "yes") and sys.stderr.isatty()


def quiet_if_ci() -> None:
    """Turn off transformers' own progress bars (weight loading/saving) and its routine notices
    (e.g. the report that a new head was initialised on an encoder) unless shown to a person."""
    import warnings

    from transformers.utils import logging as hf_logging

    if not show_progress():
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        warnings.filterwarnings("ignore", category=FutureWarning, module="transformers")


def last_checkpoint(out_dir: str | Path) -> str | None:
    """The newest ``checkpoint-N`` under ``<out_dir>/checkpoints``, if any."""
    from transformers.trainer_utils import get_last_checkpoint

    folder = Path(out_dir) / CHECKPOINTS
    return get_last_checkpoint(str(folder)) if folder.is_dir() else None


_SHAPE_KEYS = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
               "max_position_embeddings", "n_embd", "n_layer", "n_head", "n_positions", "id2label")


def _same_shape(checkpoint: str | None, model: Any) -> bool:
    """Whether ``checkpoint`` (its config.json) can be loaded into ``model``: same sizes and labels."""
    if checkpoint is None or not (Path(checkpoint) / "config.json").is_file() or not hasattr(model, "config"):
        return True  # nothing to compare: the Trainer decides
    saved = json.loads((Path(checkpoint) / "config.json").read_text(encoding="utf-8"))
    mine = model.config.to_dict()
    norm = lambda v: {str(a): b for a, b in v.items()} if isinstance(v, dict) else v  # noqa: E731 (JSON keys are str)
    # a key absent from the saved config is at its default there (id2label of a masked LM): not compared
    return all(norm(saved[k]) == norm(mine[k]) for k in _SHAPE_KEYS if k in saved and k in mine)


def fit(model: Any, train_dataset: Any, collator: Any, out_dir: str | Path, *, seed: int,
        epochs: float = 1.0, max_steps: int | None = None, batch_size: int = 8,
        learning_rate: float = 5e-4, save_steps: int = 50, eval_dataset: Any = None,
        resume: bool = True, callbacks: list | None = None, tokenizer: Any = None,
        warmup_steps: int | float = 0, trainer_cls: Any = None, cpu_bf16: bool = False,
        lr_scheduler: str = "linear") -> dict[str, Any]:
    """Train ``model`` in place and return ``{"train_loss", "steps", "seconds", "resumed_from"}``.

    With ``resume`` the newest checkpoint in ``<out_dir>/checkpoints`` is picked up (an interrupted
    run continues where it stopped); ``resume=False`` starts over.
    ``warmup_steps`` below 1 is a share of the total steps; ``trainer_cls`` swaps in a ``Trainer``
    subclass (e.g. the encoder's, whose loss only scores the masked positions).
    ``cpu_bf16``: on a CPU with native bfloat16 (``cpu_bf16_supported``), train under bf16 autocast
    (weights and optimiser stay float32); ignored elsewhere. GPUs with bf16 always use it.
    ``lr_scheduler``: a ``transformers`` schedule name (after the warmup; default linear decay to 0).
    """
    from transformers import Trainer, TrainingArguments

    ckpt_dir = Path(out_dir) / CHECKPOINTS
    if resume and ckpt_dir.exists() and not _same_shape(last_checkpoint(out_dir), model):
        resume = False  # a checkpoint of another model (e.g. a vocabulary built on an older commons)
    if not resume and ckpt_dir.exists():
        shutil.rmtree(ckpt_dir)
    resumed = last_checkpoint(out_dir) if resume else None
    warmup = int(warmup_steps)
    if 0 < warmup_steps < 1:
        world = int(os.environ.get("WORLD_SIZE", "1"))
        total = max_steps or math.ceil(math.ceil(len(train_dataset) / (batch_size * world)) * epochs)
        warmup = max(1, int(warmup_steps * total))
    args = TrainingArguments(
        output_dir=str(ckpt_dir), seed=seed, data_seed=seed, num_train_epochs=epochs,
        max_steps=max_steps if max_steps else -1, per_device_train_batch_size=batch_size,
        per_device_eval_batch_size=batch_size, learning_rate=learning_rate, warmup_steps=warmup,
        lr_scheduler_type=lr_scheduler, weight_decay=0.01, save_strategy="steps", save_steps=save_steps, save_total_limit=2,
        logging_steps=max(1, save_steps // 2), report_to="none", disable_tqdm=not show_progress(),
        use_cpu=not _cuda(), dataloader_num_workers=0, log_level="warning",
        log_level_replica="error", ddp_find_unused_parameters=False,
        bf16=_cuda_bf16() or (cpu_bf16 and not _cuda() and cpu_bf16_supported()), eval_strategy="no",
        ddp_backend="gloo" if _distributed() and not _cuda() else None)
    from transformers.trainer_callback import PrinterCallback
    quiet_if_ci()
    trainer = (trainer_cls or Trainer)(model=model, args=args, train_dataset=train_dataset, data_collator=collator,
                                       eval_dataset=eval_dataset, callbacks=callbacks, processing_class=tokenizer)
    if not show_progress():
        trainer.remove_callback(PrinterCallback)  # losses stay in trainer.state.log_history
    start = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=resumed)
    seconds = time.perf_counter() - start
    return {"train_loss": float(result.training_loss), "steps": int(result.global_step),
            "seconds": round(seconds, 3), "resumed_from": resumed,
            "is_main": trainer.is_world_process_zero(), "trainer": trainer}


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def _cuda_bf16() -> bool:
    import torch

    return torch.cuda.is_available() and torch.cuda.is_bf16_supported()


def cpu_bf16_supported() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX, through oneDNN): there bf16
    autocast makes the small models' matrix products about 1.4x faster; elsewhere it is emulated (slower)."""
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def save_model(model: Any, tokenizer: Any, metrics: dict, out_dir: str | Path) -> Path:
    """Model, tokenizer and ``metrics.json`` into ``out_dir``, atomically."""
    import json

    def write(tmp: Path) -> None:
        model.save_pretrained(str(tmp))
        tokenizer.save_pretrained(str(tmp))
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return atomic_save(write, out_dir)


def atomic_save(save: Any, out_dir: str | Path) -> Path:
    """Write a model folder via ``save(tmp)`` and swap it in whole, keeping the old ``checkpoints/``."""
    from partages_core.files import atomic_folder

    with atomic_folder(out_dir, keep=(CHECKPOINTS,)) as tmp:
        save(tmp)
    return Path(out_dir)


def _distributed() -> bool:
    """Launched by torchrun / accelerate launch with more than one process."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1
