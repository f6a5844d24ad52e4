"""Encoder/decoder pretraining, LoRA instruction tuning, model cards, fresh-process loading,
resume after interruption, the CLI and a 2-process CPU launch — all with tiny real models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from difflib import SequenceMatcher

import pytest
from transformers import TrainerCallback

from partages_core.corpus.builder import strip_accents
from partages_core.errors import InputError
from partages_core.models.checkpoint import check_checkpoint
from partages_core.models.data import instruction_pairs, split_texts
from partages_core.quality.splits import split_patients

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "CI": "true"}


@pytest.fixture(scope="module")
def texts(commons):
    return split_texts(commons.patients, 13)


@pytest.fixture(scope="module")
def encoder(texts, tiny_profile, tmp_path_factory):
    from partages_core.models.encoder import pretrain_encoder

    out = tmp_path_factory.mktemp("enc") / "encoder"
    return out, pretrain_encoder(texts["train"], texts["test"], out, tiny_profile, 13, max_steps=30)


@pytest.fixture(scope="module")
def decoder(texts, tiny_profile, tmp_path_factory):
    from partages_core.models.decoder import pretrain_decoder

    out = tmp_path_factory.mktemp("dec") / "decoder"
    return out, pretrain_decoder(texts["train"], texts["test"], out, tiny_profile, 13, max_steps=30)


def _fresh(code: str, *args: str) -> str:
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=ENV, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip().splitlines()[-1]


def test_encoder_mlm_improves_on_held_out_and_loads_in_fresh_process(encoder):
    out, m = encoder
    assert m["mlm_loss"] < m["before"]["mlm_loss"] and m["masked_tokens"] > 100
    assert m["steps"] == 30 and json.loads((out / "metrics.json").read_text())["mlm_loss"] == m["mlm_loss"]
    check_checkpoint(out, "masked-lm")
    code = ("import sys\nfrom transformers import AutoModelForMaskedLM, pipeline\n"
            "m = AutoModelForMaskedLM.from_pretrained(sys.argv[1])\n"
            "p = pipeline('fill-mask', model=sys.argv[1])\n"
            "print(len(p('Le patient est [MASK] le 3 février.')))\n")
    assert _fresh(code, str(out)) == "5"


def test_decoder_and_lora_instruct_report_perplexity_and_rouge(decoder, commons, tiny_profile, tmp_path):
    from partages_core.models.decoder import instruct_lora

    out, m = decoder
    assert m["perplexity"] < m["perplexity_before"]
    split = split_patients(commons.patients, 13)
    tuned = instruct_lora(out, instruction_pairs(split["train"]), instruction_pairs(split["test"]),
                          tmp_path / "instruct", tiny_profile, 13, max_steps=10, generate_n=3)
    assert tuned["trainable_parameters"] < tuned["parameters"] / 5  # LoRA: a small share is trained
    for key in ("answer_perplexity", "rougeL_model", "rougeL_extractive_baseline"):
        assert tuned[key] is not None and tuned[key] >= 0
    assert tuned["answer_perplexity"] < tuned["before_tuning"]["answer_perplexity"]
    assert (tmp_path / "instruct" / "adapter" / "adapter_config.json").is_file()
    code = ("import sys\nfrom transformers import pipeline\n"
            "p = pipeline('text-generation', model=sys.argv[1])\n"
            "out = p('### Instruction :\\nQuel est le mode d\\'entrée ?', max_new_tokens=5, do_sample=False)\n"
            "print(isinstance(out[0]['generated_text'], str))\n")
    assert _fresh(code, str(tmp_path / "instruct")) == "True"


def test_conclusion_tasks_come_from_the_reports(commons):
    pairs = instruction_pairs(commons.patients)
    conclusions = [p for p in pairs if p["task"] == "conclusion"]
    assert len(conclusions) > 20 and {p["task"] for p in pairs} == {"conclusion", "qa"}
    fold = lambda t: strip_accents(t.lower())  # noqa: E731
    labels = {p.id: fold(p.suggested_scenario["primary_diagnosis"]["label"]) for p in commons.patients}
    for pair in conclusions:  # the reference states the gold diagnosis (with the generator's typos)
        label = labels[pair["patient"]]
        assert SequenceMatcher(None, fold(pair["output"])[:len(label)], label).ratio() > 0.85
        assert pair["input"] and "conclusion" not in pair["input"][-15:].lower()  # no title at its end


def test_model_cards_parse_offline(encoder, tmp_path):
    from huggingface_hub import ModelCard

    from partages_core.models.cards import write_model_card

    path = write_model_card(encoder[0], "encoder-test", tmp_path)
    card = ModelCard.load(path)
    assert card.data.language == "fr" and card.data.pipeline_tag == "fill-mask"
    assert card.data.library_name == "transformers" and card.data.datasets == ["partages-commons"]
    assert {r.metric_name: r.metric_value for r in card.data.eval_results}["mlm_loss"] == encoder[1]["mlm_loss"]
    for section in ("Intended use", "Out-of-scope", "Training data", "Evaluation", "Limitations",
                    "Environmental cost"):
        assert f"## {section}" in card.text


def test_wrong_architecture_and_missing_files_are_named(encoder, decoder, tmp_path):
    with pytest.raises(InputError, match="is not a causal LM|wrong architecture|has no causal-lm"):
        check_checkpoint(encoder[0], "causal-lm")
    with pytest.raises(InputError, match="has no masked-lm architecture"):
        check_checkpoint(decoder[0], "masked-lm", base_encoder=True)
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(InputError, match=r"missing model weights .*; tokenizer"):
        check_checkpoint(tmp_path, "masked-lm")


class _Interrupt(TrainerCallback):
    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == 3:
            raise KeyboardInterrupt("simulated interruption")


@pytest.mark.slow
def test_interrupted_pretraining_resumes_from_last_checkpoint(texts, tiny_profile, tmp_path):
    from partages_core.models.encoder import pretrain_encoder
    from partages_core.models.training import last_checkpoint

    train, held = texts["train"][:20], texts["test"][:3]
    with pytest.raises(KeyboardInterrupt):
        pretrain_encoder(train, held, tmp_path / "e", tiny_profile, 13, max_steps=4, save_steps=2,
                         callbacks=[_Interrupt()])
    assert last_checkpoint(tmp_path / "e").endswith("checkpoint-2")
    assert not (tmp_path / "e" / "config.json").exists()  # nothing final written by the broken run
    m = pretrain_encoder(train, held, tmp_path / "e", tiny_profile, 13, max_steps=4, save_steps=2)
    assert m["resumed_from"].endswith("checkpoint-2") and m["steps"] == 4
    check_checkpoint(tmp_path / "e", "masked-lm")


def _cli(*args: str, launcher: list[str] | None = None) -> subprocess.CompletedProcess:
    cmd = (launcher or [sys.executable]) + ["-m", "partages_core", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=300)


@pytest.mark.slow
def test_cli_tokenizer_finetune_and_card(commons, tmp_path):
    run = _cli("models", "train-tokenizer", "--kind", "bpe", "--commons", str(commons.folder),
               "--out", str(tmp_path / "tok"))
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout)["vocab_size"] > 300 and (tmp_path / "tok" / "tokenizer.json").is_file()
    run = _cli("models", "finetune", "--task", "infectio", "--commons", str(commons.folder),
               "--max-steps", "3", "--out", str(tmp_path / "infectio"), "--base", str(tmp_path / "nowhere"))
    assert run.returncode == 2 and "checkpoint directory not found" in run.stderr and "Traceback" not in run.stderr
    run = _cli("models", "finetune", "--task", "infectio", "--commons", str(commons.folder),
               "--max-steps", "3", "--out", str(tmp_path / "infectio"))
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert result["task"] == "infectio" and 0 <= result["f1"] <= 1
    card = _cli("models", "card", "infectio-test", "--model", str(tmp_path / "infectio"), "--out", str(tmp_path))
    assert card.returncode == 0, card.stderr[-2000:]
    assert "pipeline_tag: token-classification" in (tmp_path / "infectio-test.md").read_text()


@pytest.mark.slow
def test_cli_pretrain_encoder_trains_with_the_builds_recipe(commons, tmp_path):
    """The command trains with ``build.stage_recipe`` (the build's learning rate, masks and blocks); a
    ``--base`` checkpoint gets the continued-pretraining rate and 15 % masks; flags override either."""
    from partages_core.models.build import BASE_ENCODER_LEARNING_RATE, ENCODER_BLOCKS, ENCODER_RECIPE

    recipe, (block, _) = ENCODER_RECIPE["small"], ENCODER_BLOCKS["small"]
    run = _cli("models", "pretrain-encoder", "--commons", str(commons.folder), "--max-steps", "2",
               "--out", str(tmp_path / "enc"))
    assert run.returncode == 0, run.stderr[-2000:]
    m = json.loads((tmp_path / "enc" / "metrics.json").read_text())
    assert (m["learning_rate"], m["masking"][0], m["block_length"], m["steps"]) == \
        (recipe["learning_rate"], recipe["mlm_probability"], block, 2)
    run = _cli("models", "pretrain-encoder", "--commons", str(commons.folder), "--max-steps", "1",
               "--base", str(tmp_path / "enc"), "--out", str(tmp_path / "cont"))
    assert run.returncode == 0, run.stderr[-2000:]
    m = json.loads((tmp_path / "cont" / "metrics.json").read_text())
    assert (m["learning_rate"], m["masking"][0], m["base"]) == (BASE_ENCODER_LEARNING_RATE, 0.15, str(tmp_path / "enc"))
    run = _cli("models", "pretrain-encoder", "--commons", str(commons.folder), "--max-steps", "1", "--fresh",
               "--base", str(tmp_path / "enc"), "--out", str(tmp_path / "cont"), "--learning-rate", "3e-4",
               "--mlm-probability", "0.2", "--block-length", "32")
    assert run.returncode == 0, run.stderr[-2000:]
    m = json.loads((tmp_path / "cont" / "metrics.json").read_text())
    assert (m["learning_rate"], m["masking"][0], m["block_length"]) == (3e-4, 0.2, 32)


def test_stage_recipe_is_what_the_build_trains():
    from partages_core.models import build

    enc = build.stage_recipe("encoder", build.get_profile("small"))
    assert enc == {"max_steps": build.STEPS["small"]["encoder"], "cpu_bf16": build.CPU_BF16["encoder"],
                   "block_length": build.ENCODER_BLOCKS["small"][0], "batch_size": build.ENCODER_BLOCKS["small"][1],
                   **build.ENCODER_RECIPE["small"]}
    assert build.stage_recipe("encoder", build.get_profile("small"), base="x")["learning_rate"] == \
        build.BASE_ENCODER_LEARNING_RATE
    assert build.stage_recipe("decoder", build.get_profile("small"), {"decoder": 7})["max_steps"] == 7
    assert build.stage_recipe("instruct", build.get_profile("full")) == {"max_steps": None}


@pytest.mark.slow
def test_two_process_cpu_launch_with_torchrun(commons, tmp_path):
    """The multi-GPU command, run here as 2 CPU processes (DDP over gloo)."""
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29517"]
    run = _cli("models", "pretrain-encoder", "--commons", str(commons.folder), "--max-steps", "3",
               "--out", str(tmp_path / "ddp"), launcher=torchrun)
    assert run.returncode == 0, run.stderr[-3000:]
    metrics = json.loads((tmp_path / "ddp" / "metrics.json").read_text())
    assert metrics["world_size"] == 2 and metrics["steps"] == 3


def test_conclusion_evidence_and_extractive_baselines():
    from partages_core.models.data import conclusion_evidence, extractive_baseline, last_sentence

    report = ("CHU de Nulle-Part\nService de cardiologie\n1 rue X\nTel\n\nCOMPTE RENDU\nConcerne : M. A\nIPP 1\n\n"
              "MOTIF\nNous avons hospitalisé M. A, 54 ans, pour douleur thoracique.\nTerrain : HTA.\n"
              "Examen clinique : souffle systolique. TA 120/80.\nÉvolution favorable sous aspirine.")
    assert extractive_baseline(report) == "douleur thoracique."  # the lead: the reason for admission
    assert last_sentence(report) == "Évolution favorable sous aspirine."
    # key findings: the service, the findings without history or vital signs, the lead last (nearest the answer)
    assert conclusion_evidence(report).splitlines() == [
        "Service de cardiologie", "Examen clinique : souffle systolique. Évolution favorable sous aspirine.",
        "Nous avons hospitalisé M. A, 54 ans, pour douleur thoracique."]
    assert conclusion_evidence(report, cap=80).splitlines() == [  # the findings are cut from their start
        "Service de cardiologie", "Nous avons hospitalisé M. A, 54 ans, pour douleur thoracique."]
    assert extractive_baseline("Examen normal.\nRAS ce jour.") == "RAS ce jour." and conclusion_evidence("") == ""


def test_cpu_bf16_pretraining_learns_and_saves_float32(texts, tiny_profile, tmp_path):
    """bf16 autocast (the build's encoder and decoder, where the CPU computes bf16) still learns,
    and the saved weights stay float32; on a CPU without native bf16 the flag is ignored."""
    import torch
    from transformers import AutoModelForMaskedLM

    from partages_core.models.encoder import pretrain_encoder
    from partages_core.models.training import cpu_bf16_supported

    m = pretrain_encoder(texts["train"], texts["test"], tmp_path / "e", tiny_profile, 13, max_steps=30,
                         cpu_bf16=True)
    assert m["bf16"] == cpu_bf16_supported()
    assert m["mlm_loss"] < m["before"]["mlm_loss"]
    saved = AutoModelForMaskedLM.from_pretrained(str(tmp_path / "e"))
    assert {p.dtype for p in saved.parameters()} == {torch.float32}
