"""The governance database: catalog, agreements, audit log and release ledger in one SQLite file.

SQLite (standard library) in WAL mode; every write is one ``BEGIN IMMEDIATE`` transaction, so
concurrent processes are serialised by the database and nothing is lost. The schema is versioned
with ``PRAGMA user_version`` and migrated forward on open.

The audit log is a keyed chain: each entry stores ``prev`` and ``hash = HMAC-SHA256(key, entry)``.
The key is a random file (``os.urandom``, mode 0600) beside the database, never derived from public
values, so nobody without it can recompute the chain after an edit. The head (entry count + last
hash, itself HMAC'd) is kept in the database *and* in an anchor file written inside each write
transaction: a
deleted tail, an emptied table, a deleted database or a rewritten chain no longer match the anchor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partages_core.config import artefacts_dir
from partages_core.errors import InputError
from partages_core.files import write_atomic
from partages_core.keys import canonical

GENESIS = "0" * 64
MAX_ENTRY_BYTES = 64 * 1024
DB_ENV = "PARTAGES_GOVERNANCE_DB"
KEY_ENV = "PARTAGES_AUDIT_KEY"  # keep the key on another account or volume than the database

MIGRATIONS: list[str] = [
    # 1: catalog, agreements, trusted stewards, audit chain and its head, release ledger
    """
    CREATE TABLE datasets (name TEXT PRIMARY KEY, root TEXT NOT NULL, access TEXT NOT NULL, body TEXT NOT NULL);
    CREATE INDEX datasets_root ON datasets(root);
    CREATE TABLE stewards (name TEXT PRIMARY KEY, public_key TEXT NOT NULL, added TEXT NOT NULL);
    CREATE TABLE agreements (id TEXT PRIMARY KEY, body TEXT NOT NULL, signer TEXT NOT NULL,
                             signature TEXT NOT NULL, added TEXT NOT NULL);
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
    CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL,
                             last TEXT NOT NULL, mac TEXT NOT NULL);
    CREATE TABLE releases (id INTEGER PRIMARY KEY AUTOINCREMENT, dataset TEXT NOT NULL, label TEXT NOT NULL,
                           totals TEXT NOT NULL, time TEXT NOT NULL);
    CREATE INDEX releases_dataset ON releases(dataset);
    """,
    # 2: federated nodes remember the nonces they answered (a restarted node refuses a replay)
    """
    CREATE TABLE nonces (node TEXT NOT NULL, nonce TEXT NOT NULL, time TEXT NOT NULL,
                         PRIMARY KEY (node, nonce));
    """,
]


def default_db_path() -> Path:
    """``$PARTAGES_GOVERNANCE_DB`` or ``<artefacts>/governance/governance.sqlite``."""
    env = os.environ.get(DB_ENV)
    return Path(env) if env else artefacts_dir() / "governance" / "governance.sqlite"


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Store:
    """One governance database file; open it per process, every write is its own transaction."""

    def __init__(self, path: str | Path | None = None, key_path: str | Path | None = None):
        self.path = Path(path) if path else default_db_path()
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder, expected a governance database file")
        key_env = os.environ.get(KEY_ENV)
        self.key_path = (Path(key_path) if key_path else Path(key_env) if key_env
                         else self.path.with_name(self.path.name + ".key"))
        self.anchor_path = self.path.with_name(self.path.name + ".head")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode (transactions are explicit); closed on exit."""
        try:
            con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            con.execute("PRAGMA busy_timeout = 60000")
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as err:
            raise InputError(f"{self.path}: not a governance database ({err})") from None
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``: one writer at a time, rolled back on any error."""
        with self.connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _migrate(self) -> None:
        try:
            with self.transaction() as con:
                version = con.execute("PRAGMA user_version").fetchone()[0]
                for n, script in enumerate(MIGRATIONS[version:], version + 1):
                    for statement in filter(str.strip, script.split(";")):
                        con.execute(statement)
                    con.execute(f"PRAGMA user_version = {n}")
        except sqlite3.DatabaseError as err:
            raise InputError(f"{self.path}: not a governance database ({err})") from None

    @property
    def version(self) -> int:
        with self.connect() as con:
            return con.execute("PRAGMA user_version").fetchone()[0]

    # -- the audit key ---------------------------------------------------------------------------

    def key(self, create: bool = True) -> bytes:
        """The audit HMAC key: 32 random bytes in a 0600 file, created once (never from public values)."""
        if not self.key_path.is_file():
            if not create:
                raise InputError(f"{self.key_path}: audit key not found; the log cannot be verified without it")
            self.key_path.parent.mkdir(parents=True, exist_ok=True)
            # written whole to a private temporary, then linked in place: a concurrent reader never
            # sees a half-written key, and of two racing creators exactly one key wins
            tmp = self.key_path.with_name(f".{self.key_path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, os.urandom(32).hex().encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, self.key_path)
            finally:
                tmp.unlink(missing_ok=True)
        raw = self.key_path.read_bytes().strip()
        try:
            key = bytes.fromhex(raw.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            key = b""
        if len(key) < 32:
            raise InputError(f"{self.key_path}: malformed audit key (expected 64 hex digits)")
        return key


def entry_mac(key: bytes, entry: dict[str, Any]) -> str:
    """HMAC-SHA256 of the entry's canonical JSON without its own ``hash`` field."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hmac.new(key, canonical(body), hashlib.sha256).hexdigest()


def head_mac(key: bytes, count: int, last: str) -> str:
    return hmac.new(key, f"head:{count}:{last}".encode(), hashlib.sha256).hexdigest()


@dataclass
class VerifyReport:
    """Outcome of a chain check: ``ok``, entries checked, first bad entry and why."""

    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit log OK: {self.entries} entries, chain intact, head anchored"
        where = f" at entry {self.first_bad}" if self.first_bad is not None else ""
        return f"audit log TAMPERED{where}: {self.reason}"


class AuditLog:
    """The keyed, anchored audit chain of a :class:`Store` (or of the database at ``path``)."""

    def __init__(self, store: Store | str | Path | None = None, clock: Callable[[], str] | None = None):
        self.store = store if isinstance(store, Store) else Store(store)
        self.clock = clock or now_utc

    @property
    def path(self) -> Path:
        return self.store.path

    def append(self, actor: str, action: str, dataset: str, decision: str, reason: str = "",
               **details: Any) -> dict[str, Any]:
        """Append one entry in one transaction (serialised across processes) and return it."""
        key = self.store.key()
        entry = {"time": self.clock(), "actor": actor, "action": action, "dataset": dataset,
                 "decision": decision, "reason": reason, "details": details}
        size = len(canonical(entry))
        if size > MAX_ENTRY_BYTES:
            raise InputError(f"audit entry too large: {size} bytes > {MAX_ENTRY_BYTES} "
                             f"(action {action!r} on {dataset!r}); shorten its reason or details")
        with self.store.transaction() as con:
            row = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (row[0], row[1]) if row else (0, GENESIS)
            entry = {"seq": seq + 1, **entry, "prev": prev}
            entry["hash"] = entry_mac(key, entry)
            con.execute("INSERT INTO audit (seq, body, prev, hash) VALUES (?, ?, ?, ?)",
                        (entry["seq"], canonical(entry).decode(), prev, entry["hash"]))
            con.execute("INSERT OR REPLACE INTO audit_head (id, count, last, mac) VALUES (1, ?, ?, ?)",
                        (entry["seq"], entry["hash"], head_mac(key, entry["seq"], entry["hash"])))
            self._anchor(key, entry["seq"], entry["hash"])
        return entry

    def _anchor(self, key: bytes, count: int, last: str) -> None:
        """Write the head outside the database (inside the write transaction, so anchors are ordered)."""
        write_atomic(self.store.anchor_path, json.dumps(
            {"count": count, "last": last, "mac": head_mac(key, count, last)}) + "\n", mode=0o600)

    def entries(self) -> list[dict[str, Any]]:
        with self.store.connect() as con:
            return [json.loads(b) for (b,) in con.execute("SELECT body FROM audit ORDER BY seq")]

    def verify(self) -> VerifyReport:
        return verify_log(self.store)

    def export(self) -> list[dict[str, Any]]:
        """Every entry, then the head: what an auditor needs to re-check the chain with the key."""
        with self.store.connect() as con:
            head = con.execute("SELECT count, last, mac FROM audit_head WHERE id = 1").fetchone()
        return self.entries() + [{"head": {"count": head[0], "last": head[1], "mac": head[2]} if head else None}]


def verify_log(store: Store | str | Path) -> VerifyReport:
    """Walk the keyed chain, then check the head in the database and the anchor file."""
    if not isinstance(store, Store):
        path = Path(store)
        if not path.is_file() and not path.with_name(path.name + ".head").is_file():
            raise InputError(f"{path}: audit database not found")
        store = Store(path)
    key = store.key(create=False)
    prev, n = GENESIS, 0
    with store.connect() as con:
        rows = con.execute("SELECT seq, body, prev, hash FROM audit ORDER BY seq").fetchall()
        head = con.execute("SELECT count, last, mac FROM audit_head WHERE id = 1").fetchone()
    for seq, body, prev_col, hash_col in rows:
        expected = n + 1
        try:
            entry = json.loads(body)
        except json.JSONDecodeError as err:
            return VerifyReport(False, n, seq, f"entry {seq}: malformed JSON ({err.msg})")
        if seq != expected or entry.get("seq") != seq:
            return VerifyReport(False, n, expected, f"expected entry {expected}, found {seq} (entry missing or reordered)")
        if entry.get("prev") != prev or prev_col != prev:
            return VerifyReport(False, n, seq, "previous-hash link broken")
        if not hmac.compare_digest(str(entry.get("hash")), entry_mac(key, entry)) or hash_col != entry["hash"]:
            return VerifyReport(False, n, seq, "content does not match its keyed hash (HMAC)")
        prev, n = entry["hash"], n + 1
    if head is None:
        if n:
            return VerifyReport(False, n, None, "head record missing from the database")
    else:
        count, last, mac = head
        if not hmac.compare_digest(mac, head_mac(key, count, last)):
            return VerifyReport(False, n, None, "head record does not match its keyed hash")
        if (count, last) != (n, prev):
            return VerifyReport(False, n, n + 1 if count > n else None,
                                f"head says {count} entries ending {last[:12]}…, chain has {n} ending {prev[:12]}… "
                                "(entries cut or rewritten)")
    anchor = store.anchor_path
    if anchor.is_file():
        try:
            a = json.loads(anchor.read_text(encoding="utf-8"))
            count, last, mac = int(a["count"]), str(a["last"]), str(a["mac"])
        except (ValueError, KeyError, TypeError):
            return VerifyReport(False, n, None, f"{anchor.name}: malformed anchor")
        if not hmac.compare_digest(mac, head_mac(key, count, last)):
            return VerifyReport(False, n, None, f"{anchor.name}: anchor does not match its keyed hash")
        if count > n:
            return VerifyReport(False, n, n + 1, f"anchor records {count} entries, the log holds {n} (entries cut)")
        if count and rows[count - 1][3] != last:
            return VerifyReport(False, n, count, f"entry {count} differs from the anchored head (chain rewritten)")
    elif n:
        return VerifyReport(False, n, None, f"{anchor.name}: anchor file missing")
    return VerifyReport(True, n)
