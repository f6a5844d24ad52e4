"""BERT-style encoder: configuration from the profile, masked-LM pretraining on the commons
(from scratch or continued from a local checkpoint) and held-out MLM loss/accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partages_core.config import Profile, artefacts_dir, get_profile


def models_dir(profile: Profile | None = None) -> Path:
    """Where this profile's models live: ``<artefacts>/models``."""
    return artefacts_dir(profile or get_profile()) / "models"


def default_encoder_dir(profile: Profile | None = None) -> Path:
    """The encoder pretrained on the commons for this profile."""
    return models_dir(profile) / "encoder"


def encoder_config(profile: Profile, tokenizer: Any, max_length: int | None = None):
    """A BertConfig sized by the profile (heads of 64 dims, FFN 4x hidden)."""
    from transformers import BertConfig

    hidden = profile.encoder_hidden
    return BertConfig(
        vocab_size=len(tokenizer), hidden_size=hidden, num_hidden_layers=profile.encoder_layers,
        num_attention_heads=max(1, hidden // 64), intermediate_size=4 * hidden,
        max_position_embeddings=max_length or profile.max_length, type_vocab_size=2,
        pad_token_id=tokenizer.pad_token_id)


def _blocks(tokenizer: Any, texts: Sequence[str], max_length: int) -> list[dict[str, list[int]]]:
    """Concatenate the texts' token ids and cut them into ``[CLS] … [SEP]`` blocks."""
    ids: list[int] = []
    for text in texts:
        ids.extend(tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"] + [tokenizer.sep_token_id])
    size = max_length - 2
    return [{"input_ids": [tokenizer.cls_token_id] + ids[i:i + size] + [tokenizer.sep_token_id]}
            for i in range(0, max(1, len(ids) - size // 4), size)]


def sinusoidal_positions(model: Any) -> None:
    """Start a fresh BERT's learnt position embeddings from sinusoids (scaled to the init's spread).

    From a random start, a small BERT spends its first hundreds of steps predicting word
    frequencies only (the masked-LM plateau) until its attention finds the neighbouring words;
    sinusoids make relative offsets linear from step 0, which shortens that plateau.
    """
    import math

    import torch

    weight = model.base_model.embeddings.position_embeddings.weight
    positions, hidden = weight.shape
    pos = torch.arange(positions, dtype=torch.float32)[:, None]
    div = torch.exp(torch.arange(0, hidden, 2, dtype=torch.float32) * (-math.log(10000.0) / hidden))
    table = torch.zeros(positions, hidden)
    table[:, 0::2] = torch.sin(pos * div)
    table[:, 1::2] = torch.cos(pos * div)[:, : hidden // 2]
    with torch.no_grad():
        weight.copy_(table * (float(weight.std()) / float(table.std())))


def _mlm_head(model: Any) -> Any:
    """The prediction head of a masked-LM model (BERT ``cls``, RoBERTa/CamemBERT ``lm_head``), or None."""
    for name in ("cls", "lm_head"):
        head = getattr(model, name, None)
        if head is not None:
            return head
    return None


def masked_only_loss(model: Any, inputs: dict[str, Any]) -> Any:
    """Masked-LM loss with the vocabulary projection applied to the masked positions only.

    ``BertForMaskedLM`` projects every position onto the vocabulary although only ~15 % carry a
    label; on a small model that projection is about half of the compute. Same loss, less work.
    Returns None when the model is not a plain (unwrapped) masked-LM with a known head.
    """
    import torch.nn.functional as F

    head, base = _mlm_head(model), getattr(model, "base_model", None)
    if head is None or base is None or base is model or "labels" not in inputs:
        return None
    labels = inputs["labels"]
    hidden = base(**{k: v for k, v in inputs.items() if k != "labels"}).last_hidden_state
    keep = labels != -100
    logits = head(hidden[keep])
    return F.cross_entropy(logits.float(), labels[keep])


def masked_lm_trainer():
    """A ``transformers.Trainer`` whose loss only projects masked positions (single process);
    under DDP/FSDP (wrapped model) it falls back to the model's own loss so gradients sync."""
    from transformers import Trainer

    class MaskedLMTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            # masked_only_loss calls the base model and the head, not model.forward (which the
            # accelerator wraps in its autocast): the mixed precision is applied here
            with self.accelerator.autocast():
                loss = None if return_outputs else masked_only_loss(model, inputs)
            if loss is None:
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            return loss

    return MaskedLMTrainer


def mlm_evaluate(model: Any, tokenizer: Any, texts: Sequence[str], max_length: int, seed: int = 13,
                 probability: float = 0.15, batch_size: int = 16) -> dict[str, float]:
    """Held-out MLM loss and accuracy with a seeded mask (15 % of tokens → [MASK])."""
    import torch

    blocks = _blocks(tokenizer, texts, max_length)
    gen = torch.Generator().manual_seed(seed)
    special = set(tokenizer.all_special_ids)
    total_loss, correct, count = 0.0, 0, 0
    model.eval()
    with torch.no_grad():
        for lo in range(0, len(blocks), batch_size):
            batch = tokenizer.pad(blocks[lo:lo + batch_size], return_tensors="pt")
            ids = batch["input_ids"]
            maskable = ~torch.isin(ids, torch.tensor(sorted(special)))
            chosen = (torch.rand(ids.shape, generator=gen) < probability) & maskable
            if not chosen.any():
                continue
            labels = torch.where(chosen, ids, torch.full_like(ids, -100))
            inputs = torch.where(chosen, torch.full_like(ids, tokenizer.mask_token_id), ids)
            out = model(input_ids=inputs, attention_mask=batch["attention_mask"], labels=labels)
            n = int(chosen.sum())
            total_loss += float(out.loss) * n
            correct += int((out.logits.argmax(-1)[chosen] == ids[chosen]).sum())
            count += n
    from partages_core.metrics import wilson_interval

    loss = total_loss / max(count, 1)
    return {"mlm_loss": round(loss, 4), "mlm_accuracy": round(correct / max(count, 1), 4),
            "mlm_accuracy_ci95": wilson_interval(correct, count), "masked_tokens": count,
            "documents": len(texts)}


def pretrain_encoder(train_texts: Sequence[str], eval_texts: Sequence[str], out_dir: str | Path,
                     profile: Profile | None = None, seed: int = 13, *, base: str | Path | None = None,
                     tokenizer_dir: str | Path | None = None, max_steps: int | None = None,
                     batch_size: int = 16, learning_rate: float = 1e-3, resume: bool = True,
                     callbacks: list | None = None, save_steps: int = 50, warmup: float = 0.06,
                     masked_only: bool = True, extra_eval: dict[str, Sequence[str]] | None = None,
                     init_vectors: bool = False, block_length: int | None = None,
                     cpu_bf16: bool = False, mlm_probability: float = 0.15, mask_replace: float = 0.8,
                     random_replace: float = 0.1, lr_scheduler: str = "linear") -> dict[str, Any]:
    """Masked-LM pretraining from scratch (tokenizer trained on ``train_texts`` unless given) or
    continued from a local checkpoint ``base``; saves the encoder and returns its metrics.

    Scored on ``eval_texts`` (held-out patients) and on each of ``extra_eval`` (e.g. the
    hand-written set: text the generator did not write), masked positions only, seeded masks.
    ``block_length`` (default: the profile's max length) sets the pretraining and scoring blocks:
    short blocks leave the masked-LM plateau sooner on a small corpus. ``cpu_bf16``: see ``training.fit``.
    ``mlm_probability``, ``mask_replace``, ``random_replace``: the training masks (share of tokens
    chosen; of those, the share set to [MASK] and to a random token; BERT's 0.15 / 0.8 / 0.1);
    the scoring always masks 15 % with [MASK]. ``lr_scheduler``: the decay after the warmup.
    """

    from transformers import AutoModelForMaskedLM, AutoTokenizer, BertForMaskedLM
    from transformers import DataCollatorForLanguageModeling, set_seed

    from partages_core.models.checkpoint import check_checkpoint
    from partages_core.models.tokenizer import train_wordpiece
    from partages_core.models.training import fit, quiet_if_ci, save_model

    quiet_if_ci()
    profile = profile or get_profile()
    set_seed(seed)
    if base is not None:
        check_checkpoint(base, "masked-lm", base_encoder=True)
        tokenizer = AutoTokenizer.from_pretrained(str(base))
        model = AutoModelForMaskedLM.from_pretrained(str(base))
    else:
        if tokenizer_dir is not None:
            tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
        else:
            tokenizer = train_wordpiece(train_texts, profile.vocab_size, max_length=profile.max_length)
        config = encoder_config(profile, tokenizer)
        # no dropout while pretraining on a few hundred kB (it only slows the plateau's end); the
        # saved config keeps BERT's 0.1 for the heads fine-tuned from this encoder
        config.hidden_dropout_prob = config.attention_probs_dropout_prob = 0.0
        model = BertForMaskedLM(config)
        sinusoidal_positions(model)
    init_note = None
    if init_vectors and base is None:
        from partages_core.models.vectors import init_from_spacy_vectors

        init_note = init_from_spacy_vectors(model, tokenizer)
    max_length = min(block_length or profile.max_length, model.config.max_position_embeddings)
    blocks = _blocks(tokenizer, train_texts, max_length)
    before = mlm_evaluate(model, tokenizer, eval_texts, max_length, seed)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=mlm_probability,
                                               mask_replace_prob=mask_replace, random_replace_prob=random_replace)
    stats = fit(model, blocks, collator, out_dir, seed=seed, epochs=profile.pretrain_epochs,
                max_steps=max_steps, batch_size=batch_size, learning_rate=learning_rate,
                save_steps=save_steps, resume=resume, callbacks=callbacks, warmup_steps=warmup,
                trainer_cls=masked_lm_trainer() if masked_only else None, cpu_bf16=cpu_bf16,
                lr_scheduler=lr_scheduler)
    trainer = stats.pop("trainer")
    after = mlm_evaluate(model, tokenizer, eval_texts, max_length, seed)
    extra = {name: mlm_evaluate(model, tokenizer, texts, max_length, seed)
             for name, texts in (extra_eval or {}).items()}
    tokens = sum(len(b["input_ids"]) for b in blocks)
    metrics = {"kind": "encoder", "profile": profile.name, "seed": seed, "base": str(base) if base else None,
               "layers": model.config.num_hidden_layers, "hidden": model.config.hidden_size,
               "parameters": model.num_parameters(), "vocab_size": len(tokenizer),
               "block_length": max_length, "train_texts": len(train_texts), "eval_texts": len(eval_texts), "train_blocks": len(blocks),
               "train_tokens_per_epoch": tokens, "learning_rate": learning_rate, "lr_scheduler": lr_scheduler,
               "masking": [mlm_probability, mask_replace, random_replace], "before": before, **after,
               **{k: v for k, v in stats.items() if k != "is_main"},
               "world_size": trainer.args.world_size, "bf16": bool(trainer.args.bf16), "eval_sets": extra,
               "init_vectors": init_note}
    if base is None:
        model.config.hidden_dropout_prob = model.config.attention_probs_dropout_prob = 0.1
    if stats["is_main"]:
        save_model(model, tokenizer, metrics, out_dir)
    return metrics
