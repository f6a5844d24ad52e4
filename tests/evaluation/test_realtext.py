"""Real-text tasks: hand-written set and EDS-Pseudo as tasks, clean skips, one-line errors, the
``partages evaluate realtext`` command on a small slice."""

import json
import subprocess
import sys

import pytest

from partages_core.errors import InputError
from partages_core.evaluation import realtext, runner
from partages_core.evaluation.realdata import EDS_PSEUDO_LABELS, available, eds_pseudo_path, read_eds_pseudo
from partages_core.evaluation.systems import systems_for
from partages_core.evaluation.tasks import get_task
from tests.evaluation.test_runner import _gold_outputs


@pytest.mark.parametrize("name", ["pseudonymisation@handwritten", "oncology-biomarkers@handwritten",
                                  "response@handwritten", "infectiology@handwritten"])
def test_handwritten_tasks_score_the_gold_perfectly(name, commons, monkeypatch):
    task = get_task(name)
    monkeypatch.setattr("partages_core.evaluation.realdata._commons_train", lambda base: [])
    data = runner.load_split(task, "dev")
    assert data.eval, name
    preds = _gold_outputs(task.family, data.eval)
    res = runner.evaluate(name, "gold", "dev", n_boot=20, data=data, predictions=preds)
    primary = res["metrics"][task.primary]
    assert primary["value"] == pytest.approx(1.0)
    if task.family == "pseudonymisation":
        assert res["metrics"]["leak_rate"]["value"] == 0.0
    assert systems_for(name) == systems_for(task.family)


def test_frozen_split_names_are_the_only_ones():
    with pytest.raises(InputError, match="dev and test"):
        runner.load_split(get_task("response@handwritten"), "train")


def test_eds_pseudo_labels_map_to_parhaf(tmp_path):
    from partages_core.corpus.model import PSEUDO_LABELS

    assert {lb for lb, _ in EDS_PSEUDO_LABELS.values()} <= set(PSEUDO_LABELS)
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps({"note_id": "n1", "note_text": "Tél : 01 02 03 04 05, NIR 1 85 12",
                                "entities": [{"start": 6, "end": 20, "label": "TEL"},
                                             {"start": 26, "end": 33, "label": "SECU"}]}) + "\n", encoding="utf-8")
    [ex] = read_eds_pseudo(path)
    assert [(s["label"], s["text"], s.get("id_type")) for s in ex.gold["spans"]] == [
        ("TELEPHONE", "01 02 03 04 05", None), ("ID", "1 85 12", "NIR")]


@pytest.mark.parametrize("line, message", [
    ("{not json", r"dev.jsonl:2: expected JSON"),
    (json.dumps({"note_id": "x9", "note_text": "abc", "entities": [{"start": 0, "end": 2, "label": "FOO"}]}),
     r"dev.jsonl:2: record x9 entity #0: unknown label 'FOO'"),
    (json.dumps({"note_id": "x9", "note_text": "abc", "entities": [{"start": 0, "end": 9, "label": "NOM"}]}),
     r"dev.jsonl:2: record x9 entity #0: offsets \(0, 9\) outside the text"),
])
def test_malformed_eds_pseudo_fails_naming_file_and_record(tmp_path, line, message):
    path = tmp_path / "dev.jsonl"
    good = json.dumps({"note_id": "ok", "note_text": "Dupont", "entities": [{"start": 0, "end": 6, "label": "NOM"}]})
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_eds_pseudo(path)


def test_real_tasks_skip_cleanly_when_their_data_is_absent(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTAGES_SHARED_DATA", str(tmp_path))
    assert not available(get_task("pseudonymisation@eds-pseudo"))
    assert not available(get_task("e3c-negation"))
    assert available(get_task("pseudonymisation@handwritten"))  # ships with the package


def test_realtext_markdown_puts_real_text_first_with_gap_and_direction():
    row = lambda task, src, v: {"family": "pseudonymisation", "task": task, "source": src, "system": "s",  # noqa: E731
                                "split": "test", "n_documents": 3, "higher_is_better": {"leak_rate": False,
                                                                                         "f1_strict_micro": True},
                                "mentions": {"leak_rate": 10, "f1_strict_micro": 10},
                                "metrics": {"leak_rate": {"value": v, "ci_low": 0.0, "ci_high": 1.0},
                                            "f1_strict_micro": None}}
    text = realtext.markdown({"split": "test", "rows": [row("pseudonymisation", "commons", 0.0),
                                                        row("pseudonymisation@handwritten", "handwritten", 0.25)],
                              "comparisons": [], "notes": ["x: skipped"]})
    header = next(line for line in text.splitlines() if line.startswith("| system"))
    assert header.index("hand-written") < header.index("commons (in-distribution)") < header.index("transfer gap")
    assert "| s | leak_rate ↓ | 0.250 [0.000, 1.000] | 0.000 [0.000, 1.000] | -0.250 |" in text
    assert "3 documents" in text and "x: skipped" in text


@pytest.mark.skipif(not eds_pseudo_path().is_file(), reason="EDS-Pseudo not in shared/data")
def test_realtext_command_on_a_small_slice(tmp_path, empty_home):
    out = tmp_path / "realtext.json"
    cmd = [sys.executable, "-m", "partages_core", "evaluate", "realtext", "--limit", "3", "--n-boot", "20",
           "--system", "pseudo-rules", "--system", "oncology-rules", "--system", "infectio-rules",
           "--system", "response-rules", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "## pseudonymisation" in done.stdout and "EDS-Pseudo" in done.stdout
    assert "commons (in-distribution)" in done.stdout and "transfer gap" in done.stdout
    payload = json.loads(out.read_text(encoding="utf-8"))
    sources = {(r["task"], r["system"]) for r in payload["rows"]}
    assert ("pseudonymisation@handwritten", "pseudo-rules") in sources
    assert ("pseudonymisation@eds-pseudo", "pseudo-rules") in sources
    assert ("pseudonymisation", "pseudo-rules") in sources
    assert all(r["n_documents"] <= 3 for r in payload["rows"])


def test_model_index_puts_real_text_first_with_sizes(commons, monkeypatch):
    from huggingface_hub.repocard_data import model_index_to_eval_results

    from partages_core.evaluation.leaderboard import model_index

    monkeypatch.setattr("partages_core.evaluation.realdata._commons_train", lambda base: [])
    task = get_task("response@handwritten")
    data = runner.load_split(task, "dev")
    real = runner.evaluate(task.name, "gold", "dev", n_boot=20, data=data,
                           predictions=_gold_outputs("response", data.eval))
    fake_commons = {**real, "task": "response", "split": "test"}
    [entry] = model_index("m", [fake_commons, real])
    first, second = entry["results"]
    assert first["task"]["name"] == "response@handwritten" and first["dataset"]["type"] == "partages-handwritten"
    assert second["dataset"]["type"] == "partages-commons"
    assert first["metrics"][0]["args"]["n_documents"] == len(data.eval)
    assert first["metrics"][0]["args"]["in_distribution"] is False
    name, results = model_index_to_eval_results(model_index("m", [real]))
    assert name == "m" and {r.dataset_type for r in results} == {"partages-handwritten"}
