"""``benchmarks/pseudo_crossfit.py --rules-from REV``: the rules of a git revision, read beside today's package."""

from __future__ import annotations

import pytest

@pytest.fixture(scope="module")
def crossfit(load_benchmark):
    return load_benchmark("pseudo_crossfit")


def test_the_rules_of_a_revision_find_a_titled_name(crossfit):
    rules = crossfit.older_rules("HEAD")   # a shallow clone holds HEAD
    text = "Vu par le Dr Jean DUPONT le 12/03/2021 à Albi."
    found = {(x["text"], x["label"]) for x in rules._finish(text, rules._rule_candidates(text, None))}
    assert ("DUPONT", "NOM") in found and ("12/03/2021", "DATE_IDENTIFIANTE") in found


def test_an_unknown_revision_is_one_line_and_exit_2(crossfit, capsys):
    with pytest.raises(SystemExit) as stop:
        crossfit.older_rules("no-such-revision")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-revision" in err
