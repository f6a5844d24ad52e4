"""Fine-tuning heads on the encoder: ``SpanTagger`` (BIO token classification with character
offsets, long texts in overlapping windows) and ``TextClassifier`` (sequence classification).

Both save a plain Hugging Face folder (model + tokenizer + ``label_map.json``) loadable with
``AutoModelFor…`` and ``pipeline``; predictions use the rules extractors' span schema
(``start``, ``end``, ``label``, ``text``, ``score``) so rules and models are swappable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partages_core.config import Profile, get_profile
from partages_core.errors import InputError
from partages_core.files import write_json
from partages_core.models.checkpoint import check_checkpoint
from partages_core.models.training import atomic_save, fit, quiet_if_ci

LABEL_MAP = "label_map.json"


def _base_or_scratch(texts: Sequence[str], base: str | Path | None, profile: Profile):
    """Tokenizer + base path: ``base`` if given, else the commons encoder if built, else scratch."""
    from transformers import AutoTokenizer

    from partages_core.models.encoder import default_encoder_dir
    from partages_core.models.tokenizer import train_wordpiece

    if base is None:
        default = default_encoder_dir(profile)
        base = default if (default / "config.json").is_file() else None
    if base is not None:
        check_checkpoint(base, "masked-lm", base_encoder=True)
        return AutoTokenizer.from_pretrained(str(base)), str(base)
    return train_wordpiece(texts, profile.vocab_size, max_length=profile.max_length), None


def _head(texts: Sequence[str], base: str | Path | None, profile: Profile, id2label: dict[int, str],
          auto_cls: Any, scratch_cls: Any) -> tuple[Any, str | None, Any]:
    """Tokenizer, base path and a classification head: on the base encoder, else a fresh BERT."""
    from partages_core.models.encoder import encoder_config

    label2id = {lab: i for i, lab in id2label.items()}
    tokenizer, base_path = _base_or_scratch(texts, base, profile)
    if base_path:
        model = auto_cls.from_pretrained(base_path, num_labels=len(id2label), id2label=id2label, label2id=label2id)
    else:
        config = encoder_config(profile, tokenizer)
        config.num_labels, config.id2label, config.label2id = len(id2label), id2label, label2id
        model = scratch_cls(config)
    return tokenizer, base_path, model


def _window(tokenizer: Any, config: Any, profile: Profile | None) -> tuple[int, int]:
    limit = min(getattr(config, "max_position_embeddings", 512),
                profile.max_length if profile else 10**6, tokenizer.model_max_length or 10**6)
    return limit, max(8, limit // 4)


def _encode(tokenizer: Any, texts: Sequence[str], max_length: int, stride: int) -> Any:
    return tokenizer(list(texts), truncation=True, max_length=max_length, stride=stride,
                     return_overflowing_tokens=True, return_offsets_mapping=True)


def _check_inputs(texts: Sequence[str], others: Sequence[Any], name: str) -> None:
    if len(texts) != len(others):
        raise InputError(f"{name}: {len(others)} given for {len(texts)} texts")
    if not texts:
        raise InputError("texts: empty training set")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InputError(f"texts[{i}]: expected str, got {type(text).__name__}")


def _check_spans(texts: Sequence[str], spans: Sequence[Sequence[dict]]) -> None:
    for i, (text, doc_spans) in enumerate(zip(texts, spans)):
        for j, span in enumerate(doc_spans):
            missing = [k for k in ("start", "end", "label") if k not in span]
            if missing:
                raise InputError(f"spans[{i}][{j}]: missing field(s) {missing}")
            if not 0 <= span["start"] < span["end"] <= len(text):
                raise InputError(f"spans[{i}][{j}]: offsets {span['start']}-{span['end']} outside "
                                 f"text of length {len(text)}")


@dataclass
class _EncoderHead:
    """What both heads share: their fields, saving with ``label_map.json``, checked loading."""

    model: Any
    tokenizer: Any
    labels: list[str]
    max_length: int
    stride: int
    path: Path | None = None
    info: dict[str, Any] = field(default_factory=dict)

    AUTO_CLASS = ""  # the transformers Auto class that loads the head
    TASK = ""  # the pipeline task the checkpoint check expects

    def _persist_info(self) -> None:
        """Keep ``label_map.json`` of a saved model in step with its latest evaluation (for cards)."""
        if self.path is not None and (self.path / LABEL_MAP).is_file():
            write_json(self.path / LABEL_MAP, self.info, sort_keys=False)

    def save(self, out_dir: str | Path) -> Path:
        """Write model, tokenizer and ``label_map.json`` (atomic swap of the folder's files)."""
        def write(tmp: Path) -> None:
            self.model.save_pretrained(str(tmp))
            self.tokenizer.save_pretrained(str(tmp))
            (tmp / LABEL_MAP).write_text(json.dumps(self.info, ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
        self.path = atomic_save(write, out_dir)
        return self.path

    @classmethod
    def load(cls, path: str | Path):
        """Load a saved head; a bad folder raises ``InputError`` naming what is missing."""
        import transformers
        from transformers import AutoTokenizer

        quiet_if_ci()
        check_checkpoint(path, cls.TASK)
        info = _read_label_map(path)
        model = getattr(transformers, cls.AUTO_CLASS).from_pretrained(str(path)).eval()
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        return cls(model, tokenizer, info["labels"], info["max_length"], info["stride"], Path(path), info)


@dataclass
class SpanTagger(_EncoderHead):
    """A BIO token-classification model predicting character-offset spans."""

    AUTO_CLASS = "AutoModelForTokenClassification"
    TASK = "token-classification"

    @classmethod
    def train(cls, texts: Sequence[str], spans: Sequence[Sequence[dict]], out_dir: str | Path,
              seed: int = 13, base: str | Path | None = None, profile: Profile | None = None, *,
              labels: Sequence[str] | None = None, max_steps: int | None = None,
              batch_size: int = 8, learning_rate: float = 1e-3, resume: bool = True,
              callbacks: list | None = None, decode: str = "token") -> "SpanTagger":
        """Fine-tune a tagger on gold spans and save it in ``out_dir`` (HF format). ``decode``, saved
        with it: ``"token"`` reads each piece's tag as predicted, ``"word"`` makes them consistent
        per word first (:func:`_word_tags`)."""
        from transformers import AutoModelForTokenClassification, BertForTokenClassification
        from transformers import DataCollatorForTokenClassification, set_seed

        _check_inputs(texts, spans, "spans")
        _check_spans(texts, spans)
        if decode not in DECODES:
            raise InputError(f"decode: expected one of {list(DECODES)}, got {decode!r}")
        profile = profile or get_profile()
        set_seed(seed)
        entity_labels = sorted(set(labels or ()) | {s["label"] for doc in spans for s in doc})
        bio = ["O"] + [f"{p}-{lab}" for lab in entity_labels for p in ("B", "I")]
        id2label = dict(enumerate(bio))
        label2id = {lab: i for i, lab in id2label.items()}
        tokenizer, base_path, model = _head(texts, base, profile, id2label, AutoModelForTokenClassification,
                                            BertForTokenClassification)
        max_length, stride = _window(tokenizer, model.config, profile)
        enc = _encode(tokenizer, texts, max_length, stride)
        features = []
        for k, sample in enumerate(enc["overflow_to_sample_mapping"]):
            tags = _bio_tags(enc["offset_mapping"][k], enc.sequence_ids(k), spans[sample], label2id)
            features.append({"input_ids": enc["input_ids"][k], "attention_mask": enc["attention_mask"][k],
                             **({"token_type_ids": enc["token_type_ids"][k]} if "token_type_ids" in enc else {}),
                             "labels": tags})
        stats = fit(model, features, DataCollatorForTokenClassification(tokenizer), out_dir, seed=seed,
                    epochs=profile.finetune_epochs, max_steps=max_steps, batch_size=batch_size,
                    learning_rate=learning_rate, save_steps=50, resume=resume, callbacks=callbacks)
        stats.pop("trainer")
        info = {"kind": "span_tagger", "labels": entity_labels, "bio": bio, "decode": decode, "max_length": max_length,
                "stride": stride, "base": base_path, "seed": seed, "profile": profile.name,
                "train_texts": len(texts), "train_windows": len(features),
                **{k: v for k, v in stats.items() if k != "is_main"}}
        model.eval()
        tagger = cls(model, tokenizer, entity_labels, max_length, stride, Path(out_dir), info)
        if stats["is_main"]:
            tagger.save(out_dir)
        return tagger

    def evaluate(self, texts: Sequence[str], spans: Sequence[Sequence[dict]], mode: str = "strict",
                 predicted: Sequence[Sequence[dict]] | None = None) -> dict[str, Any]:
        """Micro P/R/F1 (and per-label F1) of predictions against gold spans, stored in ``info``;
        ``predicted``: this tagger's spans of ``texts`` already computed (scored in another mode)."""
        from partages_core.metrics import macro_f1, merge, micro, span_counts

        pred = self.predict(texts) if predicted is None else predicted
        per_label = merge(*[span_counts(g, p, lambda x: x["label"], mode) for g, p in zip(spans, pred)])
        total = micro(per_label)
        result = {"precision": round(total.precision, 4), "recall": round(total.recall, 4),
                  "f1": round(total.f1, 4), "macro_f1": round(macro_f1(per_label), 4), "match": mode,
                  "eval_texts": len(texts), "per_label_f1": {k: round(c.f1, 4) for k, c in sorted(per_label.items())}}
        self.info.update(result)
        self._persist_info()
        return result

    def predict(self, texts: Sequence[str], batch_size: int = 16) -> list[list[dict[str, Any]]]:
        """Spans per text: ``{"start","end","label","text","score"}`` with offsets into the text."""
        import torch

        if isinstance(texts, str):
            raise InputError("texts: expected a list of strings, got one string")
        texts = list(texts)
        if not texts:
            return []
        enc = _encode(self.tokenizer, texts, self.max_length, self.stride)
        id2label = self.model.config.id2label
        best: list[dict[tuple[int, int], tuple[float, str]]] = [{} for _ in texts]
        words: list[dict[tuple[int, int], int]] = [{} for _ in texts]
        by_word = self.info.get("decode", "token") == "word"
        dists: list[dict[tuple[int, int], Any]] = [{} for _ in texts]  # each piece's probabilities (word decoding)
        keys = ["input_ids", "attention_mask"] + (["token_type_ids"] if "token_type_ids" in enc else [])
        with torch.no_grad():
            for lo in range(0, len(enc["input_ids"]), batch_size):
                batch = self.tokenizer.pad({k: enc[k][lo:lo + batch_size] for k in keys}, return_tensors="pt")
                probs = torch.softmax(self.model(**batch).logits, dim=-1)
                scores, ids = probs.max(dim=-1)
                for row in range(probs.shape[0]):
                    k = lo + row
                    sample = enc["overflow_to_sample_mapping"][k]
                    seq, wids = enc.sequence_ids(k), enc.word_ids(k)
                    for t, (a, b) in enumerate(enc["offset_mapping"][k]):
                        if seq[t] is None or a == b:
                            continue
                        words[sample][(a, b)] = wids[t]
                        score = float(scores[row, t])
                        if score > best[sample].get((a, b), (-1.0, ""))[0]:
                            best[sample][(a, b)] = (score, id2label[int(ids[row, t])])
                            if by_word:
                                dists[sample][(a, b)] = probs[row, t]

        def probs_of(sample: int):
            return lambda key: {id2label[i]: float(v) for i, v in enumerate(dists[sample][key])}

        if not by_word:
            return [_decode_bio(text, tokens) for text, tokens in zip(texts, best)]
        return [_decode_bio(text, tokens, w, probs_of(i)) for i, (text, tokens, w) in enumerate(zip(texts, best, words))]


def _read_label_map(path: str | Path) -> dict[str, Any]:
    file = Path(path) / LABEL_MAP
    if not file.is_file():
        raise InputError(f"{path}: incomplete checkpoint, missing {LABEL_MAP}")
    return json.loads(file.read_text(encoding="utf-8"))


def _bio_tags(offsets: Sequence[tuple[int, int]], seq_ids: Sequence[int | None],
              spans: Sequence[dict], label2id: dict[str, int]) -> list[int]:
    """BIO label ids for one window: a token is inside a span when its characters overlap it."""
    tags = []
    ordered = sorted(spans, key=lambda s: (s["start"], -s["end"]))
    prev_span = None
    for (a, b), seq in zip(offsets, seq_ids):
        if seq is None or a == b:
            tags.append(-100)
            prev_span = None
            continue
        hit = next((s for s in ordered if a < s["end"] and b > s["start"]), None)
        if hit is None:
            tags.append(label2id["O"])
        elif hit is prev_span:
            tags.append(label2id[f"I-{hit['label']}"])
        else:
            tags.append(label2id[f"B-{hit['label']}"])
        prev_span = hit
    return tags


DECODES = ("token", "word")  # how predicted piece tags become spans (``SpanTagger.train(decode=…)``)


def _word_tags(text: str, tokens: dict[tuple[int, int], tuple[float, str]],
               words: dict[tuple[int, int], int]) -> dict[tuple[int, int], tuple[float, str]]:
    """Piece tags made consistent per word (``decode="word"``): the pieces of one word (the tokenizer's
    word ids) share the label holding most of their characters x probability, any entity label
    before ``O`` (a word is left only when none of its pieces is tagged); then a run of pieces glued
    without a space is one span from its first tagged piece to its last, with the first one's label
    (``Boulay-Perez``, ``2024-12-31``, ``Bar-le-Duc``)."""
    groups: list[list[tuple[int, int]]] = []
    for key in sorted(tokens):
        w = words.get(key)
        if groups and w is not None and words.get(groups[-1][-1]) == w:
            groups[-1].append(key)
        else:
            groups.append([key])
    keys, tags = [], []
    for g in groups:
        mass: dict[str, float] = {}
        for k in g:
            label = tokens[k][1].partition("-")[2] or "O"
            mass[label] = mass.get(label, 0.0) + tokens[k][0] * (k[1] - k[0])
        if len(mass) > 1:
            mass.pop("O", None)
        label = max(sorted(mass), key=lambda x: mass[x])
        first = tokens[g[0]][1]
        head = "O" if label == "O" else (first if first.partition("-")[2] == label else "B-" + label)
        keys += g
        tags += [head] + ["O" if head == "O" else "I-" + label] * (len(g) - 1)
    i = 0
    while i < len(keys):  # a run of glued pieces (no space): from its first tagged piece to its last, one span
        j = i
        while (j + 1 < len(keys) and keys[j + 1][0] == keys[j][1]
               and not any(c.isspace() for c in text[keys[j][1] - 1:keys[j][1] + 1])):
            j += 1  # glued: no space between (SentencePiece offsets may hold the space before a word)
        tagged = [k for k in range(i, j + 1) if tags[k] != "O"]
        for k in range(tagged[0] + 1, tagged[-1] + 1) if tagged else ():
            tags[k] = "I-" + tags[tagged[0]].partition("-")[2]
        i = j + 1
    return {k: (tokens[k][0], t) for k, t in zip(keys, tags)}


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without a dash, comma, semicolon or colon at either end, nor an unpaired bracket."""
    while start < end:
        t = text[start:end].strip()
        first = start + len(text[start:end]) - len(text[start:end].lstrip())
        last = first + len(t)
        if t and (t[-1] in "-–—,;:" or (t[-1] == ")" and "(" not in t)):
            start, end = first, last - 1
        elif t and (t[0] in "-–—,;:" or (t[0] == "(" and ")" not in t)):
            start, end = first + 1, last
        else:
            return first, last
    return start, end


SPACES = " \t\u00a0"  # what separates two words of one line (never a line break)
_SPACE_RUN = re.compile(f"[{SPACES}]*")


def _side_by_side(text: str, end: int, start: int) -> bool:
    """Whether a span starting at ``start`` follows one ending at ``end`` with only spaces between, both
    edges letters or digits (a dash or a bracket tagged with a name is punctuation between two names,
    "Clinique X - Hôpital Y"; offsets of some tokenizers hold the space before a word)."""
    gap = text[end:start] or text[start:start + 1]
    first = _SPACE_RUN.match(text, start).end()
    word = text[first:first + 1]   # the span's first character past its spaces
    return (bool(gap) and all(c in SPACES for c in gap) and end > 0 and text[end - 1].isalnum()
            and word.isalnum())


def _resolve_twins(text: str, spans: list[dict[str, Any]], probs: Any) -> list[dict[str, Any]]:
    """Two spans of one label side by side (only spaces between): the gold never holds them (0 of 7256 spans
    of the commons' training split, 1 of 8630 of the hand-written dev part), so the model read either one
    name of two words as two names ("Ben | Ammar", "DE | JOURDAN": NOM, NOM) or a first name and a surname
    under one label ("Paul | Léon": NOM, NOM). Of the three readings that keep them apart or join them, the
    likeliest by the first pieces' probabilities (``probs(piece) -> {tag: p}``) is kept: one span (the second
    word continued, its I- probability), the second relabelled (its likeliest B- of another entity label),
    or the first relabelled."""
    out: list[dict[str, Any]] = []
    for s in spans:
        prev = out[-1] if out else None
        if prev is None or prev["label"] != s["label"] or not _side_by_side(text, prev["end"], s["start"]):
            out.append(s)
            continue
        label = s["label"]
        p1, p2 = probs(prev["first"]), probs(s["first"])
        now1, now2 = p1.get(prev["tag"], 0.0), p2.get(s["tag"], 0.0)

        def other(p: dict[str, float]) -> tuple[float, str]:
            return max(((v, t[2:]) for t, v in sorted(p.items()) if t.startswith("B-") and t[2:] != label),
                       default=(0.0, label))

        (v2, y2), (v1, y1) = other(p2), other(p1)
        joined, second, first = now1 * p2.get("I-" + label, 0.0), now1 * v2, v1 * now2
        if joined >= max(second, first):
            prev["end"] = s["end"]
            prev["scores"] += s["scores"]
            continue
        if second >= first:
            s["label"] = y2
        else:
            prev["label"] = y1
        out.append(s)
    return out


def _decode_bio(text: str, tokens: dict[tuple[int, int], tuple[float, str]],
                words: dict[tuple[int, int], int] | None = None, probs: Any = None) -> list[dict[str, Any]]:
    """Merge B-/I- tokens into character spans; an I- after another label opens a new span.
    ``words`` (piece offsets -> word id): tags made consistent per word first (:func:`_word_tags`),
    with ``probs`` (piece offsets -> its tag probabilities) two spans of one label side by side resolved
    (:func:`_resolve_twins`), and the spans trimmed of dangling punctuation (:func:`_trim`)."""
    if words is not None:
        tokens = _word_tags(text, tokens, words)
    spans: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for (a, b) in sorted(tokens):
        score, tag = tokens[(a, b)]
        prefix, _, label = tag.partition("-")
        if tag == "O":
            current = None
            continue
        if current is not None and prefix == "I" and label == current["label"] and a >= current["end"]:
            current["end"] = b
            current["scores"].append(score)
            continue
        current = {"start": a, "end": b, "label": label, "scores": [score], "first": (a, b), "tag": tag}
        spans.append(current)
    if words is not None and probs is not None:
        spans = _resolve_twins(text, spans, probs)
    if words is not None:
        for s in spans:
            s["start"], s["end"] = _trim(text, s["start"], s["end"])
        spans = [s for s in spans if s["end"] > s["start"]]
    return [{"start": s["start"], "end": s["end"], "label": s["label"], "text": text[s["start"]:s["end"]],
             "score": round(sum(s["scores"]) / len(s["scores"]), 4)} for s in spans]


@dataclass
class TextClassifier(_EncoderHead):
    """A sequence classifier (e.g. response to treatment); long texts average their windows."""

    AUTO_CLASS = "AutoModelForSequenceClassification"
    TASK = "sequence-classification"

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], out_dir: str | Path, seed: int = 13,
              base: str | Path | None = None, profile: Profile | None = None, *,
              label_set: Sequence[str] | None = None, max_steps: int | None = None,
              batch_size: int = 8, learning_rate: float = 1e-3, resume: bool = True,
              callbacks: list | None = None, none_label: str | None = None) -> "TextClassifier":
        """Fine-tune a classifier on (text, label) pairs and save it in ``out_dir`` (HF format).

        ``none_label``: the texts are *lines* and this label marks a line that says nothing of the
        class; the saved classifier then reads a document line by line (:meth:`predict_spans`)."""
        from transformers import AutoModelForSequenceClassification, BertForSequenceClassification
        from transformers import DataCollatorWithPadding, set_seed

        _check_inputs(texts, labels, "labels")
        profile = profile or get_profile()
        set_seed(seed)
        classes = sorted(set(label_set or ()) | set(labels))
        id2label = dict(enumerate(classes))
        label2id = {lab: i for i, lab in id2label.items()}
        tokenizer, base_path, model = _head(texts, base, profile, id2label, AutoModelForSequenceClassification,
                                            BertForSequenceClassification)
        max_length, stride = _window(tokenizer, model.config, profile)
        enc = _encode(tokenizer, texts, max_length, stride)
        features = [{"input_ids": enc["input_ids"][k], "attention_mask": enc["attention_mask"][k],
                     **({"token_type_ids": enc["token_type_ids"][k]} if "token_type_ids" in enc else {}),
                     "labels": label2id[labels[s]]}
                    for k, s in enumerate(enc["overflow_to_sample_mapping"])]
        stats = fit(model, features, DataCollatorWithPadding(tokenizer), out_dir, seed=seed,
                    epochs=profile.finetune_epochs, max_steps=max_steps, batch_size=batch_size,
                    learning_rate=learning_rate, save_steps=50, resume=resume, callbacks=callbacks)
        stats.pop("trainer")
        info = {"kind": "text_classifier", "labels": [c for c in classes if c != none_label],
                **({"unit": "line", "none_label": none_label} if none_label else {}),
                "max_length": max_length, "stride": stride, "base": base_path, "seed": seed, "profile": profile.name, "train_texts": len(texts),
                "train_windows": len(features), **{k: v for k, v in stats.items() if k != "is_main"}}
        model.eval()
        clf = cls(model, tokenizer, classes, max_length, stride, Path(out_dir), info)
        if stats["is_main"]:
            clf.save(out_dir)
        return clf

    def evaluate(self, texts: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
        """Accuracy and macro-F1 against gold labels, stored in ``info``."""
        from partages_core.metrics import macro_f1, merge, set_counts

        pred = [p for p, _ in self.predict(texts)]
        counts = merge(*[set_counts({(i, y)}, {(i, p)}, lambda x: x[1]) for i, (y, p) in enumerate(zip(labels, pred))])
        result = {"accuracy": round(sum(p == y for p, y in zip(pred, labels)) / max(len(labels), 1), 4),
                  "macro_f1": round(macro_f1(counts), 4), "eval_texts": len(texts)}
        self.info.update(result)
        self._persist_info()
        return result

    def predict(self, texts: Sequence[str], batch_size: int = 16) -> list[tuple[str, float]]:
        """``(label, probability)`` per text: probabilities averaged over the text's windows, or, for a
        line classifier (``none_label``), those of its likeliest line (:meth:`predict_spans`)."""
        import torch

        if isinstance(texts, str):
            raise InputError("texts: expected a list of strings, got one string")
        texts = list(texts)
        if not texts:
            return []
        if self.info.get("none_label"):
            return [(label, p) for label, p, _, _ in self.predict_spans(texts, batch_size)]
        enc = _encode(self.tokenizer, texts, self.max_length, self.stride)
        keys = ["input_ids", "attention_mask"] + (["token_type_ids"] if "token_type_ids" in enc else [])
        sums = torch.zeros(len(texts), self.model.config.num_labels)
        counts = torch.zeros(len(texts), 1)
        with torch.no_grad():
            for lo in range(0, len(enc["input_ids"]), batch_size):
                batch = self.tokenizer.pad({k: enc[k][lo:lo + batch_size] for k in keys}, return_tensors="pt")
                probs = torch.softmax(self.model(**batch).logits, dim=-1)
                for row, sample in enumerate(enc["overflow_to_sample_mapping"][lo:lo + batch_size]):
                    sums[sample] += probs[row]
                    counts[sample] += 1
        mean = sums / counts
        score, ids = mean.max(dim=-1)
        return [(self.model.config.id2label[int(i)], round(float(s), 4)) for s, i in zip(score, ids)]

    def predict_spans(self, texts: Sequence[str], batch_size: int = 64) -> list[tuple[str, float, int, int]]:
        """Line classifier: ``(label, probability, start, end)`` per text. Every non-empty line is
        classified; the line least likely to be ``none_label`` gives the class (the likeliest other
        label) and its offsets justify it. A text without any non-empty line has nothing to read: it gets
        ``(none_label, 0.0, 0, 0)``, never a class."""
        import re

        import torch

        none = self.info["none_label"]
        lines, owner = [], []
        for k, text in enumerate(texts):
            for m in re.finditer(r"[^\n]+", text):
                if m.group(0).strip():
                    lines.append(m)
                    owner.append(k)
        none_id = self.model.config.label2id[none]
        best: dict[int, tuple[float, str, float, int, int]] = {}
        with torch.no_grad():
            for lo in range(0, len(lines), batch_size):
                chunk = lines[lo:lo + batch_size]
                batch = self.tokenizer([m.group(0) for m in chunk], truncation=True, max_length=self.max_length,
                                       padding=True, return_tensors="pt")
                batch.pop("overflow_to_sample_mapping", None)
                probs = torch.softmax(self.model(**batch).logits, dim=-1)
                for m, k, row in zip(chunk, owner[lo:lo + batch_size], probs):
                    not_none = 1.0 - float(row[none_id])
                    row = row.clone()
                    row[none_id] = -1.0
                    p, i = row.max(dim=-1)
                    if k not in best or not_none > best[k][0]:
                        best[k] = (not_none, self.model.config.id2label[int(i)], float(p), m.start(), m.end())
        return [(best[k][1], round(best[k][2], 4), best[k][3], best[k][4]) if k in best else (none, 0.0, 0, 0)
                for k in range(len(texts))]
