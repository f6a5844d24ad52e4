"""Data commons catalog: datasets with licence, access level, owner and a hash of every file.

``verify`` re-hashes the files and reports any changed, missing or new file since registration.
The catalog is one JSON file written atomically.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from partages_core.config import artefacts_dir
from partages_core.errors import InputError
from partages_core.files import sha256_file, write_json

ACCESS_LEVELS = ("open", "registered", "restricted")


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
            if not str(getattr(self, key) or "").strip():
                raise InputError(f"dataset {self.name or '?'}: field '{key}' is empty")
        if self.access not in ACCESS_LEVELS:
            raise InputError(f"dataset {self.name}: field 'access' must be one of {ACCESS_LEVELS}, got {self.access!r}")


@dataclass
class Integrity:
    """Files changed, missing or added since registration."""

    changed: list[str]
    missing: list[str]
    added: list[str]

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added)


def default_catalog_path() -> Path:
    return artefacts_dir() / "governance" / "catalog.json"


class Catalog:
    """The catalog file at ``path`` (default ``<artefacts>/governance/catalog.json``)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_catalog_path()
        self.datasets: dict[str, DatasetEntry] = {}
        if self.path.is_file():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as err:
                raise InputError(f"{self.path}:{err.lineno}: malformed catalog JSON ({err.msg})") from None
            for row in raw.get("datasets", []):
                try:
                    entry = DatasetEntry(**row)
                except TypeError as err:
                    raise InputError(f"{self.path}: dataset {row.get('name', '?')}: {err}") from None
                self.datasets[entry.name] = entry

    def save(self) -> None:
        write_json(self.path, {"datasets": [asdict(d) for d in sorted(self.datasets.values(), key=lambda d: d.name)]})

    def get(self, name: str) -> DatasetEntry:
        try:
            return self.datasets[name]
        except KeyError:
            raise InputError(f"catalog {self.path}: no dataset named {name!r} (known: {sorted(self.datasets)})") from None

    def list(self) -> list[DatasetEntry]:
        return sorted(self.datasets.values(), key=lambda d: d.name)

    def add(self, folder: str | Path, name: str, version: str, licence: str, access: str, owner: str,
            description: str = "", card: str | None = None, replace: bool = False,
            today: dt.date | None = None) -> DatasetEntry:
        """Register every file under ``folder`` with its content hash."""
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder (a dataset is registered as a folder of files)")
        if name in self.datasets and not replace:
            raise InputError(f"dataset {name!r} is already registered (version {self.datasets[name].version}); pass replace")
        files = {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*"))
                 if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}
        if not files:
            raise InputError(f"{folder}: no files to register")
        entry = DatasetEntry(name=name, version=version, description=description, licence=licence,
                             access=access, owner=owner, root=str(folder.resolve()), files=files, card=card,
                             registered=(today or dt.date.today()).isoformat())
        self.datasets[name] = entry
        self.save()
        return entry

    def verify(self, name: str) -> Integrity:
        """Re-hash the dataset's files and compare with the registered hashes."""
        entry = self.get(name)
        root = Path(entry.root)
        now = {str(p.relative_to(root)) for p in root.rglob("*")
               if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)} if root.is_dir() else set()
        changed = [f for f in sorted(entry.files) if f in now and sha256_file(root / f) != entry.files[f]]
        missing = [f for f in sorted(entry.files) if f not in now]
        added = sorted(now - set(entry.files))
        return Integrity(changed, missing, added)
