from partages_core.metrics import Counts, macro_f1, merge, micro, set_counts, span_counts


def lab(x):
    return x["label"]


def test_strict_and_overlap_matching():
    gold = [{"start": 0, "end": 5, "label": "A"}, {"start": 10, "end": 15, "label": "B"}]
    pred = [{"start": 0, "end": 5, "label": "A"}, {"start": 11, "end": 15, "label": "B"},
            {"start": 20, "end": 22, "label": "A"}]
    strict = span_counts(gold, pred, lab)
    assert strict["A"] == Counts(1, 1, 0) and strict["B"] == Counts(0, 1, 1)
    overlap = span_counts(gold, pred, lab, mode="overlap")
    assert overlap["B"] == Counts(1, 0, 0)
    assert round(micro(overlap).f1, 4) == round(2 * (2 / 3) * 1 / (2 / 3 + 1), 4)


def test_one_gold_matches_one_prediction_only():
    gold = [{"start": 0, "end": 10, "label": "A"}]
    pred = [{"start": 0, "end": 4, "label": "A"}, {"start": 5, "end": 10, "label": "A"}]
    assert span_counts(gold, pred, lab, mode="overlap")["A"] == Counts(1, 1, 0)


def test_sets_merge_and_macro():
    c1 = set_counts({("e", "amx", "R")}, {("e", "amx", "R"), ("e", "cip", "S")}, lambda t: t[1])
    c2 = set_counts({("e", "cip", "R")}, set(), lambda t: t[1])
    total = merge(c1, c2)
    assert total["cip"] == Counts(0, 1, 1) and total["amx"] == Counts(1, 0, 0)
    assert macro_f1(total) == 0.5
