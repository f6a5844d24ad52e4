"""Data commons catalog: datasets with licence, access level, owner and a hash of every file.

Rows live in the governance database (SQLite, one transaction per registration, so concurrent
``catalog add`` never lose an entry). ``verify`` re-hashes the files and reports any changed,
missing or new file (dot-files included) since registration.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

from partages_core.access import ACCESS_LEVELS, DatasetEntry, Integrity, dataset_files, find_dataset, integrity
from partages_core.errors import InputError
from partages_core.files import sha256_file
from partages_core.store import Store, default_db_path

__all__ = ["ACCESS_LEVELS", "Catalog", "DatasetEntry", "Integrity", "default_catalog_path"]


def default_catalog_path() -> Path:
    return default_db_path()


class Catalog:
    """The catalog of the governance database at ``path`` (default ``<artefacts>/governance/governance.sqlite``)."""

    def __init__(self, path: str | Path | Store | None = None):
        self.store = path if isinstance(path, Store) else Store(path)
        self.path = self.store.path
        for name, body in self._rows():
            try:
                DatasetEntry(**json.loads(body))
            except (TypeError, ValueError) as err:
                raise InputError(f"{self.path}: dataset {name}: malformed catalog row ({err})") from None

    def _rows(self) -> list[tuple[str, str]]:
        with self.store.connect() as con:
            return con.execute("SELECT name, body FROM datasets ORDER BY name").fetchall()

    @property
    def datasets(self) -> dict[str, DatasetEntry]:
        return {name: DatasetEntry(**json.loads(body)) for name, body in self._rows()}

    def get(self, name: str) -> DatasetEntry:
        entry = find_dataset(self.store, name=name)
        if entry is None:
            raise InputError(f"catalog {self.path}: no dataset named {name!r} (known: {sorted(self.datasets)})")
        return entry

    def list(self) -> list[DatasetEntry]:
        return [DatasetEntry(**json.loads(body)) for _, body in self._rows()]

    def add(self, folder: str | Path, name: str, version: str, licence: str, access: str, owner: str,
            description: str = "", card: str | None = None, replace: bool = False,
            today: dt.date | None = None) -> DatasetEntry:
        """Register every file under ``folder`` with its content hash (one transaction)."""
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder (a dataset is registered as a folder of files)")
        files = {rel: sha256_file(p) for rel, p in dataset_files(folder).items()}
        if not files:
            raise InputError(f"{folder}: no files to register")
        entry = DatasetEntry(name=name, version=version, description=description, licence=licence,
                             access=access, owner=owner, root=str(folder.resolve()), files=files, card=card,
                             registered=(today or dt.date.today()).isoformat())
        with self.store.transaction() as con:
            row = con.execute("SELECT body FROM datasets WHERE name = ?", (name,)).fetchone()
            if row and not replace:
                old = json.loads(row[0])
                raise InputError(f"dataset {name!r} is already registered (version {old['version']}); pass --replace")
            try:
                con.execute("INSERT OR REPLACE INTO datasets (name, root, access, body) VALUES (?, ?, ?, ?)",
                            (name, entry.root, access, json.dumps(asdict(entry), ensure_ascii=False)))
            except sqlite3.Error as err:
                raise InputError(f"{self.path}: cannot register {name!r} ({err})") from None
        return entry

    def verify(self, name: str) -> Integrity:
        """Re-hash the dataset's files and compare with the registered hashes."""
        return integrity(self.get(name))
