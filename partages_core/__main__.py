"""``python -m partages_core`` runs the CLI."""

from partages_core.cli import run

run()
