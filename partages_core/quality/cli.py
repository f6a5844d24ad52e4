"""``partages quality``: validate, normalize, dedup, split, report (WP2 preprocessing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from partages_core.errors import InputError

quality_app = typer.Typer(help="WP2 preprocessing: schemas + quarantine, normalisation, dedup, splits, QC report.",
                          no_args_is_help=True)

USER_OPT = typer.Option(None, "--user", envvar="PARTAGES_USER", help="Who reads the data (for the access gate).")
PURPOSE_OPT = typer.Option(None, "--purpose", envvar="PARTAGES_PURPOSE", help="Why (must match the agreement).")
AGREEMENT_OPT = typer.Option(None, "--agreement", help="A signed agreement file (repeatable).")
FORCE = typer.Option(False, "--force", help="Write into an existing non-empty --out folder.")
FOLDER = typer.Argument(..., help="A PARHAF folder (patients.json + texts + annotations.jsonl).")


def _open(folder: Path, out: Path, force: bool, user: str | None, purpose: str | None,
          agreement: list[Path] | None) -> None:
    """Refuse an unsafe ``--out``, then pass the access gate (record-level use of ``folder``, audited)."""
    from partages_core.access import gate_folder
    from partages_core.files import prepare_out

    prepare_out(out, force, [folder])
    gate_folder(folder, user, purpose, "record-level", agreement or [], action="quality")


@quality_app.command("validate")
def validate_cmd(folder: Path = FOLDER,
                 out: Path = typer.Option(..., "--out", help="Where quarantine.jsonl and validation_summary.json go."),
               force: bool = FORCE, user: Optional[str] = USER_OPT,
               purpose: Optional[str] = PURPOSE_OPT, agreement: Optional[list[Path]] = AGREEMENT_OPT) -> None:
    """Validate every table lazily; invalid rows go to the quarantine with their reasons."""
    _open(folder, out, force, user, purpose, agreement)
    from partages_core.quality.schemas import validate_folder

    v = validate_folder(folder)
    v.write(out)
    for table, s in v.summary["tables"].items():
        typer.echo(f"{table:<12} rows {s['rows']:>7}  passed {s['passed']:>7}  failed {s['failed']:>5}")
        for reason, n in s["reasons"].items():
            typer.echo(f"    {n:>5}  {reason}")
    t = v.summary["total"]
    typer.echo(f"total: {t['rows']} rows, {t['passed']} passed, {t['failed']} quarantined -> {out}")


@quality_app.command("normalize")
def normalize_cmd(folder: Path = FOLDER,
                  out: Path = typer.Option(..., "--out", help="Output folder for normalized.jsonl."),
                  accents: bool = typer.Option(False, "--accents", help="Accent-insensitive view."),
                  expand: bool = typer.Option(False, "--expand", help="Expand clinical abbreviations."),
                  sections: bool = typer.Option(False, "--sections", help="Add EDS-NLP sections and sentences."),
               force: bool = FORCE, user: Optional[str] = USER_OPT,
               purpose: Optional[str] = PURPOSE_OPT, agreement: Optional[list[Path]] = AGREEMENT_OPT) -> None:
    """Write each normalised text with its offset map and the gold spans carried onto it."""
    _open(folder, out, force, user, purpose, agreement)
    from partages_core.quality.normalize import normalize_folder

    stats = normalize_folder(folder, out, accents=accents, expand=expand, sections=sections)
    typer.echo(json.dumps(stats, ensure_ascii=False, sort_keys=True))


@quality_app.command("dedup")
def dedup_cmd(folder: Path = FOLDER,
              out: Path = typer.Option(..., "--out", help="Output folder for dedup.json."),
              threshold: float = typer.Option(0.8, "--threshold", min=0.05, max=1.0,
                                              help="Estimated Jaccard above which two documents are near duplicates."),
              seed: int = typer.Option(1, "--seed", help="MinHash seed."),
               force: bool = FORCE, user: Optional[str] = USER_OPT,
               purpose: Optional[str] = PURPOSE_OPT, agreement: Optional[list[Path]] = AGREEMENT_OPT) -> None:
    """Cluster near-duplicate documents (MinHash LSH) and write the cluster report."""
    _open(folder, out, force, user, purpose, agreement)
    from partages_core.quality.dedup import Item, find_duplicates
    from partages_core.quality.records import read_records
    from partages_core.files import write_json

    items = [Item(str(d["id"]), str(p.get("id")), str(p.get("facility")), d["text"])
             for p in read_records(folder) for d in p["documents"] if isinstance(d.get("text"), str)]
    report = find_duplicates(items, threshold=threshold, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "dedup.json", report.to_dict(), sort_keys=False)
    typer.echo(f"{report.documents} documents, {len(report.clusters)} clusters, "
               f"{report.duplicates} redundant documents at threshold {threshold} -> {out / 'dedup.json'}")


@quality_app.command("split")
def split_cmd(folder: Path = FOLDER,
              out: Path = typer.Option(..., "--out", help="Output folder: splits.json and hf/ (DatasetDict)."),
              seed: int = typer.Option(13, "--seed", help="Split seed: same seed, same splits."),
               force: bool = FORCE, user: Optional[str] = USER_OPT,
               purpose: Optional[str] = PURPOSE_OPT, agreement: Optional[list[Path]] = AGREEMENT_OPT) -> None:
    """Patient-level splits stratified by specialty and pool, written with a HF DatasetDict."""
    _open(folder, out, force, user, purpose, agreement)
    from partages_core.corpus.io.hf import save_dataset_dict
    from partages_core.corpus.io.parhaf import read_parhaf
    from partages_core.quality.splits import write_splits

    patients = read_parhaf(folder)
    if not patients:
        raise InputError(f"{folder / 'patients.json'}: no patient to split")
    splits = write_splits(patients, out, seed=seed)
    save_dataset_dict(splits, out / "hf")
    typer.echo(" ".join(f"{k}={len(v)}" for k, v in splits.items()) + f" patients -> {out}")


@quality_app.command("report")
def report_cmd(folder: Path = FOLDER,
               out: Path = typer.Option(..., "--out", help="Output folder for the QC report."),
               threshold: float = typer.Option(0.8, "--threshold", min=0.05, max=1.0, help="Dedup threshold."),
               force: bool = FORCE, user: Optional[str] = USER_OPT,
               purpose: Optional[str] = PURPOSE_OPT, agreement: Optional[list[Path]] = AGREEMENT_OPT) -> None:
    """Validate + dedup, then write the per-facility QC report (Markdown + PNG figures)."""
    _open(folder, out, force, user, purpose, agreement)
    from partages_core.quality.dedup import Item, find_duplicates
    from partages_core.quality.records import read_records
    from partages_core.quality.report import write_report
    from partages_core.quality.schemas import validate_records

    records = read_records(folder)
    if not records:
        raise InputError(f"{folder / 'patients.json'}: no patient to report on")
    v = validate_records(records)
    items = [Item(str(d["id"]), str(p.get("id")), str(p.get("facility")), d["text"])
             for p in records for d in p["documents"] if isinstance(d.get("text"), str)]
    paths = write_report(v, find_duplicates(items, threshold=threshold), out)
    v.write(out)
    typer.echo(f"wrote {len(paths)} report pages -> {paths[0]}")


def register(app: typer.Typer) -> None:
    app.add_typer(quality_app, name="quality")
