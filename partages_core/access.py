"""The access gate: every command, notebook or node that reads a registered dataset goes through :func:`gate`.

A data steward's Ed25519 key signs data-use agreements (who, organisation, purpose, datasets, expiry,
allowed outputs); the steward's public key is trusted in the governance database. The gate finds the
dataset in the catalog (by name or by folder), checks the access level, the agreement's signature,
user, dataset, purpose, expiry and that the requested output kind is allowed, checks the files'
hashes, and writes one audit entry whether it grants or refuses. An agreement file anyone could write
(unsigned, or signed by an untrusted key) is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from partages_core.errors import InputError, PartagesError
from partages_core.files import sha256_file, write_atomic
from partages_core.keys import public_b64, public_from_b64, save_private_key, sign, verifies
from partages_core.store import AuditLog, Store, now_utc

OUTPUT_KINDS = ("aggregates", "suppressed-aggregates", "models", "figures", "pseudonymised-text", "record-level")
REQUIRED = ("id", "who", "organisation", "purpose", "datasets", "expires", "allowed_outputs")
ACCESS_LEVELS = ("open", "registered", "restricted")


class AccessDenied(PartagesError):
    """Access to a dataset was refused; the message says why (and the attempt is logged)."""


@dataclass(frozen=True)
class Agreement:
    """A machine-readable data-use agreement; ``signer``/``signature`` set once a steward signed it."""

    id: str
    who: str
    organisation: str
    purpose: str
    datasets: tuple[str, ...]
    expires: dt.date
    allowed_outputs: tuple[str, ...] = field(default_factory=tuple)
    signer: str = ""
    signature: str = ""

    def body(self) -> dict[str, Any]:
        """The signed content (canonical field order, dates as ISO text)."""
        return {"id": self.id, "who": self.who, "organisation": self.organisation, "purpose": self.purpose,
                "datasets": list(self.datasets), "expires": self.expires.isoformat(),
                "allowed_outputs": list(self.allowed_outputs)}

    def covers(self, user: str, dataset: str, purpose: str, today: dt.date, output: str | None = None) -> str | None:
        """None when this agreement allows the access, else the reason it does not."""
        if self.who != user:
            return f"agreement {self.id} is for {self.who!r}, not {user!r}"
        if dataset not in self.datasets:
            return f"agreement {self.id} does not cover dataset {dataset!r}"
        if self.purpose.casefold().strip() != purpose.casefold().strip():
            return f"agreement {self.id} is for purpose {self.purpose!r}, not {purpose!r}"
        if today > self.expires:
            return f"agreement {self.id} expired on {self.expires.isoformat()}"
        if output is not None and not _output_allowed(output, self.allowed_outputs):
            return f"agreement {self.id} does not allow output {output!r} (allowed: {list(self.allowed_outputs)})"
        return None


def _output_allowed(output: str, allowed: Sequence[str]) -> bool:
    # 'aggregates' covers suppressed aggregates; 'suppressed-aggregates' covers only those
    return output in allowed or (output == "suppressed-aggregates" and "aggregates" in allowed)


def parse_agreement(raw: Any, where: str = "agreement") -> Agreement:
    """Validate a mapping into an :class:`Agreement`; errors name the field and the reason."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a mapping, got {type(raw).__name__}")
    missing = [k for k in REQUIRED if k not in raw or raw[k] in (None, "", [])]
    if missing:
        raise InputError(f"{where}: missing or empty field(s) {', '.join(missing)}")
    for key in ("id", "who", "organisation", "purpose"):
        if not isinstance(raw[key], str):
            raise InputError(f"{where}: field '{key}' must be text")
    datasets = raw["datasets"]
    if not isinstance(datasets, list) or not all(isinstance(d, str) for d in datasets):
        raise InputError(f"{where}: field 'datasets' must be a list of dataset names")
    try:
        expires = raw["expires"] if isinstance(raw["expires"], dt.date) else dt.date.fromisoformat(str(raw["expires"]))
    except ValueError:
        raise InputError(f"{where}: field 'expires' must be an ISO date (YYYY-MM-DD), got {raw['expires']!r}") from None
    outputs = raw["allowed_outputs"]
    if not isinstance(outputs, list):
        raise InputError(f"{where}: field 'allowed_outputs' must be a list; choose from {OUTPUT_KINDS}")
    bad = [o for o in outputs if o not in OUTPUT_KINDS]
    if bad:
        raise InputError(f"{where}: field 'allowed_outputs' has unknown kind(s) {bad}; choose from {OUTPUT_KINDS}")
    return Agreement(raw["id"], raw["who"], raw["organisation"], raw["purpose"], tuple(datasets),
                     expires, tuple(outputs), str(raw.get("signer", "")), str(raw.get("signature", "")))


def load_agreements(path: str | Path) -> list[Agreement]:
    """Agreements from a YAML/JSON file (one mapping or a list) or a folder of such files."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: agreement file not found")
    files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json")) if path.is_dir() else [path]
    out = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
            raw = json.loads(text) if f.suffix == ".json" else yaml.safe_load(text)
        except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as err:
            raise InputError(f"{f}: not valid YAML/JSON ({str(err).splitlines()[0]})") from None
        for i, item in enumerate(raw if isinstance(raw, list) else [raw]):
            if isinstance(item, dict) and "agreement" in item:  # a signed envelope
                body = parse_agreement(item["agreement"], f"{f}#{i}")
                item = {**body.body(), "signer": item.get("signer", ""), "signature": item.get("signature", "")}
            out.append(parse_agreement(item, f"{f}#{i}"))
    return out


# -- steward keys and signatures --------------------------------------------------------------------

def new_steward_key(out: str | Path) -> str:
    """Create a steward's Ed25519 key (PEM, 0600) at ``out``; returns the base64 public key (also in ``out.pub``)."""
    out = Path(out)
    if out.exists():
        raise InputError(f"{out}: exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    save_private_key(key, out)
    pub = public_b64(key)
    write_atomic(out.with_name(out.name + ".pub"), pub + "\n")
    return pub


def sign_agreement(agreement: Agreement, key: Ed25519PrivateKey, signer: str) -> Agreement:
    """The agreement signed by steward ``signer`` (signature over its canonical body)."""
    sig = sign(key, {"agreement": agreement.body(), "signer": signer})
    return Agreement(**{**asdict(agreement), "datasets": agreement.datasets,
                        "allowed_outputs": agreement.allowed_outputs, "signer": signer, "signature": sig})


def signed_document(agreement: Agreement) -> dict[str, Any]:
    """The JSON a steward hands out: the agreement, who signed it and the signature."""
    return {"agreement": agreement.body(), "signer": agreement.signer, "signature": agreement.signature}


def trust_steward(store: Store, name: str, public_key: str) -> None:
    """Register a steward's public key (base64 raw Ed25519) as trusted to sign agreements."""
    public_from_b64(public_key.strip(), f"steward {name}")
    with store.transaction() as con:
        con.execute("INSERT OR REPLACE INTO stewards (name, public_key, added) VALUES (?, ?, ?)",
                    (name, public_key.strip(), now_utc()))


def check_signature(store: Store, agreement: Agreement) -> str | None:
    """None when a trusted steward signed exactly this agreement, else why not."""
    if not agreement.signature or not agreement.signer:
        return f"agreement {agreement.id} is not signed by a data steward"
    with store.connect() as con:
        row = con.execute("SELECT public_key FROM stewards WHERE name = ?", (agreement.signer,)).fetchone()
    if row is None:
        return f"agreement {agreement.id} is signed by {agreement.signer!r}, who is not a trusted steward"
    try:
        pub = public_from_b64(row[0])
    except InputError:
        return f"steward {agreement.signer!r}: the registered public key is malformed"
    if not verifies(pub, agreement.signature, {"agreement": agreement.body(), "signer": agreement.signer}):
        return f"agreement {agreement.id}: signature does not verify (altered or forged)"
    return None


def register_agreement(store: Store, agreement: Agreement) -> None:
    """Keep a signed agreement in the database so the gate finds it by user (signature checked first)."""
    reason = check_signature(store, agreement)
    if reason:
        raise InputError(reason)
    with store.transaction() as con:
        con.execute("INSERT OR REPLACE INTO agreements (id, body, signer, signature, added) VALUES (?, ?, ?, ?, ?)",
                    (agreement.id, json.dumps(agreement.body()), agreement.signer, agreement.signature, now_utc()))


def stored_agreements(store: Store) -> list[Agreement]:
    with store.connect() as con:
        rows = con.execute("SELECT body, signer, signature FROM agreements ORDER BY id").fetchall()
    return [parse_agreement({**json.loads(b), "signer": s, "signature": g}) for b, s, g in rows]


# -- the catalog rows the gate needs ----------------------------------------------------------------

@dataclass
class DatasetEntry:
    """One registered dataset; ``files`` maps path (relative to ``root``) → SHA-256."""

    name: str
    version: str
    description: str
    licence: str
    access: str
    owner: str
    root: str
    files: dict[str, str] = field(default_factory=dict)
    card: str | None = None
    registered: str = ""

    def __post_init__(self) -> None:
        for key in ("name", "version", "licence", "owner", "root"):
            if not isinstance(getattr(self, key), str) or not getattr(self, key).strip():
                raise InputError(f"dataset {self.name or '?'}: field '{key}' is empty or not text")
        if self.access not in ACCESS_LEVELS:
            raise InputError(f"dataset {self.name}: field 'access' must be one of {ACCESS_LEVELS}, got {self.access!r}")


def dataset_files(root: Path) -> dict[str, Path]:
    """Every file under ``root`` (dot-files included: an added hidden file is still a change)."""
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass
class Integrity:
    """Files changed, missing or added since registration."""

    changed: list[str]
    missing: list[str]
    added: list[str]

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added)


def integrity(entry: DatasetEntry) -> Integrity:
    """Re-hash the dataset's files and compare with the registered hashes."""
    root = Path(entry.root)
    now = dataset_files(root) if root.is_dir() else {}
    changed = [f for f in sorted(entry.files) if f in now and sha256_file(now[f]) != entry.files[f]]
    missing = [f for f in sorted(entry.files) if f not in now]
    added = sorted(set(now) - set(entry.files))
    return Integrity(changed, missing, added)


def find_dataset(store: Store, name: str | None = None, folder: str | Path | None = None) -> DatasetEntry | None:
    """The catalog entry named ``name``, or the one whose root holds ``folder`` (None when unregistered)."""
    with store.connect() as con:
        if name is not None:
            row = con.execute("SELECT body FROM datasets WHERE name = ?", (name,)).fetchone()
            return DatasetEntry(**json.loads(row[0])) if row else None
        target = Path(folder).resolve()
        rows = con.execute("SELECT root, body FROM datasets").fetchall()
    hits = [(len(root), body) for root, body in rows if target == Path(root) or Path(root) in target.parents]
    return DatasetEntry(**json.loads(max(hits)[1])) if hits else None


# -- the gate ---------------------------------------------------------------------------------------

def gate(store: Store, user: str, purpose: str, output: str, *, name: str | None = None,
         folder: str | Path | None = None, agreements: Sequence[Agreement] = (), today: dt.date | None = None,
         check_integrity: bool = True, audit: AuditLog | None = None, action: str = "open") -> DatasetEntry | None:
    """Grant or refuse reading a dataset; every decision on a registered dataset is audited.

    open: anyone; registered: a named user; restricted: an agreement signed by a trusted steward
    covering user, dataset, purpose, date and the ``output`` kind. Files changed since registration
    are refused. A folder that is not in the catalog is not governed here (returns None).
    """
    if output not in OUTPUT_KINDS:
        raise InputError(f"output kind {output!r}: choose from {OUTPUT_KINDS}")
    entry = find_dataset(store, name=name, folder=folder)
    if entry is None:
        if name is not None:
            raise InputError(f"catalog {store.path}: no dataset named {name!r}")
        return None
    today = today or dt.date.today()
    user = (user or "").strip()
    reason, grant_by = None, ""
    if entry.access == "registered" and not user:
        reason = "dataset is 'registered': a named user is required (--user)"
    elif entry.access == "restricted":
        candidates = list(agreements) + [a for a in stored_agreements(store) if a.who == user]
        reasons = []
        for a in candidates:
            why = check_signature(store, a) or a.covers(user, entry.name, purpose, today, output)
            if why is None:
                grant_by = a.id
                break
            reasons.append(why)
        else:
            reason = "no valid agreement: " + ("; ".join(reasons) or "none provided (--agreement FILE)")
    if reason is None and check_integrity:
        check = integrity(entry)
        if not check.ok:
            reason = (f"integrity check failed (changed {check.changed}, missing {check.missing}, "
                      f"added {check.added})")
    decision = "refused" if reason else "granted"
    (audit or AuditLog(store)).append(user or "anonymous", action, entry.name, decision, reason or "",
                                      purpose=purpose, access=entry.access, agreement=grant_by, output=output)
    if reason:
        raise AccessDenied(f"access to {entry.name!r} ({entry.access}) refused for {user or 'anonymous'!r}: {reason}")
    return entry


def gate_folder(folder: str | Path, user: str | None, purpose: str | None, output: str,
                agreement_files: Sequence[str | Path] = (), store: Store | None = None,
                action: str = "read") -> DatasetEntry | None:
    """The gate as commands call it: the folder the user named, their ``--user/--purpose/--agreement``."""
    if store is None:
        from partages_core.store import default_db_path

        if not default_db_path().is_file():
            return None  # no catalog on this machine: nothing is registered, nothing to gate
        store = Store()
    agreements = [a for f in agreement_files for a in load_agreements(f)]
    return gate(store, user or "", purpose or "", output, folder=folder, agreements=agreements, action=action)
