"""Benchmark WP4 oncology: quality on the commons test split, hand-written snippets, real French
text (E3C, QUAERO: no biomarker gold, so detections are counted and shown for hand-checking), and
rules throughput against a baseline run in the same process (the full EDS-NLP pipeline with
``eds.tnm`` over every whole document, i.e. what a naive EDS-NLP extractor costs).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_oncology.py [--profile small] [--real DIR]``.
Targets: micro-F1 ≥ 0.95 (entities, (marker, status)); rules ≥ 500 documents/s.
"""

from __future__ import annotations

import argparse
import glob
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from partages_core.corpus.commons import load_commons
from partages_core.errors import InputError
from partages_core.quality.splits import split_patients
from partages_core.usecases import oncology


def tnm_pipeline():
    """The EDS-NLP ``eds.tnm`` pipeline (the baseline; the rules no longer use it)."""
    import edsnlp
    import edsnlp.pipes as eds

    nlp = edsnlp.blank("eds")
    nlp.add_pipe(eds.tnm())
    return nlp


ROOT = Path(__file__).resolve().parents[1]


def report_quality(test, title: str = "the commons test split") -> None:
    """The ``oncology-biomarkers`` and ``response`` tasks (the leaderboard's definitions) for the
    rules on ``test`` patients, with 95 % bootstrap intervals."""
    from partages_core.evaluation import runner

    for task, system in (("oncology-biomarkers", "oncology-rules"), ("response", "response-rules")):
        res = runner.evaluate(task, system, data=runner.on_patients(task, test, title))
        print(f"== {task} / {system} on {title} ({len(test)} patients, {res['n_documents']} documents)")
        for m, v in res["metrics"].items():
            met = "" if m not in ("entity_f1_strict", "marker_status_f1") else \
                f" (target 0.95: {'met' if v and v['value'] >= 0.95 else 'NOT met'})"
            print(f"   {m:<24} " + ("n/a" if not v else f"{v['value']:.3f} [{v['ci_low']:.3f}, {v['ci_high']:.3f}]") + met)
        if task == "oncology-biomarkers":
            print(f"   {'marker':<8} {'F1 strict':>9} {'F1 overlap':>10} {'F1 marker+status':>16} {'gold':>5}")
            pl = res["per_label"]
            for marker in sorted(pl["entity"]):
                s, o, p = (pl[v].get(marker, {}).get("f1", 0.0) for v in ("entity_strict", "entity", "marker_status"))
                print(f"   {marker:<8} {s:>9.3f} {o:>10.3f} {p:>16.3f} {pl['entity'][marker]['support']:>5}")
    try:
        oncology.extract("HER2 3+", method="model")
    except InputError as err:
        print(f"model extractor: not measured ({err})")


def report_snippets() -> None:
    cases = yaml.safe_load((ROOT / "tests/usecases/fixtures/oncology_snippets.yaml").read_text(encoding="utf-8"))
    ok = total = 0
    for case in cases:
        if "biomarkers" not in case:
            continue
        found = oncology.extract(case["text"])["biomarkers"]
        want = case["biomarkers"]
        total += len(want)
        ok += sum(all(b.get(k) == v for k, v in w.items()) for b, w in zip(found, want))
    print(f"== hand-written snippets: {ok}/{total} expected mentions recovered with every listed field")


def real_texts(folder: Path) -> list[tuple[str, str, str]]:
    out = []
    for f in sorted(glob.glob(str(folder / "E3C/data_annotation/French/layer1/*.xml"))):
        out += [("E3C", Path(f).name, el.attrib["sofaString"]) for el in ET.parse(f).getroot().iter()
                if "sofaString" in el.attrib]
    for f in sorted(glob.glob(str(folder / "QUAERO/CLEF_2017/dataset/corpus/*/*/*.txt"))):
        out.append(("QUAERO", f.split("corpus/")[-1], Path(f).read_text(encoding="utf-8")))
    return out


def report_real(folder: Path) -> None:
    if not folder.is_dir():
        print(f"== real text: {folder} absent, skipped")
        return
    texts = real_texts(folder)
    print(f"== real French text (no biomarker gold): {len(texts)} documents from {folder}")
    counts = {"biomarkers": 0, "tnm": 0, "grade": 0}
    for source, name, text in texts:
        out = oncology.extract(text)
        for key in counts:
            counts[key] += len(out[key])
        for b in out["biomarkers"]:
            print(f"  {source} {name}: {b['biomarker']}={b['status']} value={b['value']} method={b['method']} | {b['text'][:70]!r}")
        for t in out["tnm"]:
            print(f"  {source} {name}: TNM {t['text']!r}")
    print(f"  detections: {counts}")


def report_speed(docs: list[str], baseline_docs: int) -> None:
    print(f"== speed on {len(docs)} commons documents")
    nlp = tnm_pipeline()
    oncology.extract(docs[0]), nlp  # warm-up: compile rules, load the EDS-NLP pipeline
    t0 = time.perf_counter()
    for text in docs:
        oncology.extract(text)
    rules_rate = len(docs) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for text in docs[:baseline_docs]:
        nlp(text)
    base_rate = baseline_docs / (time.perf_counter() - t0)
    print(f"rules extractor: {rules_rate:.0f} docs/s (target 500: {'met' if rules_rate >= 500 else 'NOT met'})")
    print(f"baseline (eds pipeline over whole documents, TNM only): {base_rate:.0f} docs/s; ratio {rules_rate / base_rate:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default=None)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--baseline-docs", type=int, default=200)
    args = parser.parse_args()
    commons = load_commons(args.profile)
    test = split_patients(commons.patients, 13)["test"]
    report_quality(test)
    # the rules learn nothing from train, so every patient is held out for them: a larger sample
    report_quality(commons.patients, "the whole commons (rules are not fitted on it)")
    report_snippets()
    report_real(args.real)
    report_speed([d.text for _, d in commons.documents()], args.baseline_docs)


if __name__ == "__main__":
    main()
