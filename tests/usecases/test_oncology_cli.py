"""``extract oncology`` command, as wired by ``usecases.cli.register``."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from partages_core.errors import InputError
from partages_core.usecases.cli import register

REPORT = "HER2 négatif (score 1+) en IHC. KRAS muté G12C par NGS. Stade pT2N0M0.\n"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_extract_oncology_from_file_and_stdin(tmp_path):
    path = tmp_path / "cr.txt"
    path.write_text(REPORT, encoding="utf-8")
    runner = CliRunner()
    from_file = runner.invoke(_app(), ["extract", "oncology", str(path)])
    from_stdin = runner.invoke(_app(), ["extract", "oncology", "-"], input=REPORT)
    assert from_file.exit_code == 0 and from_file.stdout == from_stdin.stdout
    out = json.loads(from_file.stdout)
    assert [(b["biomarker"], b["status"], b["negated"]) for b in out["biomarkers"]] == [
        ("HER2", "negative", True), ("KRAS", "mutated", False)]
    assert [t["text"] for t in out["tnm"]] == ["pT2N0M0"]
    assert all(REPORT[b["start"]:b["end"]] == b["text"] for b in out["biomarkers"])


def test_bad_inputs_are_input_errors(tmp_path, empty_home):
    runner = CliRunner()
    missing = runner.invoke(_app(), ["extract", "oncology", str(tmp_path / "none.txt")])
    assert isinstance(missing.exception, InputError) and "none.txt: not found" in str(missing.exception)
    model = runner.invoke(_app(), ["extract", "oncology", "--method", "model", "-"], input=REPORT)
    assert isinstance(model.exception, InputError) and "not trained" in str(model.exception)
    bad = runner.invoke(_app(), ["extract", "oncology", "--method", "magic", "-"], input=REPORT)
    assert isinstance(bad.exception, InputError) and "method" in str(bad.exception)
    hybrid = runner.invoke(_app(), ["extract", "oncology", "--response", "--method", "hybrid", "-"], input=REPORT)
    assert isinstance(hybrid.exception, InputError) and "partages models build" in str(hybrid.exception)


def test_extract_oncology_response_hybrid_loads_the_built_classifier(empty_home):
    """``--method hybrid``: the rules' response, the built cue-sentence classifier's where the rules find no cue."""
    from partages_core.corpus.generator import generate
    from partages_core.models import response_sentences as rs

    rs.SentenceClassifier.train([(rs.generated_letters(generate(300, 202)), 1.0)]).save(rs.model_path())
    letter = REPORT + "Scanner : réponse partielle selon RECIST 1.1.\n"
    out = json.loads(CliRunner().invoke(_app(), ["extract", "oncology", "--response", "--method", "hybrid", "-"],
                                        input=letter).stdout)
    rules = json.loads(CliRunner().invoke(_app(), ["extract", "oncology", "--response", "-"], input=letter).stdout)
    assert out == rules  # the rules find a cue: their class and span, and the rules' biomarkers
    assert out["response"]["label"] == "ReponsePartielle"
