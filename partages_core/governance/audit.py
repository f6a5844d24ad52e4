"""Append-only audit log whose entries are hash-chained (each stores the previous entry's hash).

Editing, deleting or reordering any entry breaks the chain; :func:`verify_log` names the first
entry that does not check out. One JSON object per line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partages_core.errors import InputError

GENESIS = "0" * 64


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry's canonical JSON without its own ``hash`` field."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class VerifyReport:
    """Outcome of a chain check: ``ok``, entries checked, first bad line and why."""

    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit log OK: {self.entries} entries, chain intact"
        return f"audit log TAMPERED at entry {self.first_bad}: {self.reason}"


class AuditLog:
    """The log at ``path``; ``clock`` returns the timestamp (injectable for reproducible tests)."""

    def __init__(self, path: str | Path, clock: Callable[[], str] | None = None):
        self.path = Path(path)
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    def _last(self) -> tuple[int, str]:
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return 0, GENESIS
        with self.path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            back = min(size, 65536)
            fh.seek(size - back)
            lines = fh.read().splitlines()
        try:
            last = json.loads(lines[-1])
            return int(last["seq"]), str(last["hash"])
        except (ValueError, KeyError, IndexError):
            raise InputError(f"{self.path}: last entry is malformed; run `partages audit verify`") from None

    def append(self, actor: str, action: str, dataset: str, decision: str, reason: str = "",
               **details: Any) -> dict[str, Any]:
        """Append one entry (granted or refused access, registration…) and return it."""
        seq, prev = self._last()
        entry = {"seq": seq + 1, "time": self.clock(), "actor": actor, "action": action,
                 "dataset": dataset, "decision": decision, "reason": reason, "details": details,
                 "prev": prev}
        entry["hash"] = entry_hash(entry)
        line = (json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line)  # one write of one line: appended whole or not at all
            os.fsync(fd)
        finally:
            os.close(fd)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def verify(self) -> VerifyReport:
        return verify_log(self.path)


def verify_log(path: str | Path) -> VerifyReport:
    """Walk the chain; report the first entry that is malformed, out of sequence or altered."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: audit log not found")
    prev, expected, n = GENESIS, 1, 0
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as err:
                return VerifyReport(False, n, expected, f"line {line_no}: malformed JSON ({err.msg})")
            seq = entry.get("seq")
            if seq != expected:
                return VerifyReport(False, n, expected,
                                    f"line {line_no}: expected entry {expected}, found {seq} (entry missing or reordered)")
            if entry.get("prev") != prev:
                return VerifyReport(False, n, seq, f"line {line_no}: previous-hash link broken")
            if entry.get("hash") != entry_hash(entry):
                return VerifyReport(False, n, seq, f"line {line_no}: content does not match its hash")
            prev, expected, n = entry["hash"], expected + 1, n + 1
    return VerifyReport(True, n)
