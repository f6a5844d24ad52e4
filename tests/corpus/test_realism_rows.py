"""The transfer-gap tables the dataset card and notebook 00 show, from a benchmark result."""

from partages_core.corpus.realism import transfer_gap_per_label, transfer_gap_rows

RUN = {"patients": 10, "commons_test_documents": 3, "handwritten_dev_documents": 4,
       "taggers": {"spacy": {"epochs": 2, "strict": {
           "commons_test_f1": [0.9, 0.8, 1.0], "handwritten_dev_f1": [0.5, 0.4, 0.6], "gap": 0.4,
           "handwritten_dev_per_label": {"VILLE": [3, 1, 2], "PAYS": [0, 0, 4]}}}}}


def test_rows_and_per_label_counts():
    rows = transfer_gap_rows(RUN)
    assert rows[0]["gap"] == 0.4 and rows[0]["n hand-written"] == 4
    per = {r["label"]: r for r in transfer_gap_per_label(RUN, before={"taggers": {"spacy": {"strict": {
        "handwritten_dev_per_label": {"VILLE": [1, 1, 4]}}}}})}
    assert per["VILLE"]["F1"] == round(6 / 9, 3) and per["VILLE"]["F1 before"] == round(2 / 7, 3)
    assert per["PAYS"]["F1"] == 0.0 and per["PAYS"]["F1 before"] is None
    assert transfer_gap_per_label(None) == []
