"""Tokenizers trained on the commons with ``tokenizers``, saved as HF ``PreTrainedTokenizerFast``.

WordPiece (cased, accents kept: French clinical text) for the encoder; byte-level BPE for the
decoder so that any input byte is representable. Same texts and size → identical files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

ENCODER_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
DECODER_SPECIALS = ["<|endoftext|>", "<pad>"]


def train_wordpiece(texts: Iterable[str], vocab_size: int, out_dir: str | Path | None = None,
                    max_length: int = 512):
    """Train a cased WordPiece tokenizer (BERT layout: [CLS] … [SEP]); save it if ``out_dir``."""
    from transformers import PreTrainedTokenizerFast

    normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)])
    # tokenizers' WordPieceTrainer is not reproducible (the ids of "##" pieces follow a Rust HashMap
    # order, which breaks ties differently each run), so the pieces come from a plain BPE run,
    # which is, and each piece is kept both word-initial ("x") and word-internal ("##x").
    bpe = Tokenizer(models.BPE())
    bpe.normalizer, bpe.pre_tokenizer = normalizer, pre_tokenizers.BertPreTokenizer()
    bpe.train_from_iterator(list(texts), trainer=trainers.BpeTrainer(
        vocab_size=max(64, vocab_size // 2), min_frequency=2, show_progress=False))
    vocab: dict[str, int] = {}
    for piece in ENCODER_SPECIALS + [p for pair in sorted(bpe.get_vocab().items(), key=lambda kv: kv[1])
                                     for p in (pair[0], "##" + pair[0])]:
        if len(vocab) < vocab_size:
            vocab.setdefault(piece, len(vocab))
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.decoder = decoders.WordPiece(prefix="##")
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=max_length)
    if out_dir is not None:
        fast.save_pretrained(str(out_dir))
    return fast


def train_bytelevel_bpe(texts: Iterable[str], vocab_size: int, out_dir: str | Path | None = None,
                        max_length: int = 512):
    """Train a byte-level BPE tokenizer (GPT-2 layout, ``<|endoftext|>`` as BOS/EOS); save if asked."""
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=DECODER_SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(list(texts), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
        unk_token="<|endoftext|>", pad_token="<pad>", model_max_length=max_length)
    if out_dir is not None:
        fast.save_pretrained(str(out_dir))
    return fast
