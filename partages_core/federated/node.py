"""A federation node: one facility's patients, its site policy, its own audit log.

The node authenticates the coordinator's request, checks it against the policy (task allowed, model
digest allowed and equal to the digest of what it would actually run, nonce never seen), evaluates
locally and returns only counts per label after disclosure control. Tasks and systems are the
evaluation stage's (``evaluation.tasks``, ``evaluation.systems``): a round of ``infectiology/entity``
with ``infectio-rules`` counts exactly what the leaderboard counts. Text, spans and identifiers
never leave it; the audit log records decisions and the digest of what was released.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partages_core.corpus.model import Patient
from partages_core.errors import InputError
from partages_core.evaluation.runner import site_counts
from partages_core.evaluation.systems import digest as system_digest
from partages_core.federated.messages import IntegrityError, open_envelope, seal
from partages_core.keys import canonical
from partages_core.governance.disclosure import CASD_K, suppress
from partages_core.metrics import Counts

Measure = Callable[[str, str, Sequence[Patient]], tuple[dict[str, Counts], int]]

log = logging.getLogger("partages.federated")
COORDINATOR = "coordinator"
CELLS = ("tp", "fp", "fn", "gold")


def release_row(c: Counts, k: int) -> dict[str, int | None]:
    """One label's released counts, ``None`` where withheld, by ``governance.disclosure.suppress``.

    ``tp`` and ``fn`` are one linked table whose row total is ``gold`` (so a lone hidden cell among
    the three is protected by a complementary one); ``fp`` is released alone. ``k = 1`` withholds nothing.
    """
    import pandas as pd

    if k < 2:
        return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "gold": c.tp + c.fn}
    linked = suppress(pd.DataFrame({"tp": [c.tp], "fn": [c.fn]}), k)
    alone = suppress(pd.Series({"fp": c.fp}), k, margins=False)
    shown = lambda s, i, j: None if s.hidden.iloc[i, j] else int(s.counts.iloc[i, j])  # noqa: E731
    return {"tp": shown(linked, 0, 0), "fp": shown(alone, 0, 0), "fn": shown(linked, 0, 1),
            "gold": shown(linked, 0, 2)}


def row_complete(row: dict[str, int | None]) -> bool:
    """Whether a released row can be shown and pooled (no cell withheld)."""
    return all(row.get(c) is not None for c in CELLS)


class NodeUnavailable(ConnectionError):
    """The node is stopped (site down, network cut): the coordinator records it as missing."""


@dataclass
class SitePolicy:
    """What a site accepts: minimum released count (the CASD k = 11 unless the site says otherwise;
    1 releases every count), allowed tasks, allowed model digests (empty = any)."""

    min_count: int = CASD_K
    tasks: tuple[str, ...] = ()
    digests: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.min_count, int) or self.min_count < 1:
            raise InputError(f"policy.min_count: expected an integer >= 1, got {self.min_count!r}")
        self.tasks, self.digests = tuple(self.tasks), tuple(self.digests)


@dataclass
class AuditLog:
    """Append-only JSON-lines log of the node's decisions, keyed-chained (HMAC): each entry stores the
    previous entry's hash, so an edited, removed or reordered entry fails :meth:`verify`.

    On disk (``path``) the key is a random 0600 file beside the log and the answered nonces are kept
    in a SQLite database beside it too, so a restarted node still refuses a replayed request.
    """

    path: Path | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._store = None
        if self.path is not None:
            from partages_core.store import Store

            self.path = Path(self.path)
            self._store = Store(self.path.with_name(self.path.name + ".sqlite"),
                                key_path=self.path.with_name(self.path.name + ".key"))
            self._key = self._store.key()
            if self.path.is_file():
                try:
                    self.entries = [json.loads(x) for x in self.path.read_text(encoding="utf-8").splitlines() if x]
                except (json.JSONDecodeError, UnicodeDecodeError) as err:
                    raise InputError(f"{self.path}: malformed node audit log ({err})") from None
        else:
            import os

            self._key = os.urandom(32)

    def _mac(self, entry: dict[str, Any]) -> str:
        import hmac

        return hmac.new(self._key, canonical({k: v for k, v in entry.items() if k != "hash"}), hashlib.sha256).hexdigest()

    def write(self, **entry: Any) -> None:
        prev = self.entries[-1].get("hash", "0" * 64) if self.entries else "0" * 64
        entry = {"seq": len(self.entries) + 1, **entry, "prev": prev}
        entry["hash"] = self._mac(entry)
        self.entries.append(entry)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as f:
                f.write(canonical(entry) + b"\n")

    def verify(self) -> str | None:
        """None when the chain is intact, else the first bad entry and why."""
        prev = "0" * 64
        for n, e in enumerate(self.entries, 1):
            if e.get("seq") != n or e.get("prev") != prev:
                return f"entry {n}: missing, reordered or unlinked"
            if e.get("hash") != self._mac(e):
                return f"entry {n}: content does not match its keyed hash"
            prev = e["hash"]
        return None

    def claim_nonce(self, nonce: str, node: str) -> bool:
        """Record ``nonce`` as answered; False when it was seen before (also by an earlier run)."""
        import sqlite3

        if self._store is None:
            return True
        from partages_core.store import now_utc

        try:
            with self._store.transaction() as con:
                con.execute("INSERT INTO nonces (node, nonce, time) VALUES (?, ?, ?)", (node, nonce, now_utc()))
        except sqlite3.IntegrityError:
            return False
        return True

    def seen_nonces(self) -> set[str]:
        return {e["nonce"] for e in self.entries if e.get("nonce")}

    def to_bytes(self) -> bytes:
        return b"\n".join(canonical(e) for e in self.entries)


class Node:
    """One site. ``handle(request_bytes) -> response_bytes`` is the only way in or out."""

    def __init__(self, name: str, patients: Sequence[Patient], policy: SitePolicy,
                 key: Ed25519PrivateKey, coordinator_key: Ed25519PublicKey,
                 measure: Measure = site_counts, audit: AuditLog | None = None, facility: str = "",
                 unavailable: str = "") -> None:
        self.name, self.facility, self.policy = name, facility or name, policy
        self._patients = list(patients)
        self._key, self._peers = key, {COORDINATOR: coordinator_key}
        self._measure_fn = measure
        self.audit = audit or AuditLog()
        self._nonces = self.audit.seen_nonces()
        self._lock = threading.Lock()
        self.up = True
        self.unavailable = unavailable  # why this site cannot serve (e.g. its data folder is unreadable)

    @property
    def n_documents(self) -> int:
        return sum(len(p.documents) for p in self._patients)

    def stop(self) -> None:
        """Take the site offline: requests fail as if the network were cut."""
        self.up = False

    def handle(self, request: bytes) -> bytes:
        """Authenticate, check policy, evaluate locally, release suppressed counts (signed)."""
        if not self.up:
            raise NodeUnavailable(f"{self.name}: node is down")
        if self.unavailable:
            self.audit.write(event="unavailable", reason=self.unavailable)
            raise NodeUnavailable(self.unavailable)
        try:
            req = open_envelope(request, self._peers).payload
        except IntegrityError as err:
            self.audit.write(event="rejected", reason=str(err))
            log.warning("%s: rejected request: %s", self.name, err)
            return self._reply({"status": "refused", "reason": f"unauthenticated request: {err}"})
        base = {k: req.get(k) for k in ("task", "model", "digest", "nonce")}
        with self._lock:
            reason = self._check(req)
            if req.get("nonce"):
                self._nonces.add(req["nonce"])
                if not reason and not self.audit.claim_nonce(str(req["nonce"]), self.name):
                    reason = "replayed or missing nonce"
        if reason:
            self.audit.write(event="refused", reason=reason, **base)
            log.info("%s: refused %s: %s", self.name, base["task"], reason)
            return self._reply({**base, "status": "refused", "reason": reason})
        try:
            counts, n_examples = self._measure_fn(req["task"], req["model"], self._patients)
        except Exception as err:  # a failing evaluator is reported, not hidden
            reason = f"evaluation failed: {type(err).__name__}: {err}"
            self.audit.write(event="failed", reason=reason, **base)
            return self._reply({**base, "status": "refused", "reason": reason})
        released = self._release(counts, n_examples)
        reply = self._reply({**base, "status": "ok", **released})
        self.audit.write(event="released", labels=sorted(released["labels"]),
                         sha256=hashlib.sha256(reply).hexdigest(), **base)
        log.info("%s: released counts for %s (%d labels)", self.name, base["task"], len(released["labels"]))
        return reply

    def _check(self, req: dict[str, Any]) -> str | None:
        if req.get("node") != self.name:
            return f"request addressed to {req.get('node')!r}, not to this node"
        if not req.get("nonce") or req["nonce"] in self._nonces:
            return "replayed or missing nonce"
        task = str(req.get("task"))
        if self.policy.tasks and task not in self.policy.tasks and task.partition("/")[0] not in self.policy.tasks:
            return f"task {req.get('task')!r} not allowed by site policy"
        if self.policy.digests and req.get("digest") not in self.policy.digests:
            return "model digest not allowed by site policy"
        try:
            local = system_digest(str(req.get("model")))
        except InputError as err:
            return f"model unavailable at site: {err}"
        if req.get("digest") != local:
            return "model digest mismatch: the model at this site is not the one requested"
        return None

    def _release(self, counts: dict[str, Counts], n_examples: int) -> dict[str, Any]:
        k = self.policy.min_count
        labels = {str(label): release_row(c, k) for label, c in sorted(counts.items())}
        n_docs = release_row(Counts(fp=n_examples), k)["fp"]
        return {"labels": labels, "min_count": k, "n_documents": n_docs}

    def _reply(self, payload: dict[str, Any]) -> bytes:
        return seal({"node": self.name, "kind": "counts", **payload}, self.name, self._key)
