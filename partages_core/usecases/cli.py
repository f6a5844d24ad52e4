"""``partages extract``: the WP4 and WP5 extractors behind one command group."""

from __future__ import annotations

import typer

from partages_core.usecases import cli_infectiology, cli_oncology

extract_app = typer.Typer(help="WP4/WP5 use cases: extract oncology or infectiology information as JSON.",
                          no_args_is_help=True)
cli_oncology.register_extract(extract_app)
cli_infectiology.register_extract(extract_app)


def register(app: typer.Typer) -> None:
    app.add_typer(extract_app, name="extract")
