"""Small causal LM (GPT-2 config) pretrained on the commons, then LoRA instruction tuning with
``peft`` on corpus-derived tasks; held-out perplexity and ROUGE-L of generated conclusions against
an extractive baseline measured in the same run, and exact match on gold-derived questions beside
the majority answer. Fictional, in-distribution data: no figure says anything about clinical quality."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partages_core.config import Profile, get_profile

PROMPT = "### Instruction :\n{instruction}\n### Entrée :\n{input}\n### Réponse :\n"
# How many times each task's training pairs enter the decoder's (continued) pretraining corpus, in
# the prompt layout: the reports outweigh the ~250 conclusion pairs of the small commons many times
# over. Chosen on the commons DEV split (ROUGE-L and QA), never on the test split.
PAIR_REPEATS = {"conclusion": 16, "qa-gold": 8}


def training_qa_pairs(patients: int) -> list[dict[str, Any]]:
    """QA pairs (task ``qa-gold``) of ``patients`` generated patients of a training seed
    (``usecase_models.RESPONSE_TRAIN_SEED``: never the commons' seed nor the held-out one), added to the LoRA
    mix: the commons' training split holds about 180 questions. Ids carry the seed, as in :func:`heldout_pairs`."""
    if patients <= 0:
        return []
    from partages_core.corpus.generator import generate
    from partages_core.models.qa import instruction_pairs as qa_pairs
    from partages_core.models.qa import qa_items
    from partages_core.models.usecase_models import RESPONSE_TRAIN_SEED

    cohort = list(generate(patients, RESPONSE_TRAIN_SEED))
    tag = f"s{RESPONSE_TRAIN_SEED}-"
    return [{**p, "patient": tag + p["patient"], "document": tag + p["document"]} for p in qa_pairs(qa_items(cohort))]


def heldout_pairs(patients: int, seed: int | None = None) -> list[dict[str, Any]]:
    """The instruction and QA pairs of ``patients`` generated patients of a held-out seed (default
    ``config.FRESH_SEED``: never the commons' seed nor a training cohort's), scored beside the
    commons' test split; their patient and document ids carry the seed (``s101-P00001``), so that they
    never collide with the commons' ids."""
    if patients <= 0:
        return []
    from partages_core.corpus.generator import generate
    from partages_core.config import FRESH_SEED
    from partages_core.models.data import instruction_pairs
    from partages_core.models.qa import instruction_pairs as qa_pairs
    from partages_core.models.qa import qa_items

    seed = FRESH_SEED if seed is None else seed
    cohort = list(generate(patients, seed))
    return [{**p, "patient": f"s{seed}-{p['patient']}", "document": f"s{seed}-{p['document']}"}
            for p in instruction_pairs(cohort) + qa_pairs(qa_items(cohort))]


def decoder_config(profile: Profile, tokenizer: Any, max_length: int | None = None):
    """A GPT2Config sized by the profile (heads of 64 dims)."""
    from transformers import GPT2Config

    hidden = profile.decoder_hidden
    return GPT2Config(vocab_size=len(tokenizer), n_embd=hidden, n_layer=profile.decoder_layers,
                      n_head=max(1, hidden // 64), n_positions=max_length or profile.max_length,
                      bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                      pad_token_id=tokenizer.pad_token_id)


def format_pair(pair: dict[str, Any]) -> str:
    """An instruction pair as one training text: the prompt, then the answer."""
    return PROMPT.format(instruction=pair["instruction"], input=pair["input"]) + " " + pair["output"]


def context_length(model: Any, profile: Profile) -> int:
    """Training/generation window: the profile's length capped by the model's positions."""
    config = model.config
    positions = getattr(config, "n_positions", None) or getattr(config, "max_position_embeddings", None)
    return min(profile.max_length, positions or profile.max_length)


def _ensure_pad(tokenizer: Any, model: Any) -> None:
    """Llama-style tokenizers ship without a pad token: pad with EOS (labels mask padding anyway)."""
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if model.config.pad_token_id is None:
        model.config.pad_token_id = tokenizer.pad_token_id


def lora_targets(model: Any) -> tuple[list[str], bool]:
    """LoRA target modules (and ``fan_in_fan_out``) of a causal-LM architecture."""
    if model.config.model_type == "gpt2":
        return ["c_attn", "c_proj"], True
    return ["q_proj", "k_proj", "v_proj", "o_proj"], False


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
                     batch_size: int = 8, learning_rate: float = 2e-3, resume: bool = True,
                     callbacks: list | None = None, save_steps: int = 50, base: str | Path | None = None,
                     warmup: float = 0.06, instructions: Sequence[dict] = (), cpu_bf16: bool = False) -> dict[str, Any]:
    """Causal-LM pretraining on the commons: from scratch (GPT-2 layout, byte-level BPE trained on
    the commons) or continued from a local checkpoint ``base`` (GPT-2, Llama, Qwen2, …).

    ``instructions`` (training-split pairs only) are added to the corpus in the prompt format,
    ``PAIR_REPEATS`` times per task, so that the LM has learnt the instruction layout and the
    answers before its LoRA tuning. ``cpu_bf16``: see ``training.fit``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorForLanguageModeling
    from transformers import GPT2LMHeadModel, set_seed

    from partages_core.models.checkpoint import check_checkpoint
    from partages_core.models.tokenizer import train_bytelevel_bpe
    from partages_core.models.training import fit, quiet_if_ci, save_model

    quiet_if_ci()
    profile = profile or get_profile()
    set_seed(seed)
    if base is not None:
        check_checkpoint(base, "causal-lm")
        tokenizer = AutoTokenizer.from_pretrained(str(base))
        model = AutoModelForCausalLM.from_pretrained(str(base))
    else:
        tokenizer = (AutoTokenizer.from_pretrained(str(tokenizer_dir)) if tokenizer_dir else
                     train_bytelevel_bpe(train_texts, profile.vocab_size, max_length=profile.max_length))
        model = GPT2LMHeadModel(decoder_config(profile, tokenizer))
    _ensure_pad(tokenizer, model)
    length = context_length(model, profile)
    pairs = [p for p in instructions for _ in range(PAIR_REPEATS.get(p.get("task", ""), 1))]
    blocks = _blocks(tokenizer, list(train_texts) + [format_pair(p) for p in pairs], length)
    before = perplexity(model, tokenizer, eval_texts, length)
    stats = fit(model, blocks, DataCollatorForLanguageModeling(tokenizer, mlm=False), out_dir, seed=seed,
                epochs=profile.pretrain_epochs, max_steps=max_steps, batch_size=batch_size,
                learning_rate=learning_rate, save_steps=save_steps, resume=resume, callbacks=callbacks,
                warmup_steps=warmup, cpu_bf16=cpu_bf16)
    trainer = stats.pop("trainer")
    metrics = {"kind": "decoder", "bf16": bool(trainer.args.bf16), "profile": profile.name, "seed": seed, "base": str(base) if base else None,
               "architecture": model.config.model_type, "layers": model.config.num_hidden_layers,
               "hidden": model.config.hidden_size, "parameters": model.num_parameters(),
               "vocab_size": len(tokenizer), "train_texts": len(train_texts), "eval_texts": len(eval_texts),
               "train_tokens_per_epoch": sum(len(b["input_ids"]) for b in blocks),
               "instruction_pairs": len(instructions), "pair_repeats": dict(PAIR_REPEATS),
               "perplexity_before": before,
               "perplexity": perplexity(model, tokenizer, eval_texts, length),
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
                  generate_n: int = 20, save_steps: int = 50, warmup: float = 0.06,
                  eval_set: str | None = None) -> dict[str, Any]:
    """LoRA instruction tuning of the pretrained decoder; saves the adapter (``adapter/``) and the
    merged model (loadable by ``pipeline('text-generation')``) and returns the evaluation
    (``eval_set``: what ``eval_pairs`` are, in words, for the card)."""
    from collections import Counter

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
    _ensure_pad(tokenizer, model)
    max_length = context_length(model, profile)
    targets, fan_in_fan_out = lora_targets(model)
    lora = LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.05, target_modules=targets,
                      fan_in_fan_out=fan_in_fan_out, task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    trainable, total = model.get_nb_trainable_parameters()
    data = [_example(tokenizer, p, max_length) for p in train_pairs]
    majority, choices, counts = majority_answers(train_pairs), answer_choices(train_pairs), answer_counts(train_pairs)
    conclusions = conclusion_choices(train_pairs)
    seen = Counter(p["output"] for p in train_pairs if p["task"] == "conclusion")
    # before tuning: the answer perplexity only (what the tuned model is compared with; generating with
    # the untuned model cost the build time and no card shows it)
    untuned = {"answer_perplexity": answer_perplexity(model, tokenizer, eval_pairs, max_length)}
    stats = fit(model, data, DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=-100), out_dir, seed=seed,
                epochs=profile.finetune_epochs, max_steps=max_steps, batch_size=batch_size,
                learning_rate=learning_rate, save_steps=save_steps, resume=resume, callbacks=callbacks,
                warmup_steps=warmup)
    stats.pop("trainer")
    after = evaluate_instruct(model, tokenizer, eval_pairs, max_length, generate_n, majority, choices, counts,
                              conclusions, seen)
    metrics = {"kind": "instruct-lora", "base": str(base_dir), "profile": profile.name, "seed": seed,
               "lora_rank": rank, "trainable_parameters": trainable, "parameters": total,
               "train_pairs": len(train_pairs), "eval_pairs": len(eval_pairs),
               **({"eval_set": eval_set} if eval_set else {}),
               "before_tuning": untuned, **after, **{k: v for k, v in stats.items() if k != "is_main"}}
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


def blank_token_ids(tokenizer: Any) -> list[int]:
    """Ids that would open an answer with nothing: end of text, padding, whitespace-only pieces."""
    ids = {i for i in (tokenizer.eos_token_id, tokenizer.pad_token_id) if i is not None}
    for i in range(len(tokenizer)):
        if not tokenizer.decode([i], skip_special_tokens=True).strip():
            ids.add(i)
    return sorted(ids)


# Conclusions are generated greedily with at least this many tokens: chosen on the commons DEV split
# with the 14:07 build's model (28 conclusions; docs/history/models.md): ROUGE-L 0.201 at 6, 0.186 at 1 and 4,
# 0.196 at 8, 0.199 at 10; beam search (4 beams, length penalty 0.5/1/2), no repeated trigram and a
# repetition penalty of 1.2 all scored lower (0.176-0.192). The lead scores 0.200 there.
CONCLUSION_MIN_TOKENS = 6
# Copy bonus (logits) of the input's tokens when a conclusion is generated; chosen on the commons DEV
# split (docs/history/models.md, "Conclusion decoding").
CONCLUSION_COPY_BONUS = 3.0
# A conclusion's closing phrase (the generator's "…, à surveiller", "… sans signe de gravité",
# "…, d'évolution favorable"): form, not content, so not looked for in the report.
_CLOSING = re.compile(r"(?:,?\s+sans\s+signe\s+de\s+gravit[eé]|,\s*[aà]\s+surveiller"
                      r"|,\s*d'[eé]volution\s+favorable)?[\s.]*$", re.IGNORECASE)


def conclusion_choices(pairs: Sequence[dict]) -> list[str]:
    """The distinct training conclusions (sorted, so scoring order is fixed)."""
    return sorted({p["output"] for p in pairs if p["task"] == "conclusion"})


def written_conclusions(pair: dict[str, Any], conclusions: Sequence[str]) -> list[str]:
    """The training conclusions whose statement (without its closing phrase) is written in the
    pair's report (its input when it has none; word bounds, after ``qa.normalise``)."""
    from partages_core.models.qa import normalise

    text = f" {normalise(pair.get('report', pair['input']))} "
    return [c for c in conclusions if (s := normalise(_CLOSING.sub("", c))) and f" {s} " in text]


def match_baseline(pair: dict[str, Any], conclusions: Sequence[str], counts: dict[str, int]) -> str:
    """The same match without the model: the most frequent training conclusion written in the report
    (ties: alphabetical), else the report's lead (``data.extractive_baseline``)."""
    from partages_core.models.data import extractive_baseline

    found = written_conclusions(pair, conclusions)
    return (min(found, key=lambda c: (-counts.get(c, 0), c)) if found
            else extractive_baseline(pair.get("report", pair["input"])))


def write_conclusion(model: Any, tokenizer: Any, pair: dict[str, Any], max_length: int,
                     conclusions: Sequence[str] = (), blank_ids: Sequence[int] | None = None) -> tuple[str, bool]:
    """The decoder's conclusion of a report, and whether it was chosen: when training conclusions are
    written in the report (:func:`written_conclusions`), the likeliest of them after the prompt (the
    report's key findings, :func:`choose_answer`); otherwise greedy generation, at least ``CONCLUSION_MIN_TOKENS`` tokens,
    the input's tokens favoured by ``CONCLUSION_COPY_BONUS``. Never empty."""
    found = written_conclusions(pair, conclusions)
    if found:
        return choose_answer(model, tokenizer, pair, found, max_length), True
    return generate_answer(model, tokenizer, pair, max_length, blank_ids=blank_ids,
                           min_new_tokens=CONCLUSION_MIN_TOKENS,
                           copy_from=pair["input"], bonus=CONCLUSION_COPY_BONUS), False


def copy_bonus(tokenizer: Any, source: str, bonus: float, skip: Sequence[int] = ()) -> Any:
    """A ``LogitsProcessor`` adding ``bonus`` to the logits of every token id found in ``source`` (bar
    ``skip``) at every decoding step: a fixed bias towards the source's vocabulary, not a copy of its
    word order (the answer leans towards the document's words)."""
    import torch
    from transformers import LogitsProcessor

    ids = sorted(set(tokenizer(source, verbose=False)["input_ids"]) - set(skip))

    class CopyBonus(LogitsProcessor):
        """Adds the bonus to the source's token ids, in place, for every row of the batch."""

        def __call__(self, input_ids: Any, scores: Any) -> Any:
            scores[:, torch.tensor(ids, dtype=torch.long)] += bonus
            return scores

    return CopyBonus()


def generate_answer(model: Any, tokenizer: Any, pair: dict[str, Any], max_length: int,
                    max_new_tokens: int = 32, blank_ids: Sequence[int] | None = None,
                    min_new_tokens: int = 1, copy_from: str = "", bonus: float = 0.0) -> str:
    """Greedy answer to one instruction (deterministic), first line only. The first generated
    token may not be blank (end of text, newline, space), so the answer is never empty.
    ``copy_from``/``bonus``: the tokens of that text get ``bonus`` added to their logits."""
    import torch
    from transformers import LogitsProcessorList

    max_new_tokens = min(max_new_tokens, max_length // 4)
    ids = _prompt_ids(tokenizer, pair, max_length - max_new_tokens)
    blank = list(blank_ids if blank_ids is not None else blank_token_ids(tokenizer))
    processors = LogitsProcessorList([copy_bonus(tokenizer, copy_from, bonus, blank)] if copy_from and bonus else [])
    with torch.no_grad():
        out = model.generate(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                             max_new_tokens=max_new_tokens, min_new_tokens=min(min_new_tokens, max_new_tokens),
                             do_sample=False,
                             begin_suppress_tokens=blank or None, logits_processor=processors,
                             pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
    text = tokenizer.decode(out[0, len(ids):], skip_special_tokens=True)
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def majority_answers(pairs: Sequence[dict]) -> dict[str, str]:
    """QA baseline: the most frequent training answer of each question (ties: alphabetical)."""
    from collections import Counter

    by_question: dict[str, Counter] = {}
    for p in pairs:
        if p["task"] == "qa-gold":
            by_question.setdefault(p["instruction"], Counter())[p["output"]] += 1
    return {q: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for q, c in by_question.items()}


def answer_choices(pairs: Sequence[dict]) -> dict[str, list[str]]:
    """The answers a QA question may take: those seen for it in training, and for a question never
    seen, those of its kind (``kind:<kind>`` keys). Sorted, so scoring order is fixed."""
    found: dict[str, set[str]] = {}
    for p in pairs:
        if p["task"] == "qa-gold":
            found.setdefault(p["instruction"], set()).add(p["output"])
            found.setdefault(f"kind:{p['kind']}", set()).add(p["output"])
    return {k: sorted(v) for k, v in found.items()}


def answer_counts(pairs: Sequence[dict]) -> dict[str, dict[str, int]]:
    """How often each training answer was given, per question and per question kind (``kind:<kind>``)."""
    counts: dict[str, dict[str, int]] = {}
    for p in pairs:
        if p["task"] == "qa-gold":
            for key in (p["instruction"], f"kind:{p['kind']}"):
                counts.setdefault(key, {})
                counts[key][p["output"]] = counts[key].get(p["output"], 0) + 1
    return counts


def candidates(pair: dict[str, Any], choices: dict[str, list[str]], found: bool = False) -> list[str]:
    """The answers a question is scored among: its training answers (those of its kind when the
    question was never seen); ``found``: the answers of its kind written in the question's evidence
    (:func:`written_answers`), its training answers when none is. The model and the majority baseline
    are given the same candidates."""
    every = choices.get(pair["instruction"]) or choices.get(f"kind:{pair['kind']}", [])
    if not found:
        return list(every)
    return written_answers(pair["input"], choices.get(f"kind:{pair['kind']}", every)) or list(every)


def written_answers(text: str, answers: Sequence[str]) -> list[str]:
    """The ``answers`` written in ``text`` and not negated (:func:`written_answer`, after ``qa.normalise``);
    a two-word Latin name also as its abbreviation ("S. aureus" writes "Staphylococcus aureus")."""
    from partages_core.models.qa import normalise

    text = normalise(text)
    return [a for a in answers
            if any(written_answer(normalise(form), text) for form in (a, abbreviation(a)) if form)]


def abbreviation(name: str) -> str | None:
    """A Latin binomial's short form ("Staphylococcus aureus" -> "S. aureus"); None for any other answer."""
    words = name.split()
    return f"{words[0][0]}. {words[1]}" if len(words) == 2 and name[:1].isupper() and words[0].isalpha() else None


def written_answer(answer: str, text: str) -> bool:
    """Whether ``answer`` is written in ``text`` (both normalised) between spaces and not negated: not right
    after "non", "absence de" or "pas de", nor followed by "non retrouvé" / "non isolé" ("BRCA1 non muté" does
    not write "muté"; "Absence de S. aureus" does not write the germ). "non" was chosen on the commons DEV
    questions (docs/history/models.md, "QA: answers found in the evidence"), the other cues in session 16 on
    the dev seed 102."""
    negated_before = r"(?<!\bnon )(?<!\babsence de )(?<!\bpas de )(?<!\bpas d )"
    return bool(answer) and re.search(r"(?:^|(?<= ))" + negated_before + re.escape(answer)
                                      + r"(?= |$)(?! non (?:retrouv|isol))", text) is not None


def majority_among(pair: dict[str, Any], options: Sequence[str], counts: dict[str, dict[str, int]]) -> str:
    """The baseline on the model's candidates: the one given most often in training for this question
    (for its kind when the question was never seen); ties: alphabetical."""
    key = pair["instruction"] if pair["instruction"] in counts else f"kind:{pair['kind']}"
    seen = counts.get(key, {})
    return min(options, key=lambda a: (-seen.get(a, 0), a)) if options else ""


def choice_logprobs(model: Any, tokenizer: Any, pair: dict[str, Any], choices: Sequence[str],
                    max_length: int, batch_size: int = 32) -> list[tuple[float, int]]:
    """Each choice's log-probability after the prompt (sum over its tokens and the end of text) and its number of
    tokens, as ``lm-evaluation-harness`` scores a multiple-choice task. Choices are scored in batches (right
    padding: the causal mask leaves real positions unchanged)."""
    import torch

    out: list[tuple[float, int]] = []
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    for lo in range(0, len(choices), batch_size):
        examples = [_example(tokenizer, {**pair, "output": c}, max_length) for c in choices[lo:lo + batch_size]]
        width = max(len(ex["input_ids"]) for ex in examples)
        ids = torch.tensor([ex["input_ids"] + [pad] * (width - len(ex["input_ids"])) for ex in examples])
        labels = torch.tensor([ex["labels"] + [-100] * (width - len(ex["labels"])) for ex in examples])
        mask = torch.tensor([[1] * len(ex["input_ids"]) + [0] * (width - len(ex["input_ids"])) for ex in examples])
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=mask).logits
        logp = torch.log_softmax(logits[:, :-1].float(), -1)
        target = labels[:, 1:]
        keep = target != -100
        picked = logp.gather(2, target.clamp(min=0).unsqueeze(2)).squeeze(2) * keep
        out += list(zip(picked.sum(1).tolist(), keep.sum(1).tolist()))
    return out


def choose_answer(model: Any, tokenizer: Any, pair: dict[str, Any], choices: Sequence[str], max_length: int,
                  batch_size: int = 32, prior: dict[str, float] | None = None) -> str:
    """The choice the model finds likeliest after the prompt (:func:`choice_logprobs`); ``prior`` (log weights, 0 for
    a choice it lacks) is added to each choice's score."""
    best, best_score = "", -math.inf
    for choice, (score, _) in zip(choices, choice_logprobs(model, tokenizer, pair, list(choices), max_length, batch_size)):
        score += (prior or {}).get(choice, 0.0)
        if score > best_score:
            best, best_score = choice, score
    return best


def read_answer(model: Any, tokenizer: Any, pair: dict[str, Any], choices: dict[str, list[str]],
                max_length: int, counts: dict[str, dict[str, int]] | None = None) -> str:
    """The decoder's answer read from its evidence: decoding constrained to the answers of the question's
    kind written there (:func:`candidates` with ``found``: a germ's name, in full or abbreviated, a status
    word; never a negated one), else to the question's training answers (a status or a response said in
    other words); the likeliest after the prompt (:func:`choose_answer`), its probability weighed by how often
    training gave it (``counts``, :func:`training_prior`)."""
    return choose_answer(model, tokenizer, pair, candidates(pair, choices, found=True), max_length,
                         prior=training_prior(pair, counts or {}))


def training_prior(pair: dict[str, Any], counts: dict[str, dict[str, int]]) -> dict[str, float]:
    """log(1 + how often training gave each answer) to this question (to its kind when never asked), added to
    the model's log-likelihood: chosen in session 16 on the dev sets (hand-written dev, 435 questions: 0.520 ->
    0.549; seed 102 unchanged)."""
    key = pair["instruction"] if pair["instruction"] in counts else f"kind:{pair['kind']}"
    return {answer: math.log1p(n) for answer, n in counts.get(key, {}).items()}


def evaluate_qa(model: Any, tokenizer: Any, pairs: Sequence[dict], max_length: int,
                majority: dict[str, str] | None = None, blank: Sequence[int] | None = None,
                choices: dict[str, list[str]] | None = None,
                counts: dict[str, dict[str, int]] | None = None) -> dict[str, Any]:
    """Exact match on the gold-derived QA pairs, beside the majority answer: the answer read from the evidence
    (:func:`read_answer`, with ``choices``; also beside the majority among the same candidates, the same reading
    without the model), the greedy generated answer, and the answer chosen among all the training answers;
    per question kind (germ, biomarker status, response) too."""
    from partages_core.metrics import wilson_interval
    from partages_core.models.qa import exact_match

    qa = [p for p in pairs if p["task"] == "qa-gold"]
    if not qa:
        return {"qa_questions": 0}
    model.eval()
    blank = blank if blank is not None else blank_token_ids(tokenizer)
    hits = {"generated": [exact_match(generate_answer(model, tokenizer, p, max_length, blank_ids=blank), p["output"])
                          for p in qa],
            "majority": [exact_match((majority or {}).get(p["instruction"], ""), p["output"]) for p in qa]}
    if choices:
        # multiple choice, as lm-evaluation-harness scores it: the model's likeliest candidate beside the
        # majority among the SAME candidates; all the training answers, then those written in the evidence
        counts = counts or {}
        for tag, found in (("all", False), ("read", True)):
            options = [candidates(p, choices, found) for p in qa]
            hits[tag] = [exact_match(read_answer(model, tokenizer, p, choices, max_length, counts) if found
                                     else choose_answer(model, tokenizer, p, o, max_length), p["output"])
                         for p, o in zip(qa, options)]
            hits[f"{tag}_majority"] = [exact_match(majority_among(p, o, counts), p["output"])
                                       for p, o in zip(qa, options)]
    answer = hits.get("read", hits["generated"])
    share = lambda xs: round(sum(xs) / len(xs), 4)  # noqa: E731
    result = {"qa_questions": len(qa), "qa_documents": len({p["document"] for p in qa}),
              "qa_answer": "read from the evidence" if choices else "generated",
              "qa_exact_match": share(answer), "qa_exact_match_ci95": wilson_interval(sum(answer), len(qa)),
              "qa_majority_baseline": share(hits["majority"]),
              "qa_majority_baseline_ci95": wilson_interval(sum(hits["majority"]), len(qa)),
              **_paired("qa_minus_majority", answer, hits["majority"]),
              "qa_generated_exact_match": share(hits["generated"]),
              "qa_generated_exact_match_ci95": wilson_interval(sum(hits["generated"]), len(qa)),
              **_paired("qa_generated_minus_majority", hits["generated"], hits["majority"])}
    for tag, key in (("all", "qa_choice"), ("read", "qa_choice_found")):
        if tag in hits:
            picked, among = hits[tag], hits[f"{tag}_majority"]
            result |= {f"{key}_accuracy": share(picked),
                       f"{key}_accuracy_ci95": wilson_interval(sum(picked), len(qa)),
                       f"{key}_majority": share(among), f"{key}_majority_ci95": wilson_interval(sum(among), len(qa)),
                       **_paired(f"{key}_minus_majority", picked, among)}
    by_kind = {}
    for kind in sorted({p["kind"] for p in qa}):
        rows = [i for i, p in enumerate(qa) if p["kind"] == kind]
        by_kind[kind] = {"questions": len(rows), **{name: share([hits[name][i] for i in rows]) for name in hits},
                         **_paired("read_minus_majority", [answer[i] for i in rows],
                                   [hits["majority"][i] for i in rows])}
    return result | {"qa_by_kind": by_kind}


def _paired(key: str, model_hits: Sequence[bool], baseline_hits: Sequence[bool]) -> dict[str, Any]:
    """The paired difference, question by question, of two systems' exact matches and its 95 % interval."""
    from partages_core.metrics import mean_interval

    diffs = [int(a) - int(b) for a, b in zip(model_hits, baseline_hits)]
    return {key: round(sum(diffs) / len(diffs), 4) if diffs else None, f"{key}_ci95": mean_interval(diffs)}


def answer_perplexity(model: Any, tokenizer: Any, pairs: Sequence[dict], max_length: int) -> float:
    """Perplexity of the answers given their prompts (loss on the answer tokens only)."""
    import torch

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
    return round(math.exp(nll / max(count, 1)), 3)


def evaluate_instruct(model: Any, tokenizer: Any, pairs: Sequence[dict], max_length: int,
                      generate_n: int = 20, majority: dict[str, str] | None = None,
                      choices: dict[str, list[str]] | None = None,
                      counts: dict[str, dict[str, int]] | None = None,
                      conclusions: Sequence[str] = (), conclusion_counts: dict[str, int] | None = None
                      ) -> dict[str, Any]:
    """Answer perplexity on all pairs; on the first ``generate_n`` conclusions, ROUGE-L F of the
    decoder's conclusion (:func:`write_conclusion`, among the training ``conclusions`` written in the
    input, else generated) and of the extractive baselines (the report's lead,
    ``data.extractive_baseline``, read from the whole report before its conclusion; its last sentence;
    the same match without the model, :func:`match_baseline`)."""
    from rouge_score import rouge_scorer

    from partages_core.metrics import mean_interval
    from partages_core.models.data import extractive_baseline, last_sentence

    model.eval()
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    scored = [p for p in pairs if p["task"] == "conclusion"][:generate_n]
    model_f, lead_f, last_f, match_f, samples, empty, chosen = [], [], [], [], [], 0, 0
    blank = blank_token_ids(tokenizer)
    for pair in scored:
        generated, picked = write_conclusion(model, tokenizer, pair, max_length, conclusions, blank)
        empty += not generated
        chosen += picked
        lead = extractive_baseline(pair.get("report", pair["input"]))
        model_f.append(scorer.score(pair["output"], generated)["rougeL"].fmeasure)
        lead_f.append(scorer.score(pair["output"], lead)["rougeL"].fmeasure)
        last_f.append(scorer.score(pair["output"], last_sentence(pair.get("report", pair["input"])))["rougeL"].fmeasure)
        match_f.append(scorer.score(pair["output"], match_baseline(pair, conclusions, conclusion_counts or {}))["rougeL"].fmeasure)
        if len(samples) < 3:
            samples.append({"reference": pair["output"], "generated": generated, "baseline": lead})
    mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else None  # noqa: E731
    return {"answer_perplexity": answer_perplexity(model, tokenizer, pairs, max_length),
            "rougeL_model": mean(model_f), "rougeL_extractive_baseline": mean(lead_f),
            "conclusions_scored": len(scored),
            "conclusion_documents": len({p["document"] for p in scored}), "empty_outputs": empty,
            "conclusions_chosen": chosen,
            **evaluate_qa(model, tokenizer, pairs, max_length, majority, blank, choices, counts),
            "rougeL_model_ci95": mean_interval(model_f), "rougeL_baseline_ci95": mean_interval(lead_f),
            "rougeL_last_sentence": mean(last_f), "rougeL_last_sentence_ci95": mean_interval(last_f),
            "rougeL_match_baseline": mean(match_f), "rougeL_match_baseline_ci95": mean_interval(match_f),
            # paired, document by document: is the model's lead over the extractive lead more than chance?
            "rougeL_minus_lead": mean([a - b for a, b in zip(model_f, lead_f)]),
            "rougeL_minus_lead_ci95": mean_interval([a - b for a, b in zip(model_f, lead_f)]),
            # the same paired difference against the match without a model (same conclusions)
            "rougeL_minus_match": mean([a - b for a, b in zip(model_f, match_f)]),
            "rougeL_minus_match_ci95": mean_interval([a - b for a, b in zip(model_f, match_f)]),
            "samples": samples}
