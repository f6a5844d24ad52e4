"""The home page's generated parts, in French and English: headline numbers and their figure.

Every number comes from the latest ``partages evaluate realtext`` run (``realtext.json``): the best
system of each task on the hand-written documents it never saw, with its 95 % interval and n.
"""

from __future__ import annotations

import json
from pathlib import Path

from partages_core.config import artefacts_dir

FAMILY_NAMES = {
    "pseudonymisation": ("Pseudonymisation", "Pseudonymisation"),
    "oncology-biomarkers": ("Biomarqueurs tumoraux", "Tumour biomarkers"),
    "infectiology": ("Infectiologie", "Infectiology"),
    "response": ("Réponse au traitement", "Response to treatment"),
}
TEXT = {
    "fr": {"none": "Pas encore de résultats sur texte réel : lancez `partages evaluate realtext`.",
           "lead": "Meilleur système de chaque tâche sur les documents écrits à la main (partie test gelée), "
                   "jamais vus par les systèmes ; intervalle de confiance à 95 % par bootstrap sur les documents.",
           "head": ("tâche", "meilleur système", "mesure", "valeur [IC 95 %]", "documents"),
           "xlabel": "valeur de la mesure (0 à 1), barre = IC 95 %",
           "title": "Sur des textes que les systèmes n'ont pas générés",
           "alt": "Diagramme en barres horizontales : pour chaque tâche ({tasks}), la valeur de la mesure principale "
                  "du meilleur système sur les documents écrits à la main, avec son intervalle de confiance à 95 %."},
    "en": {"none": "No real-text results yet: run `partages evaluate realtext`.",
           "lead": "Best system of each task on the hand-written documents (frozen test split), which no system "
                   "has seen; 95 % bootstrap confidence interval over documents.",
           "head": ("task", "best system", "metric", "value [95 % CI]", "documents"),
           "xlabel": "metric value (0 to 1), bar = 95 % CI",
           "title": "On text the systems did not generate",
           "alt": "Horizontal bar chart: for each task ({tasks}), the primary metric of the best system on the "
                  "hand-written documents, with its 95 % confidence interval."},
}


def headline(payload: dict) -> list[dict]:
    """Per task family, the best system on the hand-written source by its first headline metric."""
    best: dict[str, dict] = {}
    for row in payload.get("rows", []):
        if row.get("source") != "handwritten" or "metrics" not in row:
            continue
        metric = next(iter(row["metrics"]), None)
        value = row["metrics"].get(metric) if metric else None
        if not value:
            continue
        higher = row.get("higher_is_better", {}).get(metric, True)
        cand = {"family": row["family"], "system": row["system"], "metric": metric, "n_documents": row["n_documents"],
                "value": value["value"], "ci_low": value["ci_low"], "ci_high": value["ci_high"], "higher": higher}
        old = best.get(row["family"])
        if old is None or (cand["value"] > old["value"]) == higher and cand["value"] != old["value"]:
            best[row["family"]] = cand
    return list(best.values())


def _name(family: str, lang: str) -> str:
    fr, en = FAMILY_NAMES.get(family, (family, family))
    return fr if lang == "fr" else en


def headline_markdown(rows: list[dict], lang: str) -> str:
    """The headline table in one language (Markdown)."""
    t = TEXT[lang]
    if not rows:
        return t["none"] + "\n"
    lines = [t["lead"], "", "| " + " | ".join(t["head"]) + " |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {_name(r['family'], lang)} | {r['system']} | {r['metric']} {'↑' if r['higher'] else '↓'} | "
                     f"{r['value']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}] | {r['n_documents']} |")
    return "\n".join(lines) + "\n"


def headline_figure(rows: list[dict], lang: str, dest: Path) -> str:
    """Save the headline bar chart; returns its alt text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = TEXT[lang]
    names = [f"{_name(r['family'], lang)}\n({r['metric']})" for r in rows]
    values = [r["value"] for r in rows]
    errors = [[r["value"] - r["ci_low"] for r in rows], [r["ci_high"] - r["value"] for r in rows]]
    fig, ax = plt.subplots(figsize=(7, 0.8 + 0.7 * len(rows)), dpi=110)
    ax.barh(names, values, xerr=errors, color="#2b6ca3", ecolor="#333333", capsize=4)
    for y, r in enumerate(rows):
        ax.text(min(r["ci_high"] + 0.02, 0.98), y, f"{r['value']:.2f} (n={r['n_documents']})", va="center", fontsize=8)
    ax.set_xlim(0, 1.15)
    ax.set_xlabel(t["xlabel"])
    ax.set_title(t["title"], fontsize=11)
    ax.invert_yaxis()
    fig.tight_layout()
    dest.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(dest, metadata={"Software": None})
    plt.close(fig)
    return t["alt"].format(tasks=", ".join(_name(r["family"], lang) for r in rows))


def write_home_parts(site: Path, gen: Path, payload: dict | None = None) -> list[dict]:
    """``_generated/headline-{fr,en}.md`` (table + figure) from the latest real-text run."""
    if payload is None:
        path = artefacts_dir() / "evaluation" / "realtext.json"
        payload = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    rows = headline(payload)
    for lang in ("fr", "en"):
        text = headline_markdown(rows, lang)
        if rows:
            image = site / "images" / f"headline-{lang}.png"
            alt = headline_figure(rows, lang, image)
            text = f'![](images/{image.name}){{fig-alt="{alt}"}}\n\n' + text
        (gen / f"headline-{lang}.md").write_text(text, encoding="utf-8")
    return rows
