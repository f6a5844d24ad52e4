"""``partages portal``: the main job (build), the site alone, serving, the workshop kit."""

from __future__ import annotations

from pathlib import Path

import typer

portal_app = typer.Typer(help="WP8 dissemination: build the portal, render the site, serve it, workshop kit.",
                         no_args_is_help=True)


@portal_app.command("build")
def build_cmd() -> None:
    """Build the commons and its card, execute every notebook (each runs its stage), render the site."""
    from partages_core.config import get_profile, project_root
    from partages_core.corpus.commons import load_commons
    from partages_core.portal.cards import write_dataset_card
    from partages_core.portal.site import build_site, site_manifest
    from partages_core.quality.splits import split_patients

    profile = get_profile()
    commons = load_commons(profile)
    typer.echo(f"commons: {len(commons.patients)} patients in {commons.folder}")
    splits = {k: len(v) for k, v in split_patients(commons.patients, profile.seed).items()}
    card = write_dataset_card(commons.patients, project_root() / "datasets_cards",
                              name=f"partages-commons-{profile.name}", seed=profile.seed, splits=splits)
    typer.echo(f"dataset card: {card}")
    out = build_site(log=typer.echo)
    m = site_manifest(out)
    typer.echo(f"\nThe portal is ready: {m['pages']} pages in {m['output']}\n"
               f"  open:  {m['index']}\n  serve: make serve   (site on http://127.0.0.1:8000, demos on http://127.0.0.1:8866)")


@portal_app.command("site")
def site_cmd() -> None:
    """Execute the notebooks (cached) and render the site only."""
    from partages_core.portal.site import build_site, site_manifest

    typer.echo(f"site: {site_manifest(build_site(log=typer.echo))['index']}")


def register(app: typer.Typer) -> None:
    app.add_typer(portal_app, name="portal")
