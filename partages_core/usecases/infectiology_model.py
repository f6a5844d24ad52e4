"""Model-backed CU6 extractor: a span tagger fine-tuned on the commons (``models.heads.SpanTagger``).

The encoder heads are built by the models stage; until ``partages_core.models.heads`` exists this
path raises a clear :class:`InputError` instead of silently falling back to the rules.
"""

from __future__ import annotations

from partages_core.errors import InputError


def extract_model(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Entities from the fine-tuned span tagger; antibiogram and phenotypes as in the rules path."""
    try:
        from partages_core.models.heads import SpanTagger  # noqa: F401
    except ImportError as err:
        raise InputError(
            "method: 'model' needs partages_core.models.heads.SpanTagger (models stage), which is not "
            "available in this installation; use --method rules") from err
    raise InputError("method: 'model' is not wired yet: no fine-tuned CU6 span tagger in this build")
