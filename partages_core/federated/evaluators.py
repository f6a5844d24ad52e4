"""What a node runs locally: evaluation tasks, the models allowed for them, and model digests.

An evaluator is ``Callable[[task, model_ref, documents], dict[label, Counts]]``: it sees the site's
documents (text + gold) and returns only counts. Two honest baselines ship here so the platform is
exercised on real systems before the model-backed extractors land: a gazetteer built from the
infectiology lexicon (CU6 labels) and regular expressions for contact identifiers (CU1).
Other tasks resolve through ``register_evaluator`` or ``partages_core.evaluation.tasks``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import import_module
from pathlib import Path

import yaml
from stdnum.fr import nir

from partages_core.corpus.model import Document
from partages_core.errors import InputError
from partages_core.metrics import Counts, merge, span_counts

Evaluator = Callable[[str, str, Sequence[Document]], dict[str, Counts]]

LEXICON = Path(__file__).resolve().parent.parent / "corpus" / "lexicons" / "infectiology.yaml"
INFECTIO_TASK = "infectio.entities"
PSEUDO_TASK = "pseudo.contact-identifiers"
INFECTIO_BASELINE = "baseline:infectio-lexicon"
PSEUDO_BASELINE = "baseline:pseudo-regex"

PSEUDO_PATTERNS = {
    "TELEPHONE": r"(?<![\w+])(?:\+33 ?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?!\d)",
    "EMAIL": r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "NIR": r"(?<!\d)[12] ?\d{2} ?\d{2} ?(?:\d{2}|2A|2B) ?\d{3} ?\d{3} ?\d{2}(?!\d)",
}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[re.Pattern, dict[str, str]]:
    lex = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
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


def infectio_lexicon(text: str) -> list[dict]:
    """Gazetteer baseline for CU6: lexicon variants found in the text, labelled, no negation."""
    pattern, terms = _gazetteer()
    return [{"start": m.start(), "end": m.end(), "label": terms[m.group(0).lower()]}
            for m in pattern.finditer(text)]


def pseudo_regex(text: str) -> list[dict]:
    """Regex baseline for CU1 contact identifiers: phone, e-mail, NIR (checksum via python-stdnum)."""
    out = []
    for label, rx in PSEUDO_PATTERNS.items():
        for m in re.finditer(rx, text):
            if label == "NIR" and not nir.is_valid(m.group(0).replace(" ", "")):
                continue
            out.append({"start": m.start(), "end": m.end(), "label": label})
    return out


def _pseudo_gold_label(span) -> str:
    return "NIR" if span.label == "ID" and span.attrs.get("id_type") == "NIR" else span.label


def _evaluate_spans(documents: Sequence[Document], layer: str, labels: Sequence[str],
                    extract: Callable[[str], list[dict]],
                    gold_label: Callable = lambda s: s.label) -> dict[str, Counts]:
    per_doc = []
    for doc in documents:
        gold = [{"start": s.start, "end": s.end, "label": gold_label(s)} for s in doc.spans(layer)]
        gold = [g for g in gold if g["label"] in labels]
        per_doc.append(span_counts(gold, extract(doc.text), lambda x: x["label"], "strict"))
    pooled = merge(*per_doc)
    return {label: pooled.get(label, Counts()) for label in labels}


def infectio_rules(text: str) -> list[dict]:
    """The WP5 rules extractor's CU6 entities (the system sites validate)."""
    from partages_core.usecases.infectiology import extract

    return extract(text)["entities"]


def pseudo_rules(text: str) -> list[dict]:
    """The WP1 rules detector, mapped to this task's labels (NIR apart from other IDs)."""
    from partages_core.governance.pseudonymisation import detect

    out = []
    for e in detect(text):
        label = "NIR" if e["label"] == "ID" and _looks_like_nir(e["text"]) else e["label"]
        if label in PSEUDO_PATTERNS:
            out.append({**e, "label": label})
    return out


def _looks_like_nir(value: str) -> bool:
    from stdnum.fr import nir

    return nir.is_valid(value.replace(" ", ""))


def infectio_model(text: str) -> list[dict]:
    """The CU6 fine-tuned span tagger's entities (``usecases.model_store``, ``infectio-tagger``)."""
    from partages_core.usecases.infectiology import extract

    return extract(text, method="model")["entities"]


INFECTIO_RULES = "rules:infectiology"
INFECTIO_MODEL = "model:infectiology"
PSEUDO_RULES = "rules:pseudonymisation"
# task -> model reference -> extractor; a node refuses any other reference.
SYSTEMS: dict[str, dict[str, Callable[[str], list[dict]]]] = {
    INFECTIO_TASK: {INFECTIO_BASELINE: infectio_lexicon, INFECTIO_RULES: infectio_rules,
                    INFECTIO_MODEL: infectio_model},
    PSEUDO_TASK: {PSEUDO_BASELINE: pseudo_regex, PSEUDO_RULES: pseudo_rules},
}
SYSTEM_SOURCES = {INFECTIO_RULES: "partages_core.usecases.infectiology.rules",
                  PSEUDO_RULES: "partages_core.governance.pseudonymisation"}


def _system(task: str, model_ref: str) -> Callable[[str], list[dict]]:
    available = SYSTEMS.get(task, {})
    if model_ref not in available:
        raise InputError(f"model: {model_ref!r} is not available for {task!r} on this node "
                         f"(available: {sorted(available)})")
    return available[model_ref]


def infectio_evaluator(task: str, model_ref: str, documents: Sequence[Document]) -> dict[str, Counts]:
    """Strict span counts of a CU6 system against ``annotations['infectio']`` (label only)."""
    return _evaluate_spans(documents, "infectio", ("Bacterie", "Bacteriemie", "Infection", "Site"),
                           _system(task, model_ref))


def pseudo_evaluator(task: str, model_ref: str, documents: Sequence[Document]) -> dict[str, Counts]:
    """Strict span counts of a CU1 system for TELEPHONE/EMAIL/NIR against ``annotations['pseudo']``."""
    return _evaluate_spans(documents, "pseudo", tuple(PSEUDO_PATTERNS), _system(task, model_ref),
                           _pseudo_gold_label)


_REGISTRY: dict[str, Evaluator] = {INFECTIO_TASK: infectio_evaluator, PSEUDO_TASK: pseudo_evaluator}
BASELINES = {INFECTIO_TASK: INFECTIO_BASELINE, PSEUDO_TASK: PSEUDO_BASELINE}


def register_evaluator(task: str, evaluator: Evaluator) -> None:
    """Make ``task`` runnable on nodes of this process (e.g. a model-backed extractor)."""
    _REGISTRY[task] = evaluator


def evaluator_for(task: str) -> Evaluator:
    """The evaluator of ``task``: registered here, else ``partages_core.evaluation.tasks.evaluator_for``."""
    if task in _REGISTRY:
        return _REGISTRY[task]
    try:
        tasks = import_module("partages_core.evaluation.tasks")
    except ModuleNotFoundError as err:
        if err.name not in ("partages_core.evaluation.tasks",):
            raise
        raise InputError(f"task: unknown task {task!r}; built-in tasks are {sorted(_REGISTRY)} and "
                         "partages_core.evaluation.tasks (the evaluation registry) is not installed") from None
    resolve = getattr(tasks, "evaluator_for", None)
    if resolve is None:
        raise InputError(f"task: unknown task {task!r}; partages_core.evaluation.tasks has no evaluator_for()")
    return resolve(task)


def model_digest(model_ref: str) -> str:
    """``sha256:`` digest of what a node would run: the baseline's definition or a model folder's files."""
    h = hashlib.sha256(model_ref.encode() + b"\n")
    if model_ref == INFECTIO_BASELINE:
        h.update(LEXICON.read_bytes())
    elif model_ref == PSEUDO_BASELINE:
        h.update(repr(sorted(PSEUDO_PATTERNS.items())).encode())
    elif model_ref in SYSTEM_SOURCES:
        module = import_module(SYSTEM_SOURCES[model_ref])
        h.update(Path(module.__file__).read_bytes())
    else:
        path = Path(model_ref)
        if model_ref == INFECTIO_MODEL:  # the trained tagger's folder (its checkpoints left out)
            from partages_core.usecases.model_store import model_available, usecase_model_dir

            if not model_available("infectio-tagger"):
                raise InputError(f"model: {model_ref!r}: the CU6 tagger is not trained (nothing at "
                                 f"{usecase_model_dir('infectio-tagger')}); see usecases.model_store")
            path = usecase_model_dir("infectio-tagger")
        if not path.exists():
            raise InputError(f"model: {model_ref!r} is neither a known system "
                             f"{sorted(r for systems in SYSTEMS.values() for r in systems)} "
                             "nor an existing model file or folder")
        files = sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file()
                       and "checkpoints" not in p.relative_to(path if path.is_dir() else path.parent).parts)
        for f in files:
            h.update(str(f.relative_to(path if path.is_dir() else path.parent)).encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return "sha256:" + h.hexdigest()
