"""The hand-written set: every source parses, offsets are exact, PARHAF round trip, clear errors."""

import json
import subprocess
import sys

import pytest

from partages_core.corpus.handwritten import (
    dev_range, load_handwritten, load_sources, parse_file, parse_markup, splits, write_handwritten,
)
from partages_core.corpus.io.parhaf import read_parhaf
from partages_core.errors import InputError


@pytest.fixture(scope="module")
def sources():
    return load_sources()


def test_every_span_text_equals_the_document_slice(sources):
    n = 0
    for d in sources:
        doc = d.document
        assert "[[" not in doc.text and "]]" not in doc.text, d.path
        for layer, spans in doc.annotations.items():
            for s in spans:
                assert doc.text[s.start:s.end] == s.text, (d.path, layer, s)
                n += 1
        if doc.response:
            assert doc.text[doc.response.start:doc.response.end] == doc.response.text
        for row in doc.antibiogram:
            assert 0 <= row.start <= row.end <= len(doc.text)
    assert n > 0


def test_splits_hold_whole_patients_and_cover_the_set(sources):
    dev, test = load_handwritten("dev"), load_handwritten("test")
    assert dev and test
    assert not {p.id for p in dev} & {p.id for p in test}
    assert sum(len(p.documents) for p in dev + test) == len(sources)


def test_parhaf_round_trip_is_exact(tmp_path):
    folder = write_handwritten(tmp_path / "hw")
    again = read_parhaf(folder)
    assert [p.to_dict() for p in again] == [p.to_dict() for p in load_handwritten()]
    meta = json.loads((folder / "handwritten.json").read_text(encoding="utf-8"))
    assert set(meta) == {d.id for p in again for d in p.documents}


def test_nested_markup_offsets():
    text, spans = parse_markup("Une [[infection du [[site opératoire|Site]]|Infection negation=Absent]].")
    assert text == "Une infection du site opératoire."
    assert [(text[s:e], lb, a) for s, e, lb, a in spans] == [
        ("site opératoire", "Site", {}), ("infection du site opératoire", "Infection", {"negation": "Absent"})]


@pytest.mark.parametrize("body, message", [
    ("[[Dupont|NOM]]", r"hw-900.md:13: NOM: missing attribute\(s\) role"),
    ("[[Dupont|NOM role=voisin]]", r"role='voisin' not in"),
    ("[[Dupont|FOO]]", r"unknown label 'FOO'"),
    ("[[Dupont", r"hw-900.md:13: '\[\[' is never closed"),
    ("Dupont]]", r"']]' without"),
])
def test_bad_markup_names_file_and_line(tmp_path, body, message):
    path = tmp_path / "hw-900.md"
    path.write_text("---\nid: hw-900\nsplit: dev\ntype: CRH\nspecialty: x\nfacility: y\nfacility_kind: CH\n"
                    "patient: P\npool: General\nicd10: A00.0\n---\n\n" + body + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        parse_file(path)


def test_cli_converts_and_bad_source_exits_2(tmp_path):
    cmd = [sys.executable, "-m", "partages_core", "corpus", "handwritten", "--split", "dev", "--out"]
    done = subprocess.run([*cmd, str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert read_parhaf(tmp_path / "out")
    src = tmp_path / "src"
    src.mkdir()
    (src / "hw-901.md").write_text("---\nid: hw-901\n---\ntext\n", encoding="utf-8")
    done = subprocess.run([*cmd, str(tmp_path / "out2"), "--source", str(src)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "hw-901.md: front matter: missing field(s)" in done.stderr
    assert not (tmp_path / "out2").exists()


def test_dataset_card_is_generated_and_up_to_date(tmp_path):
    from partages_core.config import project_root
    from partages_core.portal.cards import write_handwritten_card

    fresh = write_handwritten_card(tmp_path).read_text(encoding="utf-8")
    committed = (project_root() / "datasets_cards" / "partages-handwritten.md").read_text(encoding="utf-8")
    assert fresh == committed, "run `partages portal handwritten-card` after changing the sources"
    assert "The `test` split is frozen" in fresh and "Disagreements between pass 1 and pass 2" in fresh


def test_every_document_had_a_second_pass(sources):
    import yaml

    from partages_core.corpus.handwritten import review_path

    review = yaml.safe_load(review_path().read_text(encoding="utf-8"))
    ids = {d.document.id for d in sources}
    assert ids <= set(review["documents_reviewed"])
    assert {d["doc"] for d in review["disagreements"]} <= ids
    assert {d["kind"] for d in review["disagreements"]} <= {"added", "removed", "changed"}


def test_conventions_are_applied_to_every_source():
    """Issue 22's convention changes: 'F. Haddad' is PRENOM 'F.' + NOM 'Haddad' (EDS-Pseudo), a bare year is
    DATE_NON_IDENTIFIANTE; each rule is mechanical, idempotent, and has nothing left to convert in the
    packaged sources."""
    from partages_core.corpus.handwritten import source_dir
    from partages_core.corpus.handwritten.conventions import convert_folder, mark_bare_years, split_initials

    new, n = split_initials("Dr [[F. Haddad|NOM role=soignant]], [[P.-A. Wattez|NOM role=soignant]], "
                            "[[B.|NOM role=soignant]], [[Haddad|NOM role=patient]], [[J. Dupont|PRENOM role=autre]]")
    assert n == 2
    assert new == ("Dr [[F.|PRENOM role=soignant]] [[Haddad|NOM role=soignant]], [[P.-A.|PRENOM role=soignant]] "
                   "[[Wattez|NOM role=soignant]], [[B.|NOM role=soignant]], [[Haddad|NOM role=patient]], "
                   "[[J. Dupont|PRENOM role=autre]]")
    assert split_initials(new) == (new, 0)
    new, n = mark_bare_years("posée en [[2021|DATE_IDENTIFIANTE]], vue le [[3 mars 2021|DATE_IDENTIFIANTE]], "
                             "née en [[1943|DATE_NAISSANCE]], depuis [[en 2019|DATE_IDENTIFIANTE x=1]]")
    assert n == 2
    assert new == ("posée en [[2021|DATE_NON_IDENTIFIANTE]], vue le [[3 mars 2021|DATE_IDENTIFIANTE]], "
                   "née en [[1943|DATE_NAISSANCE]], depuis [[en 2019|DATE_NON_IDENTIFIANTE x=1]]")
    assert mark_bare_years(new) == (new, 0)
    counts = convert_folder(source_dir(), write=False)
    assert set(counts) == {"initials", "bare_years"}
    assert {n for per_split in counts.values() for n in per_split.values()} == {0}


def test_dev_load_never_parses_the_other_split(tmp_path):
    """A dev load reads only the front matter of test files: a broken test body does not stop it,
    a test load does; a patient in both splits is still refused."""
    head = ("---\nid: {id}\nsplit: {split}\ntype: CRH\nspecialty: x\nfacility: y\nfacility_kind: CH\n"
            "patient: {pid}\npool: General\nicd10: A00.0\n---\n\n")
    (tmp_path / "hw-900.md").write_text(head.format(id="hw-900", split="dev", pid="P1") + "Texte.\n", encoding="utf-8")
    (tmp_path / "hw-901.md").write_bytes(head.format(id="hw-901", split="test", pid="P2").encode()
                                         + b"[[jamais ferm\xe9 \xff\n")  # broken markup, not UTF-8
    assert [d.meta["id"] for d in load_sources(tmp_path, "dev")] == ["hw-900"]
    assert splits(tmp_path) == {"hw-900": "dev", "hw-901": "test"}
    with pytest.raises(InputError, match="hw-901.md"):
        load_sources(tmp_path, "test")
    (tmp_path / "hw-902.md").write_text(head.format(id="hw-902", split="test", pid="P1") + "Texte.\n", encoding="utf-8")
    with pytest.raises(InputError, match="hw-902.md: patient P1 has documents in both splits"):
        load_sources(tmp_path, "dev")


def test_dev_range_refuses_frozen_ids(tmp_path):
    head = ("---\nid: {id}\nsplit: {split}\ntype: CRH\nspecialty: x\nfacility: y\nfacility_kind: CH\n"
            "patient: P{id}\npool: General\nicd10: A00.0\n---\n\nTexte.\n")
    for i, split in (("hw-900", "dev"), ("hw-901", "test"), ("hw-902", "dev")):
        (tmp_path / f"{i}.md").write_text(head.format(id=i, split=split), encoding="utf-8")
    assert dev_range("hw-902", "hw-950", tmp_path) == ["hw-902"]
    assert dev_range("hw-900", "hw-900", tmp_path) == ["hw-900"]
    for first, last, message in (("hw-900", "hw-902", "hw-901 is in the frozen test split"),
                                 ("hw-950", "hw-990", "no hand-written document"),
                                 ("hw-902", "hw-900", "the first not after the last"), ("900", "hw-902", "hw-NNN")):
        with pytest.raises(InputError, match=message):
            dev_range(first, last, tmp_path)
