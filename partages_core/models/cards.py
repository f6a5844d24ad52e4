"""Model cards (``<build>/model_cards/<name>.md``; committed copies in ``model_cards/`` are refreshed
only by ``partages portal publish-cards``): HF YAML (language fr, license, library_name, base_model,
datasets, pipeline_tag, model-index from the saved metrics) + Mitchell et al. sections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from partages_core.config import artefacts_dir, project_root
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


def _fmt_ci(ci: Any) -> str:
    return f"{ci[0]:.3f}–{ci[1]:.3f}" if isinstance(ci, (list, tuple)) and len(ci) == 2 else "–"


def _ci_part(ci: Any) -> str:
    return f" [{_fmt_ci(ci)}]" if isinstance(ci, (list, tuple)) and len(ci) == 2 else ""


def comparison(kind: str, m: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Rows ``| measure | test set | n | model [95 % CI] | baseline [95 % CI] |`` and the plain
    warnings (model not above its baseline or below its target) of a model's saved metrics."""
    rows, warnings = [], []

    def row(measure: str, where: str, n: str, value: Any, ci: Any, base_name: str, base: Any, base_ci: Any,
            higher: bool = True) -> None:
        if value is None:
            return
        shown = f"{base:.3f}{_ci_part(base_ci)} ({base_name})" if base is not None else "–"
        rows.append(f"| {measure} | {where} | {n} | {value:.3f}{_ci_part(ci)} | {shown} |")
        if base is not None and ((value <= base) if higher else (value >= base)):
            warnings.append(f"**Warning: on {measure} ({where}) the model ({value:.3f}) does not beat its "
                            f"baseline, {base_name} ({base:.3f}).**")

    if kind == "encoder":
        before = m.get("before", {})
        row("masked-LM accuracy", "held-out patients (commons)", f"{m.get('eval_texts')} docs, "
            f"{m.get('masked_tokens')} masked tokens", m.get("mlm_accuracy"), m.get("mlm_accuracy_ci95"),
            "untrained model", before.get("mlm_accuracy"), before.get("mlm_accuracy_ci95"))
        for name, r in (m.get("eval_sets") or {}).items():
            row("masked-LM accuracy", name, f"{r.get('documents')} docs, {r.get('masked_tokens')} masked tokens",
                r.get("mlm_accuracy"), r.get("mlm_accuracy_ci95"), "", None, None)
        if m.get("mlm_accuracy") is not None and m["mlm_accuracy"] < 0.5:
            warnings.append(f"**Warning: held-out masked-LM accuracy {m['mlm_accuracy']:.3f} is below the "
                            "0.50 target: this encoder has learnt little beyond word frequencies.**")
    elif kind == "decoder":
        row("perplexity (lower is better)", "held-out patients (commons)", f"{m.get('eval_texts')} docs",
            m.get("perplexity"), None, "untrained model", m.get("perplexity_before"), None, higher=False)
    elif kind == "instruct-lora":
        n = f"{m.get('conclusion_documents', m.get('conclusions_scored'))} docs"
        where = m.get("eval_set", "held-out patients (commons)")  # builds before the held-out cohort: the test split
        where_qa = where if "eval_set" in m else "held-out patients (commons gold)"
        # builds before the lead baseline had one extractive baseline, the last sentence
        lead = m.get("rougeL_last_sentence") is not None
        row("ROUGE-L F (conclusion)", where, n, m.get("rougeL_model"),
            m.get("rougeL_model_ci95"), "extractive lead: the reason for admission" if lead else
            "extractive: last sentence", m.get("rougeL_extractive_baseline"), m.get("rougeL_baseline_ci95"))
        if lead:
            row("ROUGE-L F (conclusion)", where, n, m.get("rougeL_model"),
                m.get("rougeL_model_ci95"), "extractive: last sentence", m.get("rougeL_last_sentence"),
                m.get("rougeL_last_sentence_ci95"))
        if m.get("rougeL_match_baseline") is not None:
            row("ROUGE-L F (conclusion)", where, n, m.get("rougeL_model"),
                m.get("rougeL_model_ci95"), "no model: the most frequent training conclusion written in the "
                "report, else the lead", m.get("rougeL_match_baseline"), m.get("rougeL_match_baseline_ci95"))
            if m.get("rougeL_model") is not None and m["rougeL_model"] <= m["rougeL_match_baseline"]:
                warnings.append("Why: the decoder's gain over the lead comes from choosing, among the training "
                                "conclusions written in the report, the one it finds likeliest; the baseline makes "
                                "the same match without a model. Where the report does not name its diagnosis, "
                                "this small decoder writes a plausible, frequent diagnosis instead of reading "
                                "it from the findings (docs/history/models.md, \"Conclusion decoding\").")
        for key, label, possessive in (("lead", "lead", "the lead's"),
                                       ("match", "the no-model match", "the no-model match's")):
            diff, ci = m.get(f"rougeL_minus_{key}"), m.get(f"rougeL_minus_{key}_ci95")
            if diff is None:
                continue
            row(f"ROUGE-L F, model minus {label} (paired, per document)", where, n,
                diff, ci, "", None, None)
            if diff > 0 and ci and ci[0] <= 0:
                warnings.append(f"**Warning: the model's ROUGE-L is above {possessive}, but the paired 95 % interval "
                                f"of the difference ({_fmt_ci(ci)}) includes 0: not more than chance on {n}.**")
        if m.get("conclusions_chosen") is not None and m.get("conclusions_scored"):
            row("share of conclusions chosen among the training ones written in the report (the rest generated)",
                where, n, m["conclusions_chosen"] / m["conclusions_scored"],
                None, "", None, None)
        if m.get("qa_questions"):
            n_q = f"{m.get('qa_documents')} docs, {m['qa_questions']} questions"
            read = m.get("qa_answer") == "read from the evidence"  # builds before session 16: a generated answer
            row("QA exact match" + (", answer read from the evidence (the model's choice among the answers of the "
                "question's kind written there, else among its training answers)" if read else ""),
                where_qa, n_q, m.get("qa_exact_match"), m.get("qa_exact_match_ci95"),
                "majority answer", m.get("qa_majority_baseline"), m.get("qa_majority_baseline_ci95"))
            if read:
                row("QA exact match, answer read from the evidence", where_qa, n_q, m.get("qa_exact_match"),
                    m.get("qa_exact_match_ci95"), "no model: the majority among the same candidates",
                    m.get("qa_choice_found_majority"), m.get("qa_choice_found_majority_ci95"))
                row("QA exact match, generated answer (greedy, unconstrained)", where_qa, n_q,
                    m.get("qa_generated_exact_match"), m.get("qa_generated_exact_match_ci95"), "majority answer",
                    m.get("qa_majority_baseline"), m.get("qa_majority_baseline_ci95"))
                for kind, k in sorted((m.get("qa_by_kind") or {}).items()):
                    row(f"QA exact match, answer read from the evidence, {kind} questions", where_qa,
                        f"{k['questions']} questions", k.get("read"), None,
                        "majority answer; no model: majority among the same candidates "
                        f"{k.get('read_majority', float('nan')):.3f}", k.get("majority"), None)
            # builds before the majority among the same candidates compared with the majority answer
            same = m.get("qa_choice_majority") is not None
            row("QA accuracy, answer chosen among the training answers", where_qa, n_q,
                m.get("qa_choice_accuracy"), m.get("qa_choice_accuracy_ci95"),
                "majority among the same candidates" if same else "majority answer",
                m.get("qa_choice_majority" if same else "qa_majority_baseline"),
                m.get("qa_choice_majority_ci95" if same else "qa_majority_baseline_ci95"))
            if m.get("qa_choice_found_accuracy") is not None and not read:
                row("QA accuracy, answer chosen among the training answers found in the evidence",
                    where_qa, n_q, m.get("qa_choice_found_accuracy"),
                    m.get("qa_choice_found_accuracy_ci95"), "majority among the same candidates",
                    m.get("qa_choice_found_majority"), m.get("qa_choice_found_majority_ci95"))
            answer = "answer read from the evidence" if read else "free answer"
            for key, label in (("qa_minus_majority", f"{answer} minus the majority answer"),
                               ("qa_generated_minus_majority", "generated answer minus the majority answer"),
                               ("qa_choice_minus_majority", "chosen answer minus the majority among the same "
                                "candidates"),
                               ("qa_choice_found_minus_majority", "answer read from the evidence minus the majority "
                                "among the same candidates" if read else "answer chosen among those found minus the "
                                "majority among them")):
                diff, ci = m.get(key), m.get(f"{key}_ci95")
                if diff is None:
                    continue
                row(f"QA exact match, {label} (paired, per question)", where_qa, n_q, diff, ci, "", None, None)
                if diff > 0 and ci and ci[0] <= 0:
                    warnings.append(f"**Warning: on QA ({label}) the model is ahead, but the paired 95 % interval "
                                    f"of the difference ({_fmt_ci(ci)}) includes 0: not more than chance on {n_q}.**")
        if m.get("empty_outputs"):
            warnings.append(f"**Warning: {m['empty_outputs']} empty generated answers.**")
    return rows, warnings


def comparison_markdown(models: dict[str, dict[str, Any]]) -> str:
    """One Markdown table (model, measure, test set, n, model [95 % CI], baseline [95 % CI]) of
    several models' saved metrics, then their warnings: what notebook 03 shows."""
    rows, warnings = [], []
    for name, m in models.items():
        r, w = comparison(m.get("kind", ""), m)
        rows += [f"| {name} {line}" for line in r]
        warnings += [f"- {name}: {text}" for text in w]
    table = ("| model | measure | test set | n | model [95 % CI] | baseline [95 % CI] |\n"
             "|---|---|---|---|---|---|\n" + "\n".join(rows))
    return table + ("\n\n" + "\n".join(warnings) if warnings else "\n\nEvery model beats its baseline above.")


def _shown(path: Path) -> str:
    """A model path as the card shows it: relative to the repository when inside it."""
    root = project_root()
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.name


def write_model_card(model_dir: str | Path, name: str, out_dir: str | Path | None = None,
                     license: str = "cc-by-4.0", eval_results: list | None = None,
                     against: str | None = None) -> Path:
    """Write ``<out_dir or build>/model_cards/<name>.md`` for a saved model. Results: ``eval_results`` (``EvalResult``s
    of the evaluation tasks, ``evaluation.leaderboard.card_results``) when given, which is how a
    use-case model's card shows the leaderboard's figures; else the metrics saved with the model.
    ``against``: a Markdown comparison with the rules made by the evaluation (e.g.
    ``evaluation.taggers.markdown``), shown under *Against the baseline*; its "does not beat" lines
    make the card's warning."""
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
    rows, warnings = comparison(kind, m)
    versus = ("\n\n### Against the baseline\n\n| measure | test set | n | model [95 % CI] | baseline [95 % CI] |\n"
              "|---|---|---|---|---|\n" + "\n".join(rows)) if rows else ""
    if against:
        versus += "\n\n### Against the baseline (the rules, same documents)\n\n" + against.strip()
        if "**does not beat**" in against:
            warnings.append("**Warning: the model does not beat the rules on at least one measure above.**")
    verdict = "\n\n".join(warnings) if warnings else (
        "The model beats its baseline on every measure above." if rows or against else "")
    cohort = (f"\nAlso learnt from: {m['train_cohort']} ({m.get('train_letters')} letters, {m.get('train_lines')} lines)."
              if m.get("train_cohort") else "")
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
Base model: {_shown(Path(base)) if base else 'none (trained from scratch)'}.{cohort}

## Evaluation
Held-out patients of the commons.

| metric | type | value |
|---|---|---|
{lines}{versus}

{verdict}

## Limitations
Small model trained in minutes on a small fictional corpus. Held-out patients come from the same
generator as the training text (in-distribution); the hand-written rows, where given, are text the
generator did not write. The generator's templates make the text far more regular than real reports:
no figure here says anything about clinical quality on real French reports.

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
    out = Path(out_dir) if out_dir else artefacts_dir() / "model_cards"
    return write_atomic(out / f"{name}.md", str(ModelCard(content)))


def _bar(value: Any, ci: Any) -> tuple[float, tuple[float, float]]:
    """A value and its error-bar half-widths (below, above) from a 95 % interval (none: zeros)."""
    v = float(value or 0.0)
    if isinstance(ci, (list, tuple)) and len(ci) == 2:
        return v, (max(0.0, v - ci[0]), max(0.0, ci[1] - v))
    return v, (0.0, 0.0)


def _bars(items: list[tuple[str, Any, Any]]) -> tuple[list[str], list[float], list[list[float]]]:
    names, values, low, high = [], [], [], []
    for name, value, ci in items:
        if value is None:
            continue
        v, (lo, hi) = _bar(value, ci)
        names.append(name)
        values.append(v)
        low.append(lo)
        high.append(hi)
    return names, values, [low, high]


def accuracy_bars(m: dict[str, Any]) -> tuple[list[str], list[float], list[list[float]]]:
    """An encoder's masked-LM accuracy per test set (names, values, ``yerr`` for matplotlib)."""
    items = [("held-out commons", m.get("mlm_accuracy"), m.get("mlm_accuracy_ci95"))]
    items += [(name, r.get("mlm_accuracy"), r.get("mlm_accuracy_ci95"))
              for name, r in (m.get("eval_sets") or {}).items()]
    before = m.get("before") or {}
    items.append(("untrained (held-out)", before.get("mlm_accuracy"), before.get("mlm_accuracy_ci95")))
    return _bars(items)


def generation_bars(m: dict[str, Any]) -> list[tuple[str, str, list[str], list[float], list[list[float]]]]:
    """A LoRA-tuned decoder's two panels (title, y label, names, values, ``yerr``): ROUGE-L of its
    conclusions vs the extractive baseline; QA exact match and choice accuracy vs the majority answer."""
    n_docs, n_q = m.get("conclusion_documents", m.get("conclusions_scored")), m.get("qa_questions")
    return [
        (f"Conclusions ({n_docs} held-out docs)", "ROUGE-L F1 (0 to 1)",
         *_bars([("LoRA model", m.get("rougeL_model"), m.get("rougeL_model_ci95")),
                 ("extractive: lead" if m.get("rougeL_last_sentence") is not None else "extractive: last sentence",
                  m.get("rougeL_extractive_baseline"), m.get("rougeL_baseline_ci95")),
                 ("extractive: last sentence", m.get("rougeL_last_sentence"),
                  m.get("rougeL_last_sentence_ci95"))])),
        (f"Questions ({n_q} held-out)", "share answered right (0 to 1)",
         *_bars([("read answer" if m.get("qa_answer") == "read from the evidence" else "free answer",
                  m.get("qa_exact_match"), m.get("qa_exact_match_ci95")),
                 ("generated answer", m.get("qa_generated_exact_match"), m.get("qa_generated_exact_match_ci95")),
                 ("chosen answer", m.get("qa_choice_accuracy"), m.get("qa_choice_accuracy_ci95")),
                 ("majority answer", m.get("qa_majority_baseline"), m.get("qa_majority_baseline_ci95")),
                 *([] if m.get("qa_answer") == "read from the evidence" else  # the read answer is that choice
                   [("chosen among found", m.get("qa_choice_found_accuracy"), m.get("qa_choice_found_accuracy_ci95"))]),
                 ("majority among found", m.get("qa_choice_found_majority"),
                  m.get("qa_choice_found_majority_ci95"))])),
    ]
