"""Profiles (small / full) and project paths, chosen by one setting: ``PARTAGES_PROFILE``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from partages_core.errors import InputError

PROFILE_ENV = "PARTAGES_PROFILE"
HOME_ENV = "PARTAGES_HOME"
# the seed of held-out cohorts drawn for evaluation (never the commons' seed, the profile's): the evaluation's
# fresh cohorts and the decoder's held-out patients; here, on the ground floor, so that models and evaluation share it
FRESH_SEED = 101


@dataclass(frozen=True)
class Profile:
    """Sizes for one run of the whole pipeline; the code is the same for every profile."""

    name: str
    patients: int
    seed: int
    encoder_layers: int
    encoder_hidden: int
    decoder_layers: int
    decoder_hidden: int
    vocab_size: int
    max_length: int
    pretrain_epochs: float
    finetune_epochs: float


PROFILES = {
    "small": Profile("small", patients=240, seed=13, encoder_layers=2, encoder_hidden=128,
                     decoder_layers=2, decoder_hidden=128, vocab_size=4000, max_length=256,
                     pretrain_epochs=2, finetune_epochs=3),
    "full": Profile("full", patients=5000, seed=13, encoder_layers=8, encoder_hidden=512,
                    decoder_layers=8, decoder_hidden=512, vocab_size=32000, max_length=512,
                    pretrain_epochs=10, finetune_epochs=5),
}


def get_profile(name: str | None = None) -> Profile:
    """The profile named, else ``$PARTAGES_PROFILE``, else ``small``."""
    name = name or os.environ.get(PROFILE_ENV) or "small"
    if name not in PROFILES:
        raise InputError(f"profile: unknown profile {name!r}; choose one of {sorted(PROFILES)}")
    return PROFILES[name]


def project_root() -> Path:
    """The repository root (where ``pyproject.toml`` lives)."""
    return Path(__file__).resolve().parent.parent


def artefacts_dir(profile: Profile | None = None) -> Path:
    """Where the pipeline writes its artefacts: ``$PARTAGES_HOME`` or ``build/<profile>`` in the repository
    (from an installed wheel, where there is no repository: in the current folder, never in site-packages)."""
    profile = profile or get_profile()
    base = os.environ.get(HOME_ENV)
    if base:
        return Path(base)
    root = project_root()
    return (root if (root / "pyproject.toml").is_file() else Path.cwd()) / "build" / profile.name
