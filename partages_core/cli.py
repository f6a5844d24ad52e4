"""The ``partages`` command: one sub-command group per pipeline stage.

Each stage module ``partages_core.<stage>.cli`` exposes ``register(app)``; heavy imports stay
inside the commands so that ``partages --help`` is instant.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Optional

import typer

from partages_core import __version__
from partages_core.config import PROFILE_ENV, get_profile
from partages_core.errors import PartagesError

STAGES = ("corpus", "quality", "governance", "models", "usecases", "evaluation", "federated", "deploy", "portal")

app = typer.Typer(
    name="partages",
    help="PARTAGES portal: commons, governance, models, use cases, evaluation, federation, site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"partages {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the package version and exit."),
    profile: Optional[str] = typer.Option(None, "--profile", envvar=PROFILE_ENV,
                                          help="Run profile: small (default) or full."),
) -> None:
    """Select the profile for every sub-command."""
    import os

    if profile:
        get_profile(profile)  # validates the name
        os.environ[PROFILE_ENV] = profile


for _stage in STAGES:
    import_module(f"partages_core.{_stage}.cli").register(app)


def run() -> None:
    """Console entry point: user errors become one line on stderr and exit status 2."""
    try:
        code = app(standalone_mode=False)  # returns the exit code of typer.Exit instead of raising
        sys.exit(code if isinstance(code, int) else 0)
    except (PartagesError, FileNotFoundError, PermissionError, IsADirectoryError) as err:
        typer.echo(f"partages: error: {err}", err=True)
        sys.exit(2)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        typer.echo("partages: aborted", err=True)
        sys.exit(130)
    except Exception as err:  # click usage errors carry their own formatting
        import click

        if isinstance(err, click.ClickException):
            err.show()
            sys.exit(2)
        raise
