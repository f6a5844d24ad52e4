"""``partages corpus``: generate the commons, print its statistics, export it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

USER_OPT = typer.Option(None, "--user", envvar="PARTAGES_USER", help="Who reads the data (for the access gate).")
PURPOSE_OPT = typer.Option(None, "--purpose", envvar="PARTAGES_PURPOSE", help="Why (must match the agreement).")
AGREEMENT_OPT = typer.Option(None, "--agreement", help="A signed agreement file (repeatable).")
FORCE = typer.Option(False, "--force", help="Replace an existing non-empty --out folder.")
corpus_app = typer.Typer(help="WP2 commons: generate fictional PARHAF-shaped records, stats, export.",
                         no_args_is_help=True)


@corpus_app.command("generate")
def generate_cmd(
    patients: int = typer.Option(..., "--patients", min=1, help="Number of fictional patients."),
    seed: int = typer.Option(13, "--seed", help="Random seed: same seed, byte-identical output."),
    out: Path = typer.Option(..., "--out", help="Output folder (PARHAF layout)."),
    force: bool = FORCE,
) -> None:
    """Write patients.json, one .txt per document and the gold annotations."""
    from partages_core.corpus.commons import build_commons
    from partages_core.files import prepare_out

    prepare_out(out, force)

    folder = build_commons(patients, seed, out)
    typer.echo(f"wrote {patients} patients to {folder}")


@corpus_app.command("stats")
def stats_cmd(folder: Path = typer.Argument(..., help="A PARHAF folder."),
              as_json: bool = typer.Option(False, "--json", help="Print JSON."),
              user: Optional[str] = USER_OPT, purpose: Optional[str] = PURPOSE_OPT,
              agreement: Optional[list[Path]] = AGREEMENT_OPT) -> None:
    """Counts per specialty, pool, facility, document type and label (exact counts: 'aggregates')."""
    from partages_core.access import gate_folder
    from partages_core.corpus.io.parhaf import read_parhaf
    from partages_core.corpus.stats import corpus_stats

    gate_folder(folder, user, purpose, "aggregates", agreement or [], action="corpus-stats")

    stats = corpus_stats(read_parhaf(folder))
    if as_json:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=1))
        return
    for group, counts in stats.items():
        typer.echo(f"{group}:")
        for key, n in counts.items():
            typer.echo(f"  {key:<45} {n}")


@corpus_app.command("handwritten")
def handwritten_cmd(
    out: Path = typer.Option(..., "--out", help="Output folder (PARHAF layout + handwritten.json)."),
    split: str = typer.Option("all", "--split", help="dev, test (frozen: never tune on it) or all."),
    source: Path = typer.Option(None, "--source", help="Folder of hw-*.md sources (default: the packaged set)."),
    force: bool = FORCE,
) -> None:
    """Convert the hand-written set (text the generator did not write) to a PARHAF folder."""
    from partages_core.corpus.handwritten import load_handwritten, write_handwritten
    from partages_core.files import prepare_out

    prepare_out(out, force, [source] if source else [])

    folder = write_handwritten(out, split, source)
    patients = load_handwritten(split, source)
    typer.echo(f"wrote {sum(len(p.documents) for p in patients)} documents ({len(patients)} patients, "
               f"split {split}) to {folder}")


@corpus_app.command("campaign")
def campaign_cmd(
    out: Path = typer.Option(..., "--out", help="Output folder: agreement.json, disagreements.jsonl, cas/<layer>/<annotator>/."),
    second: Path = typer.Option(None, "--second", help="Folder of second annotations (default: the packaged second/)."),
    source: Path = typer.Option(None, "--source", help="Folder of the first annotations (default: the packaged sources)."),
    first: Path = typer.Option(None, "--first", help="With --adjudicated: folder of A's marks before adjudication "
                               "(default: the packaged first/)."),
    adjudicated: bool = typer.Option(False, "--adjudicated", help="Score A (before adjudication) and B against the "
                                     "adjudicated sources instead of A against B: <out>/A/, <out>/B/."),
    docs: Optional[tuple[str, str]] = typer.Option(None, "--docs", metavar="FIRST LAST",
                                                   help="Compare one batch alone: the dev documents FIRST..LAST "
                                                   "(e.g. hw-209 hw-224); default every second annotation."),
    split: Optional[str] = typer.Option(None, "--split", help="test: compare the frozen test part alone (every "
                                        "test id with a file in the second annotations); not with --docs."),
    force: bool = FORCE,
) -> None:
    """Inter-annotator agreement between the hand-written gold (A) and an independent second annotation (B).

    A is taken, per document, from its record first/ (A's marks before adjudication) where the batch was
    adjudicated, else from the sources."""
    from partages_core.corpus.campaign import adjudicated_agreement, real_campaign
    from partages_core.corpus.handwritten import dev_range, first_dir, frozen_second_ids, load_annotated, second_dir
    from partages_core.errors import InputError
    from partages_core.files import prepare_out

    if split is not None:
        if split != "test":
            raise InputError(f"--split {split}: only 'test' (the frozen part's second annotations); "
                             "dev batches are chosen with --docs FIRST LAST")
        if docs:
            raise InputError("--split test with --docs: choose one (--docs takes a dev range, "
                             "--split test the frozen part)")
        ids = frozen_second_ids(second, source)
        if not ids:
            raise InputError(f"--split test: {second or second_dir()} holds no second annotation "
                             "of a frozen test document")
    else:
        ids = dev_range(*docs, source) if docs else None
    prepare_out(out, force, [p for p in (second, source, first) if p])
    if adjudicated:
        reports = adjudicated_agreement({"A": first or first_dir(), "B": second or None}, source, out, ids)
    else:
        reports = {"": real_campaign(load_annotated(second, source, ids), out)}
    for name, report in reports.items():
        prefix = f"{name} vs adjudicated: " if name else ""
        for layer, r in report["layers"].items():
            typer.echo(f"{prefix}{layer:<11} micro F1 {r['micro_f1']:.3f}  overlap {r['overlap_micro_f1']:.3f}  "
                       f"kappa {r['token_kappa']:.3f}  disagreements {r['disagreements']}")
            for label, f1 in r["per_label_f1"].items():
                n = r["mentions"][label]
                typer.echo(f"  {label:<22} F1 {f1:.3f}  n " + " / ".join(f"{k} {v}" for k, v in n.items()))
        typer.echo(f"{prefix}{report['documents']} documents, micro F1 {report['micro_f1']:.3f}; wrote {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(corpus_app, name="corpus")
