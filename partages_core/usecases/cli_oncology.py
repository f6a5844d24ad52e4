"""``partages extract oncology FILE|-``: biomarkers, TNM and grade of one report as JSON.

The integrator's ``usecases/cli.py`` creates the ``extract`` group and calls ``register_extract``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def _read(source: str) -> str:
    """Text of FILE, or of stdin for '-' (UTF-8; a bad byte is a user error naming the file)."""
    from partages_core.errors import InputError

    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{source}: not found (expected a text file or '-')")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{source}: not UTF-8 text at byte {err.start}") from err


def oncology_cmd(
    source: str = typer.Argument(..., metavar="FILE|-", help="A report (UTF-8 text) or '-' for stdin."),
    method: str = typer.Option("rules", "--method", help="Extractor: rules or model."),
    response: bool = typer.Option(False, "--response",
                                  help="Also classify the response to treatment (CU5b) under 'response'."),
) -> None:
    """Print {"biomarkers": [...], "tnm": [...], "grade": [...]} with offsets into the input."""
    from partages_core.usecases import oncology

    text = _read(source)
    out = oncology.extract(text, method)
    if response:
        out["response"] = oncology.classify_response(text, method)
    typer.echo(json.dumps(out, ensure_ascii=False, indent=1))


def register_extract(extract_app: typer.Typer) -> None:
    """Add the ``oncology`` command to the ``extract`` group."""
    extract_app.command("oncology")(oncology_cmd)
