"""Convention changes applied mechanically to the whole hand-written set (dev and frozen test parts alike).

Each rule rewrites gold marks from their surface and label alone, without looking at anything else in the
document: a change of convention, not tuning. Every change is recorded under ``conventions:`` in
``review.yaml``.

- **Initials** (issue 22): EDS-Pseudo annotates "C. Carlizian" as PRENOM "C." + NOM "Carlizian"; the
  project's rules and generator split the same way. A NOM mark whose surface is an initial ("X." or
  "X.-Y.") then one space then a name (starting with an upper-case letter) becomes a PRENOM mark over the
  initial and a NOM mark over the rest, both with the NOM mark's attributes. A lone initial marked NOM
  ("[[B.|NOM ...]]": no name follows) is outside the rule and stays as it is.
- **Bare years** (issue 22): a year written alone ("2021", "en 2021"; :data:`BARE_YEAR`) is not an
  identifying date in PARHAF CU1, as the EDS-Pseudo mapping already treats it: a DATE_IDENTIFIANTE mark
  over a bare year becomes DATE_NON_IDENTIFIANTE (same attributes). Birth years (DATE_NAISSANCE) stay.

Run: ``python -m partages_core.corpus.handwritten.conventions [--check]`` (prints counts per rule and
split only).
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


BARE_YEAR = re.compile(r"\s*(?:en\s+)?(?:19|20)\d{2}\s*")  # EDS-Pseudo marks it DATE; PARHAF CU1 does not
YEAR_MARK = re.compile(r"\[\[(?P<surface>[^\[\]|]*)\|DATE_IDENTIFIANTE(?P<attrs>(?: [^\[\]|]*)?)\]\]")


def mark_bare_years(source: str) -> tuple[str, int]:
    """``source`` with every DATE_IDENTIFIANTE mark over a bare year made DATE_NON_IDENTIFIANTE; and how many."""
    changed = 0

    def one(m: re.Match) -> str:
        nonlocal changed
        if not BARE_YEAR.fullmatch(m.group("surface")):
            return m.group(0)
        changed += 1
        return f"[[{m.group('surface')}|DATE_NON_IDENTIFIANTE{m.group('attrs')}]]"

    return YEAR_MARK.sub(one, source), changed


RULES = {"initials": split_initials, "bare_years": mark_bare_years}


def convert_folder(folder: str | Path, write: bool = True) -> dict[str, dict[str, int]]:
    """Apply every rule of :data:`RULES` to each ``hw-*.md`` in ``folder``; marks changed per rule and split."""
    counts: dict[str, dict[str, int]] = {rule: {} for rule in RULES}
    for path in sorted(Path(folder).glob("hw-*.md")):
        source = new = path.read_text(encoding="utf-8")
        split = m.group(1) if (m := re.search(r"^split:\s*(\w+)", source, re.M)) else "?"
        for rule, apply in RULES.items():
            new, n = apply(new)
            counts[rule][split] = counts[rule].get(split, 0) + n
        if new != source and write:
            path.write_text(new, encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    from partages_core.corpus.handwritten import source_dir

    argv = sys.argv[1:] if argv is None else argv
    counts = convert_folder(source_dir(), write="--check" not in argv)
    for rule, per_split in counts.items():
        print(f"{rule}: " + (" ".join(f"{k}: {v}" for k, v in sorted(per_split.items())) or "no source"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
