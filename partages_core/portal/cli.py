"""``partages portal``: the main job (build), the site alone, serving, the workshop kit."""

from __future__ import annotations

from pathlib import Path

import typer

portal_app = typer.Typer(help="WP8 dissemination: build the portal, render the site, serve it, workshop kit.",
                         no_args_is_help=True)


@portal_app.command("build")
def build_cmd() -> None:
    """Build the commons and its card, execute every notebook (each runs its stage), render the site."""
    from partages_core.config import get_profile
    from partages_core.corpus.commons import load_commons
    from partages_core.portal.cards import write_dataset_card
    from partages_core.portal.site import build_site, cards_dir, site_manifest
    from partages_core.quality.splits import split_patients

    profile = get_profile()
    commons = load_commons(profile)
    typer.echo(f"commons: {len(commons.patients)} patients in {commons.folder}")
    splits = {k: len(v) for k, v in split_patients(commons.patients, profile.seed).items()}
    card = write_dataset_card(commons.patients, cards_dir("datasets"),
                              name=f"partages-commons-{profile.name}", seed=profile.seed, splits=splits)
    typer.echo(f"dataset card: {card}")
    from partages_core.models.build import build_models

    build_models(profile, log=typer.echo)  # cached: retrained only when commons, code or config change
    from partages_core.evaluation.taggers import write_infectio_ner_card

    ner_card = write_infectio_ner_card(cards_dir("models"))  # its figures on >= 40 fresh CU6 documents
    if ner_card:
        typer.echo(f"model card: {ner_card}")
    from partages_core.evaluation.taggers import write_response_hybrid_card

    cu5b_card = write_response_hybrid_card(cards_dir("models"))  # its figures on >= 60 fresh CU5b letters
    if cu5b_card:
        typer.echo(f"model card: {cu5b_card}")
    out = build_site(log=typer.echo, screenshots=True)
    m = site_manifest(out)
    typer.echo(f"\nThe portal is ready: {m['pages']} pages in {m['output']}\n"
               f"  open:  {m['index']}\n  serve: make serve   (site on http://127.0.0.1:8000, demos on http://127.0.0.1:8866)")


@portal_app.command("site")
def site_cmd() -> None:
    """Execute the notebooks (cached) and render the site only."""
    from partages_core.portal.site import build_site, site_manifest

    typer.echo(f"site: {site_manifest(build_site(log=typer.echo))['index']}")


@portal_app.command("handwritten-card")
def handwritten_card_cmd(
    out: Path = typer.Option(None, "--out", help="Folder of the card (default: datasets_cards/)."),
) -> None:
    """Regenerate the hand-written set's dataset card from its sources and review.yaml."""
    from partages_core.config import project_root
    from partages_core.portal.cards import write_handwritten_card

    typer.echo(f"dataset card: {write_handwritten_card(out or project_root() / 'datasets_cards')}")


@portal_app.command("publish-cards")
def publish_cards_cmd() -> None:
    """Copy the build's cards (``<build>/{datasets,model}_cards/partages-*.md``) over the committed ones.

    A build never touches the repository's cards; run this deliberately, then review and commit.
    """
    import shutil

    from partages_core.config import project_root
    from partages_core.portal.site import CARD_FOLDERS, cards_dir

    root = project_root()
    for kind, folder in CARD_FOLDERS.items():
        for card in sorted(cards_dir(kind).glob("partages-*.md")):
            shutil.copyfile(card, root / folder / card.name)
            typer.echo(f"{folder}/{card.name}")


def register(app: typer.Typer) -> None:
    app.add_typer(portal_app, name="portal")


@portal_app.command("workshop")
def workshop_cmd(out: Path = typer.Option(Path("workshop"), "--out", help="Folder for the kit."),
                 wheelhouse: bool = typer.Option(True, "--wheelhouse/--no-wheelhouse",
                                                 help="Download every wheel for offline installs."),
                 measure: bool = typer.Option(False, "--measure", help="Execute every instructor notebook from "
                                              "the kit and write the measured run times into timing.md.")) -> None:
    """Student and instructor notebooks with exercises, a timing plan, agendas, the demos and a wheelhouse."""
    from partages_core.portal.workshop import build_workshop

    typer.echo(f"workshop kit: {build_workshop(out, wheelhouse, measure=measure, log=typer.echo)}")


@portal_app.command("demos")
def demos_cmd(folder: Path = typer.Argument(None, help="Folder of demo notebooks (default: notebooks/demos)."),
              port: int = typer.Option(8866, help="Port on 127.0.0.1.")) -> None:
    """Serve the Voila demos on localhost (local assets, idle kernels culled, a cap on live kernels)."""
    import subprocess

    from partages_core.config import project_root
    from partages_core.errors import InputError
    from partages_core.portal.voila_app import voila_command

    folder = folder or project_root() / "notebooks" / "demos"
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of demo notebooks")
    argv, env = voila_command(folder, port)
    proc = subprocess.Popen(argv, env=env)
    typer.echo(f"demos: http://127.0.0.1:{port}/  (Ctrl-C stops them)")
    try:
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@portal_app.command("screenshots")
def screenshots_cmd(out: Path = typer.Option(Path("docs/screenshots"), "--out", help="Folder for the PNGs."),
                    demos: bool = typer.Option(True, "--demos/--no-demos", help="Also drive the three demos.")) -> None:
    """Chromium screenshots of the rendered site (home FR/EN, phone, leaderboard, a card) and the demos."""
    from partages_core.config import project_root
    from partages_core.errors import PartagesError
    from partages_core.portal.screenshots import take_screenshots

    site = project_root() / "site" / "_site"
    if not (site / "index.html").is_file():
        raise PartagesError(f"{site}/index.html: the site is not built; run `make site` first")
    take_screenshots(site, out, demos, log=typer.echo)


@portal_app.command("serve")
def serve_cmd(site_port: int = typer.Option(8000, help="Port of the static site."),
              voila_port: int = typer.Option(8866, help="Port of the Voila demos.")) -> None:
    """Serve site/_site and the Voila demos on localhost until Ctrl-C (both stopped by PID)."""
    import subprocess
    import sys

    from partages_core.config import project_root
    from partages_core.errors import PartagesError

    root = project_root()
    site = root / "site" / "_site"
    if not (site / "index.html").is_file():
        raise PartagesError(f"{site}/index.html: the site is not built; run `make portal` first")
    from partages_core.portal.voila_app import voila_command

    argv, env = voila_command(root / "notebooks" / "demos", voila_port)
    procs = [
        subprocess.Popen([sys.executable, "-m", "http.server", str(site_port), "--bind", "127.0.0.1",
                          "--directory", str(site)]),
        subprocess.Popen(argv, env=env),
    ]
    typer.echo(f"site:  http://127.0.0.1:{site_port}/\ndemos: http://127.0.0.1:{voila_port}/\nCtrl-C stops both.")
    try:
        for proc in procs:
            proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
