"""A fine-tuned span tagger beside the rules, scored by the evaluation tasks (one scorer per task)
on held-out commons patients and on the hand-written development part: what notebook 03 shows for
the pseudonymisation head, and what ``benchmarks/bench_taggers.py`` measures for every head."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partages_core.config import Profile, get_profile
from partages_core.evaluation import runner
from partages_core.evaluation.tasks import get_task

# evaluation task family -> (its rules system, the headline metrics shown, metrics where lower is better)
FAMILIES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "pseudonymisation": ("pseudo-rules", ("f1_strict_micro", "f1_overlap_micro", "leak_rate", "over_scrub_rate"),
                         ("leak_rate", "over_scrub_rate")),
    "infectiology": ("infectio-rules", ("entity_f1", "entity_f1_overlap"), ()),
    "oncology-biomarkers": ("oncology-rules", ("entity_f1_strict", "entity_f1_overlap"), ()),
    "response": ("response-rules", ("macro_f1", "accuracy"), ()),
}


def predictions(tagger: Any, data: runner.Split) -> dict[str, list[dict[str, Any]]]:
    """The tagger's spans for every evaluated document, predicted line by line as it was trained."""
    from partages_core.models.usecase_models import predict_lines

    docs = list(data.eval)
    return dict(zip([ex.doc_id for ex in docs], predict_lines(tagger, [ex.text for ex in docs])))


def compare(family: str, model: Any, name: str, sets: Sequence[tuple[str, str, runner.Split]],
            n_boot: int = 1000, seed: int = 13) -> list[dict[str, Any]]:
    """Result records of the model and of the family's rules on each ``(label, task, data)``: the
    model is a tagger (scored through its line predictions, as system ``name``) or, when ``model``
    is None, the registered system ``name`` (e.g. ``infectio-model``). The model's record also holds
    ``paired``: model minus rules on the same documents, per metric, with its bootstrap interval."""
    rules = FAMILIES[family][0]
    out = []
    for label, task, data in sets:
        outputs = {}
        for system in (name, rules):
            given = predictions(model, data) if system == name and model is not None else None
            outputs[system] = runner.run_system(get_task(task), system, data, seed=seed, predictions=given)[1]
        records = [{**runner.evaluate(task, system, data=data, predictions=outputs[system], n_boot=n_boot, seed=seed),
                    "data_label": label} for system in (name, rules)]
        paired = runner.compare(task, name, rules, data=data, predictions=outputs, n_boot=n_boot, seed=seed)
        records[0]["paired"] = paired["metrics"]
        out += records
    return out


def _verdict(metric: str, lower_is_better: bool, a: float, b: float, paired: dict | None, model_word: str) -> str:
    """``the tagger (0.950) beats the rules (0.900): +0.050 [+0.020, +0.080]``. With the paired interval,
    "beats" means beyond chance; a difference within chance is read as not beating the rules."""
    d = (paired or {}).get(metric)
    if d is None:  # no paired interval: the point estimates alone
        better = a < b if lower_is_better else a > b
        return f"{model_word} ({a:.3f}) " + ("beats" if better else "**does not beat**") + f" the rules ({b:.3f})."
    lo, hi = (-d["ci_high"], -d["ci_low"]) if lower_is_better else (d["ci_low"], d["ci_high"])
    diff = f"{d['difference']:+.3f} [{d['ci_low']:+.3f}, {d['ci_high']:+.3f}]"
    if lo > 0:
        return f"{model_word} ({a:.3f}) beats the rules ({b:.3f}) beyond chance: model minus rules {diff}."
    if hi < 0:
        return f"{model_word} ({a:.3f}) **does not beat** the rules ({b:.3f}): model minus rules {diff}."
    return (f"{model_word} ({a:.3f}) **does not beat** the rules ({b:.3f}) beyond chance (level): "
            f"model minus rules {diff}.")


def markdown(family: str, results: Sequence[dict[str, Any]], model_word: str = "the tagger") -> str:
    """``| data | system | n docs | metric [95 % CI] … |`` and, per data set, a plain line saying
    whether the tagger beats the rules on the family's first metric (beyond chance where the
    record holds the paired interval of :func:`compare`)."""
    _, shown, lower = FAMILIES[family]
    head = "| data | system | n docs | " + " | ".join(shown) + " |\n|---|---|---|" + "---|" * len(shown)
    rows, verdicts = [], []

    def cell(v: dict | None) -> str:
        return "–" if not v or v.get("value") is None else f"{v['value']:.3f} [{v['ci_low']:.3f}–{v['ci_high']:.3f}]"

    for r in results:
        rows.append(f"| {r['data_label']} | {r['system']} | {r['n_documents']} | "
                    + " | ".join(cell(r["metrics"].get(m)) for m in shown) + " |")
    for k in range(0, len(results) - 1, 2):
        model, rules = results[k], results[k + 1]
        for metric in shown[:1] + tuple(m for m in shown if m in lower)[:1]:
            a, b = (model["metrics"].get(metric) or {}).get("value"), (rules["metrics"].get(metric) or {}).get("value")
            if a is None or b is None:
                continue
            verdicts.append(f"- {model['data_label']}, {metric}: "
                            + _verdict(metric, metric in lower, a, b, model.get("paired"), model_word))
    return head + "\n" + "\n".join(rows) + "\n\n" + "\n".join(verdicts)


def pseudo_tagger_vs_rules(folder: str | Path, demo: bool = False, profile: Profile | None = None,
                           split: dict | None = None, n_boot: int = 200) -> tuple[Any, dict[str, Any]]:
    """The pseudonymisation tagger saved in ``folder`` (the model build's ``pseudo-tagger``, i.e.
    ``partages models finetune --task pseudo``) beside the rules, on the commons test split and
    the hand-written development part. Returns the tagger and ``note``, ``table``, ``model``,
    ``demo``, ``results`` and ``card_results`` (the commons figures, for its model card)."""
    from partages_core.corpus.commons import load_commons
    from partages_core.evaluation.leaderboard import card_results
    from partages_core.models.heads import SpanTagger
    from partages_core.quality.splits import split_patients

    profile = profile or get_profile()
    split = split or split_patients(load_commons(profile).patients, profile.seed)
    tagger = SpanTagger.load(Path(folder))
    sets = [("commons test split", "pseudonymisation",
             runner.on_patients("pseudonymisation", split["test"], "commons test split")),
            ("hand-written dev", "pseudonymisation@handwritten",
             runner.load_split(get_task("pseudonymisation@handwritten"), "dev"))]
    results = compare("pseudonymisation", tagger, "pseudo-tagger", sets, n_boot=n_boot, seed=profile.seed)
    steps = tagger.info.get("steps")
    note = (f"A DEMONSTRATION tagger ({steps} steps): its figures say nothing of the recipe's." if demo else
            f"The tagger of the model build (`partages models finetune --task pseudo`, {steps} steps, spans "
            + ("read word by word" if tagger.info.get("decode") == "word" else "read piece by piece") + "), loaded.")
    return tagger, {"note": note, "table": markdown("pseudonymisation", results), "model": str(folder),
                    "demo": demo, "results": results, "card_results": card_results(results[:1])}


def response_classifier_vs_rules(min_documents: int = 60, n_boot: int = 1000, seed: int = 13) -> dict[str, Any]:
    """The CU5b classifier (``partages models finetune --task response``) beside the rules: on a fresh
    held-out cohort of at least ``min_documents`` response documents (``runner.fresh_cohort``; the
    commons' test split holds a handful) and on the hand-written CU5b letters of the frozen test part
    (the development letters are among the classifier's training letters, so they are not scored).
    Returns ``results``, ``table`` (Markdown with the verdicts) and ``card_results`` (the cohort
    figures, for the classifier's model card)."""
    from partages_core.evaluation.leaderboard import card_results

    hand = get_task("response@handwritten")
    sets = [("fresh held-out cohort", "response", runner.fresh_cohort("response", min_documents)),
            ("hand-written test", "response@handwritten", runner.load_split(hand, "test"))]
    results = compare("response", None, "response-model", sets, n_boot=n_boot, seed=seed)
    return {"results": results, "table": markdown("response", results, model_word="the classifier"),
            "card_results": card_results([results[0]])}


def write_response_hybrid_card(out_dir: str | Path | None = None, min_documents: int = 60,
                               n_boot: int = 1000) -> Path | None:
    """The CU5b hybrid's model card (``models.response_sentences.write_card``): the system ``response-hybrid``
    beside the rules on a fresh held-out cohort of at least ``min_documents`` letters (``runner.fresh_cohort``),
    with the hand-written figures measured per pass; into ``out_dir`` (default: the build's ``model_cards``).
    None when the cue-sentence classifier is not built."""
    from partages_core.config import artefacts_dir
    from partages_core.evaluation.leaderboard import card_results
    from partages_core.models import response_sentences

    if not response_sentences.is_built():
        return None
    sets = [("fresh held-out cohort", "response", runner.fresh_cohort("response", min_documents))]
    results = compare("response", None, "response-hybrid", sets, n_boot=n_boot)
    return response_sentences.write_card(card_results(results[:1]), markdown("response", results, "the hybrid"),
                                         Path(out_dir) if out_dir else artefacts_dir() / "model_cards",
                                         response_sentences.load_built().info)


CU6_MIN_DOCUMENTS = 40  # the commons' test split holds 4 to 8 CU6 documents (3 or 4 patients of 36): too few


def infectio_ner_vs_rules(min_documents: int = CU6_MIN_DOCUMENTS, n_boot: int = 1000, seed: int = 13,
                          profile: Profile | None = None) -> dict[str, Any]:
    """The CU6 NER (system ``infectio-ner``, ``partages models finetune --task infectio-ner``) beside
    the rules (``infectio-rules``) on a fresh held-out cohort of at least ``min_documents`` CU6
    documents (``runner.fresh_cohort``, another seed than the commons') and on the commons' test
    split. Returns ``results``, ``table`` (Markdown with the verdicts) and ``card_results`` (the
    model's figures on both, for its model card)."""
    from partages_core.corpus.commons import load_commons
    from partages_core.evaluation.leaderboard import card_results
    from partages_core.quality.splits import split_patients

    profile = profile or get_profile()
    split = split_patients(load_commons(profile).patients, profile.seed)
    sets = [("fresh held-out cohort", "infectiology", runner.fresh_cohort("infectiology", min_documents)),
            ("commons test split", "infectiology",
             runner.on_patients("infectiology", split["test"], "commons test split"))]
    results = compare("infectiology", None, "infectio-ner", sets, n_boot=n_boot, seed=seed)
    entities = {label: sum(len(ex.gold["entities"]) for ex in data.eval) for label, _, data in sets}
    for r in results:
        r["n_entities"] = entities[r["data_label"]]
    card = []
    model_rows = results[::2]  # compare(): the model's record, then the rules', per set
    for r, config in zip(model_rows, (f"fresh-cohort-seed-{runner.FRESH_SEED}", "commons-test-split")):
        for e in card_results([r]):  # a config per set: the model-index groups results by dataset type and split
            e.dataset_config = config
            card.append(e)
    return {"results": results, "table": markdown("infectiology", results, model_word="the NER"),
            "card_results": card}


def write_infectio_ner_card(out_dir: str | Path | None = None, min_documents: int = CU6_MIN_DOCUMENTS,
                            n_boot: int = 1000) -> Path | None:
    """The CU6 NER's model card (``models.cu6_ner.write_card``) with :func:`infectio_ner_vs_rules`'s
    figures, into ``out_dir`` (default: the build's ``model_cards``); None when the model is not built."""
    from partages_core.config import artefacts_dir
    from partages_core.models import cu6_ner

    if not cu6_ner.is_built():
        return None
    cmp = infectio_ner_vs_rules(min_documents, n_boot=n_boot)
    seen, generated = set(), []
    for r in cmp["results"]:
        if r["data_label"] not in seen:
            seen.add(r["data_label"])
            generated.append({"data": r["data_label"], "n_documents": r["n_documents"],
                              "n_entities": r["n_entities"], "source": r["provenance"]["data"]})
    return cu6_ner.write_card(cmp["card_results"], cmp["table"], generated,
                              Path(out_dir) if out_dir else artefacts_dir() / "model_cards",
                              min_documents=min_documents)
