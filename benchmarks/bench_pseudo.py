"""Benchmark: the hybrid pseudonymiser side by side with its rules alone, Presidio and an EDS-NLP baseline.

Same documents, one run. Text the systems did not generate first:
- the hand-written set, frozen test part (never tuned on) and dev part (the hybrid trains on it: in-sample);
- EDS-Pseudo snippets, held-out fold (the hybrid trains on the other fold; fold fixed by an id hash);
- the commons test split (generated text, in distribution).
Per system: recall by gold label (a gold span counts as caught when a prediction that alters the text
overlaps it, whatever its label: Presidio's labels are not ours), identifier leak rate (gold identifying
spans left unaltered) with a 95 % document-bootstrap interval, over-scrubbing (clinical gold spans
of the hand-written and commons documents altered), documents fully redacted, and documents/s.
``--large MB`` also pseudonymises one generated file of that size through the streaming path.

Run: PYTHONPATH=. python benchmarks/bench_pseudo.py [--no-presidio] [--large 50] [--json OUT]
Peers: ``pip install -e ".[bench]"`` (presidio-analyzer + presidio-anonymizer) with fr_core_news_md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

os.environ.setdefault("HF_HUB_OFFLINE", "1")
NOT_IDENTIFYING = ("DATE_NON_IDENTIFIANTE",)
CLINICAL_LAYERS = ("oncology", "infectio", "resistance")


@dataclass
class Doc:
    id: str
    text: str
    gold: list[dict]
    clinical: list[tuple[int, int]] = field(default_factory=list)
    context: dict | None = None


def datasets(args) -> dict[str, list[Doc]]:
    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.handwritten import load_handwritten
    from partages_core.config import get_profile
    from partages_core.evaluation.realdata import eds_pseudo_path, load_eds_pseudo
    from partages_core.quality.splits import split_patients

    def from_patients(patients, with_context):
        out = []
        for p in patients:
            for d in p.documents:
                gold = [{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in d.spans("pseudo")]
                clinical = [(s.start, s.end) for layer in CLINICAL_LAYERS for s in d.spans(layer)]
                clinical += [(r.start, r.end) for r in d.antibiogram]
                out.append(Doc(d.id, d.text, gold, clinical, dict(p.identity) if with_context else None))
        return out

    if args.docs:   # one range of hand-written dev documents only (a new batch): nothing else is read
        wanted = set(args.docs)
        docs = [d for d in from_patients(load_handwritten("dev"), False) if d.id in wanted]
        return {f"handwritten-dev {min(wanted)}..{max(wanted)}": docs}
    sets = {"handwritten-test (frozen)": from_patients(load_handwritten("test"), False),
            "handwritten-dev (in training)": from_patients(load_handwritten("dev"), False)}
    if eds_pseudo_path().is_file():
        split = load_eds_pseudo("test")
        sets["eds-pseudo held-out"] = [Doc(ex.doc_id, ex.text, ex.gold["spans"]) for ex in split.eval]
    if not args.no_commons:
        commons = load_commons()
        test = split_patients(commons.patients, seed=get_profile().seed)["test"]
        sets["commons-test (generated)"] = from_patients(test, False)
    return sets


def trained_on(meta: dict | None, ids: list[str]) -> str:
    """Whether the NER's training pool (its meta's ``handwritten_ids``) held any of ``ids``."""
    if not meta or "handwritten_ids" not in meta:
        return "unknown: the model's meta does not list its hand-written training documents"
    seen = sorted(set(ids) & set(meta["handwritten_ids"]))
    return f"yes, {len(seen)} of them ({seen[0]}..{seen[-1]}): in-sample" if seen else "no (none of them in its pool)"


# --- systems: each maps a list of texts to a list of (entities, output text) ----------------------------
def system_hybrid(texts):
    from partages_core.governance.pseudonymisation import detect_many, pseudonymize
    from partages_core.governance.surrogates import SurrogateMapping

    ents = detect_many(texts, method="hybrid")
    m = SurrogateMapping(secret="bench")
    return [(r["entities"], r["text"]) for r in (pseudonymize(t, mapping=m, _entities=e) for t, e in zip(texts, ents))]


def system_rules(texts):
    from partages_core.governance.pseudonymisation import pseudonymize
    from partages_core.governance.surrogates import SurrogateMapping

    m = SurrogateMapping(secret="bench")
    return [(r["entities"], r["text"]) for r in (pseudonymize(t, mapping=m) for t in texts)]


def system_edsnlp(texts):
    from partages_core.governance.baseline import baseline_pipe

    return [(e, apply_mask(t, e)) for t, e in zip(texts, baseline_pipe(texts))]


PRESIDIO_LABELS = {"PERSON": "NOM", "LOCATION": "VILLE", "ORGANIZATION": "HOPITAL", "DATE_TIME": "DATE_IDENTIFIANTE",
                   "PHONE_NUMBER": "TELEPHONE", "EMAIL_ADDRESS": "EMAIL", "FR_NIR": "ID", "URL": "URL",
                   "IBAN_CODE": "ID", "FR_ID": "ID"}


def presidio_analyzer():
    """Presidio with the same spaCy French model and French recognizers configured here."""
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import (DateRecognizer, EmailRecognizer, IbanRecognizer,
                                                          PhoneRecognizer, SpacyRecognizer, UrlRecognizer)

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
            "ner_model_configuration": {"model_to_presidio_entity_mapping": {
                "PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}}}
    nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    reg = RecognizerRegistry(supported_languages=["fr"])
    reg.add_recognizer(SpacyRecognizer(supported_language="fr", supported_entities=["PERSON", "LOCATION", "ORGANIZATION"]))
    reg.add_recognizer(EmailRecognizer(supported_language="fr"))
    reg.add_recognizer(UrlRecognizer(supported_language="fr"))
    reg.add_recognizer(IbanRecognizer(supported_language="fr"))
    reg.add_recognizer(PhoneRecognizer(supported_language="fr", supported_regions=("FR", "GB", "CH", "BE", "DE", "US")))
    reg.add_recognizer(DateRecognizer(supported_language="fr"))
    reg.add_recognizer(PatternRecognizer(
        supported_entity="FR_NIR", supported_language="fr", name="fr_nir",
        patterns=[Pattern("nir", r"\b[12][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}\b", 0.6)]))
    reg.add_recognizer(PatternRecognizer(
        supported_entity="FR_ID", supported_language="fr", name="fr_patient_ids",
        patterns=[Pattern("ipp_nda", r"(?<=(?:IPP|NDA|NIP|dossier)\s?:?\s?)[A-Z]?\d[\d .\-]{5,14}\d", 0.6)]))
    reg.add_recognizer(PatternRecognizer(
        supported_entity="DATE_TIME", supported_language="fr", name="fr_dates",
        patterns=[Pattern("fr_date", r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b", 0.6),
                  Pattern("fr_long", r"\b\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|"
                                     r"septembre|octobre|novembre|décembre)\s+\d{4}\b", 0.6)]))
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=reg, supported_languages=["fr"])


def system_presidio_factory():
    import logging

    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # offline: it falls back to its snapshot

    analyzer = presidio_analyzer()

    def run(texts):
        out = []
        for t in texts:
            res = analyzer.analyze(text=t, language="fr", score_threshold=0.35)
            ents = _no_overlap([{"start": r.start, "end": r.end, "label": PRESIDIO_LABELS.get(r.entity_type, r.entity_type),
                                 "text": t[r.start:r.end], "score": r.score} for r in res])
            out.append((ents, apply_mask(t, ents)))
        return out
    return run


def apply_mask(text: str, entities: list[dict]) -> str:
    """Replace each entity by ``[LABEL]`` (how a detector without surrogates redacts)."""
    out, pos = [], 0
    for e in sorted(entities, key=lambda e: e["start"]):
        if e["start"] < pos:
            continue
        out += [text[pos:e["start"]], f"[{e['label']}]"]
        pos = e["end"]
    return "".join(out) + text[pos:]


def _no_overlap(ents):
    kept, last = [], -1
    for e in sorted(ents, key=lambda e: (e["start"], -(e["end"] - e["start"]))):
        if e["start"] >= last:
            kept.append(e)
            last = e["end"]
    return kept


# --- scoring --------------------------------------------------------------------------------------------
def _alters(e) -> bool:
    return e.get("replacement", None) != e.get("text")


def score(docs: list[Doc], results) -> dict:
    import numpy as np

    from partages_core.evaluation.bootstrap import bootstrap_ci

    by_label: dict[str, list[int]] = {}
    rows, clin_n, clin_alt, full, with_ids, leaks = [], 0, 0, 0, 0, []
    for doc, (ents, _out) in zip(docs, results):
        alt = [e for e in ents if _alters(e)]
        n_id = n_leak = 0
        for g in doc.gold:
            hit = any(e["start"] < g["end"] and g["start"] < e["end"] for e in alt)
            by_label.setdefault(g["label"], [0, 0])
            by_label[g["label"]][0] += hit
            by_label[g["label"]][1] += 1
            if g["label"] in NOT_IDENTIFYING:
                continue
            n_id += 1
            if not hit:
                n_leak += 1
                leaks.append((doc.id, g["label"], g["text"]))
        c_alt = sum(1 for s, e in doc.clinical if any(p["start"] < e and s < p["end"] for p in alt))
        clin_n += len(doc.clinical)
        clin_alt += c_alt
        if n_id:
            with_ids += 1
            full += n_leak == 0
        rows.append([n_leak, n_id, c_alt, len(doc.clinical), int(n_id > 0 and n_leak == 0), int(n_id > 0)])
    m = np.array(rows, dtype=float)
    ratio = lambda a, b: (lambda t: np.where(t[:, b] > 0, t[:, a] / np.maximum(t[:, b], 1), np.nan))  # noqa: E731
    leak = bootstrap_ci(m, ratio(0, 1))
    over = bootstrap_ci(m, ratio(2, 3))
    fully = bootstrap_ci(m, ratio(4, 5))
    return {"documents": len(docs), "gold_identifiers": int(m[:, 1].sum()), "leaked": int(m[:, 0].sum()),
            "leak": leak.as_dict(), "over_scrub": over.as_dict() if clin_n else None, "clinical_spans": clin_n,
            "fully_redacted": fully.as_dict(), "docs_with_identifiers": with_ids,
            "recall_by_label": {k: [round(v[0] / v[1], 3), v[1]] for k, v in sorted(by_label.items())},
            "leaks_first": leaks[:12]}


def timed(fn, texts, rounds=2):
    best, out = 0.0, None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn(texts)
        best = max(best, len(texts) / (time.perf_counter() - t0))
    return out, best


def large_file(mb: float, method: str, workers: int = 1) -> dict:
    """Pseudonymise a generated file of ``mb`` MB in a child process: seconds and peak memory (RSS), the
    child's CPU and, with ``workers`` > 1, its detection processes' (children) CPU and peak RSS."""
    code = f"""
import resource, time, sys, hashlib
from partages_core.corpus.commons import load_commons
from partages_core.governance.pseudonymisation import pseudonymize_stream
from partages_core.governance.surrogates import SurrogateMapping
docs = [d.text for p in load_commons().patients for d in p.documents]
unit = "\\n\\n".join(docs)
target = int({mb} * 1_000_000)
def pieces():
    n = 0
    while n < target:
        piece = unit[: min(len(unit), target - n)]
        n += len(piece.encode("utf-8"))
        yield piece + "\\n\\n"
t0 = time.perf_counter(); n = 0; digest = hashlib.sha256()
for part in pseudonymize_stream(pieces(), mapping=SurrogateMapping(secret="bench"), method="{method}", workers={workers}):
    n += len(part["text"]); digest.update(part["text"].encode())
dt = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
ch = resource.getrusage(resource.RUSAGE_CHILDREN)
# VmHWM: this process's own peak; ru_maxrss keeps the parent's peak across fork+exec on Linux
hwm = [int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")]
print(dt, n, (hwm[0] if hwm else ru.ru_maxrss) / 1024, ru.ru_utime + ru.ru_stime, ch.ru_utime + ch.ru_stime,
      ch.ru_maxrss / 1024 if {workers} > 1 else 0, digest.hexdigest()[:16])
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"}
    secs, chars, peak, cpu, cpu_workers, peak_worker, digest = r.stdout.split()
    cpu_all = float(cpu) + float(cpu_workers)
    # wall time depends on what else runs on the machine; CPU time (this process + its workers) much less
    return {"mb": mb, "method": method, "workers": workers, "seconds": round(float(secs), 1),
            "cpu_seconds": round(cpu_all, 1), "cpu_seconds_main": round(float(cpu), 1),
            "cpu_seconds_workers": round(float(cpu_workers), 1), "chars": int(chars),
            "peak_rss_mb": round(float(peak), 1), "peak_rss_worker_mb": round(float(peak_worker), 1),
            "output_sha256_16": digest, "load_at_end": round(os.getloadavg()[0], 1),
            "mb_per_cpu_minute": round(mb / cpu_all * 60, 2)}


def fmt(ci):
    if not ci:
        return "n/a"
    return f"{100 * ci['value']:.1f} % [{100 * ci['ci_low']:.1f}, {100 * ci['ci_high']:.1f}]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--no-commons", action="store_true")
    ap.add_argument("--large", type=float, default=0.0, help="Also stream a generated file of this many MB.")
    ap.add_argument("--large-hybrid", type=float, default=0.0, help="Size (MB) for the hybrid's streaming run.")
    ap.add_argument("--workers", type=int, default=1,
                    help="Also stream the large file(s) with this many detection processes (same output, compared).")
    ap.add_argument("--large-only", action="store_true", help="Skip the side-by-side tables: the large file(s) only.")
    ap.add_argument("--docs", nargs=2, metavar=("FIRST", "LAST"), default=None,
                    help="Score only the hand-written dev documents FIRST..LAST (e.g. hw-191 hw-205: a new batch); "
                         "a test-split id is refused.")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    if args.docs:
        from partages_core.corpus.handwritten import dev_range
        from partages_core.errors import InputError

        try:
            args.docs = dev_range(*args.docs)
        except InputError as err:
            print(f"error: {err}", file=sys.stderr)
            raise SystemExit(2) from None
    from partages_core.governance import ner

    from partages_core.governance.pseudonymisation import ensure_model

    meta = None
    if not args.large_only or args.large_hybrid:   # a rules-only large run needs no model
        ensure_model()   # built once (some minutes), rebuilt when the training recipe changed
        meta = ner.load_model()[1]
        print(f"hybrid model: {meta['base']}, {meta['train_documents']} training documents ({', '.join(meta['sources'])}), "
              f"{meta['epochs_done']} epochs, seed {meta.get('seeds', meta['seed'])}, recipe {meta.get('recipe')}, "
              f"weights: {meta.get('weights', 'last update')}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    systems = {} if args.large_only else {"hybrid": system_hybrid, "rules (--fast)": system_rules,
                                          "eds-nlp baseline": system_edsnlp}
    if not args.no_presidio and not args.large_only:
        try:
            systems["presidio (fr_core_news_md)"] = system_presidio_factory()
        except ImportError as err:
            print(f"presidio not installed ({err}): pip install -e '.[bench]'")
    for fn in systems.values():  # warm-up: load models outside the timings
        fn(["Le Dr Jean Martin a vu Mme Petit le 12/03/2024 à Lyon."])
    report = {"model": meta, "datasets": {}}
    for name, docs in ({} if args.large_only else datasets(args)).items():
        texts = [d.text for d in docs]
        print(f"\n=== {name}: {len(docs)} documents, {sum(len(d.gold) for d in docs)} gold spans")
        if args.docs:
            report["trained_on_these"] = trained_on(meta, [d.id for d in docs])
            print(f"  the NER trained on these documents: {report['trained_on_these']}")
        report["datasets"][name] = {}
        for sname, fn in systems.items():
            results, dps = timed(fn, texts, rounds=1 if "presidio" in sname else 2)
            s = score(docs, results)
            s["docs_per_s"] = round(dps, 1)
            report["datasets"][name][sname] = s
            print(f"  {sname:<28} leak {fmt(s['leak'])} ({s['leaked']}/{s['gold_identifiers']}); "
                  f"over-scrub {fmt(s['over_scrub'])} of {s['clinical_spans']}; fully redacted {fmt(s['fully_redacted'])} "
                  f"of {s['docs_with_identifiers']} docs; {s['docs_per_s']} docs/s")
        labels = sorted({lb for s in report["datasets"][name].values() for lb in s["recall_by_label"]})
        print("  recall by gold label (n): " + " | ".join(systems))
        for lb in labels:
            vals = [report["datasets"][name][sn]["recall_by_label"].get(lb) for sn in systems]
            n = next(v[1] for v in vals if v)
            print(f"    {lb:<24}{n:>5}  " + "  ".join(f"{v[0]:.3f}" if v else "  -  " for v in vals))
        if "frozen" in name or "held-out" in name:  # never show a test part's misses: they would invite tuning on it
            for s_ in report["datasets"][name].values():
                s_.pop("leaks_first", None)
        else:
            print("  hybrid leaks (first):", report["datasets"][name]["hybrid"]["leaks_first"][:8])
    hw = report["datasets"].get("handwritten-test (frozen)", {})
    if "presidio (fr_core_news_md)" in hw:
        print(f"\nthroughput hybrid / presidio on the frozen hand-written part: "
              f"{hw['hybrid']['docs_per_s'] / hw['presidio (fr_core_news_md)']['docs_per_s']:.2f}x (target ≥ 2x)")
    if args.large:
        runs = [(args.large, "rules")] + ([(args.large_hybrid, "hybrid")] if args.large_hybrid else [])
        report["large"] = []
        for mb, method in runs:
            for w in sorted({1, args.workers}):
                r = large_file(mb, method, w)
                report["large"].append(r)
                print(f"large file: {r}")
            pair = [r for r in report["large"] if r.get("method") == method and r.get("mb") == mb]
            if len(pair) == 2 and "error" not in pair[0] and "error" not in pair[1]:
                a, b = pair
                print(f"  {method} {mb} MB: wall {a['seconds']} s (1 process) -> {b['seconds']} s ({b['workers']} "
                      f"workers), {a['seconds'] / b['seconds']:.2f}x; CPU {a['cpu_seconds']} -> {b['cpu_seconds']} s; "
                      f"same output: {a['output_sha256_16'] == b['output_sha256_16']}")
    if args.json:
        from partages_core.files import write_json

        write_json(args.json, json.loads(json.dumps(report, default=str)))


if __name__ == "__main__":
    main()
