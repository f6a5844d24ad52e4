"""Dedup finds a re-sent report across facilities; splits are patient-level; HF export reloads."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from partages_core.corpus.io.hf import save_dataset_dict
from partages_core.quality.dedup import Item, find_duplicates, items_of
from partages_core.quality.splits import SPLITS_FILE, split_patients, write_splits


def test_resent_report_is_clustered_across_facilities(commons):
    items = items_of(commons.patients)
    p = commons.patients[0]
    d = p.documents[0]
    other = next(f for f in sorted({q.facility for q in commons.patients}) if f != p.facility)
    retyped = d.text.replace("é", "e").replace(" : ", "  :  ") + "\nCopie au dossier."
    items.append(Item("RESENT-01", "P-OTHER", other, retyped))
    report = find_duplicates(items, threshold=0.7)
    clusters = [c for c in report.clusters if "RESENT-01" in c.members]
    assert len(clusters) == 1 and d.id in clusters[0].members and clusters[0].cross_facility
    assert report.to_dict()["cross_facility_clusters"] >= 1
    assert find_duplicates(items, threshold=0.7).to_dict() == report.to_dict()  # deterministic


def test_splits_written_with_the_dataset_and_reload_in_fresh_process(commons, tmp_path):
    splits = write_splits(commons.patients, tmp_path, seed=13)
    assert splits == split_patients(commons.patients, 13)
    ids = [set(p.id for p in v) for v in splits.values()]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    doc = json.loads((tmp_path / SPLITS_FILE).read_text())
    assert doc["summary"]["train"]["patients"] == len(splits["train"])
    save_dataset_dict(splits, tmp_path / "hf")
    code = ("import json,sys; from datasets import load_from_disk; d=load_from_disk(sys.argv[1]);"
            "print(json.dumps({k: [d[k].num_rows, sorted(set(d[k]['patient_id']))] for k in d}))")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "hf")], capture_output=True, text=True,
                         env=env, check=True)
    loaded = json.loads(res.stdout)
    assert set(loaded) == {"train", "dev", "test"}
    for name, (rows, pids) in loaded.items():
        assert rows == sum(len(p.documents) for p in splits[name])
        assert pids == sorted(p.id for p in splits[name])
