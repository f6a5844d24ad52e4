"""Spark backend in local mode (one JVM for the whole test session): same bytes as local, crashes retried."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # .ci/run installs openjdk-17-jre-headless
    pytest.skip("Java is not installed", allow_module_level=True)

from partages_core.deploy.runner import RunConfig, run  # noqa: E402

KEY = "0f" * 16  # one run key for the runs compared byte for byte


@pytest.fixture(scope="session")
def spark():
    """The one local[2,2] session of the test run (2 cores, a failed task retried once), loopback only, no UI."""
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.sql import SparkSession

    from partages_core.deploy.runner import spark_session

    session = spark_session("local[2,2]")
    yield session
    session.stop()
    assert SparkSession.getActiveSession() is None


def _bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_spark_conf_stays_on_loopback(spark):
    conf = spark.sparkContext.getConf()
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.driver.host") == "127.0.0.1"
    assert spark.sparkContext.master == "local[2,2]"


@pytest.fixture(scope="module")
def local_run(commons, tmp_path_factory):
    """The reference bytes: the commons pseudonymised by the local backend, shards of 60."""
    out = tmp_path_factory.mktemp("local") / "o"
    run(RunConfig(step="pseudonymize", src=str(commons.folder), out=str(out), shard_size=60, secret=KEY),
        progress=False)
    return out


def test_spark_writes_the_bytes_of_the_local_backend(spark, commons, local_run, tmp_path):
    sc = spark.sparkContext
    sc.setJobGroup("same-bytes", "the spark run of this test")
    b = run(RunConfig(step="pseudonymize", src=str(commons.folder), out=str(tmp_path / "spark"), shard_size=60,
                      secret=KEY), backend="spark", progress=False)
    assert b["documents"] == len(commons.documents()) and b["shards"] >= 2
    assert _bytes(local_run) == _bytes(tmp_path / "spark")
    assert set(b["phases"]) == {"prepare", "engine_start", "process", "assemble"}
    # every shard is a task of one job, so Spark runs them on all its cores at once (iterating the
    # stream ran one job per partition, one after the other: one core busy)
    tracker = sc.statusTracker()
    jobs = tracker.getJobIdsForGroup("same-bytes")
    assert len(jobs) == 1
    stages = tracker.getJobInfo(jobs[0]).stageIds
    assert [tracker.getStageInfo(s).numTasks for s in stages] == [b["shards"]]


def test_spark_extraction_step_same_bytes(spark, commons, tmp_path):
    cfg = dict(step="infectiology", src=str(commons.folder), shard_size=60)
    run(RunConfig(out=str(tmp_path / "local"), **cfg), backend="local", progress=False)
    run(RunConfig(out=str(tmp_path / "spark"), **cfg), backend="spark", progress=False)
    assert _bytes(tmp_path / "local") == _bytes(tmp_path / "spark")


def test_spark_retries_a_killed_python_worker(spark, commons, local_run, tmp_path):
    import pyarrow.parquet as pq

    from partages_core.deploy.runner import FAULT_FILE, prepare, run_dir

    victim = pq.read_table(local_run / "documents.parquet").column("id").to_pylist()[70]
    cfg = RunConfig(step="pseudonymize", src=str(commons.folder), out=str(tmp_path / "o"), shard_size=60, secret=KEY)
    prepare(cfg)
    fault = run_dir(cfg) / FAULT_FILE
    fault.write_text(f"once {victim} {tmp_path / 'died'}")
    s = run(cfg, backend="spark", progress=False)
    assert (tmp_path / "died").exists() and s["attempts"] == 1  # Spark re-ran the task itself
    assert _bytes(tmp_path / "o") == _bytes(local_run)
