"""``partages extract infectiology FILE|-``: CU6 entities, antibiogram and resistance as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def register_extract(extract_app: typer.Typer) -> None:
    """Add the ``infectiology`` command to the ``extract`` group (wired by the main CLI)."""

    @extract_app.command("infectiology")
    def infectiology_cmd(
        source: str = typer.Argument(..., help="A UTF-8 text file, or - for standard input."),
        method: str = typer.Option("rules", "--method", help="Extractor: rules or model."),
    ) -> None:
        """Print {"entities", "susceptibility", "resistance"} for one report."""
        from partages_core.errors import InputError
        from partages_core.usecases.infectiology import METHODS, extract

        if method not in METHODS:
            raise InputError(f"--method: expected one of {', '.join(METHODS)}, got {method!r}")
        if source == "-":
            text = sys.stdin.read()
        else:
            path = Path(source)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as err:
                raise InputError(f"{path}: not UTF-8 text (byte {err.start})") from err
        typer.echo(json.dumps(extract(text, method), ensure_ascii=False, indent=1))
