"""Adversarial sites for demonstrations: what a compromised node could send, signed with its own key."""

from __future__ import annotations

import json

from partages_core.federated.messages import seal
from partages_core.federated.node import Node


def compromised_transport(node: Node, label: str, extra_tp: int = 10):
    """A transport to ``node`` whose replies inflate ``label``'s true positives (validly signed):
    the coordinator must flag it from the counts alone."""
    def send(data: bytes) -> bytes:
        payload = json.loads(node.handle(data))["payload"]
        if payload.get("status") == "ok" and payload["labels"][label]["tp"] is not None:
            payload["labels"][label]["tp"] += extra_tp
        return seal(payload, node.name, node._key)
    return send
