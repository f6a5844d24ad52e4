"""The audit log of dataset access: a keyed (HMAC) chain in the governance database, head anchored.

The implementation lives on the ground floor (:mod:`partages_core.store`) because the access gate,
which every stage's commands call, writes to it; this module is its governance-facing name.
"""

from __future__ import annotations

from partages_core.store import GENESIS, MAX_ENTRY_BYTES, AuditLog, VerifyReport, entry_mac, verify_log

__all__ = ["GENESIS", "MAX_ENTRY_BYTES", "AuditLog", "VerifyReport", "entry_mac", "verify_log"]
