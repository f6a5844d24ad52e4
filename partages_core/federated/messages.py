"""Signed message envelopes between the coordinator and the nodes.

Every message is canonical JSON (sorted keys, no spaces) signed with the sender's Ed25519 key, which
the other side registered at enrolment. Requests carry a fresh random nonce; a node refuses a nonce
it has already seen and the coordinator only accepts a reply echoing a nonce it is waiting for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partages_core.errors import InputError
from partages_core.files import write_atomic


class IntegrityError(Exception):
    """A message failed authentication or freshness checks (bad signature, replay, wrong signer)."""


def canonical(obj: Any) -> bytes:
    """Canonical JSON bytes: what is signed and what goes on the wire."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def new_nonce() -> str:
    """A fresh 128-bit random nonce (hex)."""
    return secrets.token_hex(16)


def derive_key(seed: int, name: str) -> Ed25519PrivateKey:
    """A deterministic key for the embedded demo federation only; real sites use ``load_key`` files."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"partages-demo:{seed}:{name}".encode()).digest())


def load_key(path: str | Path) -> Ed25519PrivateKey:
    """Read a PEM (PKCS8, unencrypted) Ed25519 private key; errors name the file."""
    path = Path(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as err:
        raise InputError(f"{path}: cannot read an Ed25519 private key ({err})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: expected an Ed25519 private key, got {type(key).__name__}")
    return key


def save_key(key: Ed25519PrivateKey, path: str | Path) -> Path:
    """Write a private key as PEM, atomically, readable by the owner only."""
    return write_atomic(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()), mode=0o600)


def public_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw public key, base64: what enrolment registers."""
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def public_from_b64(text: str, field: str = "public_key") -> Ed25519PublicKey:
    """Parse a base64 raw Ed25519 public key; errors name the field."""
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as err:
        raise InputError(f"{field}: not a base64 Ed25519 public key ({err})") from None


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
    body = canonical({"payload": payload, "signer": signer})
    return Envelope(payload, signer, base64.b64encode(key.sign(body)).decode()).to_bytes()


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
    try:
        key.verify(base64.b64decode(env.signature), canonical({"payload": env.payload, "signer": env.signer}))
    except (InvalidSignature, ValueError) as err:
        raise IntegrityError(f"bad signature from {env.signer!r}") from err
    return env
