"""The document-level steps a batch can run, each one row in → one row out (or a quarantine reason).

A step is a function ``(doc, state) -> dict`` of output columns; it raises :class:`BadDocument` for a
document it cannot process. ``state`` lives for one shard (the pseudonymiser keeps one surrogate
mapping per patient there). Every step calls the public API of its stage only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa


class BadDocument(Exception):
    """A document the step cannot process: it goes to the quarantine table with this reason."""


@dataclass
class ShardState:
    """What a step may keep while it processes one shard (never shared between shards)."""

    seed: int = 0
    method: str = "rules"
    secret: str | None = None
    mappings: dict[str, Any] = field(default_factory=dict)


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def check_text(text: Any) -> str:
    """The document's text, or :class:`BadDocument` naming why it cannot be processed."""
    if text is None:
        raise BadDocument("text: missing")
    if not isinstance(text, str):
        raise BadDocument(f"text: expected a string, got {type(text).__name__}")
    if "\x00" in text:
        raise BadDocument("text: binary content (NUL bytes)")
    if not text.strip():
        raise BadDocument("text: empty")
    return text


def mapping_for(state: ShardState, patient: str) -> Any:
    """The patient's surrogate mapping, drawn from the run's key, seed and patient only: any shard,
    worker or executor that handles one of the patient's notes draws the same surrogates and date shift."""
    from partages_core.governance.surrogates import SurrogateMapping

    if patient not in state.mappings:
        state.mappings[patient] = SurrogateMapping(seed=state.seed, key=str(patient), secret=state.secret)
    return state.mappings[patient]


def pseudonymize_doc(doc: dict, state: ShardState) -> dict:
    from partages_core.governance.pseudonymisation import pseudonymize

    text = check_text(doc.get("text"))
    result = pseudonymize(text, doc.get("context"), state.seed, mapping_for(state, doc["patient"]), method=state.method)
    return {"text": result["text"], "entities": len(result["entities"])}


def oncology_doc(doc: dict, state: ShardState) -> dict:
    from partages_core.usecases import oncology

    out = oncology.extract(check_text(doc.get("text")), state.method)
    found = sum(len(out.get(k) or []) for k in ("biomarkers", "tnm", "grade"))
    return {"result": _json(out), "entities": found}


def infectiology_doc(doc: dict, state: ShardState) -> dict:
    from partages_core.usecases import infectiology

    out = infectiology.extract(check_text(doc.get("text")), state.method)
    return {"result": _json(out), "entities": len(out.get("entities") or [])}


def quality_doc(doc: dict, state: ShardState) -> dict:
    """Normalised view (NFC, whitespace, quotes) with its offset map back to the raw text."""
    from partages_core.quality.normalize import normalize

    raw = check_text(doc.get("text"))
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as err:
        raise BadDocument(f"text: not encodable as UTF-8 ({err.reason} at character {err.start})") from None
    ot = normalize(raw)
    offsets = ot.to_json()
    offsets.pop("text")
    return {"text": ot.text, "offsets": _json(offsets), "entities": 0, "changed": ot.text != raw}


@dataclass(frozen=True)
class Step:
    """One batch step: its per-document function and the columns it adds to ``id, patient, source``."""

    name: str
    run: Callable[[dict, ShardState], dict]
    columns: tuple[tuple[str, pa.DataType], ...]
    writes_text: bool  # PARHAF output: the step's ``text`` replaces the document file
    methods: tuple[str, ...] = ("rules",)  # what ``--method`` may choose; the first is the default


STEPS: dict[str, Step] = {s.name: s for s in (
    Step("pseudonymize", pseudonymize_doc, (("text", pa.string()), ("entities", pa.int32())), True, ("rules", "hybrid")),
    Step("oncology", oncology_doc, (("result", pa.string()), ("entities", pa.int32())), False, ("rules", "model")),
    Step("infectiology", infectiology_doc, (("result", pa.string()), ("entities", pa.int32())), False,
         ("rules", "model")),
    Step("quality", quality_doc, (("text", pa.string()), ("offsets", pa.string()), ("entities", pa.int32()),
                                  ("changed", pa.bool_())), True),
)}

BASE_COLUMNS = (("id", pa.string()), ("patient", pa.string()), ("source", pa.string()))
QUARANTINE_SCHEMA = pa.schema([("id", pa.string()), ("patient", pa.string()), ("source", pa.string()),
                               ("reason", pa.string())])


def schema_of(step: Step) -> pa.Schema:
    return pa.schema(list(BASE_COLUMNS) + list(step.columns))


def warm_up(name: str, method: str = "rules") -> None:
    """Load the step's lexicons and compiled rules once, before worker processes are forked from here."""
    STEPS[name].run({"id": "warm-up", "patient": "warm-up", "text": "Mme Durand, née le 01/02/1950 à Lyon. "
                     "Hémocultures positives à E. coli. HER2 négatif, pT2N0."}, ShardState(method=method))
