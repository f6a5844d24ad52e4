"""20 real processes writing the catalog and the audit log at once: nothing lost, the chain verifies."""

from __future__ import annotations

import json
import subprocess
import sys

from partages_core.governance.catalog import Catalog
from partages_core.store import AuditLog, Store, verify_log

WRITER = """
import sys
from pathlib import Path
from partages_core.store import AuditLog, Store

db, folder, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
log = AuditLog(Store(db))
for i in range(5):
    log.append(f"writer-{n}", "open", "cohort", "granted", f"append {i}")
# then the command itself: `partages catalog add` (it audits the registration too)
sys.argv = ["partages", "catalog", "add", folder, "--name", f"dataset-{n:02d}", "--version", "1",
            "--licence", "CC-BY-4.0", "--access", "open", "--owner", f"site {n}", "--catalog", str(db)]
from partages_core.cli import run
run()
"""


def test_twenty_concurrent_writers_lose_nothing(tmp_path):
    db = tmp_path / "governance.sqlite"
    Store(db)  # created (and migrated) once; the key is created by the first writer that needs it
    folders = []
    for n in range(20):
        folder = tmp_path / f"data-{n}"
        folder.mkdir()
        (folder / "a.txt").write_text(f"dataset {n}", encoding="utf-8")
        folders.append(folder)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(folders[n]), str(n)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(20)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    assert all(code == 0 for _, _, code in results), [err for _, err, code in results if code][:2]
    assert sorted(out.strip() for out, _, _ in results) == sorted(
        f"registered dataset-{n:02d} 1 (open): 1 files" for n in range(20))
    store = Store(db)
    assert [d.name for d in Catalog(store).list()] == [f"dataset-{n:02d}" for n in range(20)]
    entries = AuditLog(store).entries()
    assert [e["seq"] for e in entries] == list(range(1, 121))  # no duplicate sequence number, no gap
    assert len({e["hash"] for e in entries}) == 120 and len({e["prev"] for e in entries}) == 120  # no fork
    assert sorted(e["dataset"] for e in entries if e["action"] == "register") == [f"dataset-{n:02d}" for n in range(20)]
    per_writer = {}
    for e in (e for e in entries if e["action"] == "open"):
        per_writer.setdefault(e["actor"], []).append(e["reason"])
    assert all(v == [f"append {i}" for i in range(5)] for v in per_writer.values()) and len(per_writer) == 20
    report = verify_log(store)
    assert report.ok and report.entries == 120, str(report)
    assert json.loads(store.anchor_path.read_text())["count"] == 120
