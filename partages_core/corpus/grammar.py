"""A tiny sentence grammar: ``{slot}`` filled by a callback, ``[a|b|c]`` picks an alternative."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources

import yaml

from partages_core.corpus.builder import TextBuilder
from partages_core.errors import InputError

# A compiled rule is a tuple of parts: str literal, ("slot", name) or ("alt", tuple of rules).
Part = str | tuple
Slots = Mapping[str, Callable[[TextBuilder], None]]


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict:
    """Load a YAML lexicon shipped with the package (``corpus/lexicons/<name>.yaml``)."""
    path = resources.files("partages_core.corpus") / "lexicons" / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def compile_rule(rule: str) -> tuple[Part, ...]:
    """Parse a rule string once; later expansions reuse the parsed parts."""
    parts: list[Part] = []
    i, literal = 0, []
    while i < len(rule):
        ch = rule[i]
        if ch in "{[":
            close = rule.find("}" if ch == "{" else "]", i)
            if close < 0:
                raise InputError(f"grammar rule {rule!r}: unclosed {ch!r} at column {i}")
            if literal:
                parts.append("".join(literal))
                literal = []
            body = rule[i + 1:close]
            if ch == "{":
                parts.append(("slot", body))
            else:
                parts.append(("alt", tuple(compile_rule(a) for a in body.split("|"))))
            i = close + 1
        else:
            literal.append(ch)
            i += 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def expand(rule: str | tuple[Part, ...], builder: TextBuilder, slots: Slots,
           rng: random.Random) -> None:
    """Append one expansion of ``rule`` to ``builder``; unknown slots are an error."""
    parts = compile_rule(rule) if isinstance(rule, str) else rule
    for part in parts:
        if isinstance(part, str):
            builder.add(part)
        elif part[0] == "slot":
            try:
                fill = slots[part[1]]
            except KeyError:
                raise InputError(f"grammar: no filler for slot {{{part[1]}}}") from None
            fill(builder)
        else:
            expand(rng.choice(part[1]), builder, slots, rng)
