"""Highlight extracted spans in a report as self-contained HTML (used by notebooks and demos)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

PALETTE = ("#ffe08a", "#a7e3c4", "#b9d4ff", "#ffc2c2", "#e0c8ff", "#ffd5a8", "#c8f0f0", "#e6e6a8")


def highlight(text: str, spans: Iterable[Mapping], label_key: str = "label") -> str:
    """Return ``<div>`` HTML of ``text`` with each span (``start``, ``end``, label) in a ``<mark>``.

    Overlapping spans keep the first (longest first at equal start); labels get stable colours.
    """
    ordered = sorted(spans, key=lambda s: (s["start"], -(s["end"] - s["start"])))
    colours: dict[str, str] = {}
    out, cursor = [], 0
    for span in ordered:
        start, end, label = span["start"], span["end"], str(span[label_key])
        if start < cursor:
            continue
        colour = colours.setdefault(label, PALETTE[len(colours) % len(PALETTE)])
        out.append(html.escape(text[cursor:start]))
        out.append(
            f'<mark class="entity" data-label="{html.escape(label)}" style="background:{colour}">'
            f"{html.escape(text[start:end])}<sub>{html.escape(label)}</sub></mark>"
        )
        cursor = end
    out.append(html.escape(text[cursor:]))
    return '<div class="partages-highlight" style="white-space:pre-wrap">' + "".join(out) + "</div>"
