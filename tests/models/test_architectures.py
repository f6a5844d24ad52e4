"""Real architectures through ``--base``: tiny randomly initialised Llama, Qwen2 (decoders) and
CamemBERT (encoder) checkpoints built with transformers' config classes and saved locally, then
continued-pretrained, LoRA-tuned and fine-tuned by the same code paths as the portal's models."""

from __future__ import annotations

import pytest

from partages_core.models.data import split_texts


@pytest.fixture(scope="module")
def texts(commons):
    return split_texts(commons.patients, 13)


def _save_decoder(kind: str, texts: dict, folder):
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    from partages_core.models.tokenizer import train_bytelevel_bpe

    tok = train_bytelevel_bpe(texts["train"][:40], 600, max_length=64)
    common = dict(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                  num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64,
                  bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    cls, config = ((LlamaForCausalLM, LlamaConfig(**common)) if kind == "llama" else
                   (Qwen2ForCausalLM, Qwen2Config(**common)))
    cls(config).save_pretrained(str(folder))
    tok.save_pretrained(str(folder))
    return folder


@pytest.mark.parametrize("kind", ["llama", "qwen2"])
def test_decoder_base_llama_qwen2_continued_pretraining_and_lora(kind, texts, commons, tiny_profile, tmp_path):
    from partages_core.models.checkpoint import check_checkpoint
    from partages_core.models.data import instruction_pairs
    from partages_core.models.decoder import instruct_lora, pretrain_decoder
    from partages_core.quality.splits import split_patients

    base = _save_decoder(kind, texts, tmp_path / f"tiny-{kind}")
    m = pretrain_decoder(texts["train"][:40], texts["test"][:5], tmp_path / "cpt", tiny_profile, 13,
                         base=base, max_steps=3, save_steps=10**6)
    assert m["architecture"] == kind and m["base"] == str(base) and m["steps"] == 3
    assert m["perplexity"] < m["perplexity_before"]  # continued pretraining learnt something
    check_checkpoint(tmp_path / "cpt", "causal-lm")
    split = split_patients(commons.patients, 13)
    tuned = instruct_lora(tmp_path / "cpt", instruction_pairs(split["train"])[:40], instruction_pairs(split["test"]),
                          tmp_path / "lora", tiny_profile, 13, max_steps=2, generate_n=2, save_steps=10**6)
    assert tuned["conclusions_scored"] == 2 and tuned["empty_outputs"] == 0
    assert tuned["trainable_parameters"] < tuned["parameters"]
    assert (tmp_path / "lora" / "adapter" / "adapter_config.json").is_file()
    assert '"q_proj"' in (tmp_path / "lora" / "adapter" / "adapter_config.json").read_text()


def test_encoder_base_camembert_pretrains_and_fine_tunes(texts, commons, tiny_profile, tmp_path):
    from transformers import CamembertConfig, CamembertForMaskedLM

    from partages_core.models.data import span_examples
    from partages_core.models.encoder import pretrain_encoder
    from partages_core.models.heads import SpanTagger
    from partages_core.models.tokenizer import train_wordpiece
    from partages_core.quality.splits import split_patients

    tok = train_wordpiece(texts["train"][:40], 800, max_length=64)
    config = CamembertConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                             intermediate_size=64, max_position_embeddings=66, pad_token_id=tok.pad_token_id)
    base = tmp_path / "tiny-camembert"
    CamembertForMaskedLM(config).save_pretrained(str(base))
    tok.save_pretrained(str(base))
    m = pretrain_encoder(texts["train"][:40], texts["test"][:5], tmp_path / "enc", tiny_profile, 13, base=base,
                         max_steps=3, save_steps=10**6)
    assert m["steps"] == 3 and m["base"] == str(base) and m["mlm_loss"] < m["before"]["mlm_loss"]
    split = split_patients(commons.patients, 13)
    tagger = SpanTagger.train(*span_examples(split["train"][:10], "pseudo"), tmp_path / "tagger", seed=13,
                              base=tmp_path / "enc", profile=tiny_profile, max_steps=2)
    assert tagger.model.config.model_type == "camembert"
    assert len(tagger.predict(["Mme Martin, née le 3 mars 1950."])) == 1


def test_generation_is_never_empty_even_untrained(texts, commons, tiny_profile):
    from transformers import GPT2LMHeadModel

    from partages_core.models.data import instruction_pairs
    from partages_core.models.decoder import blank_token_ids, decoder_config, generate_answer
    from partages_core.models.tokenizer import train_bytelevel_bpe

    tok = train_bytelevel_bpe(texts["train"][:40], 600, max_length=64)
    model = GPT2LMHeadModel(decoder_config(tiny_profile, tok))
    blank = blank_token_ids(tok)
    assert tok.eos_token_id in blank and tok.convert_tokens_to_ids("Ċ") in blank
    for pair in instruction_pairs(commons.patients)[:5]:
        assert generate_answer(model, tok, pair, 64, blank_ids=blank).strip()


def test_copy_bonus_makes_the_answer_copy_the_source(texts, commons, tiny_profile):
    """A large bonus leaves only the source's tokens likely: the generated token is one of them,
    even from an untrained model; no bonus, no processor (the plain greedy answer)."""
    import torch
    from transformers import GPT2LMHeadModel

    from partages_core.models.data import instruction_pairs
    from partages_core.models.decoder import blank_token_ids, copy_bonus, decoder_config, generate_answer

    tok = train_bytelevel_bpe_small(texts)
    model = GPT2LMHeadModel(decoder_config(tiny_profile, tok)).eval()
    blank = blank_token_ids(tok)
    pair = next(p for p in instruction_pairs(commons.patients) if p["task"] == "conclusion")
    pieces = {tok.decode([i]).strip() for i in tok(pair["input"], verbose=False)["input_ids"]}
    plain = generate_answer(model, tok, pair, 64, max_new_tokens=1, blank_ids=blank)
    copied = generate_answer(model, tok, pair, 64, max_new_tokens=1, blank_ids=blank, copy_from=pair["input"], bonus=1e4)
    assert copied in pieces and plain == generate_answer(model, tok, pair, 64, max_new_tokens=1, blank_ids=blank,
                                                         copy_from=pair["input"], bonus=0.0)
    scores = copy_bonus(tok, "abc", 2.0, skip=blank)(None, torch.zeros(1, len(tok)))
    assert sorted(torch.nonzero(scores[0]).flatten().tolist()) == sorted(set(tok("abc")["input_ids"]) - set(blank))


def train_bytelevel_bpe_small(texts):
    from partages_core.models.tokenizer import train_bytelevel_bpe

    return train_bytelevel_bpe(texts["train"][:40], 600, max_length=64)
