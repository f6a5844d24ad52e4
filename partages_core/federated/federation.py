"""The ``Federation``: one deployment's nodes, coordinator, quorum and deadline; built in one
process from the commons (``build_federation``) or from a node config file (``load_federation``).

Tasks are evaluation task names, optionally with a counts view (``infectiology``,
``infectiology/entity``, ``pseudonymisation/leak``); models are system names of
``evaluation.systems`` (``infectio-rules``, ``infectio-gazetteer`` ...).

A node config (YAML) lists the sites; relative paths resolve against the config file::

    deadline_s: 10          # per round
    quorum: 3               # valid replies needed
    seed: 13                # derives demo keys when no key file is given
    coordinator_key: keys/coordinator.pem   # optional PEM Ed25519 key
    nodes:
      - name: chu-de-valmont
        facility: CHU de Valmont   # which facility of the data folder this site holds
        data: commons              # the profile's commons, or a PARHAF folder
        key: keys/chu-de-valmont.pem        # optional
        audit: audit/chu-de-valmont.jsonl   # optional audit log file
        policy: {min_count: 11, tasks: [infectiology], digests: []}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from partages_core.corpus.model import Patient
from partages_core.errors import InputError, PartagesError
from partages_core.federated.coordinator import Coordinator, Enrolment, FederatedResult
from partages_core.evaluation.systems import digest as system_digest
from partages_core.federated.messages import derive_key
from partages_core.keys import load_private_key
from partages_core.federated.node import COORDINATOR, AuditLog, Node, SitePolicy
from partages_core.federated.schema import validate_config



def slug(text: str) -> str:
    """ASCII node name for a facility: 'CHU de Valmont' -> 'chu-de-valmont'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def by_facility(patients: Sequence[Patient]) -> dict[str, list[Patient]]:
    """The commons' per-facility split (each facility keeps its own patients)."""
    out: dict[str, list[Patient]] = {}
    for p in patients:
        out.setdefault(p.facility, []).append(p)
    return dict(sorted(out.items()))


@dataclass
class Federation:
    """Nodes and coordinator of one deployment, with the round's quorum and deadline."""

    coordinator: Coordinator
    nodes: dict[str, Node]
    quorum: int
    deadline_s: float = 10.0
    transports: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.transports = self.transports or {n: node.handle for n, node in self.nodes.items()}

    def run(self, task: str, model: str, digest: str | None = None) -> FederatedResult:
        """One evaluation round; ``digest`` defaults to the digest of system ``model`` here."""
        return self.coordinator.run(self.transports, task, model, digest or system_digest(model),
                                    quorum=self.quorum, deadline_s=self.deadline_s)


def build_federation(patients: Sequence[Patient], seed: int = 13, policy: SitePolicy | None = None,
                     quorum: int | None = None, deadline_s: float = 10.0,
                     audit_dir: Path | None = None) -> Federation:
    """Embedded default: one node per facility of ``patients``, demo keys derived from ``seed``."""
    sites = [{"name": slug(f), "facility": f, "patients": ps} for f, ps in by_facility(patients).items()]
    return _assemble(sites, seed, None, policy or SitePolicy(), quorum, deadline_s, audit_dir)


def load_federation(path: str | Path, patients: Sequence[Patient] | None = None) -> Federation:
    """Read a node config file (format above); ``patients`` is the commons for ``data: commons``."""
    path = Path(path)
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        reason = " ".join(str(err).split())  # YAML errors span lines: one line here
        raise InputError(f"{path}: cannot read node config ({reason[:300]})") from None
    spec = validate_config(cfg, path)
    base, sites, folders = path.parent, [], {}
    for i, n in enumerate(spec.nodes):
        where = f"{path}: nodes[{i}]"
        name = n.name or slug(n.facility)
        try:
            if n.data == "commons":
                if patients is None:
                    from partages_core.corpus.commons import load_commons
                    patients = load_commons().patients
                pool = patients
            else:
                from partages_core.access import gate_folder
                from partages_core.corpus.io.parhaf import read_parhaf
                folder = (base / n.data).resolve()
                # a registered dataset is read only through the access gate (audited), as the site itself
                gate_folder(folder, name, "federated evaluation", "suppressed-aggregates", action="federated-node")
                if folder not in folders:
                    try:
                        folders[folder] = read_parhaf(folder)
                    except InputError as err:
                        folders[folder] = err
                if isinstance(folders[folder], InputError):
                    raise folders[folder]
                pool = folders[folder]
            mine = [p for p in pool if p.facility == n.facility]
            if not mine:
                raise InputError(f"{where}.facility: no patient of {n.facility!r} in {n.data}")
            broken = ""
        except PartagesError as err:  # unusable or refused data: the node is reported missing, the round goes on
            mine, broken = [], f"data unavailable at site: {err}"
        sites.append({"name": name, "facility": n.facility, "patients": mine, "broken": broken,
                      "policy": SitePolicy(**n.policy.model_dump()),
                      "key": load_private_key(base / n.key) if n.key else None,
                      "audit": base / n.audit if n.audit else None})
    names = [s["name"] for s in sites]
    if len(set(names)) != len(names):
        raise InputError(f"{path}: nodes: duplicate node names {names}")
    ckey = load_private_key(base / spec.coordinator_key) if spec.coordinator_key else None
    return _assemble(sites, spec.seed, ckey, SitePolicy(), spec.quorum, spec.deadline_s, None)


def _assemble(sites: list[dict], seed: int, coordinator_key, default_policy: SitePolicy,
              quorum: int | None, deadline_s: float, audit_dir: Path | None) -> Federation:
    ckey = coordinator_key or derive_key(seed, COORDINATOR)
    nodes, enrol = {}, {}
    for s in sites:
        key = s.get("key") or derive_key(seed, s["name"])
        audit_path = s.get("audit") or (audit_dir / f"{s['name']}.jsonl" if audit_dir else None)
        node = Node(s["name"], s["patients"], s.get("policy") or default_policy, key, ckey.public_key(),
                    audit=AuditLog(audit_path), facility=s["facility"], unavailable=s.get("broken", ""))
        nodes[s["name"]] = node
        enrol[s["name"]] = Enrolment(s["name"], key.public_key(), node.n_documents, s["facility"])
    quorum = quorum if quorum is not None else len(nodes) // 2 + 1
    if not isinstance(quorum, int) or not 1 <= quorum <= len(nodes):
        raise InputError(f"quorum: expected an integer between 1 and {len(nodes)}, got {quorum!r}")
    return Federation(Coordinator(ckey, enrol), nodes, quorum, deadline_s)
