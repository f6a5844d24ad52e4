"""Issue 19, federated part: k = 11 by default, chained node logs, persisted nonces, a failing node
reported missing, a validated nodes config."""

from __future__ import annotations

import json

import pytest

from partages_core.corpus.generator import generate
from partages_core.errors import InputError
from partages_core.evaluation.systems import digest as model_digest
from partages_core.federated.federation import build_federation, load_federation
from partages_core.federated.node import COORDINATOR, AuditLog, Node, SitePolicy
from tests.federated.test_federated import _ints

INFECTIO_TASK, INFECTIO_BASELINE = "infectiology/entity", "infectio-gazetteer"


def test_default_federation_releases_no_count_below_11():
    assert SitePolicy().min_count == 11
    # 200 patients: with k = 11 a node must hold 11 infectiology documents before it releases anything,
    # which the 60-patient session commons (about 18 such documents over 4 nodes) reaches only by luck
    fed = build_federation(list(generate(200, 7)), seed=3)
    result = fed.run(INFECTIO_TASK, INFECTIO_BASELINE)
    per_node = result.to_dict()["per_node"]
    released = [v for rows in per_node.values() for row in rows.values() for v in _ints(row)]
    assert released and not [v for v in released if 0 < v < 11]


def test_node_log_is_chained_and_nonces_survive_a_restart(commons, tmp_path):
    fed = build_federation(commons.patients, seed=3, audit_dir=tmp_path)
    name = sorted(fed.nodes)[0]
    node = fed.nodes[name]
    req = fed.coordinator.requests(INFECTIO_TASK, INFECTIO_BASELINE, model_digest(INFECTIO_BASELINE), [name])[name]
    assert b'"status":"ok"' in node.handle(req)
    log_path = tmp_path / f"{name}.jsonl"
    # the site restarts: a fresh Node on the same log refuses the replayed request
    restarted = Node(name, node._patients, node.policy, node._key, node._peers[COORDINATOR],
                     audit=AuditLog(log_path))
    assert b"replayed or missing nonce" in restarted.handle(req)
    # even with its log file emptied, the nonce database still remembers
    log_path.write_text("")
    again = Node(name, node._patients, node.policy, node._key, node._peers[COORDINATOR], audit=AuditLog(log_path))
    assert b"replayed or missing nonce" in again.handle(req)
    # the chain: intact, then an edited entry is found
    log = AuditLog(tmp_path / "chain.jsonl")
    for i in range(3):
        log.write(event="released", n=i)
    assert AuditLog(tmp_path / "chain.jsonl").verify() is None
    lines = (tmp_path / "chain.jsonl").read_text().splitlines()
    edited = json.loads(lines[1])
    edited["event"] = "refused"
    (tmp_path / "chain.jsonl").write_text("\n".join([lines[0], json.dumps(edited), lines[2]]) + "\n")
    assert "entry 2" in AuditLog(tmp_path / "chain.jsonl").verify()
    (tmp_path / "chain.jsonl").write_text("\n".join([lines[0], lines[2]]) + "\n")
    assert "entry 2" in AuditLog(tmp_path / "chain.jsonl").verify()


def test_a_node_with_bad_data_is_missing_with_its_reason(commons, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "patients.json").write_text("[{not json", encoding="utf-8")
    cfg = {"quorum": 1, "nodes": [{"name": "valmont", "facility": "CHU de Valmont", "data": str(commons.folder)},
                                  {"name": "broken-site", "facility": "CHU de Valmont", "data": str(broken)}]}
    path = tmp_path / "nodes.yaml"
    path.write_text(json.dumps(cfg))
    result = load_federation(path).run(INFECTIO_TASK, INFECTIO_BASELINE)
    assert result.answered == ["valmont"]
    assert "data unavailable" in result.missing["broken-site"] and "malformed JSON" in result.missing["broken-site"]


@pytest.mark.parametrize("change, message", [
    ({"nodes": [{"facility": "CHU de Valmont", "policy": {"tasks": "x"}}]}, r"nodes\[0\]\.policy\.tasks: Input should be a valid list"),
    ({"deadline_s": -5}, r"deadline_s: Input should be greater than 0"),
    ({"nodes": [{"facility": "CHU de Valmont", "policy": {"min_count": 0}}]}, r"policy\.min_count"),
    ({"nodes": []}, r"nodes: List should have at least 1 item"),
    ({"quorum": "two"}, r"quorum: Input should be a valid integer"),
])
def test_nodes_config_is_validated_by_its_schema(commons, tmp_path, change, message):
    cfg = {"nodes": [{"facility": "CHU de Valmont", "data": str(commons.folder)}], **change}
    path = tmp_path / "nodes.yaml"
    path.write_text(json.dumps(cfg))
    with pytest.raises(InputError, match=message):
        load_federation(path, commons.patients)


def test_a_node_on_a_restricted_dataset_goes_through_the_gate(commons, tmp_path, monkeypatch):
    from partages_core.governance.catalog import Catalog
    from partages_core.store import AuditLog, Store

    db = tmp_path / "governance.sqlite"
    monkeypatch.setenv("PARTAGES_GOVERNANCE_DB", str(db))
    Catalog(Store(db)).add(commons.folder, "commons", "1", "restricted-use", "restricted", "CHU de Valmont")
    path = tmp_path / "nodes.yaml"
    path.write_text(json.dumps({"quorum": 1, "nodes": [{"name": "valmont", "facility": "CHU de Valmont",
                                                        "data": str(commons.folder)}]}))
    fed = load_federation(path)
    assert "refused for 'valmont'" in fed.nodes["valmont"].unavailable
    entries = AuditLog(Store(db)).entries()
    assert [(e["actor"], e["action"], e["decision"]) for e in entries] == [("valmont", "federated-node", "refused")]
