"""Convention change (issue 22): an initial before a surname is a first name, as EDS-Pseudo marks it.

EDS-Pseudo annotates "C. Carlizian" as PRENOM "C." + NOM "Carlizian"; the project's rules and generator
split the same way. The first hand-written gold marked "F. Haddad" as one NOM span. This module rewrites
the sources mechanically, with one rule and without looking at anything else in the document:

    a NOM mark whose surface is an initial ("X." or "X.-Y.") then one space then a name (starting with an
    upper-case letter) becomes a PRENOM mark over the initial and a NOM mark over the rest, both with the
    NOM mark's attributes.

It is applied to the whole set, dev and frozen test parts alike (a change of convention, not tuning).
A lone initial marked NOM ("[[B.|NOM ...]]": no name follows) is outside the rule and stays as it is.

Run: ``python -m partages_core.corpus.handwritten.initials [--check]`` (prints counts per split only).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

UPPER = "A-ZÀ-ÖØ-Þ"
INITIAL_NOM = re.compile(
    rf"\[\[(?P<initial>[{UPPER}]\.(?:-[{UPPER}]\.)?) (?P<name>[{UPPER}][^\[\]|]*)\|NOM(?P<attrs>(?: [^\[\]|]*)?)\]\]")


def split_initials(source: str) -> tuple[str, int]:
    """``source`` with every initial+name NOM mark split in PRENOM + NOM; and how many marks were split."""
    def one(m: re.Match) -> str:
        attrs = m.group("attrs")
        return f"[[{m.group('initial')}|PRENOM{attrs}]] [[{m.group('name')}|NOM{attrs}]]"

    return INITIAL_NOM.subn(one, source)


def convert_folder(folder: str | Path, write: bool = True) -> dict[str, int]:
    """Apply :func:`split_initials` to every ``hw-*.md`` in ``folder``; marks split per split (dev/test)."""
    counts: dict[str, int] = {}
    for path in sorted(Path(folder).glob("hw-*.md")):
        source = path.read_text(encoding="utf-8")
        split = m.group(1) if (m := re.search(r"^split:\s*(\w+)", source, re.M)) else "?"
        new, n = split_initials(source)
        counts[split] = counts.get(split, 0) + n
        if n and write:
            path.write_text(new, encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    from partages_core.corpus.handwritten import source_dir

    argv = sys.argv[1:] if argv is None else argv
    counts = convert_folder(source_dir(), write="--check" not in argv)
    print(" ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no source")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
