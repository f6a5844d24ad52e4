"""Small causal LM (GPT-2 config) pretrained on the commons, then LoRA instruction tuning with
``peft`` on corpus-derived tasks; held-out perplexity and ROUGE-L of generated conclusions against
an extractive baseline measured in the same run. A tiny model on fictional data is weak: the
numbers are there to show the pipeline works end to end, not clinical quality."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partages_core.config import Profile, get_profile

PROMPT = "### Instruction :\n{instruction}\n### Entrée :\n{input}\n### Réponse :\n"


def decoder_config(profile: Profile, tokenizer: Any, max_length: int | None = None):
    """A GPT2Config sized by the profile (heads of 64 dims)."""
    from transformers import GPT2Config

    hidden = profile.decoder_hidden
    return GPT2Config(vocab_size=len(tokenizer), n_embd=hidden, n_layer=profile.decoder_layers,
                      n_head=max(1, hidden // 64), n_positions=max_length or profile.max_length,
                      bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                      pad_token_id=tokenizer.pad_token_id)


def _blocks(tokenizer: Any, texts: Sequence[str], size: int) -> list[dict[str, list[int]]]:
    ids: list[int] = []
    for text in texts:
        ids.extend(tokenizer(text, verbose=False)["input_ids"] + [tokenizer.eos_token_id])
    return [{"input_ids": ids[i:i + size]} for i in range(0, max(1, len(ids) - size // 4), size)]


def perplexity(model: Any, tokenizer: Any, texts: Sequence[str], max_length: int,
               batch_size: int = 8) -> float:
    """Token-level perplexity of held-out texts (contiguous blocks, padding ignored)."""
    import torch

    blocks = _blocks(tokenizer, texts, max_length)
    nll, count = 0.0, 0
    model.eval()
    with torch.no_grad():
        for lo in range(0, len(blocks), batch_size):
            batch = tokenizer.pad(blocks[lo:lo + batch_size], return_tensors="pt")
            labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
            out = model(**batch, labels=labels)
            n = int((labels[:, 1:] != -100).sum())
            nll += float(out.loss) * n
            count += n
    return round(math.exp(nll / max(count, 1)), 3)


def pretrain_decoder(train_texts: Sequence[str], eval_texts: Sequence[str], out_dir: str | Path,
                     profile: Profile | None = None, seed: int = 13, *,
                     tokenizer_dir: str | Path | None = None, max_steps: int | None = None,
                     batch_size: int = 8, learning_rate: float = 1e-3, resume: bool = True,
                     callbacks: list | None = None, save_steps: int = 50) -> dict[str, Any]:
    """Causal-LM pretraining from scratch on the commons; saves model + byte-level BPE tokenizer."""
    from transformers import AutoTokenizer, DataCollatorForLanguageModeling, GPT2LMHeadModel, set_seed

    from partages_core.models.tokenizer import train_bytelevel_bpe
    from partages_core.models.training import fit, quiet_if_ci, save_model

    quiet_if_ci()
    profile = profile or get_profile()
    set_seed(seed)
    tokenizer = (AutoTokenizer.from_pretrained(str(tokenizer_dir)) if tokenizer_dir else
                 train_bytelevel_bpe(train_texts, profile.vocab_size, max_length=profile.max_length))
    model = GPT2LMHeadModel(decoder_config(profile, tokenizer))
    blocks = _blocks(tokenizer, train_texts, profile.max_length)
    before = perplexity(model, tokenizer, eval_texts, profile.max_length)
    stats = fit(model, blocks, DataCollatorForLanguageModeling(tokenizer, mlm=False), out_dir, seed=seed,
                epochs=profile.pretrain_epochs, max_steps=max_steps, batch_size=batch_size,
                learning_rate=learning_rate, save_steps=save_steps, resume=resume, callbacks=callbacks)
    trainer = stats.pop("trainer")
    metrics = {"kind": "decoder", "profile": profile.name, "seed": seed, "layers": profile.decoder_layers,
               "hidden": profile.decoder_hidden, "parameters": model.num_parameters(),
               "vocab_size": len(tokenizer), "train_texts": len(train_texts), "eval_texts": len(eval_texts),
               "train_tokens_per_epoch": sum(len(b["input_ids"]) for b in blocks),
               "perplexity_before": before,
               "perplexity": perplexity(model, tokenizer, eval_texts, profile.max_length),
               **{k: v for k, v in stats.items() if k != "is_main"}, "world_size": trainer.args.world_size}
    if stats["is_main"]:
        save_model(model, tokenizer, metrics, out_dir)
    return metrics


def _example(tokenizer: Any, pair: dict[str, Any], max_length: int) -> dict[str, list[int]]:
    """Prompt + answer ids, the input cut from the left to fit; loss only on the answer."""
    answer = tokenizer(" " + pair["output"], verbose=False)["input_ids"][: max_length // 4] + [tokenizer.eos_token_id]
    prompt = _prompt_ids(tokenizer, pair, max_length - len(answer))
    return {"input_ids": prompt + answer, "labels": [-100] * len(prompt) + answer}


def _prompt_ids(tokenizer: Any, pair: dict[str, Any], budget: int) -> list[int]:
    head = tokenizer(PROMPT.split("{input}")[0].format(instruction=pair["instruction"]), verbose=False)["input_ids"]
    tail = tokenizer(PROMPT.split("{input}")[1], verbose=False)["input_ids"]
    body = tokenizer(pair["input"], verbose=False)["input_ids"]
    keep = max(0, budget - len(head) - len(tail))
    return (head + (body[-keep:] if keep else []) + tail)[-budget:]  # tiny contexts: keep the end


def instruct_lora(base_dir: str | Path, train_pairs: Sequence[dict], eval_pairs: Sequence[dict],
                  out_dir: str | Path, profile: Profile | None = None, seed: int = 13, *,
                  max_steps: int | None = None, batch_size: int = 8, learning_rate: float = 2e-3,
                  rank: int = 8, resume: bool = True, callbacks: list | None = None,
                  generate_n: int = 20, save_steps: int = 50) -> dict[str, Any]:
    """LoRA instruction tuning of the pretrained decoder; saves the adapter (``adapter/``) and the
    merged model (loadable by ``pipeline('text-generation')``) and returns the evaluation."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq, set_seed

    from partages_core.models.checkpoint import check_checkpoint
    from partages_core.models.training import atomic_save, fit, quiet_if_ci

    quiet_if_ci()
    profile = profile or get_profile()
    check_checkpoint(base_dir, "causal-lm")
    set_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
    model = AutoModelForCausalLM.from_pretrained(str(base_dir))
    max_length = model.config.n_positions
    lora = LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.05, target_modules=["c_attn", "c_proj"],
                      fan_in_fan_out=True, task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    trainable, total = model.get_nb_trainable_parameters()
    data = [_example(tokenizer, p, max_length) for p in train_pairs]
    baseline = evaluate_instruct(model, tokenizer, eval_pairs, max_length, generate_n)
    stats = fit(model, data, DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=-100), out_dir, seed=seed,
                epochs=profile.finetune_epochs, max_steps=max_steps, batch_size=batch_size,
                learning_rate=learning_rate, save_steps=save_steps, resume=resume, callbacks=callbacks)
    stats.pop("trainer")
    after = evaluate_instruct(model, tokenizer, eval_pairs, max_length, generate_n)
    metrics = {"kind": "instruct-lora", "base": str(base_dir), "profile": profile.name, "seed": seed,
               "lora_rank": rank, "trainable_parameters": trainable, "parameters": total,
               "train_pairs": len(train_pairs), "eval_pairs": len(eval_pairs),
               "before_tuning": baseline, **after, **{k: v for k, v in stats.items() if k != "is_main"}}
    if stats["is_main"]:
        def write(tmp: Path) -> None:
            model.save_pretrained(str(tmp / "adapter"))
            merged = model.merge_and_unload()
            merged.save_pretrained(str(tmp))
            tokenizer.save_pretrained(str(tmp))
            (tmp / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
        atomic_save(write, out_dir)
    return metrics


def generate_answer(model: Any, tokenizer: Any, pair: dict[str, Any], max_length: int,
                    max_new_tokens: int = 32) -> str:
    """Greedy answer to one instruction (deterministic), first line only."""
    import torch

    max_new_tokens = min(max_new_tokens, max_length // 4)
    ids = _prompt_ids(tokenizer, pair, max_length - max_new_tokens)
    with torch.no_grad():
        out = model.generate(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                             max_new_tokens=max_new_tokens, do_sample=False,
                             pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
    text = tokenizer.decode(out[0, len(ids):], skip_special_tokens=True)
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def evaluate_instruct(model: Any, tokenizer: Any, pairs: Sequence[dict], max_length: int,
                      generate_n: int = 20) -> dict[str, Any]:
    """Answer perplexity on all pairs; on the first ``generate_n`` conclusions, ROUGE-L F of the
    generated text and of the extractive baseline (last sentence before the conclusion)."""
    import torch
    from rouge_score import rouge_scorer

    from partages_core.models.data import extractive_baseline

    model.eval()
    nll, count = 0.0, 0
    with torch.no_grad():
        for pair in pairs:
            ex = _example(tokenizer, pair, max_length)
            labels = torch.tensor([ex["labels"]])
            out = model(input_ids=torch.tensor([ex["input_ids"]]), labels=labels)
            n = int((labels[:, 1:] != -100).sum())
            nll += float(out.loss) * n
            count += n
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    conclusions = [p for p in pairs if p["task"] == "conclusion"][:generate_n]
    model_f, base_f, samples = [], [], []
    for pair in conclusions:
        generated = generate_answer(model, tokenizer, pair, max_length)
        baseline = extractive_baseline(pair["input"])
        model_f.append(scorer.score(pair["output"], generated)["rougeL"].fmeasure)
        base_f.append(scorer.score(pair["output"], baseline)["rougeL"].fmeasure)
        if len(samples) < 3:
            samples.append({"reference": pair["output"], "generated": generated, "baseline": baseline})
    mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else None  # noqa: E731
    return {"answer_perplexity": round(math.exp(nll / max(count, 1)), 3),
            "rougeL_model": mean(model_f), "rougeL_extractive_baseline": mean(base_f),
            "conclusions_scored": len(conclusions), "samples": samples}
