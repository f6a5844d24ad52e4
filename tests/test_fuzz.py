"""Property-based fuzzing (hypothesis) of every reader and of the command-line contracts.

Whatever the bytes, a reader either returns or raises ``InputError`` (one line naming the file);
the CLI exits 0 or 2, never with a traceback, prints nothing on stdout when it fails, and the
``--json`` offsets of ``pseudonymize`` always index the input. 200 examples per reader, small sizes.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from partages_core.errors import InputError
from tests.clirun import invoke

EXAMPLES = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# whole commands are slower: fewer examples, and no shrinking (a failure is reported as found, fast)
CLI_EXAMPLES = settings(max_examples=60, deadline=None, derandomize=True,
                        phases=[Phase.explicit, Phase.reuse, Phase.generate],
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 300), st.text(max_size=8))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=8)
small_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
paths = st.sampled_from(["a.txt", "sub/b.txt", "../escape.txt", "/etc/hostname", "", ".", "sub", "a\x00b.txt",
                         "missing.txt", "bin.txt"])
offsets = st.integers(-3, 70)


@contextmanager
def folder():
    d = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _reads_or_refuses(fn, *args):
    try:
        fn(*args)
    except InputError as err:
        assert "\n" not in str(err).strip(), str(err)


# -- PARHAF folders and annotations.jsonl ------------------------------------------------------------

span = st.fixed_dictionaries({"start": offsets, "end": offsets, "label": st.sampled_from(["NOM", "DATE", 3]),
                              "text": small_text}, optional={"attrs": json_values, "extra": json_scalars})
annotation_line = st.one_of(
    st.fixed_dictionaries({"document_id": st.sampled_from(["P1-01", "P1-02", "X-9", 5])},
                          optional={"layers": st.one_of(st.dictionaries(st.sampled_from(["pseudo", "onco"]),
                                                                        st.lists(span, max_size=2), max_size=2),
                                                        json_values),
                                    "antibiogram": st.one_of(st.lists(json_values, max_size=2)),
                                    "response": json_values}),
    json_values)
document = st.one_of(st.fixed_dictionaries({"id": st.sampled_from(["P1-01", "P1-02", "P1-01"])},
                                           optional={"file": paths, "text": st.one_of(small_text, json_scalars),
                                                     "type": json_scalars}),
                     json_values)
patient = st.one_of(st.fixed_dictionaries({
    "id": st.one_of(st.just("P1"), json_scalars), "specialty": st.just("onco"), "author": st.just("a"),
    "reviewer": st.just("r"), "pool": st.just("train"),
    "suggested_scenario": st.one_of(st.just({"primary_diagnosis": {"code": "C50"}}), json_values),
    "documents": st.one_of(st.lists(document, max_size=3), json_values)}, optional={"facility": json_scalars}),
    json_values)


def _write_parhaf(d: Path, index, lines, text: str, raw: bytes | None) -> None:
    (d / "sub").mkdir()
    (d / "a.txt").write_text(text, encoding="utf-8")
    (d / "sub" / "b.txt").write_text(text[::-1], encoding="utf-8")
    (d / "bin.txt").write_bytes(b"\xff\xfe\x00bad")
    (d / "patients.json").write_bytes(raw if raw is not None else json.dumps(index).encode())
    (d / "annotations.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")


@EXAMPLES
@given(index=st.one_of(st.lists(patient, max_size=3), json_values), lines=st.lists(annotation_line, max_size=3),
       text=small_text, raw=st.one_of(st.none(), st.binary(max_size=40)))
def test_parhaf_reader(index, lines, text, raw):
    from partages_core.corpus.io.parhaf import read_parhaf
    from partages_core.quality.records import read_records

    with folder() as d:
        _write_parhaf(d, index, lines, text, raw)
        _reads_or_refuses(read_parhaf, d)
        _reads_or_refuses(read_records, d)


@EXAMPLES
@given(lines=st.lists(st.one_of(annotation_line.map(json.dumps), st.text(max_size=20)), max_size=4))
def test_annotations_reader(lines):
    from partages_core.corpus.io.parhaf import read_annotations

    with folder() as d:
        (d / "annotations.jsonl").write_text("\n".join(lines), encoding="utf-8")
        _reads_or_refuses(read_annotations, d / "annotations.jsonl")


# -- BRAT -------------------------------------------------------------------------------------------

brat_line = st.one_of(
    st.builds(lambda i, lab, s, e, t: f"T{i}\t{lab} {s} {e}\t{t}", st.integers(1, 4),
              st.sampled_from(["NOM", "Bacterie", "Susceptibility", "Response", "X"]), offsets, offsets,
              st.text(alphabet="abc de", max_size=8)),
    st.builds(lambda i, s, e, s2, e2: f"T{i}\tNOM {s} {e};{s2} {e2}\tab", st.integers(1, 4), offsets, offsets,
              offsets, offsets),
    st.builds(lambda i, k, t, v: f"A{i}\t{k} T{t}{v}", st.integers(1, 3),
              st.sampled_from(["organism", "label", "Negation"]), st.integers(1, 5),
              st.sampled_from(["", " x", " false"])),
    st.builds(lambda t: f"#1\tAnnotatorNotes T{t}\tnote", st.integers(1, 5)),
    st.sampled_from(["R1\tRel Arg1:T1 Arg2:T2", "E1\tEv:T1", "*\tEquiv T1 T2", "N1\tRef T1 db:1\tx", "garbage"]),
)


@EXAMPLES
@given(text=st.text(alphabet="abc de\n", max_size=40), lines=st.lists(brat_line, max_size=5),
       raw=st.one_of(st.none(), st.binary(max_size=30)))
def test_brat_reader(text, lines, raw):
    from partages_core.corpus.io.brat import read_brat_folder

    with folder() as d:
        (d / "doc.txt").write_text(text, encoding="utf-8")
        (d / "doc.ann").write_bytes(raw if raw is not None else "\n".join(lines).encode())
        _reads_or_refuses(read_brat_folder, d)


# -- UIMA CAS JSON and E3C XMI --------------------------------------------------------------------------

def _valid_cas() -> dict:
    from partages_core.corpus.io.uima import write_cas_json
    from partages_core.corpus.model import Document, Span

    with folder() as d:
        doc = Document("d1", "", "", "M. Paul MARTIN est né.", {"pseudo": [Span(3, 7, "PRENOM", "Paul", {})]})
        return json.loads(write_cas_json(doc, d / "d1.json").read_text(encoding="utf-8"))


CAS = _valid_cas()


@EXAMPLES
@given(begin=st.integers(-5, 40), end=st.integers(-5, 40), attributes=st.one_of(st.just("{}"), st.text(max_size=5)),
       raw=st.one_of(st.none(), st.binary(max_size=40), json_values.map(lambda v: json.dumps(v).encode())))
def test_uima_reader(begin, end, attributes, raw):
    from partages_core.corpus.io.uima import read_cas_json

    cas = json.loads(json.dumps(CAS))
    for fs in cas.get("%FEATURE_STRUCTURES", []):
        if fs.get("%TYPE") == "de.partages.Span":
            fs.update({"begin": begin, "end": end, "attributes": attributes})
    with folder() as d:
        (d / "d.json").write_bytes(raw if raw is not None else json.dumps(cas).encode())
        _reads_or_refuses(read_cas_json, d / "d.json")


XMI_TEMPLATE = ('<?xml version="1.0"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" '
                'xmlns:custom="http:///webanno/custom.ecore"><cas:Sofa xmi:id="1" sofaString="{text}"/>'
                '<custom:EVENT xmi:id="2" begin="{b}" end="{e}" polarity="{p}"/></xmi:XMI>')


@EXAMPLES
@given(text=st.text(alphabet="abc de", max_size=20), b=st.one_of(offsets.map(str), st.text(max_size=3)),
       e=offsets.map(str), p=st.sampled_from(["POS", "NEG", "", "MAYBE"]),
       raw=st.one_of(st.none(), st.binary(max_size=40)))
def test_e3c_reader(text, b, e, p, raw):
    from xml.sax.saxutils import quoteattr

    from partages_core.corpus.io.e3c import read_e3c

    with folder() as d:
        xml = XMI_TEMPLATE.format(text=quoteattr(text)[1:-1], b=quoteattr(b)[1:-1], e=e, p=p)
        (d / "doc.xml").write_bytes(raw if raw is not None else xml.encode())
        _reads_or_refuses(read_e3c, d / "doc.xml")


# -- catalog (the governance database) and nodes config ---------------------------------------------

@EXAMPLES
@given(raw=st.binary(max_size=200), prefix=st.sampled_from([b"", b"SQLite format 3\x00"]))
def test_catalog_reader(raw, prefix):
    from partages_core.governance.catalog import Catalog

    with folder() as d:
        (d / "catalog.sqlite").write_bytes(prefix + raw if raw else b"")
        _reads_or_refuses(lambda p: Catalog(p).list(), d / "catalog.sqlite")


node_spec = st.one_of(st.fixed_dictionaries({"facility": st.one_of(st.just("CHU A"), json_scalars)}, optional={
    "name": json_scalars, "data": st.sampled_from(["bad", "missing", 3]),
    "policy": st.one_of(st.fixed_dictionaries({}, optional={"min_count": json_scalars, "tasks": json_values,
                                                             "digests": json_values}), json_values),
    "key": json_scalars, "colour": json_scalars}), json_values)


@EXAMPLES
@given(cfg=st.one_of(st.fixed_dictionaries({"nodes": st.one_of(st.lists(node_spec, max_size=3), json_values)},
                                           optional={"deadline_s": json_scalars, "quorum": json_scalars,
                                                     "seed": json_scalars}), json_values),
       raw=st.one_of(st.none(), st.binary(max_size=30)))
def test_nodes_config_reader(cfg, raw):
    from partages_core.federated.federation import load_federation

    with folder() as d:
        (d / "bad").mkdir()
        (d / "bad" / "patients.json").write_text("[]", encoding="utf-8")
        (d / "nodes.yaml").write_bytes(raw if raw is not None else json.dumps(cfg).encode())
        _reads_or_refuses(load_federation, d / "nodes.yaml", [])


# -- command-line contracts (in-process) -------------------------------------------------------------

def _contract(r) -> None:
    assert r.code in (0, 2), (r.code, r.err[-500:])
    assert "Traceback" not in r.err
    if r.code == 2:
        assert r.stdout == b"" and r.err.strip().count("\n") == 0 and r.err.startswith("partages: error:")


clinical = st.text(alphabet=st.sampled_from(list("Mme Dupont né le 12/03/1948 tél 06 12 34 56 78 \n\té€\x00")),
                   max_size=80)


@CLI_EXAMPLES
@given(data=st.one_of(clinical.map(lambda t: t.encode("utf-8")), st.binary(max_size=40)))
def test_pseudonymize_json_contract(data):
    r = invoke("pseudonymize", "--json", "-", stdin=data)
    _contract(r)
    if r.code == 0:
        doc = json.loads(r.stdout)
        text = data.decode("utf-8")
        for e in doc["entities"]:
            assert text[e["start"]:e["end"]] == e["text"]


@CLI_EXAMPLES
@given(data=st.one_of(clinical.map(lambda t: t.encode("utf-8")), st.binary(max_size=40)),
       which=st.sampled_from(["oncology", "infectiology"]))
def test_extract_contract(data, which):
    _contract(invoke("extract", which, "-", stdin=data))


@CLI_EXAMPLES
@given(index=st.one_of(st.lists(patient, max_size=2), json_values), text=small_text)
def test_batch_and_stats_contract(index, text):
    with folder() as d:
        src = d / "src"
        src.mkdir()
        _write_parhaf(src, index, [], text, None)
        for args in (("corpus", "stats", str(src), "--json"), ("pseudonymize", "--batch", str(src), "--out", str(d / "o"))):
            r = invoke(*args)
            assert r.code in (0, 2) and "Traceback" not in r.err, r.err[-500:]
        assert not (d / "escape.txt").exists()
        assert not [p for p in d.iterdir() if p.name.startswith(".")]  # no temporary left behind
