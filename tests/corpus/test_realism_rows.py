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


def test_frozen_part_is_reported_aggregate_only():
    """The frozen part, when a release run scored it (``--frozen``), adds its F1 and gap to each row;
    no per-label table is ever kept for it."""
    run = {**RUN, "handwritten_frozen_documents": 5,
           "taggers": {"spacy": {"epochs": 2, "strict": {**RUN["taggers"]["spacy"]["strict"],
                                                         "handwritten_frozen_f1": [0.45, 0.3, 0.6], "frozen_gap": 0.45}}}}
    row = transfer_gap_rows(run)[0]
    assert row["hand-written frozen F1"] == "0.450 [0.300, 0.600]" and row["n frozen"] == 5 and row["frozen gap"] == 0.45
    assert "hand-written frozen F1" not in transfer_gap_rows(RUN)[0]
    assert {r["label"] for r in transfer_gap_per_label(run)} == {"VILLE", "PAYS"}  # the dev part's labels only


def test_seed_mean_and_new_batch_columns():
    """A run at several training seeds adds the seed mean and each seed's gap; ``--docs`` adds the batch."""
    strict = {**RUN["taggers"]["spacy"]["strict"], "docs_f1": [0.6, 0.5, 0.7], "docs_gap": 0.3,
              "seed_mean": {"commons_test_f1": [0.85, 0.8, 0.9], "handwritten_dev_f1": [0.55, 0.5, 0.6], "gap": 0.3,
                            "gap_per_seed": [0.4, 0.2], "docs_f1": [0.65, 0.5, 0.8], "docs_gap": 0.2}}
    run = {**RUN, "training_seeds": [13, 14], "docs": {"range": ["hw-191", "hw-208"], "documents": 18},
           "taggers": {"spacy": {"epochs": 2, "strict": strict}}}
    row = transfer_gap_rows(run)[0]
    assert row["tagger"] == "spacy" and row["gap"] == 0.4 and row["gap (seed mean)"] == 0.3
    assert row["gap per seed"] == "0.400, 0.200" and row["training seeds"] == "13, 14"
    assert row["batch F1"] == "0.600 [0.500, 0.700]" and row["n batch"] == 18 and row["batch gap (seed mean)"] == 0.2
    assert "gap (seed mean)" not in transfer_gap_rows(RUN)[0]
