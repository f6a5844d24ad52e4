"""Provenance of a result: hashes of data, model and code, the seed and the environment."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from partages_core.evaluation.tasks import Example

PACKAGES = ("numpy", "edsnlp", "spacy", "torch", "transformers", "rouge-score", "partages-core")


def data_hash(examples: Sequence[Example]) -> str:
    """sha256 over the evaluated documents: id, input text and gold, in order (JSON, sorted keys)."""
    h = hashlib.sha256()
    for ex in examples:
        h.update(json.dumps([ex.doc_id, ex.text, ex.gold], sort_keys=True, ensure_ascii=False,
                            default=str).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> dict[str, Any]:
    """Git commit (and whether the tree is dirty) when available, the package version, and a hash
    of the ``partages_core`` sources so that uncommitted edits still change the fingerprint."""
    import partages_core

    root = Path(partages_core.__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yaml") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    out: dict[str, Any] = {"package_version": partages_core.__version__, "source_sha256": h.hexdigest()}
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        out.update(git_commit=commit, git_dirty=bool(dirty))
    except (OSError, subprocess.SubprocessError):
        out.update(git_commit=None, git_dirty=None)
    return out


def environment() -> dict[str, Any]:
    """Python, platform and the versions of the libraries that shape the numbers."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"python": sys.version.split()[0], "platform": platform.platform(), "packages": versions}
