"""Every card parses with huggingface_hub and carries the required metadata and sections."""

from __future__ import annotations

from pathlib import Path

from huggingface_hub import DatasetCard, ModelCard

from partages_core.portal.cards import size_category, write_dataset_card

ROOT = Path(__file__).resolve().parents[2]


def test_dataset_card_numbers_come_from_the_data(commons, tmp_path):
    path = write_dataset_card(commons.patients, tmp_path, name="t", seed=7)
    card = DatasetCard.load(path)
    meta = card.data.to_dict()
    assert meta["language"] == ["fr"] and meta["license"] == "cc-by-4.0"
    assert meta["size_categories"] == [size_category(sum(len(p.documents) for p in commons.patients))]
    for section in ("## Motivation", "## Composition", "## Collection process", "## Uses", "## Distribution",
                    "## Maintenance", "## Limitations and biases"):
        assert section in card.text
    assert f"{len(commons.patients)} patients" in card.text
    n_names = sum(1 for p in commons.patients for d in p.documents for s in d.spans("pseudo") if s.label == "NOM")
    assert f"| NOM | {n_names} |" in card.text


def test_committed_cards_parse_with_required_fields():
    for path in sorted((ROOT / "datasets_cards").glob("*.md")):
        meta = DatasetCard.load(path).data.to_dict()
        for key in ("license", "language", "task_categories", "size_categories", "annotations_creators", "pretty_name"):
            assert meta.get(key), f"{path.name}: missing {key}"
    for path in sorted((ROOT / "model_cards").glob("*.md")):
        card = ModelCard.load(path)
        meta = card.data.to_dict()
        for key in ("language", "license", "library_name", "pipeline_tag"):
            assert meta.get(key), f"{path.name}: missing {key}"
        for section in ("Intended use", "Out-of-scope", "Training data", "Evaluation", "Limitations", "Environmental"):
            assert section.lower() in card.text.lower(), f"{path.name}: missing section {section}"


def test_size_buckets():
    assert size_category(10) == "n<1K" and size_category(8000) == "1K<n<10K"


def test_the_frozen_transfer_table_names_each_tagger_as_the_dev_table(commons, tmp_path, monkeypatch):
    """A release run scored on the frozen part adds a second table; its rows name the taggers as the first."""
    import json

    from partages_core.corpus import realism
    from partages_core.portal.cards import _measured

    report = json.loads(realism.report_path().read_text(encoding="utf-8"))
    gap = report["transfer_gap"]
    gap["handwritten_frozen_documents"] = 7
    for tagger in gap["taggers"].values():
        for mode in ("strict", "overlap"):
            tagger[mode].update(handwritten_frozen_f1=[0.5, 0.4, 0.6], frozen_gap=0.3)
    (tmp_path / "realism.json").write_text(json.dumps(report), encoding="utf-8")
    monkeypatch.setattr(realism, "report_path", lambda: tmp_path / "realism.json")
    text = _measured(commons.patients[:3])
    frozen = text[text.index("hand-written frozen F1 (n)"):].split("\n\n")[0].splitlines()[2:]
    assert sorted(row.split(" | ")[0][2:] for row in frozen) == sorted(
        realism.TAGGER_NAMES[t] for t in gap["taggers"] for _ in ("strict", "overlap"))
    assert all("0.500 [0.400, 0.600] (7) | 0.3 |" in row for row in frozen)


def test_agreement_section_reports_the_campaign_as_annotated_and_the_adjudication():
    """One subsection per batch (batches 11-28, all eighteen adjudicated, then the
    frozen test part, adjudicated in session 21 with adjudication-frozen.yaml): A vs B from A's record before
    adjudication (first/), so its disagreements are the ones the adjudication file settled, then each annotator
    against the corrected sources, with the file's decisions and gold corrections."""
    import re

    import yaml

    from partages_core.corpus.handwritten import source_dir
    from partages_core.portal.cards import agreement_section

    text = agreement_section()
    parts = {"batch 11": text.split("### Batch 11")[1].split("### Batch 12")[0],
             "batch 12": text.split("### Batch 12")[1].split("### Batch 13")[0],
             "batch 13": text.split("### Batch 13")[1].split("### Batch 14")[0],
             "batch 14": text.split("### Batch 14")[1].split("### Batch 15")[0],
             "batch 15": text.split("### Batch 15")[1].split("### Batch 16")[0],
             "batch 16": text.split("### Batch 16")[1].split("### Batch 17")[0],
             "batch 17": text.split("### Batch 17")[1].split("### Batch 18")[0],
             "batch 18": text.split("### Batch 18")[1].split("### Batch 19")[0],
             "batch 19": text.split("### Batch 19")[1].split("### Batch 20")[0],
             "batch 20": text.split("### Batch 20")[1].split("### Batch 21")[0],
             "batch 21": text.split("### Batch 21")[1].split("### Batch 22")[0],
             "batch 22": text.split("### Batch 22")[1].split("### Batch 23")[0],
             "batch 23": text.split("### Batch 23")[1].split("### Batch 24")[0],
             "batch 24": text.split("### Batch 24")[1].split("### Batch 25")[0],
             "batch 25": text.split("### Batch 25")[1].split("### Batch 26")[0],
             "batch 26": text.split("### Batch 26")[1].split("### Batch 27")[0],
             "batch 27": text.split("### Batch 27")[1].split("### Batch 28")[0],
             "batch 28": text.split("### Batch 28")[1].split("### Frozen test part")[0],
             "frozen": text.split("### Frozen test part")[1].split("**Reading scores")[0]}
    row = r"^\| (pseudo|infectio|resistance|oncology) \| \d+ \| \d+ \| [^|]+\| [^|]+\| [^|]+\| (\d+) \|"
    for batch, part in parts.items():
        record = yaml.safe_load((source_dir().parent / f"adjudication-{batch.replace(' ', '')}.yaml").read_text(encoding="utf-8"))
        rows = re.findall(row, part.split("#### Adjudication")[0], re.M)
        assert len(rows) == 4 and sum(int(n) for _, n in rows) == record["summary"]["disagreements"]
        assert f"**{record['summary']['gold_corrections']} gold\ncorrections**" in part
        assert "A **" in part and "B **" in part and "adjudicated (below)" in part
        decisions = ", ".join(f"{k} {v}" for k, v in record["summary"]["decisions"].items())
        assert f"decisions: {decisions};" in " ".join(part.split())
    assert "but 1 mark both made, or both left out, that a decision changed" in " ".join(parts["batch 12"].split())
    summary = re.findall(r"^\| (batch 1[123456789]|batch 2[012345678]|frozen test part) \| (hw-\d+\.\.hw-\d+) \| (\d+) \|.*\| (\d+) \| "
                         r"([a-z ]+) \|$", text, re.M)
    assert summary == [("batch 11", "hw-191..hw-208", "18", "62", "adjudicated"),
                       ("batch 12", "hw-209..hw-224", "16", "54", "adjudicated"),
                       ("batch 13", "hw-225..hw-240", "16", "37", "adjudicated"),
                       ("batch 14", "hw-241..hw-256", "16", "32", "adjudicated"),
                       ("batch 15", "hw-257..hw-272", "16", "19", "adjudicated"),
                       ("batch 16", "hw-273..hw-288", "16", "38", "adjudicated"),
                       ("batch 17", "hw-289..hw-304", "16", "19", "adjudicated"),
                       ("batch 18", "hw-305..hw-320", "16", "21", "adjudicated"),
                       ("batch 19", "hw-321..hw-336", "16", "22", "adjudicated"),
                       ("batch 20", "hw-337..hw-352", "16", "16", "adjudicated"),
                       ("batch 21", "hw-353..hw-368", "16", "26", "adjudicated"),
                       ("batch 22", "hw-369..hw-384", "16", "7", "adjudicated"),
                       ("batch 23", "hw-385..hw-400", "16", "21", "adjudicated"),
                       ("batch 24", "hw-401..hw-416", "16", "36", "adjudicated"),
                       ("batch 25", "hw-417..hw-432", "16", "34", "adjudicated"),
                       ("batch 26", "hw-433..hw-448", "16", "50", "adjudicated"),
                       ("batch 27", "hw-449..hw-464", "16", "61", "adjudicated"),
                       ("batch 28", "hw-465..hw-480", "16", "33", "adjudicated"),
                       ("frozen test part", "hw-003..hw-088", "30", "126", "adjudicated")]
    # batch 13: the lead's later decision (hw-230 'lymphangite', FORMAT.md) changed one mark both made
    assert "but 1 mark both made, or both left out, that a decision changed" in " ".join(parts["batch 13"].split())
    # batch 18: session 22's dev-gold consistency (h16) made hw-309's duration cultures Absent, a mark both made
    assert "but 1 mark both made, or both left out, that a decision changed" in " ".join(parts["batch 18"].split())
    assert all("decision changed" not in parts[b]
               for b in ("batch 14", "batch 15", "batch 16", "batch 17", "batch 19", "batch 20",
                         "batch 21", "batch 22", "batch 23", "batch 25", "batch 26", "batch 28", "frozen"))  # nor the others', nor the frozen part's
    # batch 24: session 24's dev-gold consistency (h28) put hw-408's "absence d'" outside its BIOMARKER, a mark both made
    # (a moved boundary, counted twice: the old mark and the new)
    assert "but 2 marks both made, or both left out, that a decision changed" in " ".join(parts["batch 24"].split())
    # batch 27: the device 'sonde JJ' that both left unmarked was added as a Site (adjudication-batch27.yaml), and
    # session 24 (h28) closed hw-451's "arthrite septique à staphylocoque doré" on its organism (counted twice)
    assert "but 4 marks both made, or both left out, that a decision changed" in " ".join(parts["batch 27"].split())
    # the frozen part's guideline gaps stay in its adjudication file: FORMAT.md is read by the tuners
    assert "decided in the adjudication file only, not added to `FORMAT.md`" in " ".join(parts["frozen"].split())
    assert "--adjudicated --split test" in " ".join(parts["frozen"].split())


def test_agreement_section_shows_a_batch_without_a_record_as_not_yet_adjudicated(tmp_path):
    """A batch whose documents have no first/ record (sources and second/ copied alone) is compared A vs B
    only: status "not yet adjudicated", no adjudication part (the state of each batch before its third person)."""
    import shutil

    from partages_core.corpus.handwritten import dev_range, second_dir, source_dir
    from partages_core.portal.cards import agreement_section

    (tmp_path / "docs").mkdir()
    (tmp_path / "second").mkdir()
    for i in dev_range("hw-257", "hw-272"):
        shutil.copy(source_dir() / f"{i}.md", tmp_path / "docs")
        shutil.copy(second_dir() / f"{i}.md", tmp_path / "second")
    text = agreement_section(tmp_path / "second", tmp_path / "docs")
    assert "| batch 15 | hw-257..hw-272 | 16 | 587 | 587 |" in text and "| 9 | not yet adjudicated |" in text
    assert "### Batch 15 (hw-257..hw-272): not yet adjudicated" in text and "#### Adjudication" not in text


def test_agreement_section_shows_the_frozen_test_part_as_its_own_section(tmp_path):
    """A second annotation of a test-split document (here a temporary pair, not the frozen gold) forms the section
    "frozen test part" after the dev batches, with its `--split test` command, not "other documents"."""
    from partages_core.portal.cards import agreement_section
    from tests.corpus.test_campaign import FIRST, SECOND

    for folder, text in (("docs", FIRST), ("second", SECOND)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "hw-900.md").write_text(text, encoding="utf-8")  # dev, outside every batch
        (tmp_path / folder / "hw-901.md").write_text(text.replace("900", "901").replace("split: dev", "split: test"),
                                                     encoding="utf-8")
    text = agreement_section(tmp_path / "second", tmp_path / "docs")
    assert "| other documents | hw-900 | 1 |" in text and "| frozen test part | hw-901 | 1 |" in text
    assert text.index("### Other documents (hw-900)") < text.index("### Frozen test part (hw-901): not yet adjudicated")
    assert "the frozen test part `--split test`" in text
