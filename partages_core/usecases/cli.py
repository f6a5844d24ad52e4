"""``partages extract oncology|infectiology FILE|-``: the WP4 and WP5 extractors as JSON."""

from __future__ import annotations

import json

import typer

from partages_core.files import read_text

extract_app = typer.Typer(help="WP4/WP5 use cases: extract oncology or infectiology information as JSON.",
                          no_args_is_help=True)


def _method(method: str, methods: tuple[str, ...]) -> str:
    from partages_core.errors import InputError

    if method not in methods:
        raise InputError(f"--method: expected one of {', '.join(methods)}, got {method!r}")
    return method


@extract_app.command("oncology")
def oncology_cmd(
    source: str = typer.Argument(..., metavar="FILE|-", help="A report (UTF-8 text) or '-' for stdin."),
    method: str = typer.Option("rules", "--method", help="Extractor: rules, model (line tagger and line classifier) "
                               "or hybrid (the rules; with --response, the built CU5b cue-sentence classifier where "
                               "the rules find no response cue)."),
    response: bool = typer.Option(False, "--response",
                                  help="Also classify the response to treatment (CU5b) under 'response'."),
) -> None:
    """Print {"biomarkers": [...], "tnm": [...], "grade": [...]} with offsets into the input."""
    from partages_core.usecases import oncology

    _method(method, oncology.METHODS)
    if method == "hybrid":
        from partages_core.models.response_sentences import load_built

        load_built()  # not built: one clear line before reading anything
    text = read_text(source)
    out = oncology.extract(text, method)
    if response:
        out["response"] = oncology.classify_response(text, method)
    typer.echo(json.dumps(out, ensure_ascii=False, indent=1))


@extract_app.command("infectiology")
def infectiology_cmd(
    source: str = typer.Argument(..., metavar="FILE|-", help="A report (UTF-8 text) or '-' for stdin."),
    method: str = typer.Option("rules", "--method", help="Extractor: rules, model (line tagger), ner (spaCy NER) or hybrid (rules + NER)."),
) -> None:
    """Print {"entities", "susceptibility", "resistance"} for one report."""
    from partages_core.usecases import infectiology

    _method(method, infectiology.METHODS)
    text = read_text(source)
    typer.echo(json.dumps(infectiology.extract(text, method), ensure_ascii=False, indent=1))


def register(app: typer.Typer) -> None:
    app.add_typer(extract_app, name="extract")
