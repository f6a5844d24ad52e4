import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partages_core.errors import InputError
from partages_core.evaluation import runner
from partages_core.evaluation.leaderboard import markdown, model_index, update_leaderboard
from partages_core.evaluation.realdata import e3c_available, load_e3c
from partages_core.evaluation.systems import SYSTEMS, SystemUnavailable, build, digest, get_spec
from partages_core.evaluation.tasks import get_task

ROOT = Path(__file__).resolve().parents[2]


def _gold_outputs(task, examples):
    """System outputs that reproduce the gold exactly (the perfect system of each task)."""
    out = {}
    for ex in examples:
        g = ex.gold
        if task == "pseudonymisation":
            out[ex.doc_id] = [{k: s[k] for k in ("start", "end", "label", "text")} for s in g["spans"]]
        elif task == "oncology-biomarkers":
            out[ex.doc_id] = {"biomarkers": g["biomarkers"], "tnm": g["tnm"]}
        elif task == "response":
            out[ex.doc_id] = {"label": g["label"]}
        elif task == "infectiology":
            out[ex.doc_id] = {"entities": g["entities"],
                              "susceptibility": [{"organism": o, "atc": a, "result": r} for o, a, r in g["antibiogram"]],
                              "resistance": [{**r, "phenotype": r["label"]} for r in g["resistance"]]}
    return out


@pytest.fixture(scope="module")
def data(commons):
    """Evaluate on the fixture's train split: 60 patients leave too few oncology documents in test."""
    out = {}
    for t in ("pseudonymisation", "oncology-biomarkers", "response", "infectiology"):
        split = runner.load_split(get_task(t), "train", commons)
        out[t] = runner.Split(split.train, split.eval[:40], split.source)
    return out


@pytest.mark.parametrize("task", ["pseudonymisation", "oncology-biomarkers", "response", "infectiology"])
def test_gold_as_predictions_scores_perfectly(data, task):
    split = data[task]
    assert split.eval, f"no {task} documents in the test split"
    res = runner.evaluate(task, "gold", data=split, predictions=_gold_outputs(task, split.eval), n_boot=200)
    for name, v in res["metrics"].items():
        if v is None:
            continue
        expected = 0.0 if name in ("leak_rate", "over_scrub_rate") else 1.0
        assert v["value"] == expected and v["ci_low"] == expected, name
    assert res["provenance"]["data_sha256"] and res["provenance"]["code"]["source_sha256"]


def test_compare_scores_given_predictions_paired(data):
    """Paired bootstrap of two sets of predictions on the same documents: gold minus half the gold."""
    split = data["infectiology"]
    gold = _gold_outputs("infectiology", split.eval)
    half = {k: {**v, "entities": v["entities"][::2]} for k, v in gold.items()}
    res = runner.compare("infectiology", "gold", "half", data=split, n_boot=200,
                         predictions={"gold": gold, "half": half})
    f1 = res["metrics"]["entity_f1"]
    assert res["n_documents"] == len(split.eval) and 0 < f1["ci_low"] <= f1["difference"] <= f1["ci_high"]
    same = runner.compare("infectiology", "gold", "again", data=split, n_boot=200, predictions={"gold": gold, "again": gold})
    assert same["metrics"]["entity_f1"]["difference"] == 0.0


def test_bad_predictions_are_listed_not_scored(data):
    split = data["pseudonymisation"]
    preds = _gold_outputs("pseudonymisation", split.eval)
    first, second, third = (ex.doc_id for ex in split.eval[:3])
    preds[first] = [{"start": 0, "end": 10 ** 6, "label": "NOM"}]
    preds[second] = [{"start": 0, "end": 2, "label": "CHIEN"}]
    del preds[third]
    preds["NOT-A-DOC"] = []
    with pytest.raises(InputError) as err:
        runner.evaluate("pseudonymisation", "file", data=split, predictions=preds, n_boot=50)
    msg = str(err.value)
    for part in (first, "outside the text", second, "'CHIEN'", "missing document", third, "NOT-A-DOC"):
        assert part in msg


def test_read_predictions_reports_the_bad_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id": "a", "output": []}\n{"oops": 1}\n')
    with pytest.raises(InputError, match=r"p.jsonl:2"):
        runner.read_predictions(path)


def test_registry_by_direct_import_and_one_digest(empty_home):
    """Systems are functions, not dotted strings; an untrained model names the command that trains
    it; the digest covers code, data and model and tells systems apart."""
    assert all(callable(s.make) for s in SYSTEMS.values())
    with pytest.raises(SystemUnavailable, match=r"oncology-model.*partages models finetune --task oncology"):
        build("oncology-model")
    with pytest.raises(InputError, match="unknown system"):
        get_spec("no-such-system")
    with pytest.raises(SystemUnavailable, match=r"pseudo-hybrid.*partages pseudonymize --build-model"):
        build("pseudo-hybrid")
    digests = {n: digest(n) for n in SYSTEMS if not SYSTEMS[n].model and not SYSTEMS[n].artefact}
    assert len(set(digests.values())) == len(digests) and all(d.startswith("sha256:") for d in digests.values())
    assert digest("infectio-rules") == digests["infectio-rules"]


def test_edsnlp_infectio_baseline_end_to_end_and_reproducible(data):
    split = data["infectiology"]
    res, diffs = runner.check_reproducible(
        lambda: runner.evaluate("infectiology", "infectio-edsnlp-lexicon", data=split, n_boot=200))
    assert diffs == []
    m = res["metrics"]
    assert 0.5 < m["entity_f1"]["value"] <= 1 and m["entity_f1_overlap"]["value"] >= m["entity_f1"]["value"]
    assert res["provenance"]["model_sha256"] and res["per_label"]["entity"]
    rob = runner.robustness("infectiology", "infectio-edsnlp-lexicon", ["ocr", "accents"], data=split, n_boot=100)
    assert set(rob["perturbations"]) == {"ocr", "accents"}
    assert rob["perturbations"]["ocr"]["drop"]["entity_f1"] > 0  # OCR noise breaks exact lexicon matches


def test_differences_flag_a_changed_metric():
    a = {"metrics": {"f1": {"value": 0.5}}}
    assert runner.differences(a, {"metrics": {"f1": {"value": 0.51}}}) == ["metrics.f1.value: 0.5 != 0.51"]


def test_leaderboard_and_model_index(tmp_path, data):
    from huggingface_hub.repocard_data import model_index_to_eval_results

    split = data["response"]
    res = runner.evaluate("response", "response-majority", data=split, n_boot=100)
    j, md = update_leaderboard([res], tmp_path)
    assert json.loads(j.read_text())["results"][0]["system"] == "response-majority"
    assert "| response-majority |" in md.read_text() and "## response" in markdown([res])
    name, results = model_index_to_eval_results(model_index("partages-baselines", [res]))
    assert name == "partages-baselines" and {r.metric_type for r in results} == {"accuracy", "macro_f1"}
    assert "confusion" in res and sum(sum(r.values()) for r in res["confusion"]["counts"].values()) == len(split.eval)


@pytest.mark.skipif(not e3c_available(), reason="E3C corpus not in shared/data")
def test_e3c_negation_on_real_text():
    split = load_e3c("test")
    assert len(split.eval) == 45 and len(split.train) == 36
    ex = split.eval[0]
    assert all(ev["text"] == ex.text[ev["start"]:ev["end"]] for ev in ex.gold["events"])
    fn = build("e3c-negation-edsnlp", split.train)
    small = runner.Split(split.train, split.eval[:4], split.source)
    res = runner.evaluate("e3c-negation", "e3c-negation-edsnlp", data=small, n_boot=100)
    assert 0 < res["metrics"]["accuracy"]["value"] <= 1 and res["n_documents"] == 4
    assert len(fn(ex)["events"]) == len(ex.gold["events"])


def _cli(*args, home):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTAGES_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-c", "from partages_core.cli import run; run()", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def test_cli_evaluate_writes_results_and_checks_reproducibility(tmp_path):
    out = tmp_path / "r.json"
    proc = _cli("evaluate", "response", "--system", "response-majority", "--out", str(out),
                "--check-reproducible", "--n-boot", "100", home=tmp_path / "home")
    assert proc.returncode == 0, proc.stderr
    assert "reproducible" in proc.stderr
    assert json.loads(out.read_text())["results"][0]["metrics"]["accuracy"] is not None
    assert (tmp_path / "home" / "evaluation" / "leaderboard.md").is_file()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"P99999-01": {"label": "Guéri"}}))
    proc = _cli("evaluate", "response", "--system", "mine", "--predictions", str(bad), home=tmp_path / "home")
    assert proc.returncode == 2 and "missing document" in proc.stderr and "unknown document" in proc.stderr
