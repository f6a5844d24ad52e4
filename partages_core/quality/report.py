"""Quality-control report per facility (Markdown + matplotlib PNGs) and a comparison page.

Built from a :class:`~partages_core.quality.schemas.Validation` (valid rows, quarantine) and a
:class:`~partages_core.quality.dedup.DedupReport`: completeness, document lengths, label
distributions, schema violations, duplicates and each facility's writing habits (abbreviations,
whitespace and quote fixes made by normalisation) next to the other facilities.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from partages_core.corpus.model import LAYERS
from partages_core.quality.dedup import DedupReport
from partages_core.quality.normalize import abbreviation_edits, quote_edits, whitespace_edits
from partages_core.files import write_atomic
from partages_core.quality.schemas import COMPLETENESS_FIELDS, Validation

INDEX = "qc_index.md"


def slug(name: str) -> str:
    """File-name-safe facility name."""
    import unicodedata

    ascii_ = unicodedata.normalize("NFD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "unknown"


def facility_metrics(v: Validation, dedup: DedupReport | None = None) -> pd.DataFrame:
    """One row per facility: sizes, completeness, lengths, habits, violations, duplicates."""
    pats, docs = v.valid["patients"], v.valid["documents"].copy()
    docs["words"] = docs["text"].str.split().str.len()
    habits = docs["text"].map(lambda t: (len(abbreviation_edits(t)), len(whitespace_edits(t)), len(quote_edits(t))))
    docs["abbr"], docs["ws"], docs["quotes"] = zip(*habits) if len(docs) else ([], [], [])
    q = v.quarantine
    facilities = sorted(set(pats["facility"]) | set(q["facility"].dropna()))
    dup_docs: Counter = Counter()
    cross: Counter = Counter()
    for c in (dedup.clusters if dedup else []):
        for f in c.facilities:
            dup_docs[f] += 1
            cross[f] += c.cross_facility
    rows = []
    for f in facilities:
        p, d = pats[pats["facility"] == f], docs[docs["facility"] == f]
        words = max(int(d["words"].sum()), 1)
        row: dict[str, Any] = {
            "facility": f, "patients": len(p), "documents": len(d),
            "median_chars": float(d["length"].median()) if len(d) else 0.0,
            "abbr_per_1k_words": 1000 * d["abbr"].sum() / words,
            "whitespace_fixes_per_doc": float(d["ws"].mean()) if len(d) else 0.0,
            "quote_fixes_per_doc": float(d["quotes"].mean()) if len(d) else 0.0,
            "quarantined_rows": int((q["facility"] == f).sum()),
            "duplicate_docs": dup_docs[f], "cross_facility_dup_docs": cross[f],
        }
        completeness = v.summary.get("completeness", {}).get(f, {})  # over all rows, quarantined included
        for field in COMPLETENESS_FIELDS:
            row[f"complete_{field}"] = float(completeness.get(field, 0.0))
        for layer in LAYERS:
            t = v.valid.get(layer)
            row[f"{layer}_spans"] = int((t["facility"] == f).sum()) if t is not None and len(t) else 0
        rows.append(row)
    return pd.DataFrame(rows)


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=80, metadata={"Software": None})


def _subplots(**kw):
    """A figure outside pyplot: saving report figures never changes the caller's backend (a notebook's
    inline figures keep showing)."""
    from matplotlib.figure import Figure

    fig = Figure(**kw)
    return fig, fig.subplots()


def _plots(v: Validation, metrics: pd.DataFrame, out: Path) -> dict[str, str]:
    figs = out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    docs = v.valid["documents"]
    made = {}
    fig, ax = _subplots(figsize=(7, 3.5))
    for f in metrics["facility"]:
        ax.hist(docs.loc[docs["facility"] == f, "length"], bins=30, alpha=0.5, label=f)
    ax.set(title="Document length by facility", xlabel="characters", ylabel="documents")
    ax.legend(fontsize=7)
    _save(fig, figs / "lengths.png")
    made["lengths"] = "figures/lengths.png"
    fig, ax = _subplots(figsize=(7, 3.5))
    x = range(len(metrics))
    ax.bar(x, metrics["abbr_per_1k_words"])
    ax.set_xticks(list(x), [slug(f) for f in metrics["facility"]], rotation=20, fontsize=7)
    ax.set(title="Abbreviations per 1,000 words", ylabel="abbreviations")
    _save(fig, figs / "abbreviations.png")
    made["abbreviations"] = "figures/abbreviations.png"
    for f in metrics["facility"]:
        counts = Counter()
        for layer in LAYERS:
            t = v.valid.get(layer)
            if t is not None and len(t):
                counts.update(f"{layer}:{lab}" for lab in t.loc[t["facility"] == f, "label"])
        fig, ax = _subplots(figsize=(7, 4))
        items = counts.most_common(20)[::-1]
        ax.barh([k for k, _ in items], [n for _, n in items])
        ax.tick_params(axis="y", labelsize=7)
        ax.set(title=f"Gold labels — {f}", xlabel="spans")
        _save(fig, figs / f"labels-{slug(f)}.png")
        made[f"labels:{f}"] = f"figures/labels-{slug(f)}.png"
    return made


def _md_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(f"{x:.2f}" if isinstance(x, float) else str(x) for x in row) + " |")
    return "\n".join(lines)


def write_report(v: Validation, dedup: DedupReport | None, out: str | Path) -> list[Path]:
    """Write ``qc_index.md`` (comparison) and one ``qc_<facility>.md`` per facility with figures."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    metrics = facility_metrics(v, dedup)
    figs = _plots(v, metrics, out)
    total = v.summary["total"]
    index = [
        "# Quality-control report — comparison between facilities", "",
        f"Rows validated: {total['rows']}; passed: {total['passed']}; quarantined: {total['failed']}.",
        f"Near-duplicate clusters: {len(dedup.clusters) if dedup else 'not run'}"
        + (f" at threshold {dedup.threshold} ({dedup.duplicates} redundant documents)." if dedup else "."), "",
        "## Sizes, habits, violations", "", _md_table(metrics[[
            "facility", "patients", "documents", "median_chars", "abbr_per_1k_words",
            "whitespace_fixes_per_doc", "quote_fixes_per_doc", "quarantined_rows", "duplicate_docs"]]), "",
        "## Completeness (share of patients with the field)", "",
        _md_table(metrics[["facility", *[f"complete_{f}" for f in COMPLETENESS_FIELDS]]]), "",
        "## Figures", "",
        f"![Histogram of document lengths in characters, one colour per facility]({figs['lengths']})", "",
        f"![Bar chart of abbreviations per 1,000 words for each facility]({figs['abbreviations']})", "",
        "## Per facility", "",
        *[f"- [{f}](qc_{slug(f)}.md)" for f in metrics["facility"]], "",
    ]
    paths = [out / INDEX]
    write_atomic(paths[0], "\n".join(index))
    q = v.quarantine
    for _, m in metrics.iterrows():
        f = m["facility"]
        fq = q[q["facility"] == f]
        reasons = Counter(f"{t}: {r}" for t, rs in zip(fq["table"], fq["reasons"]) for r in rs)
        clusters = [c for c in (dedup.clusters if dedup else []) if f in c.facilities]
        lines = [
            f"# Quality-control report — {f}", "",
            f"{m['patients']} patients, {m['documents']} documents (median {m['median_chars']:.0f} characters).", "",
            "## Completeness", "",
            *[f"- {fld}: {100 * m[f'complete_{fld}']:.1f} %" for fld in COMPLETENESS_FIELDS], "",
            "## Writing habits (fixed by normalisation)", "",
            f"- abbreviations per 1,000 words: {m['abbr_per_1k_words']:.1f}",
            f"- whitespace fixes per document: {m['whitespace_fixes_per_doc']:.1f}",
            f"- quote fixes per document: {m['quote_fixes_per_doc']:.2f}", "",
            "## Gold labels", "",
            f"![Horizontal bar chart of the 20 most frequent gold labels of {f}]({figs[f'labels:{f}']})", "",
            *[f"- {layer}: {m[f'{layer}_spans']} spans" for layer in LAYERS], "",
            "## Schema violations (quarantined rows)", "",
            *([f"- {r}: {n}" for r, n in sorted(reasons.items())] or ["None."]), "",
            "## Near duplicates", "",
            *([f"- {', '.join(c.members)} (facilities: {', '.join(sorted(set(c.facilities)))}; "
               f"min Jaccard {c.min_jaccard:.2f})" for c in clusters] or ["None found."]), "",
            "[Back to the comparison](qc_index.md)", "",
        ]
        path = out / f"qc_{slug(f)}.md"
        write_atomic(path, "\n".join(lines))
        paths.append(path)
    return paths
