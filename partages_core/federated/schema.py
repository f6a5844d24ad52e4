"""The schema of a federation's nodes YAML (pydantic): strict types, one clear line per error.

``tasks: "x"`` (a string where a list is expected) is refused instead of being split into
characters; negative deadlines, unknown fields and a ``min_count`` under 1 are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from partages_core.errors import InputError
from partages_core.governance.disclosure import CASD_K


class PolicySpec(BaseModel):
    """A site's policy: minimum released count (CASD k = 11 by default), allowed tasks and digests."""

    model_config = ConfigDict(extra="forbid")
    min_count: StrictInt = Field(CASD_K, ge=1)
    tasks: list[StrictStr] = Field(default_factory=list)
    digests: list[StrictStr] = Field(default_factory=list)


class NodeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Optional[StrictStr] = Field(None, min_length=1)
    facility: StrictStr = Field(..., min_length=1)
    data: StrictStr = "commons"
    key: Optional[StrictStr] = None
    audit: Optional[StrictStr] = None
    policy: PolicySpec = Field(default_factory=PolicySpec)


class FederationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deadline_s: float = Field(10.0, gt=0, le=3600)
    quorum: Optional[StrictInt] = Field(None, ge=1)
    seed: StrictInt = 13
    coordinator_key: Optional[StrictStr] = None
    nodes: list[NodeSpec] = Field(..., min_length=1)


def validate_config(raw: Any, path: str | Path) -> FederationSpec:
    """The validated config; the first error is one line naming the file, the field and why."""
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a mapping with a non-empty 'nodes' list, got {type(raw).__name__}")
    try:
        return FederationSpec.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in first["loc"]).replace(".[", "[")
        n = err.error_count()
        more = f" (and {n - 1} more error{'s' if n > 2 else ''})" if n > 1 else ""
        msg = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise InputError(f"{path}: {where or 'config'}: {msg}{more}") from None
