"""Model-backed CU5a/CU5b: a fine-tuned span tagger finds BIOMARKER and TNM spans, a fine-tuned
classifier gives the CU5b response class (``models.usecase_models``).

Inside each predicted BIOMARKER span the marker, status, value, unit, method, variant and
negation are read with the rules' normalisers (``oncology.rules``), so both extractors return the
same schema. Histological grades are not learnt (no gold layer): they come from the rules.
A predicted span that names no known marker cannot be normalised; it is not returned as a
biomarker but counted in :func:`extract_details`'s ``unmapped`` list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from partages_core.usecases.oncology import rules as _rules
from partages_core.models.response_sentences import cue_lines_only
from partages_core.models.usecase_models import load_usecase_model, predict_lines

TAGGER = "oncology-tagger"
CLASSIFIER = "response-classifier"


def _sentence_of(text: str, start: int) -> tuple[int, int]:
    """Bounds of the sentence (rules' sentence splitter) holding offset ``start``."""
    for s, e in _rules._sentences(text):
        if s <= start < e:
            return s, e
    return start, start


def _mentions(text: str, start: int, end: int) -> list[dict[str, Any]]:
    """Biomarker items read inside one predicted span ``text[start:end]`` with the rules'
    normalisers; a span naming several markers ("EGFR, ALK et ROS1 : négatifs") is split at each
    name and enumerated names take the result written after the last one."""
    r = _rules.rules()
    orig, text = text, _rules.fold(text)  # the rules match on accent-folded text (same offsets)
    names = _rules._names_in(text, start, end)
    if not names:
        return []
    s, e = _sentence_of(text, start)
    sentence_method = _rules.find_method(text[s:e]) if e > s else None
    prefix = text[start:names[0].start()]  # "Absence de mutation des gènes KRAS, NRAS et BRAF"
    prefix_cues = prefix if r.cue_re.search(prefix) else ""
    items: list[tuple[dict[str, Any], str, bool]] = []  # (item, text after the name, bare name?)
    for i, m in enumerate(names):
        seg_start = start if i == 0 else m.start()
        seg_end = names[i + 1].start() if i + 1 < len(names) else end
        seg_start, seg_end = _rules._trim(text, seg_start, seg_end)
        if seg_end <= seg_start:
            continue
        after = text[m.end():seg_end]
        method = _rules.find_method(text[seg_start:seg_end]) or _rules.find_method(text[start:end]) or sentence_method
        variant = _rules._variant(after)
        bare = not re.sub(r"\b(?:et|ou|and)\b", "", after).strip(_rules.TRAIL + ".() ")
        for marker in _rules._markers_of(r, m.group(0)):
            value, unit = _rules._value(marker, after)
            status = _rules._status(marker, after, value, variant)
            if i == 0 and prefix_cues and not _rules._has_cue(after):
                status = _rules._status(marker, prefix_cues, value, variant)
            items.append(({"biomarker": marker, "status": status, "value": value, "unit": unit,
                           "method": method, "variant": variant, "vaf": _rules._vaf(after),
                           "start": seg_start, "end": seg_end,
                           "text": orig[seg_start:seg_end], "negated": status in _rules.NEGATIVE_STATUSES},
                          after, bare))
    for k, (item, _, bare) in enumerate(items):
        if bare:  # an enumerated name takes the result written after the next non-bare one
            right = next(((it, aft) for it, aft, b in items[k + 1:] if not b), None)
            if right is not None:
                _rules._share(item, right[0], right[1])
            elif prefix_cues:
                _rules._share(item, None, prefix_cues)
    return [item for item, _, _ in items]


def _from_spans(text: str, spans: Sequence[dict[str, Any]]) -> tuple[dict[str, list], list[dict]]:
    biomarkers, tnm, unmapped = [], [], []
    for span in spans:
        start, end = _rules._trim(text, span["start"], span["end"])
        if end <= start:
            continue
        if span["label"] == "TNM":
            tnm.append({"text": text[start:end], "start": start, "end": end})
            continue
        found = _mentions(text, start, end)
        if found:
            biomarkers.extend(found)
        else:
            unmapped.append({"start": start, "end": end, "text": text[start:end], "score": span.get("score"),
                             "reason": "no known marker name in the predicted span"})
    return {"biomarkers": biomarkers, "tnm": tnm, "grade": _rules.extract_grade(text)}, unmapped


def extract_details(texts: Sequence[str], batch_size: int = 32) -> list[tuple[dict[str, list], list[dict]]]:
    """For each text: (the ``oncology.extract`` result, predicted spans that could not be mapped)."""
    tagger = load_usecase_model(TAGGER)
    return [_from_spans(t, spans) for t, spans in zip(texts, predict_lines(tagger, list(texts), batch_size))]


def extract_batch(texts: Sequence[str], batch_size: int = 32) -> list[dict[str, list]]:
    """``oncology.extract(text, method="model")`` for many texts in batched forward passes."""
    return [out for out, _ in extract_details(texts, batch_size)]


def classify_batch(texts: Sequence[str], batch_size: int = 16, classifier: Any = None) -> list[dict[str, Any]]:
    """CU5b classes from the fine-tuned classifier (``classifier``, default the profile's built one). The
    justifying span is the rules' cue when the rules reach the same class; otherwise the line the classifier
    read the class from (a line classifier, ``TextClassifier.predict_spans``), else ``start``/``end`` are None
    and ``text`` is empty. A line classifier reads only the lines holding a word of the cue lexicon
    (``models.response_sentences.cue_lines_only``). A letter without any line the classifier can read (its none
    label) gets the rules' class."""
    clf = classifier or load_usecase_model(CLASSIFIER)
    texts = list(texts)
    if clf.info.get("none_label"):  # a line classifier reads the lines of the cue lexicon only
        found = clf.predict_spans([cue_lines_only(t) for t in texts])
    else:
        found = [(label, p, None, None) for label, p in clf.predict(texts, batch_size)]
    out = []
    for text, (label, _, start, end) in zip(texts, found):
        cue = _rules.classify_response(text)
        if label == clf.info.get("none_label"):
            label = cue["label"]  # no line to read (an empty letter): the classifier says nothing
        if cue["label"] == label and cue["start"] is not None:
            out.append({"label": label, "start": cue["start"], "end": cue["end"], "text": cue["text"]})
        elif start is not None and text[start:end].strip():
            line = text[start:end]
            start += len(line) - len(line.lstrip())
            end -= len(line) - len(line.rstrip())
            out.append({"label": label, "start": start, "end": end, "text": text[start:end]})
        else:
            out.append({"label": label, "start": None, "end": None, "text": ""})
    return out


def hybrid_response(rules: dict[str, Any], classifier: dict[str, Any]) -> dict[str, Any]:
    """The CU5b hybrid's choice: the rules' class and span; the classifier's where the rules find no response cue
    at all (their ``NonApplicable`` without a span; an explicit "pas d'évaluation" cue keeps the rules')."""
    return classifier if rules["start"] is None else rules


def classify_hybrid(text: str, classifier: Any = None) -> dict[str, Any]:
    """``oncology.classify_response(text, method="hybrid")``: :func:`hybrid_response` of the rules and the
    cue-sentence classifier (``classifier``, default the build's, ``models.response_sentences.load_built``)."""
    from partages_core.models import response_sentences

    clf = classifier or response_sentences.load_built()  # not built: one clear error, whatever the letter
    rules = _rules.classify_response(text)
    if rules["start"] is not None:
        return rules
    found = clf.classify(text)
    start, end = found["start"], found["end"]
    if start is not None:  # the sentence without its surrounding blanks
        line = text[start:end]
        start, end = start + len(line) - len(line.lstrip()), end - (len(line) - len(line.rstrip()))
    return hybrid_response(rules, {"label": found["label"], "start": start, "end": end,
                                   "text": text[start:end] if start is not None else ""})
