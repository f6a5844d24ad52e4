"""E3C French layer 1 (UIMA XMI from WebAnno): text and EVENT polarity, for real-text measurement.

The corpus lives outside the project (``$PARTAGES_SHARED_DATA`` or ``../shared/data``); callers skip
cleanly when :func:`e3c_available` is false.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from partages_core.errors import InputError

DATA_ENV = "PARTAGES_SHARED_DATA"
XMI = "{http://www.omg.org/XMI}"
CAS = "{http:///uima/cas.ecore}"
CUSTOM = "{http:///webanno/custom.ecore}"


def shared_data() -> Path:
    """``$PARTAGES_SHARED_DATA`` or ``<repo>/../shared/data`` (the portal's sibling folder)."""
    from partages_core.config import project_root

    env = os.environ.get(DATA_ENV)
    return Path(env) if env else project_root().parent / "shared" / "data"


def e3c_folder() -> Path:
    return shared_data() / "E3C"


def e3c_files() -> list[Path]:
    return sorted((e3c_folder() / "data_annotation" / "French" / "layer1").glob("*.xml"))


def e3c_available() -> bool:
    return bool(e3c_files())


def read_e3c(path: Path) -> tuple[str, str, list[dict]]:
    """One XMI file → (document id, text, events ``{start, end, polarity, text}`` sorted)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise InputError(f"{path}: not a UIMA XMI file ({err})") from None
    sofa = root.find(f"{CAS}Sofa")
    if sofa is None or sofa.get("sofaString") is None:
        raise InputError(f"{path}: no cas:Sofa/@sofaString (document text)")
    text = sofa.get("sofaString")
    events, bad = [], []
    for ev in root.iter(f"{CUSTOM}EVENT"):
        try:
            s, e = int(ev.get("begin", -1)), int(ev.get("end", -1))
        except ValueError:
            s, e = -1, -1  # not an integer: reported with the others below
        pol = ev.get("polarity")
        if not 0 <= s < e <= len(text) or pol not in ("POS", "NEG"):
            bad.append(f"EVENT {ev.get(XMI + 'id')} ({s}, {e}, polarity={pol!r})")
            continue
        events.append({"start": s, "end": e, "polarity": pol, "text": text[s:e]})
    if bad:
        raise InputError(f"{path}: {len(bad)} EVENT(s) with offsets outside the text or unknown polarity: "
                         + "; ".join(bad[:10]))
    events.sort(key=lambda x: (x["start"], x["end"]))
    return path.stem, text, events


def e3c_train_ids() -> set[str]:
    """The French train ids of ``documentation/train_test_split.txt`` (the others are test)."""
    path = e3c_folder() / "documentation" / "train_test_split.txt"
    ids, in_french = set(), False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        tok = line.strip()
        if not tok:
            continue
        if tok.isupper() and tok.isalpha():
            in_french = tok == "FRENCH"
            continue
        if in_french:
            ids.update(t.strip("'\"") for t in tok.replace(",", " ").split() if t.strip("'\"").startswith("FR"))
    return ids
