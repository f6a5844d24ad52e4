"""The coordinator: sends a signed task to enrolled nodes, waits up to a deadline, pools counts.

A node that is down, stalls, refuses or lies never blocks the round: the result names it and why.
Below quorum the round fails with ``QuorumError`` (which still carries the partial result). Pooled
metrics are recomputed from counts, per label, over nodes whose released row is complete; per-node
metrics are shown only for such rows.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partages_core.errors import InputError, PartagesError
from partages_core.evaluation.runner import metrics_of_counts, task_view
from partages_core.metrics import Counts, macro_f1, micro
from partages_core.federated.messages import IntegrityError, new_nonce, open_envelope, seal
from partages_core.federated.node import CELLS, COORDINATOR, row_complete

Transport = Callable[[bytes], bytes]


class QuorumError(PartagesError):
    """Fewer nodes answered validly than the quorum; ``.result`` holds what did arrive."""

    def __init__(self, message: str, result: "FederatedResult") -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class Enrolment:
    """What the coordinator registered for a node: its public key and enrolled document count."""

    name: str
    public_key: Ed25519PublicKey
    n_documents: int
    facility: str = ""


@dataclass
class FederatedResult:
    """Pooled and per-node metrics of one round, with missing and flagged nodes named."""

    task: str
    model: str
    digest: str
    quorum: int
    nodes: list[str]
    answered: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    flagged: dict[str, str] = field(default_factory=dict)
    pooled: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_node: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def metrics(self) -> dict[str, float | None]:
        """The evaluation task's metrics for this view, from the pooled counts (names as on the
        leaderboard: ``entity_f1``, ``leak_rate`` ...)."""
        return metrics_of_counts(self.task, {k: _counts(v) for k, v in self.pooled.items()})

    @property
    def partial(self) -> bool:
        return bool(self.missing or self.flagged)

    @property
    def micro(self) -> Counts:
        return micro({k: _counts(v) for k, v in self.pooled.items()})

    @property
    def macro_f1(self) -> float:
        return macro_f1({k: _counts(v) for k, v in self.pooled.items()})

    def to_dict(self) -> dict[str, Any]:
        """Deterministic summary (no timings, no nonces)."""
        m = self.micro
        return {"task": self.task, "model": self.model, "digest": self.digest, "quorum": self.quorum,
                "nodes": self.nodes, "answered": self.answered, "missing": self.missing,
                "flagged": self.flagged, "partial": self.partial, "pooled": self.pooled,
                "micro": {"tp": m.tp, "fp": m.fp, "fn": m.fn, "precision": round(m.precision, 4),
                          "recall": round(m.recall, 4), "f1": round(m.f1, 4)},
                "macro_f1": round(self.macro_f1, 4), "metrics": self.metrics, "per_node": self.per_node}


class Coordinator:
    """Registers nodes (enrolment), issues signed tasks, checks and pools the replies."""

    def __init__(self, key: Ed25519PrivateKey, enrolments: Mapping[str, Enrolment]) -> None:
        if not enrolments:
            raise InputError("nodes: no node enrolled")
        self._key = key
        self.enrolments = dict(sorted(enrolments.items()))
        self._keys = {n: e.public_key for n, e in self.enrolments.items()}
        self._pending: dict[str, tuple[str, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def requests(self, task: str, model: str, digest: str, nodes: list[str] | None = None) -> dict[str, bytes]:
        """One signed request per node, each with a fresh nonce the coordinator now waits for."""
        task_view(task)  # an unknown task or view is the caller's error, before anything is sent
        out = {}
        for name in nodes or list(self.enrolments):
            if name not in self.enrolments:
                raise InputError(f"nodes: {name!r} is not enrolled (enrolled: {sorted(self.enrolments)})")
            req = {"kind": "evaluate", "node": name, "task": task, "model": model, "digest": digest,
                   "nonce": new_nonce()}
            with self._lock:
                self._pending[req["nonce"]] = (name, req)
            out[name] = seal(req, COORDINATOR, self._key)
        return out

    def run(self, transports: Mapping[str, Transport], task: str, model: str, digest: str,
            quorum: int | None = None, deadline_s: float = 10.0) -> FederatedResult:
        """One evaluation round over ``transports`` (node name -> send function), never past the deadline."""
        start = time.monotonic()
        requests = self.requests(task, model, digest, list(transports))
        replies: queue.Queue = queue.Queue()
        for name, data in requests.items():
            threading.Thread(target=_call, args=(name, transports[name], data, replies), daemon=True,
                             name=f"federated-{name}").start()
        responses: dict[str, bytes] = {}
        errors: dict[str, str] = {}
        while len(responses) + len(errors) < len(requests):
            left = deadline_s - (time.monotonic() - start)
            if left <= 0:
                break
            try:
                name, ok, value = replies.get(timeout=left)
            except queue.Empty:
                break
            (responses if ok else errors)[name] = value
        for name in requests:
            if name not in responses and name not in errors:
                errors[name] = f"no reply within the {deadline_s:g} s deadline"
        result = self.collect(responses, errors, task, model, digest, quorum, list(requests))
        result.elapsed_s = time.monotonic() - start
        return self.check_quorum(result)

    def collect(self, responses: Mapping[str, bytes], errors: Mapping[str, str], task: str, model: str,
                digest: str, quorum: int | None, nodes: list[str]) -> FederatedResult:
        """Verify each reply (signature, nonce, echo, consistency) and pool the accepted counts."""
        result = FederatedResult(task, model, digest, quorum or len(nodes), sorted(nodes))
        result.missing.update(errors)
        accepted: dict[str, dict[str, dict[str, int | None]]] = {}
        for name, data in sorted(responses.items()):
            try:
                payload = self._verify(name, data, task, model, digest)
            except IntegrityError as err:
                result.flagged[name] = f"rejected message: {err}"
                continue
            if payload.get("status") != "ok":
                result.missing[name] = f"refused: {payload.get('reason', 'no reason given')}"
                continue
            problem = self._inconsistency(name, payload)
            if problem:
                result.flagged[name] = f"inconsistent counts, excluded: {problem}"
                continue
            accepted[name] = payload["labels"]
        result.answered = sorted(accepted)
        result.missing = dict(sorted(result.missing.items()))
        result.flagged = dict(sorted(result.flagged.items()))
        labels = sorted({lab for rows in accepted.values() for lab in rows})
        for label in labels:
            rows = {n: rows[label] for n, rows in accepted.items() if label in rows}
            complete = {n: r for n, r in rows.items() if row_complete(r)}
            c = Counts(sum(r["tp"] for r in complete.values()), sum(r["fp"] for r in complete.values()),
                       sum(r["fn"] for r in complete.values()))
            result.pooled[label] = {**_metrics(c), "nodes": sorted(complete),
                                    "withheld_at": sorted(set(rows) - set(complete))}
            for n, r in complete.items():
                result.per_node.setdefault(n, {})[label] = _metrics(Counts(r["tp"], r["fp"], r["fn"]))
        result.per_node = dict(sorted(result.per_node.items()))
        return result

    def _verify(self, name: str, data: bytes, task: str, model: str, digest: str) -> dict[str, Any]:
        env = open_envelope(data, self._keys)
        p = env.payload
        if env.signer != name or p.get("node") != name:
            raise IntegrityError(f"reply for {name!r} signed by {env.signer!r}")
        with self._lock:
            pending = self._pending.pop(p.get("nonce"), None)
        if pending is None or pending[0] != name:
            raise IntegrityError("unknown or replayed nonce")
        if (p.get("task"), p.get("model"), p.get("digest")) != (task, model, digest):
            raise IntegrityError("reply does not echo the task, model and digest requested")
        return p

    def _inconsistency(self, name: str, p: dict[str, Any]) -> str | None:
        labels = p.get("labels")
        if not isinstance(labels, dict):
            return "no labels"
        n_docs = p.get("n_documents")
        if n_docs is not None and (not _count_ok(n_docs) or n_docs > self.enrolments[name].n_documents):
            return f"n_documents={n_docs!r} exceeds the {self.enrolments[name].n_documents} enrolled"
        for label, row in labels.items():
            if not isinstance(row, dict) or set(row) != set(CELLS):
                return f"{label}: expected cells {CELLS}"
            bad = [c for c in CELLS if row[c] is not None and not _count_ok(row[c])]
            if bad:
                return f"{label}: {', '.join(bad)} not a non-negative integer"
            if None not in (row["tp"], row["fn"], row["gold"]) and row["tp"] + row["fn"] != row["gold"]:
                return f"{label}: tp + fn != declared gold total"
        return None

    @staticmethod
    def check_quorum(result: FederatedResult) -> FederatedResult:
        if len(result.answered) < result.quorum:
            why = "; ".join(f"{n}: {r}" for n, r in {**result.missing, **result.flagged}.items())
            raise QuorumError(f"quorum not reached: {len(result.answered)} valid replies of "
                              f"{result.quorum} required ({why})", result)
        return result


def _call(name: str, transport: Transport, data: bytes, out: queue.Queue) -> None:
    try:
        out.put((name, True, transport(data)))
    except Exception as err:  # down, network error: recorded as missing with the reason
        out.put((name, False, f"unreachable: {type(err).__name__}: {err}"))


def _count_ok(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _counts(m: Mapping[str, Any]) -> Counts:
    return Counts(m["tp"], m["fp"], m["fn"])


def _metrics(c: Counts) -> dict[str, Any]:
    return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": round(c.precision, 4),
            "recall": round(c.recall, 4), "f1": round(c.f1, 4)}
