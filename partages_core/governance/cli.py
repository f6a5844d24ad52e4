"""``partages pseudonymize``, ``partages catalog …`` and ``partages audit verify``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

catalog_app = typer.Typer(help="WP1 data commons catalog: register datasets and check their files.",
                          no_args_is_help=True)
audit_app = typer.Typer(help="Hash-chained audit log of dataset access.", no_args_is_help=True)

CATALOG_OPT = typer.Option(None, "--catalog", help="Catalog file (default <artefacts>/governance/catalog.json).")


def pseudonymize_cmd(
    source: Optional[str] = typer.Argument(None, help="A text file, or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help='Print {"text", "entities"} as JSON.'),
    seed: int = typer.Option(0, "--seed", help="Surrogate seed (the secret key is drawn per run; see --mapping-in)."),
    context: Optional[Path] = typer.Option(None, "--context", help="JSON file with the patient's identity."),
    batch: Optional[Path] = typer.Option(None, "--batch", help="A PARHAF folder to pseudonymise whole."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder for --batch."),
    mapping_out: Optional[Path] = typer.Option(None, "--mapping-out",
                                               help="Write the original→surrogate mapping and the run's secret key here "
                                                    "(kept out of the output unless asked)."),
    mapping_in: Optional[Path] = typer.Option(None, "--mapping-in",
                                              help="Reuse a mapping written by --mapping-out: same secret, same "
                                                   "surrogates, byte-identical output."),
    no_context: bool = typer.Option(False, "--no-context", help="In --batch, ignore identities.json."),
    fast: bool = typer.Option(False, "--fast", help="Rules only (no NER model): faster, misses more names and places."),
    build_model: bool = typer.Option(False, "--build-model",
                                     help="Fine-tune the NER of the hybrid (once, a few minutes) and exit."),
) -> None:
    """Pseudonymise French clinical text: identifiers replaced by consistent surrogates."""
    from partages_core.errors import InputError
    from partages_core.governance import ner
    from partages_core.governance.pseudonymisation import pseudonymize_stream
    from partages_core.files import iter_text, read_text, write_json
    from partages_core.governance.surrogates import SurrogateMapping

    if build_model:
        meta = ner.build_model(log=lambda m: typer.echo(m, err=True))
        typer.echo(f"built {ner.model_path()} ({meta['train_documents']} training documents, "
                   f"{meta['epochs_done']} epochs, {meta['seconds']} s)")
        return
    method = "rules" if fast else "hybrid"
    note = None
    if method == "hybrid" and not ner.is_built():
        note = (f"note: the NER model is not built ({ner.model_path()}); rules only. "
                "Build it once with `partages pseudonymize --build-model`.")
        method = "rules"
    loaded = None
    if mapping_in:
        try:
            loaded = json.loads(read_text(mapping_in))
        except json.JSONDecodeError as err:
            raise InputError(f"{mapping_in}:{err.lineno}: malformed JSON ({err.msg})") from None
    if batch is not None:
        from partages_core.governance.batch import pseudonymize_folder

        if out is None:
            raise InputError("--batch needs --out DIR")
        mappings: dict = {}
        secret = None
        if loaded is not None:
            if not isinstance(loaded, dict) or not loaded:
                raise InputError(f"{mapping_in}: expected the per-patient mapping object written by --batch --mapping-out")
            secret = next(iter(loaded.values())).get("secret") if isinstance(next(iter(loaded.values())), dict) else None
            if not secret:
                raise InputError(f"{mapping_in}: no 'secret' field (write it with --mapping-out)")
        counts = pseudonymize_folder(batch, out, seed=seed, use_context=not no_context, secret=secret,
                                     method=method,
                                     on_mapping=lambda pid, m: mappings.__setitem__(pid, m.to_dict()))
        if mapping_out:
            write_json(mapping_out, mappings)
        if note:
            typer.echo(note, err=True)
        typer.echo(json.dumps(counts) if as_json else
                   f"pseudonymised {counts['documents']} documents of {counts['patients']} patients "
                   f"({counts['entities']} entities, {counts['quarantined']} quarantined) to {counts['out']}")
        return
    if source is None:
        raise InputError("give a FILE, - for stdin, or --batch DIR --out DIR")
    ctx = None
    if context:
        try:
            ctx = json.loads(read_text(context))
        except json.JSONDecodeError as err:
            raise InputError(f"{context}:{err.lineno}: malformed JSON ({err.msg})") from None
    if loaded is not None:
        try:
            mapping = SurrogateMapping.from_dict(loaded, str(mapping_in))
        except ValueError as err:
            raise InputError(str(err)) from None
    else:
        mapping = SurrogateMapping(seed=seed, key=json.dumps(ctx, sort_keys=True) if ctx else "")
    write = sys.stdout.write
    entities = []
    if as_json:
        write('{"text": "')
    for part in pseudonymize_stream(iter_text(source), ctx, seed, mapping, method=method):
        write(json.dumps(part["text"], ensure_ascii=False)[1:-1] if as_json else part["text"])
        entities += part["entities"]
    if as_json:
        write('", "entities": ' + json.dumps(entities, ensure_ascii=False) + "}\n")
    sys.stdout.flush()
    if mapping_out:
        write_json(mapping_out, mapping.to_dict())
    if note:
        typer.echo(note, err=True)


@catalog_app.command("list")
def catalog_list(catalog: Optional[Path] = CATALOG_OPT,
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """Registered datasets: name, version, access level, owner, files."""
    from partages_core.governance.catalog import Catalog

    cat = Catalog(catalog)
    rows = [{"name": d.name, "version": d.version, "access": d.access, "owner": d.owner,
             "licence": d.licence, "files": len(d.files)} for d in cat.list()]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['name']:<24} {r['version']:<8} {r['access']:<11} {r['licence']:<14} {r['owner']:<30} {r['files']} files")


@catalog_app.command("show")
def catalog_show(name: str, catalog: Optional[Path] = CATALOG_OPT) -> None:
    """Everything registered about one dataset (JSON)."""
    from dataclasses import asdict

    from partages_core.governance.catalog import Catalog

    typer.echo(json.dumps(asdict(Catalog(catalog).get(name)), ensure_ascii=False, indent=1))


@catalog_app.command("add")
def catalog_add(
    folder: Path = typer.Argument(..., help="The dataset's folder."),
    name: str = typer.Option(..., "--name"),
    version: str = typer.Option(..., "--version"),
    licence: str = typer.Option(..., "--licence"),
    access: str = typer.Option(..., "--access", help="open, registered or restricted."),
    owner: str = typer.Option(..., "--owner", help="Owner facility."),
    description: str = typer.Option("", "--description"),
    card: Optional[str] = typer.Option(None, "--card", help="Path of the dataset card."),
    replace: bool = typer.Option(False, "--replace", help="Re-register an existing name."),
    catalog: Optional[Path] = CATALOG_OPT,
) -> None:
    """Register a dataset folder with the content hash of every file."""
    from partages_core.governance.catalog import Catalog

    entry = Catalog(catalog).add(folder, name, version, licence, access, owner, description, card, replace)
    typer.echo(f"registered {entry.name} {entry.version} ({entry.access}): {len(entry.files)} files")


@catalog_app.command("verify")
def catalog_verify(name: Optional[str] = typer.Argument(None, help="One dataset; default all."),
                   catalog: Optional[Path] = CATALOG_OPT) -> None:
    """Re-hash files; exit 1 when any file changed, disappeared or appeared since registration."""
    from partages_core.governance.catalog import Catalog

    cat = Catalog(catalog)
    bad = False
    for entry in [cat.get(name)] if name else cat.list():
        res = cat.verify(entry.name)
        if res.ok:
            typer.echo(f"{entry.name}: OK ({len(entry.files)} files)")
        else:
            bad = True
            typer.echo(f"{entry.name}: MODIFIED changed={res.changed} missing={res.missing} added={res.added}")
    if bad:
        raise typer.Exit(1)


@audit_app.command("verify")
def audit_verify(log: Optional[Path] = typer.Argument(None, help="Audit log (default <artefacts>/governance/audit.jsonl).")) -> None:
    """Check the hash chain; exit 1 and name the first tampered or missing entry."""
    from partages_core.config import artefacts_dir
    from partages_core.governance.audit import verify_log

    report = verify_log(log or artefacts_dir() / "governance" / "audit.jsonl")
    typer.echo(str(report))
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("pseudonymize")(pseudonymize_cmd)
    app.add_typer(catalog_app, name="catalog")
    app.add_typer(audit_app, name="audit")
