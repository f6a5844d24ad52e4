"""Ed25519 keys and signatures over canonical JSON: what the access gate, the audit log and the federation share.

Canonical JSON (sorted keys, no spaces, UTF-8) is what is signed, MACed and sent; keys are PEM (PKCS8,
unencrypted, owner-only) files; public keys travel as base64 raw bytes.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partages_core.errors import InputError
from partages_core.files import write_atomic


def canonical(obj: Any) -> bytes:
    """Canonical JSON bytes: what is signed, MACed and put on the wire."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    """Read a PEM (PKCS8, unencrypted) Ed25519 private key; errors name the file."""
    path = Path(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as err:
        raise InputError(f"{path}: cannot read an Ed25519 private key ({err})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: expected an Ed25519 private key, got {type(key).__name__}")
    return key


def save_private_key(key: Ed25519PrivateKey, path: str | Path) -> Path:
    """Write a private key as PEM, atomically, readable by the owner only."""
    return write_atomic(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()), mode=0o600)


def public_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw public key, base64: what a steward or a node registers."""
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def public_from_b64(text: str, field: str = "public_key") -> Ed25519PublicKey:
    """Parse a base64 raw Ed25519 public key; errors name the field."""
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as err:
        raise InputError(f"{field}: not a base64 Ed25519 public key ({err})") from None


def sign(key: Ed25519PrivateKey, obj: Any) -> str:
    """Base64 Ed25519 signature over ``obj``'s canonical JSON."""
    return base64.b64encode(key.sign(canonical(obj))).decode()


def verifies(public_key: Ed25519PublicKey, signature: str, obj: Any) -> bool:
    """Whether ``signature`` (base64) is ``public_key``'s signature over ``obj``'s canonical JSON."""
    try:
        public_key.verify(base64.b64decode(signature, validate=True), canonical(obj))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
