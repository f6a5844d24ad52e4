"""Tiny model sizes for the models tests: the CPU is shared, the code path is the real one."""

from __future__ import annotations

import dataclasses

import pytest

from partages_core.config import get_profile


@pytest.fixture(scope="session")
def tiny_profile():
    """Small profile shrunk to 2 layers x 64 hidden, 64-token windows."""
    return dataclasses.replace(get_profile("small"), encoder_layers=2, encoder_hidden=64,
                               decoder_layers=2, decoder_hidden=64, vocab_size=1500, max_length=64,
                               pretrain_epochs=1, finetune_epochs=1)


@pytest.fixture(scope="session")
def docs(commons):
    """(text, pseudo spans, type) of the shared 60-patient commons."""
    out = []
    for _, d in commons.documents():
        spans = [{"start": s.start, "end": s.end, "label": s.label} for s in d.spans("pseudo")]
        out.append((d.text, spans, d.type))
    return out
