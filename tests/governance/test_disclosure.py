
import numpy as np
import pandas as pd
import pytest

from partages_core.errors import InputError
from partages_core.governance.disclosure import PrivacyBudget, laplace, suppress


def _lines(mask: np.ndarray):
    return [mask[i, :] for i in range(mask.shape[0])] + [mask[:, j] for j in range(mask.shape[1])]


def test_small_cells_are_hidden_and_none_is_recoverable_from_totals():
    rng = np.random.default_rng(0)
    for _ in range(30):
        t = pd.DataFrame(rng.integers(0, 40, size=(4, 3)), index=list("abcd"), columns=list("xyz"))
        s = suppress(t, k=11)
        hidden = s.hidden.to_numpy()
        counts = s.counts.to_numpy()
        assert ((counts > 0) & (counts < 11) <= hidden).all()  # every small cell hidden
        assert all(line.sum() != 1 for line in _lines(hidden))  # no line with a lone hidden cell
        assert not (s.primary & s.complementary).to_numpy().any()
        published = s.table()
        assert all(published.to_numpy()[hidden] == "<11")


def test_series_suppression_and_custom_k():
    s = suppress(pd.Series({"BLSE": 4, "SARM": 30, "EPC": 25}), k=5)
    assert s.table().loc["BLSE", "n"] == "<5" and s.complementary.to_numpy().sum() == 1
    assert s.table().loc["Total", "n"] == 59
    assert suppress(pd.Series({"a": 12, "b": 30}), k=11).hidden.to_numpy().sum() == 0


def test_bad_tables_are_refused():
    with pytest.raises(InputError, match="non-negative"):
        suppress(pd.DataFrame({"x": [1, -2]}))
    with pytest.raises(InputError, match="k:"):
        suppress(pd.DataFrame({"x": [1, 2]}), k=1)


def test_laplace_noise_charges_a_recorded_budget(tmp_path):
    t = pd.DataFrame({"x": [100, 200], "y": [50, 20]})
    budget = PrivacyBudget(1.0, path=str(tmp_path / "eps.json"))
    a = laplace(t, 0.4, budget, seed=3, label="table 1")
    b = laplace(t, 0.4, PrivacyBudget(1.0), seed=3)
    assert a.equals(b) and (a >= 0).all().all() and not a.equals(t)
    assert PrivacyBudget(1.0, path=str(tmp_path / "eps.json")).remaining == pytest.approx(0.6)
    laplace(t, 0.5, budget, label="table 2")
    with pytest.raises(InputError, match="budget exceeded"):
        laplace(t, 0.2, budget, label="table 3")
    assert [s["label"] for s in budget.spent] == ["table 1", "table 2"]
