"""In-process federation: pooling, deadline and quorum, integrity checks, disclosure control."""

from __future__ import annotations

import json
import logging
import random
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from partages_core.corpus.generator import generate
from partages_core.errors import InputError
from partages_core.metrics import Counts, merge
from partages_core.evaluation.runner import site_counts
from partages_core.evaluation.systems import digest as model_digest
from partages_core.federated.coordinator import Coordinator, QuorumError
from partages_core.federated.federation import build_federation, load_federation
from partages_core.federated.messages import derive_key, seal
from partages_core.federated.node import COORDINATOR, AuditLog, Node, SitePolicy, release_row

ROOT = Path(__file__).resolve().parents[2]
# task names and systems are the evaluation stage's (one registry)
INFECTIO_TASK, INFECTIO_BASELINE = "infectiology/entity", "infectio-gazetteer"
PSEUDO_TASK, PSEUDO_BASELINE = "pseudonymisation/strict", "pseudo-contact-regex"
CONTACT = {"TELEPHONE", "EMAIL", "ID"}


@pytest.fixture
def fed(commons):
    # a generous deadline: the deadline behaviour itself is tested below with its own 1 s
    return build_federation(commons.patients, seed=3, policy=SitePolicy(min_count=1), deadline_s=60)


def test_pooled_counts_equal_centralised_evaluation(commons, fed):
    result = fed.run(INFECTIO_TASK, INFECTIO_BASELINE)
    central, n_examples = site_counts(INFECTIO_TASK, INFECTIO_BASELINE, commons.patients)
    assert n_examples > 0 and set(central) == set(result.pooled)
    assert len(fed.nodes) == 4 and result.answered == sorted(fed.nodes) and not result.partial
    for label, c in central.items():
        row = result.pooled[label]
        assert (row["tp"], row["fp"], row["fn"]) == (c.tp, c.fp, c.fn)
    assert result.to_dict() == fed.run(INFECTIO_TASK, INFECTIO_BASELINE).to_dict()  # deterministic


def test_pseudo_baseline_finds_contact_identifiers(fed):
    result = fed.run(PSEUDO_TASK, PSEUDO_BASELINE)
    assert CONTACT <= set(result.pooled)
    assert all(result.pooled[label]["tp"] > 0 for label in CONTACT)
    assert all(row["tp"] == 0 for label, row in result.pooled.items() if label not in CONTACT)


@pytest.mark.parametrize("task, baseline, rules", [
    (INFECTIO_TASK, INFECTIO_BASELINE, "infectio-rules"),
    (PSEUDO_TASK, PSEUDO_BASELINE, "pseudo-rules"),
])
def test_nodes_validate_the_real_extractors_not_only_baselines(fed, task, baseline, rules):
    from partages_core.metrics import Counts, micro

    def pooled_f1(result):
        return micro({k: Counts(r["tp"], r["fp"], r["fn"]) for k, r in result.pooled.items()}).f1

    real, base = fed.run(task, rules), fed.run(task, baseline)
    # the nodes ran the registered extractor itself, not the baseline: other counts, a real score. Its
    # quality is judged on real text (`partages evaluate realtext`): on the generated commons the
    # infectiology rules follow the hand-written span conventions, so their strict F1 there is ~0.6.
    assert not real.partial and real.pooled != base.pooled and pooled_f1(real) > 0.5


def _slow(task, model, patients):
    time.sleep(30)
    return site_counts(task, model, patients)


def test_dropped_and_stalled_nodes_give_a_partial_result_in_time(fed):
    down, slow, *_ = sorted(fed.nodes)
    fed.nodes[down].stop()
    fed.nodes[slow]._measure_fn = _slow
    fed.deadline_s, fed.quorum = 1.0, 2
    t0 = time.monotonic()
    result = fed.run(INFECTIO_TASK, INFECTIO_BASELINE)
    assert time.monotonic() - t0 < 1.0 + 0.5
    assert set(result.missing) == {down, slow} and result.partial
    assert "unreachable" in result.missing[down] and "deadline" in result.missing[slow]
    assert len(result.answered) == 2 and down not in result.per_node


def test_below_quorum_fails_with_the_partial_result(fed):
    fed.nodes[sorted(fed.nodes)[0]].stop()
    fed.quorum = 4
    with pytest.raises(QuorumError, match="quorum not reached: 3 valid replies of 4") as err:
        fed.run(INFECTIO_TASK, INFECTIO_BASELINE)
    assert len(err.value.result.answered) == 3


class LyingNode(Node):
    """A compromised site: inflates true positives after disclosure control."""

    def _release(self, counts, n_examples):
        out = super()._release(counts, n_examples)
        out["labels"]["Bacterie"]["tp"] += 10
        return out


class HoardingNode(Node):
    """Claims more documents than it enrolled."""

    def _release(self, counts, n_examples):
        return {**super()._release(counts, n_examples), "n_documents": self.n_documents + 100}


@pytest.mark.parametrize("cls, reason", [(LyingNode, "tp + fn != declared gold"), (HoardingNode, "exceeds")])
def test_inconsistent_node_is_flagged_and_excluded(fed, cls, reason):
    name = sorted(fed.nodes)[1]
    honest = fed.nodes[name]
    liar = cls(name, honest._patients, honest.policy, honest._key, honest._peers[COORDINATOR])
    fed.transports[name] = liar.handle
    result = fed.run(INFECTIO_TASK, INFECTIO_BASELINE)
    assert reason in result.flagged[name] and name not in result.answered
    assert name not in result.pooled["Bacterie"]["nodes"] and result.partial


def test_wrong_digest_refused_and_replay_rejected(fed):
    coord, name = fed.coordinator, sorted(fed.nodes)[0]
    node = fed.nodes[name]
    bad = coord.requests(INFECTIO_TASK, INFECTIO_BASELINE, model_digest(PSEUDO_BASELINE), [name])[name]
    res = coord.collect({name: node.handle(bad)}, {}, INFECTIO_TASK, INFECTIO_BASELINE,
                        model_digest(PSEUDO_BASELINE), 1, [name])
    assert "model digest mismatch" in res.missing[name]
    digest = model_digest(INFECTIO_BASELINE)
    req = coord.requests(INFECTIO_TASK, INFECTIO_BASELINE, digest, [name])[name]
    first = node.handle(req)
    assert b'"status":"ok"' in first
    assert b"replayed or missing nonce" in node.handle(req)  # the node refuses a replayed request
    once = coord.collect({name: first}, {}, INFECTIO_TASK, INFECTIO_BASELINE, digest, 1, [name])
    again = coord.collect({name: first}, {}, INFECTIO_TASK, INFECTIO_BASELINE, digest, 1, [name])
    assert once.answered == [name] and "replayed nonce" in again.flagged[name]  # coordinator side
    forged = seal({"kind": "evaluate", "node": name, "task": INFECTIO_TASK, "model": INFECTIO_BASELINE,
                   "digest": digest, "nonce": "f" * 32}, COORDINATOR, derive_key(99, "attacker"))
    assert b"unauthenticated request: bad signature" in node.handle(forged)
    policy = replace(node.policy, tasks=("pseudonymisation",))
    node.policy = policy
    refused = node.handle(coord.requests(INFECTIO_TASK, INFECTIO_BASELINE, digest, [name])[name])
    assert b"not allowed by site policy" in refused


def test_suppress_row_complementary():
    assert release_row(Counts(tp=4, fp=9, fn=20), k=5) == {"tp": None, "fp": 9, "fn": None, "gold": 24}
    assert release_row(Counts(tp=30, fp=2, fn=0), k=5) == {"tp": 30, "fp": None, "fn": 0, "gold": 30}
    assert release_row(Counts(tp=4, fp=0, fn=0), k=5) == {"tp": None, "fp": 0, "fn": 0, "gold": None}
    assert release_row(Counts(tp=12, fp=7, fn=3), k=5) == {"tp": None, "fp": 7, "fn": None, "gold": 15}
    assert release_row(Counts(tp=3, fp=1, fn=2), k=1) == {"tp": 3, "fp": 1, "fn": 2, "gold": 5}
    assert SitePolicy().min_count == 11


def _small_site(seed: int):
    """CU6 patients whose documents hold exactly 4 gold 'Bacterie' mentions, with a seeded canary
    in one text."""
    patients, n_docs, n_bact = [], 0, 0
    for p in generate(80, seed):
        if p.pool != "CU 6 - Infectiology":
            continue
        keep = []
        for d in p.documents:
            k = sum(s.label == "Bacterie" for s in d.spans("infectio"))
            if n_bact + k <= 4 and (k or n_docs < 8):
                keep.append(d)
                n_docs, n_bact = n_docs + 1, n_bact + k
        if keep:
            patients.append(replace(p, documents=keep))
    assert n_bact == 4
    canary = "CANARY-" + "".join(random.Random(seed).choices("ABCDEFGHJKMNPQRSTVWXYZ23456789", k=16))
    patients[0].documents[0].text += f"\nPatient suivi par le Dr {canary}."
    return patients, canary


def _ints(obj):
    if isinstance(obj, bool):
        return
    if isinstance(obj, int):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _ints(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _ints(v)


def test_small_count_never_leaves_the_node_nor_its_logs(commons, tmp_path, caplog):
    fed = build_federation(commons.patients, seed=5, policy=SitePolicy(min_count=5), audit_dir=tmp_path)
    docs, canary = _small_site(seed=21)
    gold = site_counts(INFECTIO_TASK, INFECTIO_BASELINE, docs)[0]["Bacterie"]
    assert gold.tp + gold.fn == 4
    ref = next(iter(fed.nodes.values()))
    small = Node("site-4", docs, SitePolicy(min_count=5), derive_key(5, "site-4"), ref._peers[COORDINATOR],
                 audit=AuditLog(tmp_path / "site-4.jsonl"))
    from partages_core.federated.coordinator import Enrolment

    enrol = {**fed.coordinator.enrolments, "site-4": Enrolment("site-4", small._key.public_key(), small.n_documents)}
    coord = Coordinator(derive_key(5, COORDINATOR), enrol)
    wire: list[bytes] = []

    def tap(node):
        def send(data: bytes) -> bytes:
            wire.append(data)
            out = node.handle(data)
            wire.append(out)
            return out
        return send

    transports = {n: tap(node) for n, node in {**fed.nodes, "site-4": small}.items()}
    caplog.set_level(logging.DEBUG, logger="partages")
    digest = model_digest(INFECTIO_BASELINE)
    everyone = coord.run(transports, INFECTIO_TASK, INFECTIO_BASELINE, digest, quorum=4)
    others = {n: t for n, t in transports.items() if n != "site-4"}
    but_one = coord.run(others, INFECTIO_TASK, INFECTIO_BASELINE, digest, quorum=3)
    published = json.dumps([everyone.to_dict(), but_one.to_dict()]).encode()
    outbound = [m for m in wire if b'"signer":"site-4"' in m]
    assert outbound and b'"status":"ok"' in outbound[0]
    logs = (tmp_path / "site-4.jsonl").read_bytes() + caplog.text.encode()
    for blob in outbound + [logs, published]:
        assert canary.encode() not in blob
    for blob in outbound + [(tmp_path / "site-4.jsonl").read_bytes()]:
        assert not re.search(rb"[:,\[]4[,}\]]", blob)
        for line in blob.splitlines():
            assert 4 not in set(_ints(json.loads(line)))
    # differencing "all sites" minus "all sites but one" cannot give the small count back
    assert "site-4" in everyone.pooled["Bacterie"]["withheld_at"]
    for cell in ("tp", "fn"):
        assert everyone.pooled["Bacterie"][cell] - but_one.pooled["Bacterie"][cell] == 0
    assert "site-4" not in everyone.per_node or "Bacterie" not in everyone.per_node["site-4"]


def test_node_config_file(commons, tmp_path):
    cfg = {"deadline_s": 5, "quorum": 2, "seed": 4, "nodes": [
        {"name": "valmont", "facility": "CHU de Valmont", "data": str(commons.folder),
         "audit": "audit/valmont.jsonl", "policy": {"min_count": 3, "tasks": ["pseudonymisation"]}},
        {"facility": "Hôpital Saint-Aubin", "data": str(commons.folder)}]}
    path = tmp_path / "nodes.yaml"
    path.write_text(json.dumps(cfg))  # JSON is YAML
    fed = load_federation(path)
    assert sorted(fed.nodes) == ["hopital-saint-aubin", "valmont"] and fed.quorum == 2
    assert fed.run(PSEUDO_TASK, PSEUDO_BASELINE).answered == ["hopital-saint-aubin", "valmont"]
    assert (tmp_path / "audit" / "valmont.jsonl").is_file()
    cfg["nodes"][0]["colour"] = "blue"
    path.write_text(json.dumps(cfg))
    with pytest.raises(InputError, match=r"nodes\[0\]\.colour: unknown field"):
        load_federation(path)


def test_cli_run_json_and_bad_model(commons, tmp_path):
    path = tmp_path / "nodes.yaml"
    path.write_text(json.dumps({"nodes": [{"facility": f, "data": str(commons.folder)} for f in
                                          ("CHU de Valmont", "Clinique Lucien-Marchal")]}))
    cmd = [sys.executable, "-m", "partages_core", "federated", "run", "--task", PSEUDO_TASK, "--nodes", str(path)]
    ok = subprocess.run(cmd + ["--model", PSEUDO_BASELINE, "--json"], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["answered"] == ["chu-de-valmont", "clinique-lucien-marchal"]
    bad = subprocess.run(cmd + ["--model", "nowhere/model"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "unknown system 'nowhere/model'" in bad.stderr
    old = subprocess.run([*cmd[:5], "--task", "infectio.entities", "--nodes", str(path), "--model", "infectio-rules"],
                         capture_output=True, text=True, cwd=ROOT)
    assert old.returncode == 2 and "unknown task 'infectio.entities'" in old.stderr and "Traceback" not in old.stderr


def test_unknown_task_or_view_names_the_registry(fed):
    with pytest.raises(InputError, match="unknown task 'oncology.biomarkers'; choose one of"):
        fed.run("oncology.biomarkers", "oncology-rules")
    with pytest.raises(InputError, match="infectiology/triple"):
        fed.run("infectiology/nothing", "infectio-rules")
    with pytest.raises(InputError, match="unknown system"):
        fed.run(INFECTIO_TASK, "baseline:infectio-lexicon")


def test_merge_is_the_pooling_rule(fed):
    # per-node counts (all released at k=1) add up to the pooled ones
    result = fed.run(INFECTIO_TASK, INFECTIO_BASELINE)
    from partages_core.metrics import Counts
    per = [{lab: Counts(r["tp"], r["fp"], r["fn"]) for lab, r in rows.items()} for rows in result.per_node.values()]
    total = merge(*per)
    assert {lab: (c.tp, c.fp, c.fn) for lab, c in total.items()} == \
        {lab: (r["tp"], r["fp"], r["fn"]) for lab, r in result.pooled.items()}
