"""Data-use agreements (legal WP): signed by a data steward, checked by the one access gate.

The agreement model, signatures and the gate live on the ground floor (:mod:`partages_core.access`)
so that every stage's commands can call the gate; ``open_dataset`` is the library entry point.
"""

from __future__ import annotations

import datetime as dt

from partages_core.access import (OUTPUT_KINDS, REQUIRED, AccessDenied, Agreement, check_signature, gate,
                                  load_agreements, new_steward_key, parse_agreement, register_agreement,
                                  sign_agreement, signed_document, trust_steward)
from partages_core.governance.audit import AuditLog
from partages_core.governance.catalog import Catalog, DatasetEntry

__all__ = ["OUTPUT_KINDS", "REQUIRED", "AccessDenied", "Agreement", "check_signature", "load_agreements",
           "new_steward_key", "open_dataset", "parse_agreement", "register_agreement", "sign_agreement",
           "signed_document", "trust_steward"]


def open_dataset(catalog: Catalog, name: str, user: str, purpose: str, agreements: list[Agreement],
                 audit: AuditLog | None = None, today: dt.date | None = None, check_integrity: bool = True,
                 output: str = "suppressed-aggregates") -> DatasetEntry:
    """Grant or refuse access to ``name`` through :func:`partages_core.access.gate` (always audited)."""
    entry = gate(catalog.store, user, purpose, output, name=name, agreements=agreements, today=today,
                 check_integrity=check_integrity, audit=audit)
    assert entry is not None
    return entry
