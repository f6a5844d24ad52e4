"""Data-use agreements (legal WP) and the access gate every restricted load goes through.

An agreement says who (person), for which organisation and purpose, may use which datasets until
when, and which outputs may leave. ``open_dataset`` grants or refuses and logs every attempt in
the hash-chained audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from partages_core.errors import InputError, PartagesError
from partages_core.governance.audit import AuditLog
from partages_core.governance.catalog import Catalog, DatasetEntry

OUTPUT_KINDS = ("aggregates", "models", "figures", "pseudonymised-text", "record-level")
REQUIRED = ("id", "who", "organisation", "purpose", "datasets", "expires", "allowed_outputs")


class AccessDenied(PartagesError):
    """Access to a dataset was refused; the message says why (and the attempt is logged)."""


@dataclass(frozen=True)
class Agreement:
    """A machine-readable data-use agreement."""

    id: str
    who: str
    organisation: str
    purpose: str
    datasets: tuple[str, ...]
    expires: dt.date
    allowed_outputs: tuple[str, ...] = field(default_factory=tuple)

    def covers(self, user: str, dataset: str, purpose: str, today: dt.date) -> str | None:
        """None when this agreement allows the access, else the reason it does not."""
        if self.who != user:
            return f"agreement {self.id} is for {self.who!r}, not {user!r}"
        if dataset not in self.datasets:
            return f"agreement {self.id} does not cover dataset {dataset!r}"
        if self.purpose.casefold().strip() != purpose.casefold().strip():
            return f"agreement {self.id} is for purpose {self.purpose!r}, not {purpose!r}"
        if today > self.expires:
            return f"agreement {self.id} expired on {self.expires.isoformat()}"
        return None


def parse_agreement(raw: Any, where: str = "agreement") -> Agreement:
    """Validate a dict into an :class:`Agreement`; errors name the field and the reason."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a mapping, got {type(raw).__name__}")
    missing = [k for k in REQUIRED if k not in raw or raw[k] in (None, "", [])]
    if missing:
        raise InputError(f"{where}: missing or empty field(s) {', '.join(missing)}")
    for key in ("id", "who", "organisation", "purpose"):
        if not isinstance(raw[key], str):
            raise InputError(f"{where}: field '{key}' must be text")
    datasets = raw["datasets"]
    if isinstance(datasets, str) or not all(isinstance(d, str) for d in datasets):
        raise InputError(f"{where}: field 'datasets' must be a list of dataset names")
    try:
        expires = raw["expires"] if isinstance(raw["expires"], dt.date) else dt.date.fromisoformat(str(raw["expires"]))
    except ValueError:
        raise InputError(f"{where}: field 'expires' must be an ISO date (YYYY-MM-DD), got {raw['expires']!r}") from None
    outputs = raw["allowed_outputs"]
    bad = [o for o in outputs if o not in OUTPUT_KINDS] if not isinstance(outputs, str) else [outputs]
    if bad:
        raise InputError(f"{where}: field 'allowed_outputs' has unknown kind(s) {bad}; choose from {OUTPUT_KINDS}")
    return Agreement(raw["id"], raw["who"], raw["organisation"], raw["purpose"], tuple(datasets),
                     expires, tuple(outputs))


def load_agreements(path: str | Path) -> list[Agreement]:
    """Agreements from a YAML/JSON file (one mapping or a list) or a folder of such files."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json")) if path.is_dir() else [path]
    out = []
    for f in files:
        try:
            raw = yaml.safe_load(f.read_text(encoding="utf-8")) if f.suffix != ".json" else json.loads(f.read_text(encoding="utf-8"))
        except (yaml.YAMLError, json.JSONDecodeError) as err:
            raise InputError(f"{f}: not valid YAML/JSON ({str(err).splitlines()[0]})") from None
        for i, item in enumerate(raw if isinstance(raw, list) else [raw]):
            out.append(parse_agreement(item, f"{f}#{i}"))
    return out


def open_dataset(catalog: Catalog, name: str, user: str, purpose: str,
                 agreements: list[Agreement], audit: AuditLog, today: dt.date | None = None,
                 check_integrity: bool = True) -> DatasetEntry:
    """Grant or refuse access to ``name``; every attempt is appended to ``audit``.

    open: anyone; registered: a named user; restricted: a valid, unexpired agreement covering
    the user, the dataset and the stated purpose. Files changed since registration are refused.
    """
    today = today or dt.date.today()
    entry = catalog.get(name)
    reason = None
    grant_by = ""
    if entry.access == "registered" and not user.strip():
        reason = "dataset is 'registered': a named user is required"
    elif entry.access == "restricted":
        reasons = [a.covers(user, name, purpose, today) for a in agreements]
        if None in reasons:
            grant_by = agreements[reasons.index(None)].id
        else:
            reason = "no valid agreement: " + ("; ".join(r for r in reasons if r) or "none provided")
    if reason is None and check_integrity:
        integrity = catalog.verify(name)
        if not integrity.ok:
            reason = (f"integrity check failed (changed {integrity.changed}, missing {integrity.missing}, "
                      f"added {integrity.added})")
    decision = "refused" if reason else "granted"
    audit.append(user or "anonymous", "open", name, decision, reason or "", purpose=purpose,
                 access=entry.access, agreement=grant_by)
    if reason:
        raise AccessDenied(f"access to {name!r} ({entry.access}) refused for {user!r}: {reason}")
    return entry
