"""The commons as every later stage sees it: generated once per (size, seed, generator code), then read from disk."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from partages_core.config import Profile, artefacts_dir, get_profile
from partages_core.corpus.generator import generate
from partages_core.corpus.io.parhaf import read_parhaf, write_parhaf
from partages_core.corpus.model import Document, Patient
from partages_core.files import write_atomic

STAMP = "commons.json"
# what the generated text depends on besides (size, seed): a commons written by older code is rebuilt
_GENERATOR_SOURCES = ("generator.py", "identities.py", "clinical.py", "builder.py", "grammar.py", "model.py")


def generator_fingerprint() -> str:
    """sha256 over the generator's code and lexicons (a short prefix: a cache key, not a secret)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in [root / n for n in _GENERATOR_SOURCES] + sorted((root / "lexicons").glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Commons:
    """Patients of the commons with their folder; ``documents()`` flattens them."""

    folder: Path
    patients: list[Patient] = field(default_factory=list)

    def documents(self) -> list[tuple[Patient, Document]]:
        return [(p, d) for p in self.patients for d in p.documents]


def build_commons(patients: int, seed: int, out: str | Path) -> Path:
    """Generate and write the commons in the PARHAF layout (atomic)."""
    out = write_parhaf(generate(patients, seed), out)
    write_atomic(out / STAMP, json.dumps({"patients": patients, "seed": seed,
                                          "generator": generator_fingerprint()}) + "\n")
    return out


def load_commons(profile: Profile | str | None = None, folder: str | Path | None = None) -> Commons:
    """The profile's commons, generated into ``<artefacts>/commons`` on first use; a commons written for another
    size, seed or generator code is regenerated, and a line on stderr says so (it is a cache, but never silently)."""
    profile = profile if isinstance(profile, Profile) else get_profile(profile)
    folder = Path(folder) if folder else artefacts_dir(profile) / "commons"
    wanted = {"patients": profile.patients, "seed": profile.seed, "generator": generator_fingerprint()}
    stamp = folder / STAMP
    found = json.loads(stamp.read_text()) if stamp.is_file() else None
    if found != wanted:
        if found is not None:
            changed = ", ".join(f"{k} {found.get(k)} -> {v}" for k, v in wanted.items() if found.get(k) != v)
            print(f"{folder}: the commons there was written for another {changed}; regenerating it",
                  file=sys.stderr)
        build_commons(profile.patients, profile.seed, folder)
    return Commons(folder, read_parhaf(folder))
