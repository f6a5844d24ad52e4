"""Build ``partages_core/governance/communes_fr.txt``: the names of French communes, one a line.

Source: the npm package ``@etalab/decoupage-administratif`` 6.0.0 (Etalab; its ``data/communes.json`` is the INSEE
Code officiel géographique, data under Licence Ouverte 2.0; the package's code is MIT). Fetch it with
``npm pack @etalab/decoupage-administratif@6.0.0`` and unpack it; nothing is downloaded here.
Kept: current communes, delegated and associated communes (old communes still written in addresses), metropolitan
and overseas; left out: municipal arrondissements ("Paris 1er Arrondissement"). Names only, deduplicated, sorted.

Run: python scripts/build_communes_fr.py package/data/communes.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "partages_core" / "governance" / "communes_fr.txt"
KINDS = ("commune-actuelle", "commune-deleguee", "commune-associee")
HEADER = """# Names of French communes (current, delegated and associated; metropolitan and overseas), one a line, for the
# pseudonymiser's town gazetteer (used only in address-like contexts: after a postcode, "domicilié(e) à", "né(e) à",
# "habite", "originaire de", "résidant à", "commune de ... :", a signature "Dr X, Town").
# Source: INSEE Code officiel géographique as shipped in the npm package @etalab/decoupage-administratif 6.0.0
# (data: Licence Ouverte 2.0 / Etalab; code: MIT). Built by scripts/build_communes_fr.py; do not edit by hand.
"""


def main(path: str) -> None:
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    names = sorted({r["nom"].strip() for r in rows if r.get("type") in KINDS and r.get("nom")})
    OUT.write_text(HEADER + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_file():
        sys.stderr.write("usage: build_communes_fr.py PATH/TO/communes.json (from npm pack @etalab/decoupage-administratif)\n")
        sys.exit(2)
    main(sys.argv[1])
