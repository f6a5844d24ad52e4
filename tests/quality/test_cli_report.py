"""CLI: validate, normalize, dedup, report on a small commons folder."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from partages_core.cli import app

runner = CliRunner()


def test_quality_commands(commons, tmp_path):
    out = tmp_path / "q"
    r = runner.invoke(app, ["quality", "validate", str(commons.folder), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "0 quarantined" in r.output
    r = runner.invoke(app, ["quality", "normalize", str(commons.folder), "--out", str(out), "--expand", "--force"])
    assert r.exit_code == 0, r.output
    stats = json.loads(r.output)
    assert stats["round_trip_failed"] == 0 and stats["spans"] > 1000 and stats["unreadable"] == []
    line = json.loads((out / "normalized.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"text", "starts", "ends", "layers", "quantities"} <= set(line)
    r = runner.invoke(app, ["quality", "report", str(commons.folder), "--out", str(out / "qc")])
    assert r.exit_code == 0, r.output
    index = (out / "qc" / "qc_index.md").read_text(encoding="utf-8")
    facilities = {p.facility for p in commons.patients}
    assert all(f in index for f in facilities)
    assert len(list((out / "qc").glob("qc_*.md"))) == len(facilities) + 1
    assert (out / "qc" / "figures" / "lengths.png").stat().st_size > 1000


def test_missing_folder_is_a_clear_error(tmp_path):
    r = runner.invoke(app, ["quality", "validate", str(tmp_path / "nope"), "--out", str(tmp_path / "q")])
    assert r.exit_code != 0
    assert "patients.json" in str(r.exception) or "patients.json" in r.output
