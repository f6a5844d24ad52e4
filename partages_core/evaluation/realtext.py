"""``partages evaluate realtext``: every system on text it did not generate, the commons second.

Per task family: one row per system and headline metric; columns are the real-text sources
(hand-written set, EDS-Pseudo, E3C), then the generated commons (in-distribution), then the
transfer gap (commons minus hand-written). Every cell carries a 95 % bootstrap interval; the header
gives each source's documents and gold mentions; a paired bootstrap compares the best two systems
on the hand-written set.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from partages_core.errors import InputError
from partages_core.evaluation import runner
from partages_core.evaluation.realdata import available
from partages_core.evaluation.systems import is_available, systems_for
from partages_core.evaluation.tasks import TASKS, Task, get_task

FAMILIES = ("pseudonymisation", "oncology-biomarkers", "response", "infectiology", "e3c-negation")
HEADLINES = {
    "pseudonymisation": ("leak_rate", "f1_strict_micro"),
    "oncology-biomarkers": ("marker_status_f1", "tnm_f1"),
    "response": ("accuracy", "macro_f1"),
    "infectiology": ("entity_f1", "entity_negation_f1", "antibiogram_f1", "resistance_f1"),
    "e3c-negation": ("neg_f1", "accuracy"),
}
SOURCE_NAMES = {"handwritten": "hand-written", "eds-pseudo": "EDS-Pseudo", "e3c": "E3C", "commons": "commons"}


def real_tasks(fam: str) -> list[Task]:
    """The real-text tasks of a family, hand-written first."""
    tasks = [t for t in TASKS.values() if t.family == fam and t.load is not None]
    return sorted(tasks, key=lambda t: (t.source != "handwritten", t.name))


def _source(task: Task) -> str:
    return task.source or "commons"


def _mentions(result: dict[str, Any], metric: str, task: Task) -> int:
    view = next(m.view for m in task.metrics if m.name == metric)
    return sum(int(r["support"]) for r in result["per_label"].get(view, {}).values())


def _limited(data: runner.Split, limit: int | None) -> runner.Split:
    return data if not limit else runner.Split(data.train, data.eval[:limit], data.source + f" (first {limit})")


def run(split: str = "test", n_boot: int = 1000, seed: int = 13, limit: int | None = None,
        systems: Sequence[str] = (), commons: bool = True, log: Callable[[str], None] = lambda s: None) -> dict:
    """All results as JSON-ready rows: one per (family, system, source), plus paired comparisons."""
    rows, comparisons, notes = [], [], []
    commons_data = None
    for fam in FAMILIES:
        sources = [t for t in real_tasks(fam) if available(t)]
        notes += [f"{t.name}: skipped, its corpus is not found" for t in real_tasks(fam) if not available(t)]
        if fam in TASKS and commons and TASKS[fam].load is None:
            sources.append(TASKS[fam])
        names = [n for n in systems_for(fam) if is_available(n) and (not systems or n in systems)]
        for task in sources:
            if task.load is None:
                if commons_data is None:
                    from partages_core.corpus.commons import load_commons

                    commons_data = load_commons()
                data = _limited(runner.load_split(task, "test", commons_data), limit)
                task_split = "test"
            else:
                task_split = split if _source(task) == "handwritten" else "test"
                data = _limited(runner.load_split(task, task_split), limit)
            for name in names:
                tic = time.perf_counter()
                row = {"family": fam, "task": task.name, "source": _source(task), "system": name,
                       "split": task_split, "n_documents": len(data.eval)}
                try:
                    res = runner.evaluate(task.name, name, task_split, None, seed, n_boot, data=data)
                except InputError as err:
                    row["error"] = str(err)
                else:
                    row["metrics"] = {m: res["metrics"].get(m) for m in HEADLINES[fam]}
                    row["mentions"] = {m: _mentions(res, m, task) for m in HEADLINES[fam]}
                    row["higher_is_better"] = {m.name: m.higher_is_better for m in task.metrics
                                               if m.name in HEADLINES[fam]}
                rows.append(row)
                log(f"{task.name:<34} {name:<26} {time.perf_counter() - tic:5.1f}s")
        comparisons += _paired(fam, rows, split, n_boot, seed, limit)
    return {"split": split, "n_boot": n_boot, "seed": seed, "limit": limit, "rows": rows,
            "comparisons": comparisons, "notes": notes}


def _paired(fam: str, rows: list[dict], split: str, n_boot: int, seed: int, limit: int | None) -> list[dict]:
    """Paired bootstrap between the best two systems of the family on its first real-text source."""
    reals = [r for r in rows if r["family"] == fam and r["source"] != "commons" and "metrics" in r]
    if not reals:
        return []
    first = reals[0]["task"]
    metric = HEADLINES[fam][0]
    ranked = [r for r in reals if r["task"] == first and r["metrics"].get(metric)]
    if len(ranked) < 2:
        return []
    sign = 1 if ranked[0]["higher_is_better"][metric] else -1
    ranked.sort(key=lambda r: -sign * r["metrics"][metric]["value"])
    a, b = ranked[0]["system"], ranked[1]["system"]
    task = get_task(first)
    data = _limited(runner.load_split(task, ranked[0]["split"]), limit)
    res = runner.compare(first, a, b, ranked[0]["split"], seed, n_boot, data=data)
    return [{"family": fam, "task": first, "metric": metric, "system_a": a, "system_b": b,
             "n_documents": res["n_documents"], "difference": res["metrics"].get(metric)}]


def _cell(v: dict | None) -> str:
    return "–" if not v else f"{v['value']:.3f} [{v['ci_low']:.3f}, {v['ci_high']:.3f}]"


def _gap(commons: dict | None, real: dict | None) -> str:
    return "–" if not commons or not real else f"{commons['value'] - real['value']:+.3f}"


def markdown(payload: dict) -> str:
    """The real-text table: per family, real-text sources first, commons second, transfer gap."""
    rows = payload["rows"]
    out = ["# Results on text the systems did not generate", "",
           "Per task, the columns in front are text written outside the project's generator "
           f"(hand-written set, split `{payload['split']}`; EDS-Pseudo snippets; E3C); the commons "
           "column is the generated corpus (**in-distribution**: the generator and the rule systems share "
           "their lexicons). Cells: value [95 % bootstrap interval over documents]. ↑ higher is better, "
           "↓ lower is better. Transfer gap = commons − hand-written. Generated by "
           "`partages evaluate realtext`; do not edit by hand.", ""]
    for fam in FAMILIES:
        fam_rows = [r for r in rows if r["family"] == fam]
        if not fam_rows:
            continue
        sources = list(dict.fromkeys((r["task"], r["source"]) for r in fam_rows))
        real = [s for s in sources if s[1] != "commons"]
        com = [s for s in sources if s[1] == "commons"]
        ordered = real + com
        out += [f"## {fam}", ""]
        for task, src in ordered:
            ok = [r for r in fam_rows if r["task"] == task and "mentions" in r]
            size = ok[0] if ok else next(r for r in fam_rows if r["task"] == task)
            ments = ", ".join(f"{m} {n}" for m, n in (size.get("mentions") or {}).items())
            label = "in-distribution" if src == "commons" else "real text"
            out.append(f"- {SOURCE_NAMES.get(src, src)} ({label}, `{task}`, split {size['split']}): "
                       f"{size['n_documents']} documents; gold mentions per metric: {ments or 'n/a'}")
        hw = next((t for t, s in real if s == "handwritten"), None)
        head = ["system", "metric"] + [SOURCE_NAMES.get(s, s) for _, s in real] + \
               [f"{SOURCE_NAMES['commons']} (in-distribution)" for _ in com] + (["transfer gap"] if hw and com else [])
        out += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        systems = list(dict.fromkeys(r["system"] for r in fam_rows))
        for name in systems:
            by_task = {r["task"]: r for r in fam_rows if r["system"] == name}
            for metric in HEADLINES[fam]:
                hib = next((r["higher_is_better"].get(metric) for r in by_task.values() if "higher_is_better" in r), True)
                cells = []
                for task, _ in ordered:
                    r = by_task.get(task)
                    cells.append("–" if r is None else ("invalid output (below)" if "error" in r
                                                        else _cell(r["metrics"].get(metric))))
                if hw and com:
                    c, h = by_task.get(com[0][0]), by_task.get(hw)
                    cells.append(_gap(c and c.get("metrics", {}).get(metric), h and h.get("metrics", {}).get(metric)))
                out.append(f"| {name} | {metric} {'↑' if hib else '↓'} | " + " | ".join(cells) + " |")
        for r in fam_rows:
            if "error" in r:
                out += ["", f"{r['system']} on `{r['task']}`: no score, its output was rejected: {r['error']}"]
        for c in payload["comparisons"]:
            if c["family"] == fam and c["difference"]:
                d = c["difference"]
                out += ["", f"Paired bootstrap on `{c['task']}` ({c['n_documents']} documents), {c['metric']}: "
                        f"{c['system_a']} − {c['system_b']} = {d['difference']:+.3f} "
                        f"[{d['ci_low']:+.3f}, {d['ci_high']:+.3f}], p = {d['p_value']:.3f}."]
        out.append("")
    for note in payload["notes"]:
        out.append(f"- {note}")
    return "\n".join(out).rstrip() + "\n"
