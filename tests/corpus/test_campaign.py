import pytest

from partages_core.corpus.campaign import Annotator, adjudicate, annotate, cohen_kappa, run_campaign

A = Annotator("A", seed=1)
B = Annotator("B", seed=2, miss=0.08, boundary=0.06)


def test_kappa_known_values():
    assert cohen_kappa(list("aabb"), list("aabb")) == 1.0
    # observed 0.5, expected 0.5 → 0
    assert cohen_kappa(list("abab"), list("aabb")) == 0.0


def test_annotators_are_seeded_and_disagree_in_a_controlled_way(commons):
    doc = commons.documents()[0][1]
    assert annotate(doc, "pseudo", A) == annotate(doc, "pseudo", A)
    report = run_campaign([d for _, d in commons.documents()], "pseudo", A, B)
    assert 0.75 < report["micro_f1"] < 0.99
    assert 0.7 < report["token_kappa"] < 0.99
    assert report["disagreements_adjudicated"] > 0
    perfect = run_campaign([d for _, d in commons.documents()], "pseudo",
                           Annotator("X", 1, 0, 0, 0, 0), Annotator("Y", 2, 0, 0, 0, 0))
    assert perfect["micro_f1"] == 1.0 and perfect["token_kappa"] == 1.0


def test_adjudication_settles_disagreements_with_the_reference(commons):
    doc = next(d for _, d in commons.documents() if len(d.spans("pseudo")) > 10)
    a, b = annotate(doc, "pseudo", A), annotate(doc, "pseudo", B)
    final, disputed = adjudicate(doc, "pseudo", a, b)
    gold = {(s.start, s.end, s.label) for s in doc.spans("pseudo")}
    agreed = {(s.start, s.end, s.label) for s in a} & {(s.start, s.end, s.label) for s in b}
    assert {(s.start, s.end, s.label) for s in final} <= gold | agreed
    assert disputed == len(({(s.start, s.end, s.label) for s in a} | {(s.start, s.end, s.label) for s in b}) - agreed)


def test_two_marks_on_one_surface_against_one_are_one_disagreement_either_way():
    """"IDH" written alone carries IDH1 and IDH2 (two nested marks on one surface); an annotator who marked IDH1
    alone made one disagreement, whichever side is listed first; a shared mark whose attributes differ is still
    one attribute disagreement, paired with the other side's mark that differs."""
    from partages_core.corpus.campaign import disagreements
    from partages_core.corpus.model import Span

    idh1 = Span(10, 18, "BIOMARKER", "IDH-muté", {"biomarker": "IDH1", "status": "mutated"})
    idh2 = Span(10, 18, "BIOMARKER", "IDH-muté", {"biomarker": "IDH2", "status": "mutated"})
    wild = Span(10, 18, "BIOMARKER", "IDH-muté", {"biomarker": "IDH2", "status": "wild-type"})
    for a, b in (([idh1, idh2], [idh1]), ([idh1], [idh1, idh2])):
        out = disagreements("hw-900", "oncology", a, b)
        assert [d["kind"] for d in out] == ["only A" if len(a) == 2 else "only B"], out
    out = disagreements("hw-900", "oncology", [idh1, idh2], [idh1, wild])
    assert [(d["kind"], d["A"]["status"], d["B"]["status"]) for d in out] == [("attributes", "mutated", "wild-type")]


def test_cas_json_round_trip_campaign_on_generated_and_handwritten(tmp_path, commons):
    """Each annotator's layer goes out as INCEpTION UIMA CAS JSON and comes back unchanged: the
    agreement computed from the files equals the one computed in memory."""
    from partages_core.corpus.campaign import cas_round_trip_campaign
    from partages_core.corpus.handwritten import load_handwritten

    docs = [d for _, d in commons.documents()][:15] + [d for p in load_handwritten("dev") for d in p.documents][:10]
    report = cas_round_trip_campaign(docs, "pseudo", A, B, tmp_path)
    assert report["cas_files"] == 2 * len(docs) == len(list(tmp_path.rglob("*.json")))
    assert report == {**report, "micro_f1": run_campaign(docs, "pseudo", A, B)["micro_f1"]}
    assert report["disagreements_adjudicated"] > 0 and set(report["per_label_f1"]) >= {"NOM", "PRENOM"}


FIRST = """---
id: hw-900
split: dev
type: CRH
specialty: infectiologie
facility: CH test
facility_kind: CH
patient: HWP-900
pool: CU 6 - Infectiology
icd10: N10
---
Patient : [[DURAND|NOM role=patient]], vu le [[3 mars 2026|DATE_IDENTIFIANTE]].
[[Pyélonéphrite à [[E. coli|Bacterie normalized="Escherichia coli"]]|Infection]], pas de [[BLSE|BLSE negation=Absent]].
"""
SECOND = """---
id: hw-900
annotator: B
---
Patient : [[DURAND|NOM role=patient]], vu le 3 mars 2026.
[[Pyélonéphrite à [[E. coli|Bacterie normalized="Escherichia coli"]]|Infection]], pas de [[BLSE|BLSE]].
"""


def _pair(tmp_path, second=SECOND):
    (tmp_path / "docs").mkdir()
    (tmp_path / "second").mkdir()
    (tmp_path / "docs" / "hw-900.md").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second" / "hw-900.md").write_text(second, encoding="utf-8")
    return tmp_path / "second", tmp_path / "docs"


def test_real_campaign_round_trips_two_annotated_files_through_cas(tmp_path):
    import json

    from partages_core.corpus.campaign import real_campaign
    from partages_core.corpus.handwritten import load_second

    second, first = _pair(tmp_path)
    report = real_campaign(load_second(second, first), tmp_path / "out")
    pseudo, infectio, resistance = (report["layers"][k] for k in ("pseudo", "infectio", "resistance"))
    assert pseudo["mentions"] == {"DATE_IDENTIFIANTE": {"A": 1, "B": 0}, "NOM": {"A": 1, "B": 1}}
    assert pseudo["per_label_f1"] == {"DATE_IDENTIFIANTE": 0.0, "NOM": 1.0} and pseudo["micro_f1"] == 0.6667
    assert infectio["micro_f1"] == 1.0 and infectio["cas_files"] == 2
    assert resistance["micro_f1"] == 1.0 and resistance["disagreements"] == 1  # same span, negation differs
    assert report["micro_f1"] == round(2 * 4 / 9, 4)
    cas = sorted(p.relative_to(tmp_path / "out" / "cas").as_posix() for p in (tmp_path / "out" / "cas").rglob("*.json"))
    assert cas == [f"{layer}/{who}/hw-900.json" for layer in sorted(report["layers"]) for who in "AB"]
    listed = [json.loads(x) for x in (tmp_path / "out" / "disagreements.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(d["label"], d["kind"]) for d in listed} == {("DATE_IDENTIFIANTE", "only A"), ("BLSE", "attributes")}
    assert json.loads((tmp_path / "out" / "agreement.json").read_text(encoding="utf-8"))["micro_f1"] == report["micro_f1"]


def test_second_annotation_with_another_text_is_refused(tmp_path):
    import pytest

    from partages_core.corpus.handwritten import load_second
    from partages_core.errors import InputError
    from tests.clirun import invoke

    second, first = _pair(tmp_path, SECOND.replace("vu le 3 mars", "vu le 4 mars"))
    with pytest.raises(InputError, match=r"hw-900\.md:5: text differs from the first annotation"):
        load_second(second, first)
    r = invoke("corpus", "campaign", "--second", str(second), "--source", str(first), "--out", str(tmp_path / "o"))
    assert r.code == 2 and r.err.count("\n") == 1 and "hw-900.md:5: text differs" in r.err
    assert "Traceback" not in r.err


def test_simulated_and_real_annotators_go_through_the_same_comparison(commons, monkeypatch, tmp_path):
    """A real annotator who marked exactly what a simulated one would gives the same report, and
    both the simulated CAS campaign and the real campaign call run_campaign."""
    from partages_core.corpus import campaign
    from partages_core.corpus.model import Document

    docs = [d for _, d in commons.documents()][:20]
    real = {who.name: campaign.Marked(who.name, {d.id: Document(d.id, d.type, d.header, d.text,
                                                                {"pseudo": annotate(d, "pseudo", who)}) for d in docs})
            for who in (A, B)}
    assert campaign.run_campaign(docs, "pseudo", real["A"], real["B"]) == campaign.run_campaign(docs, "pseudo", A, B)
    calls = []
    original = campaign.run_campaign
    monkeypatch.setattr(campaign, "run_campaign", lambda *a, **k: calls.append(type(a[2]).__name__) or original(*a, **k))
    campaign.cas_round_trip_campaign(docs[:3], "pseudo", A, B, tmp_path / "sim")
    second, first = _pair(tmp_path)
    from partages_core.corpus.handwritten import load_second
    campaign.real_campaign(load_second(second, first), layers=("pseudo",))
    assert calls == ["Annotator", "Marked"]


def test_agreement_with_the_adjudicated_reference(tmp_path):
    """Each annotator against the adjudicated sources through real_campaign: B's missed date is an error
    of B; A's record before adjudication (a wrong negation, since corrected in the source) an error of A."""
    from partages_core.corpus.campaign import adjudicated_agreement
    from tests.clirun import invoke

    second, docs = _pair(tmp_path)
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "hw-900.md").write_text(
        SECOND.replace("annotator: B", "annotator: A").replace("vu le 3 mars 2026", "vu le [[3 mars 2026|DATE_IDENTIFIANTE]]")
        .replace("BLSE|BLSE]]", "BLSE|BLSE negation=Present]]"), encoding="utf-8")
    reports = adjudicated_agreement({"A": tmp_path / "first", "B": second}, docs, tmp_path / "out")
    a, b = reports["A"]["layers"], reports["B"]["layers"]
    assert a["pseudo"]["micro_f1"] == 1.0 and a["resistance"]["attribute_disagreements"] == 1
    assert b["pseudo"]["mentions"]["DATE_IDENTIFIANTE"] == {"adjudicated": 1, "B": 0} and b["pseudo"]["disagreements"] == 1
    assert (tmp_path / "out" / "B" / "disagreements.jsonl").read_text(encoding="utf-8").count("\n") == 2
    r = invoke("corpus", "campaign", "--adjudicated", "--first", str(tmp_path / "first"), "--second", str(second),
               "--source", str(docs), "--out", str(tmp_path / "cli"))
    assert r.code == 0 and "A vs adjudicated: 1 documents, micro F1 1.000" in r.out
    assert "B vs adjudicated: 1 documents, micro F1 0.889" in r.out


@pytest.mark.parametrize("batch", ["batch 11", "batch 12", "batch 13", "batch 14", "batch 15", "batch 16", "batch 17",
                                   "batch 18", "batch 19", "batch 20", "batch 21", "batch 22", "batch 23",
                                   "batch 24", "batch 25", "batch 26", "batch 27", "batch 28", "frozen"])
def test_packaged_adjudication_record_matches_the_campaign(batch):
    """Each adjudicated batch and the frozen test part: the adjudication file's decisions equal what the campaign finds against the
    corrected sources (every disagreement settled against A is one A error, against B one B error; a mark both
    made that a decision changed, ``agreed_marks_changed``, is one more for each; a third mark that replaces one
    annotator's one-sided mark of another boundary, ``boundary_replaced``, is one more for that annotator)."""
    import yaml

    from partages_core.corpus.campaign import adjudicated_agreement, real_campaign
    from partages_core.corpus.handwritten import (CAMPAIGN_BATCHES, dev_range, first_dir, frozen_second_ids,
                                                  load_annotated, second_dir, source_dir)

    record = yaml.safe_load((source_dir().parent / f"adjudication-{batch.replace(' ', '')}.yaml").read_text(encoding="utf-8"))
    entries, summary = record["disagreements"], record["summary"]
    kept = lambda e: e.get("adopted", e["decision"])  # noqa: E731
    if batch == "frozen":  # the frozen test part (session 21, adjudication-frozen.yaml): its 30 test ids
        ids = frozen_second_ids()
    else:
        _, lo, hi = next(b for b in CAMPAIGN_BATCHES if b[0] == batch)
        ids = dev_range(lo, hi)
    reports = adjudicated_agreement({"A": first_dir(), "B": second_dir()}, ids=ids)
    for who in "AB":
        assert sum(r["disagreements"] for r in reports[who]["layers"].values()) == \
            sum(kept(e) != who for e in entries) + summary.get("agreed_marks_changed", 0) + \
            summary.get("boundary_replaced", {}).get(who, 0)
    assert len(entries) == summary["disagreements"] == \
        {"batch 11": 62, "batch 12": 54, "batch 13": 37, "batch 14": 32, "batch 15": 19, "batch 16": 38,
         "batch 17": 19, "batch 18": 21, "batch 19": 22, "batch 20": 16, "batch 21": 26, "batch 22": 7,
         "batch 23": 21, "batch 24": 36, "batch 25": 34, "batch 26": 50, "batch 27": 61, "batch 28": 33, "frozen": 126}[batch]
    decided = [e["decision"] for e in entries]
    assert {k: decided.count(k) for k in summary["decisions"]} == summary["decisions"]
    as_annotated = real_campaign(load_annotated(ids=ids))  # A from first/: the campaign the adjudicator settled
    assert sum(r["disagreements"] for r in as_annotated["layers"].values()) == len(entries)
    assert len(record["corrections"]) == summary["gold_corrections"]


def test_campaign_docs_compares_one_batch_with_a_from_its_record_per_document(tmp_path):
    """--docs FIRST LAST compares one batch alone; A comes from first/ for each document that has a record
    (an adjudicated batch: A before adjudication) and from the source for a batch not yet adjudicated."""
    import re

    from tests.clirun import invoke

    second, docs = _pair(tmp_path)
    (docs / "hw-901.md").write_text(FIRST.replace("900", "901"), encoding="utf-8")
    (second / "hw-901.md").write_text(SECOND.replace("900", "901"), encoding="utf-8")
    (tmp_path / "first").mkdir()  # hw-900 was adjudicated: A had missed the date too, since corrected
    (tmp_path / "first" / "hw-900.md").write_text(SECOND.replace("annotator: B", "annotator: A"), encoding="utf-8")
    run = lambda *extra: invoke("corpus", "campaign", "--second", str(second), "--source", str(docs),  # noqa: E731
                                "--out", str(tmp_path / "o"), "--force", *extra)
    for extra, documents, pseudo in ((("--docs", "hw-900", "hw-900"), 1, 0), (("--docs", "hw-901", "hw-901"), 1, 1),
                                     ((), 2, 1)):
        r = run(*extra)
        assert r.code == 0 and f"{documents} documents" in r.out
        assert re.search(r"^pseudo .* disagreements (\d+)$", r.out, re.M).group(1) == str(pseudo)
    for extra, message in ((("--docs", "hw-902", "hw-905"), "--docs hw-902 hw-905: no hand-written document in that range"),
                           (("--docs", "hw-901", "hw-901", "--adjudicated"), "first: no *.md annotations of hw-901..hw-901"),
                           (("--docs", "hw-901", "hw-900"), "the first not after the last")):
        r = run(*extra)
        assert r.code == 2 and r.err.count("\n") == 1 and message in r.err and "Traceback" not in r.err


def test_packaged_second_annotations_fall_in_the_campaign_batches():
    """Every second/ file belongs to one CAMPAIGN_BATCHES range of dev documents, each batch annotated whole, or
    to the frozen test part (test ids only, front matter read; session 21: its second annotation)."""
    from partages_core.corpus.handwritten import CAMPAIGN_BATCHES, dev_range, frozen_second_ids, second_dir, splits

    marked = sorted(p.stem for p in second_dir().glob("*.md"))
    ranges = [dev_range(first, last) for _, first, last in CAMPAIGN_BATCHES]
    frozen = frozen_second_ids()
    assert sorted([i for r in ranges for i in r] + frozen) == marked
    assert [len(r) for r in ranges] == [18, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16]
    assert frozen and {splits()[i] for i in frozen} == {"test"} and len(frozen) <= 30


def test_campaign_split_test_compares_the_frozen_part_alone(tmp_path):
    """--split test compares every test id with a second annotation (here hw-901), not the dev one beside it, with
    --adjudicated too; it refuses --docs, another split and a folder with no frozen second annotation (one line,
    exit 2). A test source with a broken text and no second annotation (hw-902) is never parsed, by --docs either."""
    from tests.clirun import invoke

    second, docs = _pair(tmp_path)
    frozen = FIRST.replace("900", "901").replace("split: dev", "split: test")
    (docs / "hw-901.md").write_text(frozen, encoding="utf-8")
    (second / "hw-901.md").write_text(SECOND.replace("900", "901"), encoding="utf-8")
    front_matter = FIRST.replace("900", "902").replace("split: dev", "split: test").split("---\n")[1]
    (docs / "hw-902.md").write_bytes(f"---\n{front_matter}---\n".encode() + b"[[jamais ferm\xe9 \xff\n")
    run = lambda *extra, folder=second: invoke("corpus", "campaign", "--second", str(folder),  # noqa: E731
                                               "--source", str(docs), "--out", str(tmp_path / "o"), "--force", *extra)
    r = run("--split", "test")
    assert r.code == 0 and "1 documents" in r.out and "Traceback" not in r.err
    assert '"hw-901"' in (tmp_path / "o" / "disagreements.jsonl").read_text(encoding="utf-8")
    assert "hw-900" not in (tmp_path / "o" / "disagreements.jsonl").read_text(encoding="utf-8")
    (tmp_path / "first").mkdir()  # hw-901 adjudicated: A had missed the date too, since corrected
    (tmp_path / "first" / "hw-901.md").write_text(SECOND.replace("900", "901").replace("annotator: B", "annotator: A"),
                                                  encoding="utf-8")
    r = run("--split", "test", "--adjudicated", "--first", str(tmp_path / "first"))
    assert r.code == 0 and "A vs adjudicated: 1 documents, micro F1 0.889" in r.out
    assert run("--docs", "hw-900", "hw-900").code == 0  # dev: hw-902's broken text is not read
    (tmp_path / "dev-only").mkdir()
    (tmp_path / "dev-only" / "hw-900.md").write_text(SECOND, encoding="utf-8")
    for extra, folder, message in ((("--split", "test", "--docs", "hw-900", "hw-900"), second,
                                    "--split test with --docs: choose one"),
                                   (("--split", "dev"), second, "--split dev: only 'test'"),
                                   (("--split", "test"), tmp_path / "dev-only",
                                    "holds no second annotation of a frozen test document")):
        r = run(*extra, folder=folder)
        assert r.code == 2 and r.err.count("\n") == 1 and message in r.err and "Traceback" not in r.err


# Each batch as annotated: (first, last), disagreements per layer, and (grade, response) documents alike,
# as recorded in docs/history/handwritten.md and ARCHITECTURE.md (A from each batch's record first/, before adjudication).
AS_ANNOTATED = {
    "batch 13": (("hw-225", "hw-240"), {"pseudo": 21, "infectio": 3, "resistance": 6, "oncology": 7},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 2, "agree": 2}}),
    "batch 14": (("hw-241", "hw-256"), {"pseudo": 6, "infectio": 6, "resistance": 1, "oncology": 19},
                 {"grade": {"documents": 4, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 15": (("hw-257", "hw-272"), {"pseudo": 13, "infectio": 1, "resistance": 1, "oncology": 4},
                 {"grade": {"documents": 1, "agree": 1}, "response": {"documents": 5, "agree": 5}}),
    "batch 16": (("hw-273", "hw-288"), {"pseudo": 10, "infectio": 10, "resistance": 2, "oncology": 16},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 17": (("hw-289", "hw-304"), {"pseudo": 6, "infectio": 2, "resistance": 0, "oncology": 11},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 18": (("hw-305", "hw-320"), {"pseudo": 16, "infectio": 4, "resistance": 1, "oncology": 0},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 19": (("hw-321", "hw-336"), {"pseudo": 8, "infectio": 6, "resistance": 0, "oncology": 8},
                 {"grade": {"documents": 2, "agree": 2}, "response": {"documents": 5, "agree": 5}}),
    "batch 20": (("hw-337", "hw-352"), {"pseudo": 4, "infectio": 5, "resistance": 0, "oncology": 7},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 21": (("hw-353", "hw-368"), {"pseudo": 21, "infectio": 5, "resistance": 0, "oncology": 0},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 22": (("hw-369", "hw-384"), {"pseudo": 6, "infectio": 0, "resistance": 0, "oncology": 1},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 23": (("hw-385", "hw-400"), {"pseudo": 9, "infectio": 0, "resistance": 0, "oncology": 12},
                 {"grade": {"documents": 2, "agree": 2}, "response": {"documents": 5, "agree": 5}}),
    "batch 24": (("hw-401", "hw-416"), {"pseudo": 13, "infectio": 8, "resistance": 3, "oncology": 12},
                 {"grade": {"documents": 3, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 25": (("hw-417", "hw-432"), {"pseudo": 8, "infectio": 16, "resistance": 1, "oncology": 9},
                 {"grade": {"documents": 4, "agree": 4}, "response": {"documents": 5, "agree": 5}}),
    "batch 26": (("hw-433", "hw-448"), {"pseudo": 11, "infectio": 21, "resistance": 5, "oncology": 13},
                 {"grade": {"documents": 4, "agree": 3}, "response": {"documents": 5, "agree": 5}}),
    "batch 27": (("hw-449", "hw-464"), {"pseudo": 29, "infectio": 12, "resistance": 7, "oncology": 13},
                 {"grade": {"documents": 2, "agree": 2}, "response": {"documents": 5, "agree": 5}}),
    "batch 28": (("hw-465", "hw-480"), {"pseudo": 12, "infectio": 14, "resistance": 0, "oncology": 7},
                 {"grade": {"documents": 5, "agree": 4}, "response": {"documents": 5, "agree": 5}}),
}


@pytest.mark.parametrize("batch", sorted(AS_ANNOTATED))
def test_packaged_batch_campaign_as_annotated(batch):
    """A batch as annotated (B from the plain texts): A from its record first/ (before adjudication; the sources
    for a batch not yet adjudicated), B from second/; 16 documents, the disagreements per layer that the batch's
    adjudication-batchNN.yaml settles."""
    from partages_core.corpus.campaign import real_campaign
    from partages_core.corpus.handwritten import dev_range, load_annotated

    (first, last), layers, document_level = AS_ANNOTATED[batch]
    report = real_campaign(load_annotated(ids=dev_range(first, last)))
    assert report["documents"] == 16
    assert {k: r["disagreements"] for k, r in report["layers"].items()} == layers
    assert report["document_level"] == document_level
