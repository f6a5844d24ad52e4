"""Model cards (``model_cards/<name>.md``): HF YAML (language fr, license, library_name, base_model,
datasets, pipeline_tag, model-index from the saved metrics) + Mitchell et al. sections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from partages_core.config import project_root
from partages_core.errors import InputError
from partages_core.files import write_atomic

PIPELINE = {"encoder": "fill-mask", "decoder": "text-generation", "instruct-lora": "text-generation",
            "span_tagger": "token-classification", "text_classifier": "text-classification"}
# Assumptions for the environmental cost line (stated in the card, not measured by a power meter).
WATTS_CPU, WATTS_GPU, KG_CO2_PER_KWH_FR = 30.0, 300.0, 0.056


def _metrics(model_dir: Path) -> dict[str, Any]:
    for name in ("metrics.json", "label_map.json"):
        if (model_dir / name).is_file():
            return json.loads((model_dir / name).read_text(encoding="utf-8"))
    raise InputError(f"{model_dir}: no metrics.json or label_map.json to build a card from")


def _results(kind: str, m: dict[str, Any]) -> list[tuple[str, str, float]]:
    keys = {"encoder": [("mlm_loss", "loss"), ("mlm_accuracy", "accuracy")],
            "decoder": [("perplexity", "perplexity")],
            "instruct-lora": [("answer_perplexity", "perplexity"), ("rougeL_model", "rougeL"),
                              ("rougeL_extractive_baseline", "rougeL")],
            "span_tagger": [("f1", "f1"), ("precision", "precision"), ("recall", "recall")],
            "text_classifier": [("accuracy", "accuracy"), ("macro_f1", "f1")]}[kind]
    return [(key, mtype, float(m[key])) for key, mtype in keys if m.get(key) is not None]


def _shown(path: Path) -> str:
    """A model path as the card shows it: relative to the repository when inside it."""
    root = project_root()
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)


def write_model_card(model_dir: str | Path, name: str, out_dir: str | Path | None = None,
                     license: str = "cc-by-4.0", eval_results: list | None = None) -> Path:
    """Write ``model_cards/<name>.md`` for a saved model. Results: ``eval_results`` (``EvalResult``s
    of the evaluation tasks, ``evaluation.leaderboard.card_results``) when given, which is how a
    use-case model's card shows the leaderboard's figures; else the metrics saved with the model."""
    from huggingface_hub import EvalResult, ModelCard, ModelCardData

    model_dir = Path(model_dir)
    m = _metrics(model_dir)
    kind = m.get("kind", "")
    if kind not in PIPELINE:
        raise InputError(f"{model_dir}: unknown model kind {kind!r} in its metrics")
    task = PIPELINE[kind]
    results = eval_results or [
        EvalResult(task_type=task, dataset_type="partages-commons", dataset_name="PARTAGES commons "
                   "(fictional, held-out patients)", dataset_split="test", metric_type=mtype,
                   metric_name=key, metric_value=value) for key, mtype, value in _results(kind, m)]
    base = m.get("base") or None
    data = ModelCardData(language="fr", license=license, library_name="transformers",
                         base_model=Path(base).name if base else None, datasets=["partages-commons"],
                         pipeline_tag=task, tags=["medical", "french", "partages", "fictional-data"],
                         model_name=name, eval_results=results or None)
    seconds = float(m.get("seconds", 0.0))
    kwh = seconds / 3600 * (WATTS_GPU if m.get("device") == "cuda" else WATTS_CPU) / 1000
    shown = [(r.metric_name, r.metric_type, r.metric_value) for r in results] if eval_results else _results(kind, m)
    lines = "\n".join(f"| {k} | {t} | {v:.4g} |" for k, t, v in shown) or "| – | – | – |"
    content = f"""---
{data.to_yaml()}
---

# {name}

{'An' if kind[0] in 'aeiou' else 'A'} {kind.replace('_', ' ')} trained by the PARTAGES portal pipeline (`partages models`) on the
**fictional** PARTAGES commons (profile `{m.get('profile')}`, seed {m.get('seed')}).

## Intended use
Teaching, testing and reproducing the PARTAGES pipeline end to end (tokenizer → encoder/decoder →
fine-tuning → evaluation) on a laptop or a GPU node, with the same code.

## Out-of-scope use
Any clinical use or decision; any real patient data without the governance steps of the portal
(pseudonymisation, data-use agreement); any claim about performance on real French clinical text.

## Training data
Generated, fictional PARHAF-shaped records (no real person); patient-level train/dev/test split.
Base model: {base or 'none (trained from scratch)'}.

## Evaluation
Held-out patients of the commons.

| metric | type | value |
|---|---|---|
{lines}

## Limitations
Small model, small fictional corpus: the numbers show that the pipeline works, not clinical quality.
The generator's templates make the text far more regular than real reports.

## Environmental cost
Training time {seconds:.1f} s on {m.get('device', 'cpu')} ({m.get('world_size', 1)} process(es)).
Estimated energy {kwh * 1000:.3f} Wh, assuming {WATTS_CPU:.0f} W for a CPU run / {WATTS_GPU:.0f} W for a
GPU run, i.e. about {kwh * KG_CO2_PER_KWH_FR * 1000:.3f} g CO2e at {KG_CO2_PER_KWH_FR} kg/kWh (French grid).

## How to load
```python
from transformers import pipeline
pipe = pipeline("{task}", model="{_shown(model_dir)}")
```
"""
    out = Path(out_dir) if out_dir else project_root() / "model_cards"
    return write_atomic(out / f"{name}.md", str(ModelCard(content)))
