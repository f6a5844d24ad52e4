from collections import Counter
from pathlib import Path

import pytest

from partages_core.corpus.io.brat import read_brat, read_brat_folder, report_dict, write_brat
from partages_core.corpus.io.uima import read_cas_json, write_cas_json
from partages_core.errors import InputError

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def _plain(doc):
    """A document's layers with absent (None) attributes dropped: BRAT has no 'None'."""
    layers = {k: [(s.start, s.end, s.label, s.text, {a: v for a, v in s.attrs.items() if v is not None})
                  for s in v] for k, v in doc.annotations.items()}
    return doc.text, layers, doc.antibiogram, doc.response


def test_brat_round_trip_of_every_layer(commons, tmp_path):
    for _, doc in commons.documents():
        again = read_brat(write_brat(doc, tmp_path))
        assert _plain(again) == _plain(doc)


def test_uima_cas_json_round_trip(commons, tmp_path):
    for _, doc in commons.documents()[:40]:
        again = read_cas_json(write_cas_json(doc, tmp_path / f"{doc.id}.json"))
        assert _plain(again) == _plain(doc)


def test_brat_discontinuous_attributes_notes_and_unmapped(tmp_path):
    (tmp_path / "d.txt").write_text("Douleur du bras et de la jambe. E. coli absent.", encoding="utf-8")
    (tmp_path / "d.ann").write_text(
        "T1\tSite 11 15;25 30\tbras jambe\n"
        "T2\tBacterie 32 39\tE. coli\n"
        "A1\tnegation T2 Absent\n"
        "A2\tuncertain T1\n"
        "#1\tAnnotatorNotes T2\tEscherichia coli\n"
        "R1\tlocated Arg1:T2 Arg2:T1\n", encoding="utf-8")
    docs, report = read_brat_folder(tmp_path)
    [doc] = docs
    site, = doc.annotations["infectio"][:1]
    assert site.attrs["fragments"] == [[11, 15], [25, 30]] and site.attrs["uncertain"] is True
    bact = doc.annotations["infectio"][1]
    assert bact.attrs == {"negation": "Absent", "note": "Escherichia coli"}
    assert report_dict(report)["unmapped"] == {"relation": 1}


@pytest.mark.parametrize("ann, message", [
    ("T1\tSite 0 999\tx\n", "outside the text"),
    ("T1 Site 0 3\tabc\n", "malformed entity line"),
    ("A1\tnegation T9 Absent\n", "unknown entity T9"),
])
def test_malformed_brat_names_file_and_line(tmp_path, ann, message):
    (tmp_path / "x.txt").write_text("abc def", encoding="utf-8")
    (tmp_path / "x.ann").write_text(ann, encoding="utf-8")
    with pytest.raises(InputError, match=rf"x.ann:1: .*{message}"):
        read_brat(tmp_path / "x.ann")


def test_foreign_inception_layer_is_mapped_or_counted(tmp_path):
    from cassis import Cas, TypeSystem

    ts = TypeSystem()
    named = ts.create_type("webanno.custom.Pseudo")
    ts.create_feature(named, "value", "uima.cas.String")
    other = ts.create_type("webanno.custom.Comment")
    ts.create_feature(other, "note", "uima.cas.String")
    cas = Cas(typesystem=ts)
    cas.sofa_string = "Vu par le Dr Martin."
    cas.add(named(begin=13, end=19, value="NOM"))
    cas.add(other(begin=0, end=2, note="x"))
    path = tmp_path / "inception.json"
    path.write_text(cas.to_json(), encoding="utf-8")
    unmapped = Counter()
    doc = read_cas_json(path, unmapped)
    assert [(s.label, s.text) for s in doc.annotations["pseudo"]] == [("NOM", "Martin")]
    assert unmapped == {"webanno.custom.Comment": 1}
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a UIMA CAS JSON"):
        read_cas_json(path)


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared corpora absent")
@pytest.mark.parametrize("name, min_docs, min_entities", [("QUAERO", 2000, 15000), ("MANTRA", 250, 1000)])
def test_real_brat_corpora_import_without_loss(name, min_docs, min_entities):
    docs, report = read_brat_folder(SHARED / name)
    r = report_dict(report)
    assert r["documents"] >= min_docs and sum(r["entities"].values()) >= min_entities
    kept = sum(len(v) for d in docs for v in d.annotations.values())
    assert kept == sum(r["entities"].values())
    for d in docs:
        for spans in d.annotations.values():
            for s in spans:
                frags = s.attrs.get("fragments", [[s.start, s.end]])
                assert " ".join(d.text[a:b] for a, b in frags) == s.text


def test_brat_span_across_a_line_break_is_written_as_fragments_and_read_back_whole(tmp_path):
    from partages_core.corpus.model import Document, Span

    text = "Klebsiella pneumoniae productrice de carbapénémase\n(EPC OXA-48) isolée. Ligne suivante."
    end = text.index(")") + 1
    doc = Document(id="x", type="", header="", text=text)
    doc.annotations["resistance"] = [Span(0, end, "EPC", text[:end], {})]
    ann = write_brat(doc, tmp_path)
    lines = ann.read_text(encoding="utf-8").splitlines()
    newline = text.index("\n")
    assert lines == [f"T1\tEPC 0 {newline};{newline + 1} {end}\t{text[:newline]} {text[newline + 1:end]}"]
    again = read_brat(ann)
    assert _plain(again) == _plain(doc)
