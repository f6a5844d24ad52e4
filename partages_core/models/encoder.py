"""BERT-style encoder: configuration from the profile, masked-LM pretraining on the commons
(from scratch or continued from a local checkpoint) and held-out MLM loss/accuracy."""

from __future__ import annotations

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
