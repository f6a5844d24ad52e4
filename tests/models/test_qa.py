"""The gold-derived French QA set and its lm-evaluation-harness export."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml

from partages_core.models.qa import exact_match, export_lm_eval, qa_items

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "CI": "true"}


def test_questions_come_from_the_gold_and_are_unambiguous(commons):
    items = qa_items(commons.patients)
    kinds = {it["kind"] for it in items}
    assert {"biomarker", "germ"} <= kinds and len(items) > 20
    by_doc = {d.id: d for _, d in commons.documents()}
    for it in items:
        doc = by_doc[it["document"]]
        assert it["context"] == doc.text and it["answer"].strip()
        if it["kind"] == "germ":
            germs = {s.attrs.get("normalized") for s in doc.spans("infectio")
                     if s.label == "Bacterie" and s.attrs.get("negation", "Present") == "Present"}
            assert germs == {it["answer"]}
    assert len({it["id"] for it in items}) == len(items)


def test_exact_match_ignores_case_punctuation_and_spaces():
    assert exact_match(" Négatif. ", "négatif") and exact_match("Staphylococcus aureus", "staphylococcus  aureus")
    assert not exact_match("positif", "négatif") and not exact_match("", "négatif")


def test_export_is_an_lm_eval_task_that_datasets_loads(commons, tmp_path):
    from datasets import load_dataset

    summary = export_lm_eval(commons.patients, tmp_path / "qa")
    task = yaml.safe_load((tmp_path / "qa" / "partages_qa.yaml").read_text(encoding="utf-8"))
    assert task["task"] == "partages_qa" and task["output_type"] == "generate_until"
    assert task["metric_list"][0]["metric"] == "exact_match" and task["test_split"] == "test"
    assert "{{question}}" in task["doc_to_text"] and "{{answer}}" in task["doc_to_target"]
    data = load_dataset(task["dataset_path"], data_files=task["dataset_kwargs"]["data_files"], split="test")
    assert len(data) == summary["questions"] and set(data.column_names) >= {"context", "question", "answer"}
    again = export_lm_eval(commons.patients, tmp_path / "qa")
    assert again == summary  # same commons, same set (and the folder is replaced whole)


def test_cli_export_qa_and_bad_split(commons, tmp_path):
    cmd = [sys.executable, "-m", "partages_core", "models", "export-qa", "--commons", str(commons.folder)]
    run = subprocess.run(cmd + ["--out", str(tmp_path / "qa"), "--split", "all"], capture_output=True, text=True,
                         env=ENV, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout)["questions"] == len(qa_items(commons.patients))
    bad = subprocess.run(cmd + ["--out", str(tmp_path / "x"), "--split", "nope"], capture_output=True, text=True,
                         env=ENV, timeout=120)
    assert bad.returncode == 2 and "--split" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x").exists()


def test_evidence_is_chosen_from_the_question_never_the_answer(commons):
    from partages_core.models.qa import evidence, instruction_pairs

    text = "Compte rendu.\nEn cish, C-erbB2 : score 3+. KRAS muté G12V en PCR. Patient revu en consultation."
    assert evidence(text, "biomarker", "Quel est le statut HER2 ?") == "En cish, C-erbB2 : score 3+."
    assert evidence(text, "biomarker", "Quel est le statut KRAS ?") == "KRAS muté G12V en PCR."
    assert evidence(text, "biomarker", "Quel est le statut ALK ?") == text  # nothing names it: the whole text
    germ = "Fièvre à 39.\nHémocultures positives à Klebsiella pneumoniae. Sortie à J7."
    assert evidence(germ, "germ", "Quel germe est identifié ?") == "Hémocultures positives à Klebsiella pneumoniae."
    items = qa_items(commons.patients)
    pairs = instruction_pairs(items)
    assert [p["input"] for p in pairs] == [it["evidence"] for it in items]
    shorter = sum(len(it["evidence"]) < len(it["context"]) for it in items)
    assert shorter >= 0.9 * len(items)  # almost every question finds its sentences
