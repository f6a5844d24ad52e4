"""``partages pseudonymize``, ``partages catalog …`` and ``partages audit verify``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from partages_core.errors import InputError

catalog_app = typer.Typer(help="WP1 data commons catalog: register datasets and check their files.",
                          no_args_is_help=True)
audit_app = typer.Typer(help="Keyed (HMAC), anchored audit log of dataset access.", no_args_is_help=True)
agreement_app = typer.Typer(help="Data-use agreements signed by a data steward (Ed25519).", no_args_is_help=True)

CATALOG_OPT = typer.Option(None, "--catalog", envvar="PARTAGES_GOVERNANCE_DB",
                           help="Governance database (default <artefacts>/governance/governance.sqlite).")
USER_OPT = typer.Option(None, "--user", envvar="PARTAGES_USER", help="Who reads the data (for the access gate).")
PURPOSE_OPT = typer.Option(None, "--purpose", envvar="PARTAGES_PURPOSE", help="Why (must match the agreement).")
AGREEMENT_OPT = typer.Option(None, "--agreement", help="A signed agreement file (repeatable).")


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
    force: bool = typer.Option(False, "--force", help="Replace an existing non-empty --out folder."),
    workers: int = typer.Option(1, "--workers", min=1,
                                help="FILE: processes detecting the next windows of a long text (output identical)."),
    user: Optional[str] = USER_OPT,
    purpose: Optional[str] = PURPOSE_OPT,
    agreement: Optional[list[Path]] = AGREEMENT_OPT,
) -> None:
    """Pseudonymise French clinical text: identifiers replaced by consistent surrogates."""
    from partages_core.errors import InputError
    from partages_core.governance import ner
    from partages_core.governance.pseudonymisation import pseudonymize_stream
    from partages_core.files import iter_text, read_json, write_json
    from partages_core.governance.surrogates import SurrogateMapping

    if build_model:
        from partages_core.governance.pseudonymisation import build_model as build_ner

        meta = build_ner(log=lambda m: typer.echo(m, err=True))
        typer.echo(f"built {ner.model_path()} ({meta['train_documents']} training documents, "
                   f"{meta['epochs_done']} epochs, {meta['seconds']} s)")
        return
    method = "rules" if fast else "hybrid"
    note = None
    if method == "hybrid" and not ner.is_built():
        note = (f"note: the NER model is not built ({ner.model_path()}); rules only. "
                "Build it once with `partages pseudonymize --build-model`.")
        method = "rules"
    loaded = read_json(mapping_in) if mapping_in else None
    if batch is not None:
        from partages_core.governance.batch import pseudonymize_folder

        from partages_core.access import gate_folder
        from partages_core.files import prepare_out

        if out is None:
            raise InputError("--batch needs --out DIR")
        prepare_out(out, force, [batch])
        gate_folder(batch, user, purpose, "pseudonymised-text", agreement or [], action="pseudonymize")
        mappings: dict = {}
        secret = None
        if loaded is not None:
            if not isinstance(loaded, dict) or not loaded:
                raise InputError(f"{mapping_in}: expected the per-patient mapping object written by --batch --mapping-out")
            secret = next(iter(loaded.values())).get("secret") if isinstance(next(iter(loaded.values())), dict) else None
            if not secret:
                raise InputError(f"{mapping_in}: no 'secret' field (write it with --mapping-out)")
        counts = pseudonymize_folder(batch, out, seed=seed, use_context=not no_context, force=force, secret=secret,
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
    ctx = read_json(context) if context else None
    if ctx is not None and not isinstance(ctx, dict):
        raise InputError(f"{context}: expected a JSON object with the patient's identity, got {type(ctx).__name__}")
    if loaded is not None:
        try:
            mapping = SurrogateMapping.from_dict(loaded, str(mapping_in))
        except ValueError as err:
            raise InputError(str(err)) from None
    else:
        mapping = SurrogateMapping(seed=seed, key=json.dumps(ctx, sort_keys=True) if ctx else "")
    # build the whole result first: an error part-way prints nothing (no partial stdout)
    pieces, entities = [], []
    for part in pseudonymize_stream(iter_text(source), ctx, seed, mapping, method=method, workers=workers):
        pieces.append(part["text"])
        entities += part["entities"]
    text = "".join(pieces)
    if mapping_out:
        write_json(mapping_out, mapping.to_dict())
    if as_json:
        sys.stdout.write(json.dumps({"text": text, "entities": entities}, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text)
    sys.stdout.flush()
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

    from partages_core.store import AuditLog

    cat = Catalog(catalog)
    entry = cat.add(folder, name, version, licence, access, owner, description, card, replace)
    AuditLog(cat.store).append(owner, "register", name, "granted", "", version=version, access=access,
                               files=len(entry.files))
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
def audit_verify(db: Optional[Path] = typer.Argument(None, help="Governance database (default <artefacts>/governance/governance.sqlite)."),
                 key: Optional[Path] = typer.Option(None, "--key", help="Audit key file (default beside the database).")) -> None:
    """Check the keyed chain and its anchored head; exit 1 and name the first bad or missing entry."""
    from partages_core.store import Store, default_db_path, verify_log

    path = db or default_db_path()
    if not path.is_file() and not path.with_name(path.name + ".head").is_file():
        raise InputError(f"{path}: audit database not found")
    report = verify_log(Store(path, key_path=key))
    typer.echo(str(report))
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("export")
def audit_export(db: Optional[Path] = typer.Argument(None, help="Governance database."),
                 out: Path = typer.Option(..., "--out", help="JSON-lines file for the auditors (entries, then the head)."),
                 force: bool = typer.Option(False, "--force", help="Replace an existing file.")) -> None:
    """Export the whole log (every entry and the head) as JSON lines, verified first."""
    from partages_core.files import write_atomic
    from partages_core.store import AuditLog, Store, default_db_path

    path = db or default_db_path()
    if not path.is_file():
        raise InputError(f"{path}: audit database not found")
    if out.exists() and not force:
        raise InputError(f"--out {out}: exists; pass --force to replace it")
    log = AuditLog(Store(path))
    report = log.verify()
    rows = log.export()
    write_atomic(out, "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows))
    typer.echo(f"exported {len(rows) - 1} entries to {out}; {report}")
    if not report.ok:
        raise typer.Exit(1)


@agreement_app.command("keygen")
def agreement_keygen(out: Path = typer.Option(..., "--out", help="Private key file (PEM, 0600); the public key goes to OUT.pub.")) -> None:
    """Create a data steward's Ed25519 signing key."""
    from partages_core.access import new_steward_key

    typer.echo(f"steward key written to {out}; public key {new_steward_key(out)} (in {out}.pub)")


@agreement_app.command("trust")
def agreement_trust(public_key: Path = typer.Argument(..., help="The steward's .pub file (base64)."),
                    name: str = typer.Option(..., "--name", help="The steward's name, as agreements cite it."),
                    catalog: Optional[Path] = CATALOG_OPT) -> None:
    """Trust a steward's public key to sign agreements in this governance database."""
    from partages_core.access import trust_steward
    from partages_core.files import read_text
    from partages_core.store import AuditLog, Store

    store = Store(catalog)
    trust_steward(store, name, read_text(public_key))
    AuditLog(store).append(name, "trust-steward", "", "granted", "")
    typer.echo(f"trusted steward {name}")


@agreement_app.command("sign")
def agreement_sign(source: Path = typer.Argument(..., help="Agreement YAML/JSON (id, who, organisation, purpose, datasets, expires, allowed_outputs)."),
                   key: Path = typer.Option(..., "--key", help="The steward's private key."),
                   signer: str = typer.Option(..., "--signer", help="The steward's trusted name."),
                   out: Path = typer.Option(..., "--out", help="Signed agreement (JSON)."),
                   force: bool = typer.Option(False, "--force", help="Replace an existing file.")) -> None:
    """Sign an agreement with a steward key."""
    from partages_core.access import load_agreements, sign_agreement, signed_document
    from partages_core.keys import load_private_key
    from partages_core.files import write_json

    if out.exists() and not force:
        raise InputError(f"--out {out}: exists; pass --force to replace it")
    agreements = load_agreements(source)
    if len(agreements) != 1:
        raise InputError(f"{source}: expected one agreement, found {len(agreements)}")
    signed = sign_agreement(agreements[0], load_private_key(key), signer)
    write_json(out, signed_document(signed))
    typer.echo(f"signed {signed.id} as {signer} -> {out}")


@agreement_app.command("add")
def agreement_add(source: Path = typer.Argument(..., help="A signed agreement file."),
                  catalog: Optional[Path] = CATALOG_OPT) -> None:
    """Register a signed agreement (its signature is checked against the trusted stewards)."""
    from partages_core.access import load_agreements, register_agreement
    from partages_core.store import AuditLog, Store

    store = Store(catalog)
    for a in load_agreements(source):
        register_agreement(store, a)
        AuditLog(store).append(a.signer, "add-agreement", ",".join(a.datasets), "granted", "", agreement=a.id, who=a.who)
        typer.echo(f"registered agreement {a.id} for {a.who} ({', '.join(a.datasets)}) until {a.expires}")


def register(app: typer.Typer) -> None:
    app.command("pseudonymize")(pseudonymize_cmd)
    app.add_typer(catalog_app, name="catalog")
    app.add_typer(audit_app, name="audit")
    app.add_typer(agreement_app, name="agreement")
