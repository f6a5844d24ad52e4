"""Batch runner: formats, steps, quarantine, resume, crash handling, and local = multiprocess bytes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from partages_core.deploy.runner import BatchFailed, RunConfig, run
from partages_core.errors import InputError


KEY = "0f" * 16  # one run key shared by the runs compared byte for byte (a real run draws its own)


def _cfg(src, out, step="pseudonymize", **kw) -> RunConfig:
    return RunConfig(step=step, src=str(src), out=str(out), **{"secret": KEY, **kw})


def _bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """A parquet export as a warehouse gives it: patients spread over rows, bad rows included."""
    folder = tmp_path_factory.mktemp("wh")
    birth = "Patient né le 12/03/1961 à Valmont, suivi par le Dr Martin Durand."
    rows = [
        {"note_id": "n1", "person_id": "P1", "note_text": birth + " Consultation du 04/05/2023."},
        {"note_id": "n2", "person_id": "P2", "note_text": "Mme Claire Petit, née le 01/02/1950, IPP 12345678."},
        {"note_id": "n3", "person_id": "P1", "note_text": "Contrôle le 10/06/2023. " + birth},
        {"note_id": "n4", "person_id": "P3", "note_text": None},
        {"note_id": "n5", "person_id": "P3", "note_text": "   "},
        {"note_id": "n6", "person_id": "P2", "note_text": "texte\x00binaire"},
        {"note_id": "n7", "person_id": "P4", "note_text": "Hémocultures positives à Escherichia coli, BLSE."},
    ]
    pq.write_table(pa.Table.from_pylist(rows), folder / "notes.parquet", row_group_size=4)
    return folder / "notes.parquet"


@pytest.fixture(scope="module")
def clean(commons, tmp_path_factory) -> Path:
    """The commons pseudonymised by the local backend in shards of 40: the reference bytes."""
    out = tmp_path_factory.mktemp("clean") / "o"
    run(_cfg(commons.folder, out, shard_size=40), progress=False)
    return out


def test_parhaf_output_equals_the_governance_batch(commons, tmp_path):
    """Sharded PARHAF → PARHAF gives the very files of ``pseudonymize --batch`` (one place for the rules)."""
    from partages_core.governance.batch import pseudonymize_folder

    ref = tmp_path / "ref"
    counts = pseudonymize_folder(commons.folder, ref, seed=3, progress=False, secret=KEY)
    out = tmp_path / "out"
    summary = run(_cfg(commons.folder, out, fmt_out="parhaf", seed=3, shard_size=15), progress=False)
    assert summary["documents"] == counts["documents"] and summary["quarantined"] == counts["quarantined"]
    assert summary["shards"] > 3
    got, want = _bytes(out), _bytes(ref)
    assert {k: v for k, v in got.items() if k in want} == want
    assert set(got) - set(want) == {"quarantine.parquet", "summary.json"}


def test_local_and_multiprocess_write_the_same_bytes(commons, clean, tmp_path):
    b = run(_cfg(commons.folder, tmp_path / "b", shard_size=40), backend="multiprocess", workers=2,
            progress=False, timeout=120)
    assert b["documents"] == sum(len(p.documents) for p in commons.patients) and b["shards"] >= 3
    assert _bytes(clean) == _bytes(tmp_path / "b")


def test_same_patient_same_surrogates_in_any_shard(warehouse, tmp_path):
    """P1's two notes sit in different shards and row groups: same birth date shift, same names."""
    run(_cfg(warehouse, tmp_path / "o", shard_size=1), progress=False)
    t = pq.read_table(tmp_path / "o" / "documents.parquet").to_pylist()
    by_id = {r["id"]: r for r in t}
    n1, n3 = by_id["n1"]["text"], by_id["n3"]["text"]
    assert "12/03/1961" not in n1 and "Durand" not in n1
    tail_n1 = n1.split(" Consultation")[0]
    assert n3.endswith(tail_n1)
    # and the same as when both are in one shard
    run(_cfg(warehouse, tmp_path / "p", shard_size=100), progress=False)
    t2 = {r["id"]: r["text"] for r in pq.read_table(tmp_path / "p" / "documents.parquet").to_pylist()}
    assert t2["n1"] == n1 and t2["n3"] == n3


def test_bad_documents_go_to_quarantine_with_their_reason(warehouse, tmp_path):
    s = run(_cfg(warehouse, tmp_path / "o", shard_size=3), progress=False)
    q = {r["id"]: r for r in pq.read_table(tmp_path / "o" / "quarantine.parquet").to_pylist()}
    assert s["quarantined"] == 3 and set(q) == {"n4", "n5", "n6"}
    assert q["n4"]["reason"] == "text: missing" and q["n5"]["reason"] == "text: empty"
    assert "NUL" in q["n6"]["reason"] and q["n6"]["patient"] == "P2"
    assert q["n4"]["source"].endswith("notes.parquet#rg0:3") and q["n5"]["source"].endswith("#rg1:0")
    assert s["documents"] + s["quarantined"] == 7


def test_parhaf_unreadable_files_quarantined(commons, tmp_path):
    import shutil

    src = tmp_path / "src"
    shutil.copytree(commons.folder, src)
    index = json.loads((src / "patients.json").read_text())
    first = index[0]["documents"][0]
    (src / first["file"]).write_bytes(b"\xff\xfe caf\xe9")
    index[1]["documents"][0]["file"] = "../../etc/passwd"
    (src / "patients.json").write_text(json.dumps(index))
    s = run(_cfg(src, tmp_path / "o", fmt_out="parhaf"), progress=False)
    q = pq.read_table(tmp_path / "o" / "quarantine.parquet").to_pylist()
    reasons = {r["id"]: r["reason"] for r in q}
    assert "not UTF-8" in reasons[str(first["id"])]
    assert "outside the folder" in reasons[str(index[1]["documents"][0]["id"])]
    assert s["quarantined"] == 2
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize("step", ["oncology", "infectiology", "quality"])
def test_other_steps_give_the_stage_api_results(commons, tmp_path, step):
    from partages_core.quality.normalize import normalize
    from partages_core.usecases import infectiology, oncology

    s = run(_cfg(commons.folder, tmp_path / "o", step=step, shard_size=200), progress=False)
    assert s["quarantined"] == 0 and s["documents"] == sum(len(p.documents) for p in commons.patients) and (step == "quality" or s["entities"] > 0)
    rows = pq.read_table(tmp_path / "o" / "documents.parquet").to_pylist()[:25]
    assert len(rows) == 25
    index = json.loads((Path(commons.folder) / "patients.json").read_text())
    files = {str(d["id"]): d["file"] for p in index for d in p["documents"]}
    for r in rows:
        text = (Path(commons.folder) / files[r["id"]]).read_text(encoding="utf-8")
        if step == "quality":
            assert r["text"] == normalize(text).text
        else:
            want = (oncology if step == "oncology" else infectiology).extract(text)
            assert json.loads(r["result"]) == json.loads(json.dumps(want))


def test_hf_dataset_in_and_out_loads_in_a_fresh_process(warehouse, tmp_path):
    import datasets

    ds = datasets.Dataset.from_parquet(str(warehouse), cache_dir=str(tmp_path / "cache"))
    ds.save_to_disk(str(tmp_path / "hf_in"))
    a = run(_cfg(tmp_path / "hf_in", tmp_path / "o1", fmt_out="hf", shard_size=2), progress=False)
    run(_cfg(tmp_path / "hf_in", tmp_path / "o2", fmt_out="hf", shard_size=2), backend="multiprocess",
        progress=False, timeout=120)
    assert a["documents"] == 4 and a["quarantined"] == 3
    assert _bytes(tmp_path / "o1") == _bytes(tmp_path / "o2")
    code = ("import datasets,sys; d=datasets.load_from_disk(sys.argv[1]); "
            "print(len(d), sorted(d.column_names))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "o1" / "dataset")], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "4 ['entities', 'id', 'patient', 'source', 'text']"


def _arm(cfg: RunConfig, mode: str, doc_id: str) -> Path:
    """Open the run folder and leave the test hook that kills the worker reading ``doc_id``."""
    from partages_core.deploy.runner import FAULT_FILE, prepare, run_dir

    prepare(cfg)
    fault = run_dir(cfg) / FAULT_FILE
    fault.write_text(f"{mode} {doc_id}")
    return fault


def test_killed_worker_is_retried_and_output_unchanged(commons, clean, tmp_path):
    victim = pq.read_table(clean / "documents.parquet").column("id").to_pylist()[60]  # in the second of three shards
    cfg = _cfg(commons.folder, tmp_path / "o", shard_size=40)
    _arm(cfg, "once", f"{victim} {tmp_path / 'died'}")
    s = run(cfg, backend="multiprocess", progress=False, retries=1, timeout=60)
    assert (tmp_path / "died").exists() and s["attempts"] == 2  # a worker died, its shards were redone
    assert _bytes(tmp_path / "o") == _bytes(clean)
    assert s["documents"] == pq.read_metadata(clean / "documents.parquet").num_rows


def test_worker_that_always_dies_is_reported_then_resumed(commons, clean, tmp_path):
    """No hang: the dead worker is reported in seconds; the next run redoes only what is missing."""
    victim = pq.read_table(clean / "documents.parquet").column("id").to_pylist()[-1]
    out = tmp_path / "o"
    cfg = _cfg(commons.folder, out, shard_size=40)
    fault = _arm(cfg, "always", victim)
    t0 = time.monotonic()
    with pytest.raises(BatchFailed, match=r"worker process \d+ died \(signal 9\).*rerun the same command"):
        run(cfg, backend="multiprocess", progress=False, retries=1, timeout=60)
    assert time.monotonic() - t0 < 50
    assert not (out / "documents.parquet").exists()  # no partial output
    assert len(list((out / ".partages-run" / "parts").glob("done-*.json"))) >= 1
    fault.unlink()
    s = run(_cfg(commons.folder, out, shard_size=40), backend="local", progress=False)
    assert s["resumed_shards"] >= 1
    assert _bytes(out) == _bytes(clean)


def test_a_hung_worker_is_stopped_by_the_timeout_and_reported(warehouse, tmp_path):
    cfg = _cfg(warehouse, tmp_path / "o", shard_size=1)
    _arm(cfg, "hang", f"n2 {tmp_path / 'stuck'}")
    t0 = time.monotonic()
    with pytest.raises(BatchFailed, match=r"no shard finished for 20 s: workers stopped"):
        run(cfg, backend="multiprocess", progress=False, retries=0, timeout=20)  # startup counts in the 20 s
    assert (tmp_path / "stuck").exists() and time.monotonic() - t0 < 90
    done = sorted(p.name for p in (tmp_path / "o" / ".partages-run" / "parts").glob("done-*.json"))
    assert "done-000001.json" not in done and len(done) == 6  # every other shard finished and is kept


def test_changed_options_do_not_resume_an_old_run(warehouse, tmp_path):
    out = tmp_path / "o"
    from partages_core.deploy.runner import prepare

    shards, pending = prepare(_cfg(warehouse, out, shard_size=2))
    assert pending == list(range(len(shards)))
    run(_cfg(warehouse, out, seed=1, shard_size=2), progress=False)
    assert json.loads((out / "summary.json").read_text())["seed"] == 1


def test_user_errors(tmp_path, warehouse):
    with pytest.raises(InputError, match="not found"):
        run(_cfg(tmp_path / "nope", tmp_path / "o"))
    with pytest.raises(InputError, match="--out .* inside"):
        run(_cfg(warehouse.parent, warehouse.parent / "o"))
    with pytest.raises(InputError, match="no column 'body'"):
        run(_cfg(warehouse, tmp_path / "o", cols={"text": "body"}))
    with pytest.raises(InputError, match="--step"):
        run(_cfg(warehouse, tmp_path / "o", step="translate"))
    with pytest.raises(InputError, match="--backend"):
        run(_cfg(warehouse, tmp_path / "o"), backend="dask")
    with pytest.raises(InputError, match="--workers must be"):
        run(_cfg(warehouse, tmp_path / "o"), backend="multiprocess", workers=0)
    with pytest.raises(InputError, match="parhaf needs a PARHAF input"):
        run(_cfg(warehouse, tmp_path / "o", fmt_out="parhaf"))
    assert not (tmp_path / "o").exists()
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        run(_cfg(warehouse, tmp_path / "f"))


def test_cli_summary_and_one_line_errors(warehouse, tmp_path):
    exe = [sys.executable, "-m", "partages_core"]
    r = subprocess.run(exe + ["batch", "run", "--step", "pseudonymize", "--in", str(warehouse), "--out",
                              str(tmp_path / "o"), "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert (s["documents"], s["quarantined"], s["backend"]) == (4, 3, "local") and "seconds" in s
    r = subprocess.run(exe + ["batch", "run", "--step", "pseudonymize", "--in", str(tmp_path / "missing"),
                              "--out", str(tmp_path / "p")], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not found" in r.stderr


def test_a_step_that_breaks_on_one_document_quarantines_it(warehouse, tmp_path, monkeypatch):
    """A bug hit by one note of a million must not stop the run: that note is quarantined with the error."""
    from partages_core.deploy import steps

    real = steps.STEPS["oncology"]

    def fragile(doc, state):
        if doc["id"] == "n2":
            raise IndexError("list index out of range")
        return real.run(doc, state)

    monkeypatch.setitem(steps.STEPS, "oncology", steps.Step("oncology", fragile, real.columns, False))
    s = run(_cfg(warehouse, tmp_path / "o", step="oncology"), progress=False)
    q = {r["id"]: r["reason"] for r in pq.read_table(tmp_path / "o" / "quarantine.parquet").to_pylist()}
    assert q["n2"] == "oncology failed: IndexError: list index out of range"
    assert s["documents"] == 3 and s["quarantined"] == 4


def test_the_run_key_is_drawn_once_kept_for_resume_and_never_in_the_output(warehouse, tmp_path):
    from partages_core.deploy.runner import prepare, run_dir

    cfg = RunConfig(step="pseudonymize", src=str(warehouse), out=str(tmp_path / "o"), shard_size=2)
    prepare(cfg)
    drawn = cfg.secret
    assert drawn and len(drawn) == 32
    manifest = run_dir(cfg) / "run.json"
    assert manifest.stat().st_mode & 0o077 == 0  # readable by the run's user only
    again = RunConfig(step="pseudonymize", src=str(warehouse), out=str(tmp_path / "o"), shard_size=2)
    run(again, progress=False)
    assert again.secret == drawn  # the resumed run used the stored key
    assert not any(drawn.encode() in b for b in _bytes(tmp_path / "o").values())
    assert not (tmp_path / "o" / ".partages-run").exists()


def test_cli_key_out_then_key_in_reproduces_the_output(warehouse, tmp_path):
    exe = [sys.executable, "-m", "partages_core", "batch", "run", "--step", "pseudonymize", "--in", str(warehouse)]
    r = subprocess.run(exe + ["--out", str(tmp_path / "a"), "--key-out", str(tmp_path / "key.json")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "key.json").stat().st_mode & 0o077 == 0
    r = subprocess.run(exe + ["--out", str(tmp_path / "b"), "--key-in", str(tmp_path / "key.json")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    r = subprocess.run(exe + ["--out", str(tmp_path / "c"), "--key-out", str(tmp_path / "c" / "k.json")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "must be outside --out" in r.stderr and not (tmp_path / "c").exists()


def test_any_table_of_texts_every_row_is_written_or_quarantined(tmp_path_factory):
    """Property: whatever the texts (None, empty, NUL, any Unicode), rows in = rows out + quarantined."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    texts = st.lists(st.one_of(st.none(), st.text(max_size=80), st.just("Dr Jean Martin, né le 02/03/1961.")),
                     min_size=1, max_size=12)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(texts, st.integers(1, 5))
    def check(values, shard_size):
        folder = tmp_path_factory.mktemp("prop")
        rows = [{"id": f"d{k}", "patient": f"p{k % 3}", "text": v} for k, v in enumerate(values)]
        pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema([("id", pa.string()), ("patient", pa.string()),
                                                                    ("text", pa.string())])), folder / "t.parquet")
        for step in ("pseudonymize", "quality"):
            s = run(_cfg(folder / "t.parquet", folder / step, step=step, shard_size=shard_size), progress=False)
            out = pq.read_table(folder / step / "documents.parquet").column("id").to_pylist()
            q = pq.read_table(folder / step / "quarantine.parquet").to_pylist()
            assert sorted(out + [r["id"] for r in q]) == sorted(r["id"] for r in rows)
            assert s["documents"] == len(out) and s["quarantined"] == len(q) and all(r["reason"] for r in q)

    check()


def test_pseudonymize_step_runs_the_hybrid_and_refuses_what_it_cannot_run(warehouse, tmp_path):
    """``--method hybrid`` runs the rules + the built NER; an unknown method or a model not built is one line, exit 2."""
    exe = [sys.executable, "-m", "partages_core", "batch", "run", "--step", "pseudonymize", "--in", str(warehouse)]
    env = {**__import__("os").environ, "PARTAGES_HOME": str(tmp_path / "home")}
    r = subprocess.run(exe + ["--out", str(tmp_path / "a"), "--method", "model"], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "rules or hybrid" in r.stderr
    r = subprocess.run(exe + ["--out", str(tmp_path / "b"), "--method", "hybrid"], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not built" in r.stderr and not (tmp_path / "b").exists()
    build = ("import sys; from pathlib import Path; from partages_core.governance import ner, pseudonymisation; "
             "pseudonymisation.build_model(Path(sys.argv[1]) / ner.MODEL_DIR, ner.TINY, log=lambda m: None)")
    subprocess.run([sys.executable, "-c", build, env["PARTAGES_HOME"]], check=True, env=env, capture_output=True)
    r = subprocess.run(exe + ["--out", str(tmp_path / "c"), "--method", "hybrid", "--json"], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert (s["method"], s["documents"], s["quarantined"]) == ("hybrid", 4, 3) and s["entities"] > 0
