"""The one file layer: atomic writers leave no partial output or temp file; FILE-or-``-`` is checked alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from partages_core import files
from partages_core.errors import InputError

BAD_INPUTS = ((b"", "empty text"), (b"  \n", "empty text"), (b"abc\x00def", "NUL byte at byte 3"),
              (b"caf\xe9", "not UTF-8"))


def test_write_atomic_text_bytes_json_and_mode(tmp_path):
    path = files.write_atomic(tmp_path / "a" / "b.txt", "é\n")
    assert path.read_bytes() == "é\n".encode() and oct(path.stat().st_mode & 0o777) == "0o644"
    files.write_atomic(path, b"\x00\x01", mode=0o600)
    assert path.read_bytes() == b"\x00\x01" and path.stat().st_mode & 0o777 == 0o600
    files.write_json(tmp_path / "c.json", {"b": 1, "a": "é"})
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == '{\n "a": "é",\n "b": 1\n}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "c.json"]


def test_write_atomic_failure_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = files.write_atomic(tmp_path / "out.txt", "old")

    def boom(*_):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError):
        files.write_atomic(path, "new")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["out.txt"]


def test_atomic_folder_swaps_whole_keeps_named_entries_and_cleans_on_failure(tmp_path):
    out = tmp_path / "model"
    (out / "checkpoints").mkdir(parents=True)
    (out / "checkpoints" / "step-1").write_text("ckpt")
    (out / "stale.bin").write_text("old")
    with files.atomic_folder(out, keep=("checkpoints",)) as tmp:
        (tmp / "weights.bin").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["checkpoints", "weights.bin"]
    assert (out / "checkpoints" / "step-1").read_text() == "ckpt"
    with pytest.raises(RuntimeError), files.atomic_folder(out) as tmp:
        (tmp / "half").write_text("x")
        raise RuntimeError("interrupted")
    assert sorted(p.name for p in out.iterdir()) == ["checkpoints", "weights.bin"]
    assert os.listdir(tmp_path) == ["model"]


@pytest.mark.parametrize(("raw", "why"), BAD_INPUTS)
def test_reader_refuses_bad_bytes_naming_the_file(tmp_path, raw, why):
    path = tmp_path / "in.txt"
    path.write_bytes(raw)
    with pytest.raises(InputError) as err:
        files.read_text(path)
    assert str(err.value).startswith(f"{path}: ") and why in str(err.value)


def test_reader_refuses_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="none.txt: not found"):
        files.read_text(tmp_path / "none.txt")
    with pytest.raises(InputError, match="is a directory"):
        files.read_text(tmp_path)
    (tmp_path / "ok.txt").write_bytes("Texte médical\n".encode())
    assert files.read_text(tmp_path / "ok.txt") == "Texte médical\n"
    # a multi-byte character split across two reads is decoded whole
    assert "".join(files.iter_text(tmp_path / "ok.txt", chunk=7)) == "Texte médical\n"


COMMANDS = (["pseudonymize"], ["pseudonymize", "--json"], ["extract", "oncology"], ["extract", "infectiology"])


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_file_or_stdin_command_gives_one_line_and_exit_2(tmp_path, command):
    """The same checks, the same one-line message and exit status 2, whatever the command."""
    cases = [(str(tmp_path / "none.txt"), None, "not found"), (str(tmp_path), None, "is a directory")]
    cases += [("-", raw, why) for raw, why in BAD_INPUTS[::2]]
    for source, stdin, why in cases:
        r = subprocess.run([sys.executable, "-m", "partages_core", *command, source], input=stdin or b"",
                           capture_output=True, env={**os.environ, "CI": "true"})
        err = r.stderr.decode()
        assert r.returncode == 2 and why in err and err.count("\n") == 1 and "Traceback" not in err, (source, err)
    ok = subprocess.run([sys.executable, "-m", "partages_core", *command, "-"], input="HER2 négatif.\n".encode(),
                        capture_output=True, env={**os.environ, "CI": "true"})
    assert ok.returncode == 0 and ok.stdout
    if command[-1] in ("--json", "oncology", "infectiology"):
        assert isinstance(json.loads(ok.stdout), dict)
