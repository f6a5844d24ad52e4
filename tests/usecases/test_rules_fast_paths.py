"""The rules' speed shortcuts give what the slow reading they replace gives (outputs unchanged).

Each shortcut skips work a pre-filter proves useless; these snippets hold the cases it must not skip.
Timing is measured by ``benchmarks/bench_usecases_speed.py``, never asserted here.
"""

from __future__ import annotations

import pytest

from partages_core.usecases.infectiology import rules as inf_rules

ROW_LINES = [
    "Amoxicilline ........ R",
    "Amoxicilline : S   Ceftriaxone : R   Gentamicine : S",
    "Antibiotique : amox S",  # a label before the name: the cell starts after the colon
    "Résultat de la culture, souche E. coli, amoxicilline R, ceftriaxone S (CMI 0,5)",
    "xx yy Pipéracilline-tazobactam   S (CMI 4)",
    "Cotrimoxazole\tR\tCiprofloxacine\tS",
    "Vancomycine (CMI) = 1 mg/l S",
    "imipeneme sensible a forte posologie",
    "TEST 12 kk: resistante",
    "abc (def) ghi : jkl mno : S",
    "a1 b2 c3 d4 ... e5 : I",
    "Fosfomycine : non testé ; Nitrofurantoïne : S.",
    "",
    "S",
    "ſ K ı İ : R",  # letters that IGNORECASE folds into A-Z
]


@pytest.mark.parametrize("line", ROW_LINES)
def test_row_cells_equal_the_full_scan(line):
    fast = [(m.span(), m.groupdict()) for m in inf_rules._row_cells(line)]
    slow = [(m.span(), m.groupdict()) for m in inf_rules._ROW.finditer(line)]
    assert fast == slow


def test_row_cells_find_every_cell_of_a_row():
    cells = inf_rules._row_cells("Amoxicilline : S   Ceftriaxone : R   Gentamicine : S")
    assert [m.group("res") for m in cells] == ["S", "R", "S"]


def test_row_cells_equal_the_full_scan_on_random_lines():
    import random

    rng = random.Random(13)
    alphabet = ["a", "m", "x", "S", "I", "R", "r", "s", " ", " ", "  ", ":", ".", "..", "(", ")", "\t", "1", "0,5",
                "-", "/", "=", "<", "CMI ", "sensible", "resistant", "é", ","]
    for _ in range(3000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        fast = [(m.span(), m.groupdict()) for m in inf_rules._row_cells(line)]
        assert fast == [(m.span(), m.groupdict()) for m in inf_rules._ROW.finditer(line)], line


def test_fold_equals_the_translation_table():
    from partages_core.usecases.infectiology import lexicon as inf_lexicon
    from partages_core.usecases.oncology import rules as onco_rules

    import random

    rng = random.Random(13)
    pool = list("aeE ,.'-\n\tzß€ıİſK") + list(inf_lexicon._FOLD) + [chr(k) for k in onco_rules._FOLD]
    texts = ["", "plain ascii", "".join(pool)] + ["".join(rng.choice(pool) for _ in range(40)) for _ in range(500)]
    for t in texts:
        assert onco_rules.fold(t) == t.translate(onco_rules._FOLD)
        assert inf_lexicon.fold(t) == t.translate(str.maketrans(inf_lexicon._FOLD))
