"""One file layer: atomic writers (a file, a JSON document, a whole folder) and the FILE-or-``-`` reader.

Every output goes through a temporary sibling in the same folder and ``os.replace``, so a reader
never sees half a file and a failure leaves neither a partial output nor a temporary behind. Every
command that takes ``FILE|-`` reads it with :func:`iter_text` / :func:`read_text`: a missing file, a
directory, empty input, NUL bytes or invalid UTF-8 is one :class:`InputError` line naming the input.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from partages_core.errors import InputError

STDIN = "-"


def write_atomic(path: str | Path, data: str | bytes, mode: int = 0o644) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` in one step; parents are created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_json(path: str | Path, obj: Any, *, sort_keys: bool = True, indent: int | None = 1) -> Path:
    """Write ``obj`` as UTF-8 JSON (keys sorted by default, so equal data gives equal bytes)."""
    return write_atomic(path, json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys) + "\n")


@contextlib.contextmanager
def atomic_folder(out: str | Path, keep: Sequence[str] = ()) -> Iterator[Path]:
    """Yield an empty temp folder beside ``out``; on success it replaces ``out`` whole, on failure it goes.

    ``keep`` names entries of the old ``out`` carried into the new one (e.g. training checkpoints).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        yield tmp
        for name in keep:
            if (out / name).exists() and not (tmp / name).exists():
                os.replace(out / name, tmp / name)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def inside(root: str | Path, rel: object, where: str = "") -> Path:
    """``root / rel`` resolved, refused unless it stays inside ``root`` (no absolute path, no ``..`` escape).

    Every path read from data (``file`` fields of an index, BRAT/UIMA names) goes through here, so a
    hostile index can neither read nor overwrite anything outside the folder the user named.
    """
    label = f"{where}: " if where else ""
    if not isinstance(rel, str) or not rel.strip():
        raise InputError(f"{label}file path must be a non-empty relative path, got {rel!r}")
    if "\x00" in rel:
        raise InputError(f"{label}file path {rel!r} contains a NUL byte")
    if Path(rel).is_absolute() or rel.startswith(("/", "\\")):
        raise InputError(f"{label}file path {rel!r} is absolute; paths in data must be relative to their folder")
    base = Path(root).resolve()
    target = (base / rel).resolve()
    if target != base and base not in target.parents:
        raise InputError(f"{label}file path {rel!r} leaves its folder {root}")
    return target


def prepare_out(out: str | Path, force: bool = False, inputs: Sequence[str | Path] = ()) -> Path:
    """Check an output folder before anything is written: never a file, never one that holds or sits in
    an input, and an existing non-empty folder only with ``force`` (it is then replaced whole)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a folder")
    res = out.resolve()
    for src in inputs:
        src_res = Path(src).resolve()
        if res == src_res or res in src_res.parents or src_res in res.parents:
            raise InputError(f"--out {out}: must not be, contain or lie inside the input {src}")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError(f"--out {out}: exists and is not empty; pass --force to replace it")
    return out


def _open(source: str | Path) -> tuple[str, BinaryIO]:
    """The display name and binary handle of FILE or ``-``; a missing file or a folder is an InputError."""
    if str(source) == STDIN:
        return "<stdin>", sys.stdin.buffer
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source}: is a directory (expected a UTF-8 text file or '-' for stdin)")
    if not path.is_file():
        raise InputError(f"{source}: not found (expected a UTF-8 text file or '-' for stdin)")
    try:
        return str(source), path.open("rb")
    except OSError as err:
        raise InputError(f"{source}: cannot read ({err.strerror})") from None


def iter_text(source: str | Path, chunk: int = 1 << 16) -> Iterator[str]:
    """Decoded pieces of FILE or ``-``, streamed; NUL bytes, bad UTF-8 and blank input are refused."""
    name, fh = _open(source)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, seen_text = 0, False
    try:
        while True:
            block = fh.read(chunk)
            final = not block
            nul = block.find(b"\x00")
            if nul >= 0:
                raise InputError(f"{name}: binary data (NUL byte at byte {offset + nul}); expected UTF-8 text")
            try:
                text = decoder.decode(block, final=final)
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: not UTF-8 text ({err.reason} near byte {offset + err.start})") from None
            offset += len(block)
            if text:
                seen_text = seen_text or bool(text.strip())
                yield text
            if final:
                break
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()
    if not seen_text:
        raise InputError(f"{name}: empty text (expected UTF-8 text, got none)")


def read_text(source: str | Path) -> str:
    """The whole text of FILE or ``-``, with the checks of :func:`iter_text`."""
    return "".join(iter_text(source))


def read_json(source: str | Path) -> Any:
    """The JSON value in FILE or ``-``, with the checks of :func:`read_text`; bad JSON names file and line."""
    try:
        return json.loads(read_text(source))
    except json.JSONDecodeError as err:
        raise InputError(f"{source}:{err.lineno}: malformed JSON ({err.msg})") from None


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """Content hash of a file, read in 1 MiB chunks (large files are never loaded whole)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()
