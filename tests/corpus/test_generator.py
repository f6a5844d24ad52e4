import hashlib
from pathlib import Path

import pytest

from partages_core.corpus.commons import build_commons
from partages_core.corpus.generator import generate
from partages_core.corpus.model import PSEUDO_LABELS, RESPONSE_LABELS
from partages_core.errors import InputError


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_gives_byte_identical_output_and_another_seed_differs(tmp_path):
    a = build_commons(25, 5, tmp_path / "a")
    b = build_commons(25, 5, tmp_path / "b")
    c = build_commons(25, 6, tmp_path / "c")
    assert _tree_digest(a) == _tree_digest(b)
    assert _tree_digest(a) != _tree_digest(c)


def test_every_gold_span_matches_the_text():
    n_spans = 0
    for patient in generate(150, 3):
        for doc in patient.documents:
            for spans in doc.annotations.values():
                for s in spans:
                    assert doc.text[s.start:s.end] == s.text, (doc.id, s)
                    n_spans += 1
            for row in doc.antibiogram:
                assert doc.text[row.start:row.end].rstrip().endswith(row.result)
            if doc.response:
                assert doc.text[doc.response.start:doc.response.end] == doc.response.text
    assert n_spans > 3000


def test_corpus_covers_specialties_pools_labels_and_facilities():
    patients = list(generate(1000, 11))
    assert len({p.specialty for p in patients}) >= 20
    assert len({p.pool for p in patients}) == 6
    assert len({p.facility for p in patients}) >= 4
    pseudo = {s.label for p in patients for d in p.documents for s in d.spans("pseudo")}
    assert pseudo == set(PSEUDO_LABELS)
    responses = {d.response.label for p in patients for d in p.documents if d.response}
    assert responses == set(RESPONSE_LABELS)
    roles = {s.attrs["role"] for p in patients for d in p.documents for s in d.spans("pseudo") if s.label == "NOM"}
    assert roles == {"patient", "soignant", "autre"}


def test_nir_keys_are_valid():
    from stdnum.fr import nir

    for patient in generate(50, 2):
        assert nir.is_valid(patient.identity["nir"].replace(" ", ""))


def test_variety_is_not_a_handful_of_templates():
    sentences = set()
    for patient in generate(200, 4):
        for doc in patient.documents:
            sentences.update(line.strip() for line in doc.text.split(". ") if len(line) > 30)
    assert len(sentences) > 2000


def test_invalid_patient_count_is_a_clear_error():
    with pytest.raises(InputError, match="patients"):
        list(generate(0, 1))
