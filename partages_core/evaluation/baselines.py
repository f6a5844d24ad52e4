"""Baseline systems owned by the evaluation stage: EDS-NLP pipelines and simple trained baselines.

They give every task a reference point that runs here, now, and speak the same output schema as
the use-case extractors (see docs/ARCHITECTURE.md). Each baseline is a factory
``make(train_examples) -> callable(example) -> output``; pipelines are built once per factory call.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from partages_core.evaluation.base import Example

LEXICONS = Path(__file__).resolve().parent.parent / "corpus" / "lexicons"
INFECTIO_LEXICON = LEXICONS / "infectiology.yaml"
ONCOLOGY_LEXICON = LEXICONS / "oncology.yaml"

System = Callable[[Example], Any]


def _fold(s: str) -> str:
    """Lower case without accents (the key used to look lexicon entries up)."""
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=None)
def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _blank() -> Any:
    import edsnlp
    import edsnlp.pipes as eds

    nlp = edsnlp.blank("eds")
    nlp.add_pipe(eds.normalizer())  # NORM = lower case, accents and quotes folded
    nlp.add_pipe(eds.sentences())
    return nlp


# --- infectiology: eds.matcher on the CU6 lexicon + eds.negation / eds.hypothesis ------------------

def infectio_lexicon(train: Sequence[Example] = ()) -> System:
    """Lexicon matcher (bacteria, infections, sites, bacteraemia, phenotypes) with EDS-NLP negation
    and hypothesis, plus a line parser for antibiogram tables. No training."""
    import edsnlp.pipes as eds

    lex = _yaml(INFECTIO_LEXICON)
    terms: dict[str, list[str]] = {}
    norm: dict[str, tuple[str, str | None, str | None]] = {}  # key -> (label, normalized, fixed negation)

    def add(label: str, normalized: str | None, phrases: list[str], negation: str | None = None) -> None:
        key = f"{label}__{len(terms)}"
        terms[key] = list(phrases)
        norm[key] = (label, normalized, negation)

    for canonical, forms in lex["bacteria"].items():
        add("Bacterie", canonical, forms)
    for site, words in lex["sites"].items():
        add("Infection", None, words["infection"])
        add("Site", site, words["site"])
    add("Bacteriemie", None, sorted(set(lex["bacteremia_words"])))
    add("Bacteriemie", None, lex["bacteremia_negated"], "Absent")
    add("Bacteriemie", None, lex["bacteremia_uncertain"], "Indetermine")
    enzymes = lex["enzymes"]
    for pheno, spec in lex["phenotypes"].items():
        expand = lambda ps: [p.replace("{enzyme}", e) for p in ps for e in (enzymes if "{enzyme}" in p else [""])]  # noqa: E731
        add(f"R:{pheno}", None, expand(spec["phrases"]))
        add(f"R:{pheno}", None, expand(spec["negated"]), "Absent")

    nlp = _blank()
    nlp.add_pipe(eds.matcher(terms=terms, attr="NORM", ignore_excluded=True))
    nlp.add_pipe(eds.negation())
    nlp.add_pipe(eds.hypothesis())
    atc = {_fold(name): spec["atc"] for name, spec in lex["antibiotics"].items()}
    organisms = {_fold(f): c for c, forms in lex["bacteria"].items() for f in forms}

    def run(ex: Example) -> dict[str, Any]:
        doc = nlp(ex.text)
        entities, resistance = [], []
        for ent in doc.ents:
            label, normalized, fixed = norm[ent.label_]
            negation = fixed or ("Absent" if ent._.negation else "Indetermine" if ent._.hypothesis else "Present")
            item = {"start": ent.start_char, "end": ent.end_char, "text": ent.text, "negation": negation}
            if label.startswith("R:"):
                resistance.append({**item, "phenotype": label[2:], "organism": None})
            else:
                entities.append({**item, "label": label, "normalized": normalized})
        return {"entities": entities, "susceptibility": _antibiogram(ex.text, organisms, atc),
                "resistance": resistance}

    return run


_AB_HEADER = re.compile(r"ANTIBIOGRAMME\s*\(([^)]+)\)")
_AB_ROW = re.compile(r"^[ \t]*([^\n.]+?)(?:[ \t]*\.{2,}[ \t]*|[ \t]{2,})([SIR])[ \t]*$", re.MULTILINE)


def _antibiogram(text: str, organisms: dict[str, str], atc: dict[str, str]) -> list[dict[str, str]]:
    """Rows ``Antibiotique ...... S`` under an ``ANTIBIOGRAMME (organism)`` header."""
    out = []
    headers = list(_AB_HEADER.finditer(text))
    for i, h in enumerate(headers):
        organism = organisms.get(_fold(h.group(1).strip()), h.group(1).strip())
        block = text[h.end(): headers[i + 1].start() if i + 1 < len(headers) else len(text)]
        for row in _AB_ROW.finditer(block):
            name = _fold(row.group(1))
            if name in atc:
                out.append({"organism": organism, "antibiotic": row.group(1).strip(), "atc": atc[name],
                            "result": row.group(2)})
    return out


# --- infectiology: a plain gazetteer (fast; what a site can run without EDS-NLP) ----------------------

@lru_cache(maxsize=1)
def _gazetteer() -> tuple[re.Pattern, dict[str, str]]:
    lex = _yaml(INFECTIO_LEXICON)
    terms: dict[str, str] = {}
    for variants in lex["bacteria"].values():
        terms.update({v.lower(): "Bacterie" for v in variants})
    for words in (lex["bacteremia_words"], lex["bacteremia_negated"], lex["bacteremia_uncertain"]):
        terms.update({w.lower(): "Bacteriemie" for w in words if w.lower() not in terms})
    for site in lex["sites"].values():
        terms.update({w.lower(): "Infection" for w in site["infection"] if w.lower() not in terms})
        terms.update({w.lower(): "Site" for w in site["site"] if w.lower() not in terms})
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), terms


def infectio_gazetteer(train: Sequence[Example] = ()) -> System:
    """CU6 lexicon variants found in the text, labelled, every one ``Present``; no antibiogram,
    no resistance. No training."""
    pattern, terms = _gazetteer()

    def run(ex: Example) -> dict[str, list[dict[str, Any]]]:
        ents = [{"start": m.start(), "end": m.end(), "label": terms[m.group(0).lower()], "text": m.group(0),
                 "negation": "Present", "normalized": None} for m in pattern.finditer(ex.text)]
        return {"entities": ents, "susceptibility": [], "resistance": []}

    return run


# --- pseudonymisation: contact identifiers by regular expressions ------------------------------------

CONTACT_PATTERNS = {
    "TELEPHONE": r"(?<![\w+])(?:\+33 ?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?!\d)",
    "EMAIL": r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "ID": r"(?<!\d)[12] ?\d{2} ?\d{2} ?(?:\d{2}|2A|2B) ?\d{3} ?\d{3} ?\d{2}(?!\d)",  # NIR, checked below
}


def pseudo_contact_regex(train: Sequence[Example] = ()) -> System:
    """Phone numbers, e-mail addresses and NIR (valid checksum, ``python-stdnum``): the contact
    identifiers only, so every other category leaks. No training."""
    from stdnum.fr import nir

    def run(ex: Example) -> list[dict[str, Any]]:
        out = []
        for label, rx in CONTACT_PATTERNS.items():
            for m in re.finditer(rx, ex.text):
                if label == "ID" and not nir.is_valid(m.group(0).replace(" ", "")):
                    continue
                out.append({"start": m.start(), "end": m.end(), "label": label, "text": m.group(0)})
        return sorted(out, key=lambda e: (e["start"], e["end"]))

    return run


# --- pseudonymisation: eds.dates --------------------------------------------------------------------

_BIRTH_CUE = re.compile(r"(n[ée]e?\s+le|DDN\s*:?|naissance\s*:?|\()\s*$", re.IGNORECASE)


def pseudo_dates(train: Sequence[Example] = ()) -> System:
    """EDS-NLP ``eds.dates``: absolute dates are identifying (birth dates when a birth cue precedes
    them), year-only dates are not. Finds dates only: the leak rate shows what it misses."""
    import edsnlp.pipes as eds

    nlp = _blank()
    nlp.add_pipe(eds.dates())

    def run(ex: Example) -> list[dict[str, Any]]:
        doc = nlp(ex.text)
        out = []
        for span in doc.spans.get("dates", []):
            date = span._.date
            if getattr(date, "mode", None) is not None and str(getattr(date, "mode", "")).endswith("RELATIVE"):
                continue
            fields = date.dict(exclude_none=True) if hasattr(date, "dict") else {}
            if "day" not in fields and "month" not in fields:
                label = "DATE_NON_IDENTIFIANTE"
            elif _BIRTH_CUE.search(ex.text[max(0, span.start_char - 12):span.start_char]):
                label = "DATE_NAISSANCE"
            else:
                label = "DATE_IDENTIFIANTE"
            out.append({"start": span.start_char, "end": span.end_char, "label": label, "text": span.text})
        return out

    return run


# --- oncology: eds.matcher on biomarker names + status phrases, eds.tnm ------------------------------

def oncology_lexicon(train: Sequence[Example] = ()) -> System:
    """Biomarker names from the CU5a lexicon (eds.matcher), status from the longest status phrase in
    the rest of the line, TNM from ``eds.tnm``."""
    import edsnlp.pipes as eds

    lex = _yaml(ONCOLOGY_LEXICON)["biomarkers"]
    nlp = _blank()
    nlp.add_pipe(eds.matcher(terms={m: spec["names"] for m, spec in lex.items()}, attr="NORM"))
    nlp.add_pipe(eds.tnm())
    status_res: dict[str, list[tuple[re.Pattern, str]]] = {}
    for marker, spec in lex.items():
        pats = []
        for status, phrases in spec.get("statuses", {}).items():
            for ph in phrases:
                rx = re.escape(_fold(ph)).replace(r"\{value\}", r".{1,12}?").replace(r"\{variant\}", r".{1,30}?")
                pats.append((re.compile(rx), status))
        status_res[marker] = sorted(pats, key=lambda p: -len(p[0].pattern))

    def run(ex: Example) -> dict[str, Any]:
        doc = nlp(ex.text)
        biomarkers = []
        for ent in doc.ents:
            line_end = ex.text.find("\n", ent.end_char)
            line_end = len(ex.text) if line_end < 0 else line_end
            line_start = ex.text.rfind("\n", 0, ent.start_char) + 1
            rest = _fold(ex.text[ent.end_char:line_end])
            best = None
            for rx, status in status_res.get(ent.label_, []):
                m = rx.search(rest)
                if m and (best is None or m.end() - m.start() > best[1] - best[0]):
                    best = (m.start(), m.end(), status)
            if best is None:
                continue
            end = ent.end_char + best[1]
            start = line_start if ex.text[line_start:ent.start_char].strip() else ent.start_char
            biomarkers.append({"biomarker": ent.label_, "status": best[2], "start": start, "end": end,
                               "text": ex.text[start:end], "negated": best[2] in ("negative", "wild-type")})
        tnm = [{"start": s.start_char, "end": s.end_char, "text": s.text} for s in doc.spans.get("tnm", [])]
        return {"biomarkers": biomarkers, "tnm": tnm}

    return run


# --- response: majority class ------------------------------------------------------------------------

def response_majority(train: Sequence[Example] = ()) -> System:
    """The most frequent response class of the training split (ties: alphabetical)."""
    counts = Counter(ex.gold["label"] for ex in train)
    if not counts:
        raise ValueError("response-majority: the training split has no response documents")
    label = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return lambda ex: {"label": label}


# --- generation: lead sentence + bigram language model -------------------------------------------

_TOKEN = re.compile(r"\w+|[^\w\s]")


class BigramLM:
    """Interpolated bigram/unigram model over lower-cased word tokens (add-one unigram floor)."""

    def __init__(self, texts: Sequence[str], lam: float = 0.7) -> None:
        self.lam = lam
        self.uni: Counter = Counter()
        self.bi: Counter = Counter()
        for t in texts:
            toks = ["<s>"] + _TOKEN.findall(t.lower()) + ["</s>"]
            self.uni.update(toks)
            self.bi.update(zip(toks, toks[1:]))
        self.total = sum(self.uni.values())
        self.vocab = len(self.uni) + 1

    def nll(self, text: str) -> tuple[float, int]:
        """Total negative log-likelihood (nats) and number of predicted tokens."""
        toks = ["<s>"] + _TOKEN.findall(text.lower()) + ["</s>"]
        total = 0.0
        for prev, tok in zip(toks, toks[1:]):
            p_uni = (self.uni[tok] + 1) / (self.total + self.vocab)
            p_bi = self.bi[(prev, tok)] / self.uni[prev] if self.uni[prev] else 0.0
            total -= math.log(self.lam * p_bi + (1 - self.lam) * p_uni)
        return total, len(toks) - 1


def generation_lead(train: Sequence[Example] = ()) -> System:
    """Writes the report's lead, the reason for admission (``models.data.extractive_baseline``, the
    decoder's baseline too); scores references with a bigram model trained on the training conclusions."""
    from partages_core.models.data import extractive_baseline

    lm = BigramLM([ex.gold["conclusion"] for ex in train])

    def run(ex: Example) -> dict[str, Any]:
        nll, n = lm.nll(ex.gold["conclusion"])
        return {"generated": extractive_baseline(ex.text), "nll": nll, "n_tokens": n}

    return run


# --- negation on real text (E3C events) --------------------------------------------------------------

def event_negation(train: Sequence[Example] = ()) -> System:
    """EDS-NLP ``eds.negation`` on gold event spans: NEG when the pipe marks the span negated."""
    import edsnlp.pipes as eds

    nlp = _blank()
    nlp.add_pipe(eds.negation())

    def run(ex: Example) -> dict[str, Any]:
        from spacy.util import filter_spans

        doc = nlp.make_doc(ex.text)
        for name, pipe in nlp.pipeline:
            if "negation" in name:  # the gold events become the entities the qualifier reads
                spans = [doc.char_span(ev["start"], ev["end"], alignment_mode="expand", label="EVENT")
                         for ev in ex.gold["events"]]
                doc.ents = filter_spans([s for s in spans if s is not None])
            doc = pipe(doc)
        negated = [(e.start_char, e.end_char) for e in doc.ents if e._.negation]
        return {"events": [{"start": ev["start"], "end": ev["end"],
                            "polarity": "NEG" if any(s < ev["end"] and ev["start"] < e for s, e in negated)
                            else "POS"} for ev in ex.gold["events"]]}

    return run
