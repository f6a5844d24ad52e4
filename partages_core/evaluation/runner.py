"""Run one system on one task: examples from the split, outputs checked, per-document scores,
metrics with bootstrap CIs, provenance; plus paired comparison, robustness and reproducibility."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from partages_core.corpus.model import (BIOMARKER_STATUSES, INFECTIO_LABELS, NEGATIONS, PSEUDO_LABELS,
                                        RESISTANCE_PHENOTYPES, RESPONSE_LABELS, SIR)
from partages_core.config import FRESH_SEED
from partages_core.errors import InputError
from partages_core.evaluation.bootstrap import bootstrap_ci, paired_bootstrap, resample_weights
from partages_core.metrics import Counts, counts_matrix, merge, report
from partages_core.evaluation.base import Example, Split, Task
from partages_core.evaluation.tasks import get_task

DEFAULT_SEED = 13
DEFAULT_BOOT = 1000


def load_split(task: Task, split: str = "test", commons: Any = None) -> Split:
    """Examples of ``split`` (and of ``train``) from the commons, or from a real corpus for tasks
    registered by ``realdata`` (those carry their own ``load``)."""
    loader = getattr(task, "load", None)
    if loader is not None:
        return loader(split)
    from partages_core.config import get_profile
    from partages_core.quality.splits import SPLITS, split_patients

    if split not in SPLITS:
        raise InputError(f"--split: unknown split {split!r}; choose one of {list(SPLITS)}")
    if commons is None:
        from partages_core.corpus.commons import load_commons

        commons = load_commons()
    parts = split_patients(commons.patients, seed=get_profile().seed)
    return Split(task.examples(parts["train"]), task.examples(parts[split]),
                 f"commons:{commons.folder.name}:{len(commons.patients)} patients")


def on_patients(task_name: str, patients: Sequence[Any], source: str) -> Split:
    """A split whose evaluated examples are ``task``'s among ``patients`` (nothing to train on):
    for benchmarks on a fresh sample or a site's own patients."""
    return Split([], get_task(task_name).examples(patients), source)


FRESH_STEP = 200  # patients are drawn in steps of this many


def fresh_cohort(task_name: str, min_documents: int = 60, seed: int = FRESH_SEED,
                 train: Sequence[Example] = (), max_patients: int = 20_000) -> Split:
    """A held-out cohort large enough for a task the commons holds few documents of (CU5b: about 8 %
    of the patients, one follow-up document each): the generator's patients of ``seed`` (not the
    commons' seed), drawn ``FRESH_STEP`` at a time until ``task`` has at least ``min_documents``
    documents. Same arguments, same cohort. ``train`` (e.g. the commons' training examples) is kept
    for the baselines trained on it (the majority class)."""
    from partages_core.config import get_profile
    from partages_core.corpus.generator import generate

    if seed == get_profile().seed:
        raise InputError(f"fresh cohort: seed {seed} is the commons' seed; choose another")
    task = get_task(task_name)
    n = FRESH_STEP
    while True:
        examples = task.examples(list(generate(n, seed)))
        if len(examples) >= min_documents or n >= max_patients:
            break
        n += FRESH_STEP
    if len(examples) < min_documents:
        raise InputError(f"fresh cohort: {len(examples)} {task_name} documents among {n} patients, "
                         f"fewer than the {min_documents} asked")
    return Split(list(train), examples, f"generated:seed {seed}:{n} patients:{len(examples)} {task_name} documents")


# --- output validation: bad predictions are an error, never a silently lower score -----------------

def _checks(task: str, out: Any) -> Iterator[tuple[str, Mapping | None, str | None, Sequence[str] | None]]:
    """(where, span-or-None, field, allowed) for every item of one output that must be checked."""
    if task == "pseudonymisation":
        for i, e in enumerate(out):
            yield f"[{i}]", e, "label", PSEUDO_LABELS
    elif task == "oncology-biomarkers":
        for i, b in enumerate(out.get("biomarkers", [])):
            yield f"biomarkers[{i}]", b, "status", BIOMARKER_STATUSES
        for i, t in enumerate(out.get("tnm", [])):
            yield f"tnm[{i}]", t, None, None
    elif task == "response":
        yield "label", None, "label", RESPONSE_LABELS
    elif task == "infectiology":
        for i, e in enumerate(out.get("entities", [])):
            yield f"entities[{i}]", e, "label", INFECTIO_LABELS
            yield f"entities[{i}]", None, "negation", NEGATIONS
        for i, s in enumerate(out.get("susceptibility", [])):
            yield f"susceptibility[{i}]", None, "result", SIR
        for i, r in enumerate(out.get("resistance", [])):
            yield f"resistance[{i}]", r, "phenotype", RESISTANCE_PHENOTYPES
    elif task == "e3c-negation":
        for i, e in enumerate(out.get("events", [])):
            yield f"events[{i}]", e, "polarity", ("POS", "NEG")


def _item(task: str, out: Any, where: str) -> Mapping:
    if where == "label":
        return out
    head, _, idx = where.rstrip("]").partition("[")
    seq = out if not head else out.get(head, [])
    return seq[int(idx)]


def validate_outputs(task: Task, examples: Sequence[Example], outputs: Mapping[str, Any], source: str) -> None:
    """Raise ``InputError`` listing every missing document, unknown document, offset outside the
    text and unknown label in ``outputs`` (doc id → system output)."""
    problems: list[str] = []
    ids = {ex.doc_id for ex in examples}
    missing = sorted(ids - set(outputs))
    if missing:
        problems.append(f"{len(missing)} missing document(s): {', '.join(missing[:10])}"
                        + (" …" if len(missing) > 10 else ""))
    extra = sorted(set(outputs) - ids)
    if extra:
        problems.append(f"{len(extra)} unknown document(s): {', '.join(extra[:10])}" + (" …" if len(extra) > 10 else ""))
    for ex in examples:
        out = outputs.get(ex.doc_id)
        if out is None:
            continue
        try:
            for where, span, field, allowed in _checks(task.family, out):
                if span is not None:
                    s, e = span.get("start"), span.get("end")
                    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(ex.text)):
                        problems.append(f"{ex.doc_id} {where}: offsets ({s}, {e}) outside the text "
                                        f"(length {len(ex.text)})")
                if field is not None:
                    item = _item(task.family, out, where) if span is None else span
                    value = item.get(field) if isinstance(item, Mapping) else None
                    if value not in allowed:
                        problems.append(f"{ex.doc_id} {where}.{field}: unknown label {value!r}")
        except (AttributeError, TypeError, KeyError, ValueError) as err:
            problems.append(f"{ex.doc_id}: output does not have the {task.name} shape ({err})")
    if problems:
        shown = "; ".join(problems[:25]) + (f"; … {len(problems) - 25} more" if len(problems) > 25 else "")
        raise InputError(f"{source}: {len(problems)} problem(s): {shown}")


def read_predictions(path: str | Path) -> dict[str, Any]:
    """Predictions from a file: JSON ``{doc_id: output}`` or JSONL lines ``{"doc_id", "output"}``."""
    from partages_core.files import read_text

    path = Path(path)
    text = read_text(path)
    if path.suffix == ".jsonl":
        out = {}
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                doc_id, output = row["doc_id"], row["output"]
                if doc_id in out:
                    raise InputError(f"{path}:{n}: doc_id {doc_id!r} repeats an earlier line")
                out[doc_id] = output
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise InputError(f"{path}:{n}: expected {{\"doc_id\", \"output\"}} JSON ({err})") from None
        return out
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not JSON ({err})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object mapping document ids to outputs")
    return data


# --- scoring --------------------------------------------------------------------------------------

def score_all(task: Task, examples: Sequence[Example], outputs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per-document view scores, in example order."""
    return [task.score(ex, outputs[ex.doc_id]) for ex in examples]


def view_labels(task: Task, *scored: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Labels of each counts view: those seen in any document of any of the given runs, sorted."""
    out = {}
    for v in task.views:
        if v.kind == "counts":
            out[v.name] = sorted({str(k) for run in scored for d in run for k in d.get(v.name, {})})
    return out


def view_matrix(task: Task, scored: Sequence[dict[str, Any]], view: str, labels: Sequence[str]) -> np.ndarray:
    """The per-document matrix of one view: (n_docs, n_labels, 3) counts or (n_docs, k) values."""
    v = task.view(view)
    if v.kind == "counts":
        return counts_matrix([{str(k): c for k, c in d.get(view, {}).items()} for d in scored], list(labels))
    return np.array([d.get(view, [0.0] * len(v.columns)) for d in scored], dtype=float).reshape(len(scored), -1)


def _defined(task: Task, view: str, matrix: np.ndarray) -> bool:
    return matrix.size > 0 and bool(matrix.sum() > 0)


def metrics_with_ci(task: Task, scored: Sequence[dict[str, Any]], labels: Mapping[str, list[str]],
                    n_boot: int, seed: int) -> dict[str, dict[str, float] | None]:
    """Every task metric with its 95 % CI; one weight matrix shared by all metrics of the run."""
    w = resample_weights(len(scored), n_boot, seed) if scored else None
    out: dict[str, dict[str, float] | None] = {}
    for m in task.metrics:
        mat = view_matrix(task, scored, m.view, labels.get(m.view, []))
        out[m.name] = bootstrap_ci(mat, m.statistic, n_boot, seed, weights=w).as_dict() \
            if _defined(task, m.view, mat) else None
    return out


def _per_label(task: Task, scored: Sequence[dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for v in task.views:
        if v.kind == "counts":
            total: dict[Any, Counts] = merge(*[d.get(v.name, {}) for d in scored])
            out[v.name] = report(total)
    return out


def _confusion(scored: Sequence[dict[str, Any]], labels: Sequence[str]) -> dict[str, Any] | None:
    pairs = [d["_pair"] for d in scored if "_pair" in d]
    if not pairs:
        return None
    predicted = list(labels) + sorted({p for _, p in pairs if p not in labels}, key=str)
    table = {g: {p: 0 for p in predicted} for g in labels}
    for g, p in pairs:
        table[g][p] += 1
    return {"rows_gold": list(labels), "columns_predicted": predicted, "counts": table}


# --- counts at a site (federated nodes) ---------------------------------------------------------------

def task_view(ref: str) -> tuple[Task, str]:
    """``"infectiology"`` (the view of the task's primary metric) or ``"infectiology/entity"``: the
    task and the counts view a federated round pools."""
    name, _, view = ref.partition("/")
    task = get_task(name)
    if not view:
        view = next(m.view for m in task.metrics if m.name == task.primary)
    names = [v.name for v in task.views if v.kind == "counts"]
    if view not in names:
        raise InputError(f"task: {ref!r}: {task.name} has no counts view {view!r}; "
                         f"choose one of {', '.join(f'{task.name}/{n}' for n in names)}")
    return task, view


def site_counts(ref: str, system: str, patients: Sequence[Any]) -> tuple[dict[str, Counts], int]:
    """What one site computes for a round: the task's examples among ``patients``, the system's
    checked outputs, scored by the task, pooled per label for the view; and the number of examples.
    A site trains nothing: a baseline that needs training examples fails here."""
    from partages_core.evaluation.systems import build

    task, view = task_view(ref)
    examples = task.examples(patients)
    fn = build(system)
    outputs = {ex.doc_id: fn(ex) for ex in examples}
    validate_outputs(task, examples, outputs, f"system {system!r}")
    scored = score_all(task, examples, outputs)
    return merge(*[{str(k): c for k, c in d.get(view, {}).items()} for d in scored]), len(examples)


def metrics_of_counts(ref: str, totals: Mapping[str, Counts]) -> dict[str, float | None]:
    """The task's metrics on ``ref``'s view from pooled per-label counts, rounded as in a result
    record: the same statistic the leaderboard's point estimate applies to the same counts."""
    task, view = task_view(ref)
    labels = sorted(totals)
    matrix = np.array([[[totals[k].tp, totals[k].fp, totals[k].fn] for k in labels]], dtype=float).reshape(1, -1, 3)
    out: dict[str, float | None] = {}
    for m in task.metrics:
        if m.view == view:
            value = float(m.statistic(matrix)[0]) if matrix.sum() > 0 else float("nan")
            out[m.name] = None if np.isnan(value) else round(value, 6)
    return out


# --- runs ------------------------------------------------------------------------------------------

def run_system(task: Task, system: str, data: Split, perturb: str | None = None, seed: int = DEFAULT_SEED,
               predictions: Mapping[str, Any] | None = None) -> tuple[list[Example], dict[str, Any]]:
    """Outputs of ``system`` (or the given predictions) on the (optionally perturbed) examples."""
    from partages_core.evaluation.perturb import perturb_example
    from partages_core.evaluation.systems import build

    examples = data.eval
    if perturb:
        examples = [perturb_example(ex, perturb, seed, task.span_layers) for ex in examples]
    if predictions is not None:
        outputs, source = dict(predictions), f"predictions for {system}"
    else:
        fn = build(system, data.train)
        outputs, source = {ex.doc_id: fn(ex) for ex in examples}, f"system {system!r}"
    validate_outputs(task, examples, outputs, source)
    return examples, outputs


def evaluate(task_name: str, system: str, split: str = "test", perturb: str | None = None,
             seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_BOOT, commons: Any = None,
             predictions: Mapping[str, Any] | None = None, data: Split | None = None) -> dict[str, Any]:
    """One result record: metrics with CIs, per-label reports and provenance (JSON-ready)."""
    from partages_core.config import get_profile
    from partages_core.evaluation.repro import code_version, data_hash, environment
    from partages_core.evaluation.systems import SYSTEMS, digest, is_available

    task = get_task(task_name)
    data = data or load_split(task, split, commons)
    examples, outputs = run_system(task, system, data, perturb, seed, predictions)
    scored = score_all(task, examples, outputs)
    labels = view_labels(task, scored)
    spec = SYSTEMS.get(system)
    result = {
        "task": task.name, "system": system, "system_kind": spec.kind if spec else "predictions",
        "split": split, "perturbation": perturb, "n_documents": len(examples),
        "primary_metric": task.primary,
        "metrics": metrics_with_ci(task, scored, labels, n_boot, seed),
        "per_label": _per_label(task, scored),
        "provenance": {
            "data": data.source, "data_sha256": data_hash(examples),
            "model_sha256": digest(system) if spec and is_available(system) else None,
            "predictions_sha256": data_hash([Example(k, json.dumps(v, sort_keys=True, default=str), {})
                                             for k, v in sorted(outputs.items())]),
            "code": code_version(), "seed": seed, "n_boot": n_boot, "ci_level": 0.95,
            "resampling": "documents, with replacement (multinomial weights)",
            "profile": get_profile().name, "environment": environment(),
        },
    }
    confusion = _confusion(scored, list(task.labels))
    if confusion:
        result["confusion"] = confusion
    return result


def compare(task_name: str, system_a: str, system_b: str, split: str = "test", seed: int = DEFAULT_SEED,
            n_boot: int = DEFAULT_BOOT, commons: Any = None, data: Split | None = None,
            predictions: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Paired bootstrap A − B on the same documents, for every metric of the task; ``predictions``
    (by system name) scores given outputs instead of running that system."""
    task = get_task(task_name)
    data = data or load_split(task, split, commons)
    runs = []
    for name in (system_a, system_b):
        examples, outputs = run_system(task, name, data, seed=seed, predictions=(predictions or {}).get(name))
        runs.append(score_all(task, examples, outputs))
    labels = view_labels(task, *runs)
    out = {}
    for m in task.metrics:
        a = view_matrix(task, runs[0], m.view, labels.get(m.view, []))
        b = view_matrix(task, runs[1], m.view, labels.get(m.view, []))
        if _defined(task, m.view, a) and _defined(task, m.view, b):
            out[m.name] = paired_bootstrap(a, b, m.statistic, n_boot, seed)
    return {"task": task.name, "split": split, "system_a": system_a, "system_b": system_b,
            "n_documents": len(data.eval), "method": "paired bootstrap over documents", "metrics": out}


def robustness(task_name: str, system: str, kinds: Sequence[str], split: str = "test",
               seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_BOOT, commons: Any = None,
               data: Split | None = None) -> dict[str, Any]:
    """Clean result plus one result per perturbation, with the primary metric's drop for each."""
    task = get_task(task_name)
    data = data or load_split(task, split, commons)
    clean = evaluate(task_name, system, split, None, seed, n_boot, data=data)
    rows = {}
    for kind in kinds:
        res = evaluate(task_name, system, split, kind, seed, n_boot, data=data)
        drops = {m: (round(clean["metrics"][m]["value"] - v["value"], 6) if v and clean["metrics"].get(m) else None)
                 for m, v in res["metrics"].items()}
        rows[kind] = {"metrics": res["metrics"], "drop": drops}
    return {"task": task.name, "system": system, "split": split, "seed": seed, "primary_metric": task.primary,
            "clean": clean["metrics"], "perturbations": rows}


def comparable(result: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a result that must be identical when re-run (numbers, counts, data, code)."""
    prov = result.get("provenance", {})
    return {"metrics": result.get("metrics"), "per_label": result.get("per_label"),
            "confusion": result.get("confusion"), "n_documents": result.get("n_documents"),
            "data_sha256": prov.get("data_sha256"), "predictions_sha256": prov.get("predictions_sha256")}


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths where two JSON-like values differ (for ``--check-reproducible`` messages)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += differences(a.get(k), b.get(k), f"{path}.{k}" if path else str(k))
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def check_reproducible(run: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Run twice; return the first result and the list of differing metric paths (empty = same)."""
    first, second = run(), run()
    return first, differences(comparable(first), comparable(second))
