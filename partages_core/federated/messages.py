"""Signed message envelopes between the coordinator and the nodes.

Every message is canonical JSON (sorted keys, no spaces) signed with the sender's Ed25519 key, which
the other side registered at enrolment. Requests carry a fresh random nonce; a node refuses a nonce
it has already seen and the coordinator only accepts a reply echoing a nonce it is waiting for.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partages_core.keys import canonical, sign, verifies


class IntegrityError(Exception):
    """A message failed authentication or freshness checks (bad signature, replay, wrong signer)."""


def new_nonce() -> str:
    """A fresh 128-bit random nonce (hex)."""
    return secrets.token_hex(16)


def derive_key(seed: int, name: str) -> Ed25519PrivateKey:
    """A deterministic key for the embedded demo federation only; real sites use key files (``load_private_key``)."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"partages-demo:{seed}:{name}".encode()).digest())


@dataclass(frozen=True)
class Envelope:
    """A payload with the name of its signer and the signature over its canonical bytes."""

    payload: dict[str, Any]
    signer: str
    signature: str

    def to_bytes(self) -> bytes:
        return canonical({"payload": self.payload, "signer": self.signer, "signature": self.signature})


def seal(payload: dict[str, Any], signer: str, key: Ed25519PrivateKey) -> bytes:
    """Sign ``payload`` as ``signer`` and serialise the envelope."""
    return Envelope(payload, signer, sign(key, {"payload": payload, "signer": signer})).to_bytes()


def open_envelope(data: bytes, keys: dict[str, Ed25519PublicKey]) -> Envelope:
    """Parse and authenticate an envelope against the registered public keys."""
    try:
        obj = json.loads(data.decode("utf-8"))
        env = Envelope(obj["payload"], obj["signer"], obj["signature"])
        if not isinstance(env.payload, dict):
            raise TypeError("payload is not an object")
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise IntegrityError(f"malformed message ({err})") from None
    key = keys.get(env.signer)
    if key is None:
        raise IntegrityError(f"unknown signer {env.signer!r} (not enrolled)")
    if not verifies(key, env.signature, {"payload": env.payload, "signer": env.signer}):
        raise IntegrityError(f"bad signature from {env.signer!r}")
    return env
