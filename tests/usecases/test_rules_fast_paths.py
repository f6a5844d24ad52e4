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
    from partages_core.quality import normalize
    from partages_core.usecases.infectiology import lexicon as inf_lexicon
    from partages_core.usecases.oncology import rules as onco_rules

    import random

    assert onco_rules.fold is normalize.same_length_fold and inf_lexicon.fold is normalize.same_length_fold
    rng = random.Random(13)
    table = str.maketrans(normalize._SAME_LENGTH_FOLD)
    pool = list("aeE ,.'-\n\tzß€ıİſK") + list(normalize._SAME_LENGTH_FOLD)
    texts = ["", "plain ascii", "".join(pool)] + ["".join(rng.choice(pool) for _ in range(40)) for _ in range(500)]
    for t in texts:
        assert normalize.same_length_fold(t) == t.translate(table)
        assert len(normalize.same_length_fold(t)) == len(t)


GATED_SNIPPETS = [
    "hemocultures : 2/2 flacons positifs a e. coli", "hc x2 steriles", "hemocs : positives",
    "2 hemocultures sur 2 positives",
    "hc 2/2 +", "les trois paires d'hemocultures sont revenues positives", "hemoc : negatives",
    "souche resistante a l'amoxicilline et sensible a la ceftriaxone", "reſistante a l'amoxicilline",
    "ſenſible a la ceftriaxone", "intermediaire a la ciprofloxacine", "amoxicilline, ticarcilline resistantes",
    "k. pneumoniae oxa-48", "e. coli ndm-1", "kpc-3 detectee", "vim", "imp-1", "antigenuries pneumocoque negatives",
    "ag urinaires legionelle positif", "resistances : amoxicilline", "Sensibilite : ceftriaxone",
    "E. coli. Sensible : cefepime", "rien a signaler", "",
]


@pytest.mark.parametrize("snippet", GATED_SNIPPETS)
def test_scan_gates_never_skip_a_match(snippet):
    """A full-text scan skipped by its word gate has no match to give."""
    from partages_core.usecases.infectiology.lexicon import lower_same_length

    r = inf_rules
    low = lower_same_length(snippet)
    gates = [
        (r._names_a_culture(low), (r._FLACONS, r._BLOOD, r._CULTURE_FIELD, r._CULTURE_WORD), low),
        (r._may_hold(low, "sensib", "resist", "intermediaire"), (r._PROSE, r._GROUPED_NOUN, r._GROUPED_MID), low),
        (r._may_hold(low, "sensib", "resist", "intermediaire"), (r._GROUPED_NOUN, r._GROUPED_MID), snippet),
        (any(w in low for w in ("sfp", "sdd", "sensible", "resistant", "intermediaire")), (r._AFTER_RES,), low),
        (any(w in low for w in ("oxa", "kpc", "ndm", "vim", "imp-")), (r._ENZYME_AFTER,), low),
        ("antigen" in low or "urinaire" in low, (r._ANTIGEN,), low),
    ]
    for gate, patterns, text in gates:
        if not gate:
            assert not any(p.search(text) for p in patterns), (snippet, [p.pattern[:40] for p in patterns])


def test_case_twins_open_the_gate():
    assert inf_rules._PROSE.search("reſistante a l'amoxicilline")  # an IGNORECASE pattern reads "ſ" as "s"
    assert inf_rules._may_hold("reſistante", "resist")
    assert not inf_rules._may_hold("rien a signaler", "resist")


@pytest.mark.parametrize("name", ["_FLACONS", "_CULTURE_FIELD", "_CULTURE_WORD", "_HC_RATIO"])
def test_finditer_at_equals_finditer(name):
    """Blood-culture scans tried only where an "h" stands, or "hc" / "hemoc", give the matches of the full scan."""
    import random

    pattern = getattr(inf_rules, name)
    texts = [s.lower() for s in GATED_SNIPPETS] + [
        "hc 2/2 + a s. aureus ; hemocultures : steriles. hemoc : positives a e. coli (2 flacons sur 2)",
        "xhc 1/2 +, -hemocultures : negatives, hhc 2/2 positives", "hemocultures sur 2 positives hc",
        "hc 2/2 a e. coli ; hemocs : 1/2 ; hemoculture 0/2.\nhc: 2 / 4", "-hc 1/2, xhemocs 2/2",
    ]
    rng = random.Random(13)
    words = ["hc", "hemoc", "hemocultures", " ", ":", "2/2", "+", "positives", "flacons", "sur", "x", "-", "\n", "h", "1",
             "/", "a ", ";", ")"]
    texts += ["".join(rng.choice(words) for _ in range(12)) for _ in range(500)]
    for t in texts:
        assert [m.span() for m in inf_rules._finditer_at(pattern, t, "h")] == [m.span() for m in pattern.finditer(t)], t
        assert [m.span() for m in inf_rules._finditer_at(pattern, t, inf_rules._CULTURE_START)] == \
            [m.span() for m in pattern.finditer(t)], t


def test_marker_names_grouped_by_first_letter_match_as_one_alternation():
    """Oncology marker names behind a first-letter look-ahead give the spans of the plain alternation."""
    import re

    from partages_core.usecases.oncology import rules as onco_rules

    grouped = onco_rules.rules().name_re
    plain = re.compile(re.sub(r"\(\?=\(\?i:\[[^\]]*\]\)\)\(\?:", "(?:", grouped.pattern))
    assert plain.pattern != grouped.pattern
    texts = ["HER2 score 2+, FISH non amplifié ; RE 90 %, RP 0 %, Ki67 20 %.", "her2 Her2 kras KRAS ƘRAS ſ K ı İ",
             "Protéines MMR : perte de MLH1 et PMS2 ; MSI-high ; PD-L1 (22C3) TPS 60 % ; EGFR p.L858R ; ALK négatif",
             "anti-EGFR, c.35G>A, promoteur de MGMT méthylé, BRAF V600E, ROS1 : fusion CD74-ROS1, NTRK, pan-TRK"]
    for t in texts:
        t = onco_rules.fold(t)
        assert [m.span() for m in grouped.finditer(t)] == [m.span() for m in plain.finditer(t)], t


def test_genus_scan_equals_the_look_behind_first_pattern():
    """Bacterial genera written first letter then look-behind, grouped by first letter, give the matches of
    ``(?<![\\w-])(?:genera)``."""
    import re

    from partages_core.usecases.infectiology import lexicon as inf_lexicon

    genera = "|".join(sorted((re.escape(g) for g in inf_lexicon._extra().get("genera", [])), key=len, reverse=True))
    plain = re.compile(rf"(?<![\w-])(?P<genus>{genera})(?:[ \t]+(?P<epithet>[a-z]{{3,}}))?(?![\w-])")
    fast = inf_lexicon.get_lexicon().re_genus
    texts = ["Klebsiella aerogenes (ex-Enterobacter aerogenes), xKlebsiella, -Nocardia, Nocardia",
             "Fusobacterium necrophorum et Pseudomonas confirmée ; Streptococcus-like ; Bacteroides fragilis",
             "Enterobacter", "aEnterobacter cloacae", "", "\nCandida albicans\tKingella kingae."]
    import random

    rng = random.Random(21)
    words = inf_lexicon._extra().get("genera", [])
    pieces = words + [w[:-1] for w in words[:20]] + [w.lower() for w in words[:10]] + \
        [" ", "\t", "-", "x", "_", "\n", "é", "coli", "aureus", "ae", "(", "."]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(1500)]
    for t in texts:
        assert [(m.span(), m.groupdict()) for m in fast.finditer(t)] == \
            [(m.span(), m.groupdict()) for m in plain.finditer(t)], t
    assert inf_lexicon._first_then_boundary(re.escape("(x")) == r"(?<![\w-])\(x"
    grouped = inf_lexicon._grouped_first_then_boundary([re.escape(w) for w in ("Ab", "Ac", "(x", "B")])
    assert grouped == r"A(?<![\w-]A)(?:b|c)|B(?<![\w-]B)(?:)|(?<![\w-])\(x"


def test_row_name_run_is_the_row_name_class():
    """``_row_cells`` is exact only while ``_NAME_RUN`` holds the characters of ``_ROW``'s antibiotic name."""
    first, run = inf_rules._NAME_FIRST.pattern, inf_rules._NAME_RUN.pattern
    assert f"(?P<ab>{first}{run[:-1]}*?" in inf_rules._ROW.pattern
    assert inf_rules._ROW.flags == inf_rules._NAME_RUN.flags == inf_rules._NAME_FIRST.flags


def _row_as_first_written():
    """``_ROW`` with its first separator, every split of a run of spaces retried (the slow reading)."""
    import re

    r = inf_rules
    return re.compile(
        r"(?P<ab>[A-Za-z][A-Za-z0-9'/+.\- ]*?[A-Za-z0-9)])(?:[ \t]*\([^)\n]*\))?[ \t]*(?:\.{2,}|…+|_{2,}|:|=|\t|[ \t]{2,}|[ \t])"
        rf"[ \t]*(?:(?:CMI\s*)?[<>=≤≥]*\s*\d+(?:[.,]\d+)?\s*(?:mg/l)?\s*)?{r._RESULT}(?![\w-])(?:[ \t]*\([^)\n]*\))?",
        re.IGNORECASE)


ALIGNED_ROW_LINES = ROW_LINES + [
    "Cefotaxime                         .                         R",
    "  Cefixime                         O,5        S",
    "Linezolide                        -           -         2           S",
    "  Ertapeneme                       <=O,O6     S",
    "Vancomycine  \t  :  \t 1 mg/l   \u2009 S (HN)", "Amikacine  ..  \u2009\x0b 4 S", "Colistine \t\t = \t <= 2 R",
    "Amox   CMI 8   R", "Amox   CMI   R", "Amox  . S", "Amox ... S", "Amox __ I", "Amox … R", "Amox: :S", "Amox (x) S",
]


@pytest.mark.parametrize("line", ALIGNED_ROW_LINES)
def test_row_with_possessive_separator_equals_the_first_reading(line):
    slow = _row_as_first_written()
    assert [(m.span(), m.groupdict()) for m in inf_rules._ROW.finditer(line)] == \
        [(m.span(), m.groupdict()) for m in slow.finditer(line)]
    for start in range(len(line)):  # every start _row_cells may try, matched or not
        fast, first = inf_rules._ROW.match(line, start), slow.match(line, start)
        assert (fast and (fast.span(), fast.groupdict())) == (first and (first.span(), first.groupdict())), (line, start)


def test_row_with_possessive_separator_equals_the_first_reading_on_random_lines():
    import random

    slow = _row_as_first_written()
    rng = random.Random(14)
    alphabet = ["Amox", "a", "S", "I", "R", "SFP", "sensible", " ", " ", "   ", "\t", "\u2009", "\x0b", ":", "=", ".", "..",
                "…", "__", "_", "(", ")", "(CMI)", "CMI", "<=", ">", "1", "0,5", "mg/l", "-", "/", "e"]
    for _ in range(3000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        assert [(m.span(), m.groupdict()) for m in inf_rules._ROW.finditer(line)] == \
            [(m.span(), m.groupdict()) for m in slow.finditer(line)], line


def _random_texts(alphabet: list[str], seed: int, n: int = 2000, longest: int = 25) -> list[str]:
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(n)]


BOUNDARY_TEXTS = [
    "E. coli. pas de BLSE point conclusion", "bacteriemie, S. aureus; (x) [y] : z ! ? 3.5 mg",
    "appoint virgule de Point pointe point d'appui point du jour, virgule des", "A.B. .5 a.1 Z.\n", "point", "virgule",
    "_point 1point ppoint", "",
]


def test_boundary_class_first_equals_the_alternation():
    import re

    plain = re.compile(r"(?<!\b[A-Z])\.(?!\d)|[;:!?()\[\]\n,]|\b(?:point|virgule)\b(?!\s*(?:de\b|d'|du\b|des\b))")
    texts = BOUNDARY_TEXTS + _random_texts(["point", "virgule", " ", "p", "v", ".", "A", "a", "1", "_", ";", "\n", "de",
                                            "d'", "du", "des", "é", ",", "("], 13)
    for t in texts:
        assert [m.span() for m in inf_rules._BOUNDARY.finditer(t)] == [m.span() for m in plain.finditer(t)], t
        assert [m.span() for m in [inf_rules._BOUNDARY.search(t, k) for k in range(len(t))] if m] == \
            [m.span() for m in [plain.search(t, k) for k in range(len(t))] if m], t


def test_cell_hint_equals_the_one_regex():
    import re

    plain = re.compile(r"(?<![\w'])(?:SFP|SDD|NT|[SIR])(?![\w'])|(?i:sensible|resistant|intermediaire)")
    texts = ["Amox S", "SFP", "xS", "S'", "'S", "NT", "NTX", "SDDx", "I R", "SENSIBLE", "reſistant", "ıntermediaire",
             "İntermediaire", "sans", "N", "", "Résistant"]
    texts += _random_texts(["S", "I", "R", "N", "T", "F", "P", "D", "D", " ", "'", "x", "_", "-", "sensible", "resistant",
                            "intermediaire", "ſ", "ı", "İ", "K", "é"], 14, longest=8)
    for t in texts:
        assert inf_rules._has_cell_hint(t) == (plain.search(t) is not None), t


def test_ocr_one_first_equals_the_look_behind_pattern():
    import re

    plain = re.compile(r"(?<=[a-z])1{1,2}(?=[a-z])")
    texts = ["E. co1i", "pyé1onéphrite", "a11b", "a111b", "1a", "a1", "A1b", "a1B", "a11", ""]
    texts += _random_texts(["a", "1", "11", "B", " ", "é"], 15, longest=12)
    for t in texts:
        assert [m.span() for m in inf_rules._OCR_ONE.finditer(t)] == [m.span() for m in plain.finditer(t)], t


def test_grid_heading_hint_never_skips_a_heading():
    texts = ["Antibiotique   S   I   R\nAMOXICILLINE      X", "x S I R", "S I R", " s\ti  r  \n", "SIR", " S I R x"]
    texts += _random_texts(["S", "I", "R", "s", " ", "\t", "\n", "x", "ſ"], 16, longest=10)
    for t in texts:
        if inf_rules._GRID_HEAD.search(t):
            assert inf_rules._GRID_HEAD_HINT.search(t), t


def test_clause_joins_only_where_a_line_breaks():
    """``_clause`` skips the line-joining substitutions where no line break stands, and ``_sans_doute`` where no "sans"."""
    r = inf_rules
    for t in ["Pas\nd'infection urinaire", "probablement\na streptocoque", "pas d'infection", "sans doute un erysipele",
              "sans aucun doute", "sans fievre", "Sans doute"]:
        assert r._sans_doute(t) == r._SANS_AUCUN_DOUTE.sub(" ", r._SANS_DOUTE.sub("probablement", t))
        for k in range(len(t) + 1):
            window = t[max(0, k - 60):k + 1]
            assert r._WRAP.sub(r"\1 ", window) == window or "\n" in window
            assert r._WRAPPED.sub(" ", window) == window or "\n" in window


def test_wrapped_clause_is_the_clause_where_no_line_breaks():
    """``negation_of`` reads the wrapped clause again only where a line break stands in the window before the mention."""
    texts = ["pas d'infection urinaire, probablement\na streptocoque", "Pas\nd'endocardite. sans doute\nune pneumonie",
             "bacteriemie a S. aureus point pas de BLSE"]
    texts += _random_texts(["pas ", "de ", "\n", "probablement ", "a ", ",", ".", "x", "sans ", "doute ", "point "], 17,
                           n=300, longest=30)
    for t in texts:
        for start in range(len(t) + 1):
            if "\n" not in t[max(0, start - 60):start]:
                for end in (start, min(len(t), start + 3)):
                    assert inf_rules._clause(t, start, end, wrapped=True) == inf_rules._clause(t, start, end), (t, start)


def test_then_dropped_needs_puis():
    for t in ["evoquee puis ecartee", "suspectee aux urgences puis eliminee", "discutee, puis infirmee", "evoquee et ecartee"]:
        for p in (inf_rules._THEN_DROPPED_STEM, inf_rules._THEN_DROPPED):
            assert p.search(t) is None or "puis" in t
    assert inf_rules._THEN_DROPPED.search("une endocardite evoquee puis ecartee")


def test_antibiotic_names_on_lower_case_text_equal_the_ignorecase_scan():
    """Inline antibiotic names found case-sensitively on lower-case text are the IGNORECASE scan's."""
    slow = inf_rules._inline_regex()
    assert inf_rules._inline_regex_lower() is not None
    texts = ["Oxacilline S, vancomycine S, CLINDAMYCINE R", "Péni G R / Oxa S", "| Amoxicilline | R |",
             "(amoxicilline S, ciprofloxacine S)", "xamox amox- -amox amox_ AMOX-CLAV amox/clav pipé-tazo Pip Tazo",
             "aMoXiCiLlInE\tceftriaxone\ncefotaxime", "ſulfamethoxazole Kanamycine ıMipeneme İmipeneme", "\u212aanamycine",
             "Kanamycine KANAMYCINE", ""]
    texts = [inf_rules.fold(t) for t in texts]
    names = sorted({k for k in inf_rules.get_lexicon().antibiotics})
    import random

    rng = random.Random(18)
    pieces = names[:60] + [n.upper() for n in names[:30]] + [n.title() for n in names[60:90]] + \
        [" ", "  ", "-", "_", "x", "\n", "é", "°", ",", "/", "1"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(1500)]
    for t in texts:
        assert inf_rules._antibiotic_names(t) == [m.span() for m in slow.finditer(t)], t


def test_row_line_starts_are_the_lines_the_line_regex_finds():
    """One scan of the whole text finds the lines that ``_ROW_LINE`` finds one line at a time, and as the first
    per-line regex (whitespace ``\\s``, no MULTILINE) found them."""
    import re

    first = re.compile(r"[ \t:.](?:S|I|R|SDD|SFP)\*?\s*(?:\(|$)|[ \t:.]\s*(?:sensible(?:\s+a\s+(?:forte|haute)\s+(?:posologie|dose))?"
                       r"|resistante?|intermediaire)\s*$", re.IGNORECASE)
    texts = ["Amoxicilline : S\nCeftriaxone : R (CMI 8)\nrien\n", "x S\n(y)", "a :\nsensible", "a sensible a forte\nposologie",
             "Amox. SFP*  \r\nCipro\tI", "x s", "x\u2009S \x0b", "", "\n\n", "une sensible\n", "SFP"]
    texts += _random_texts(["Amox", " ", "\t", ":", ".", "S", "s", "I", "R", "SDD", "SFP", "*", "(", "\n", "\n", "\r",
                            "\u2009", "sensible", " a forte posologie", "resistante", "intermediaire", "x"], 19, longest=20)
    for t in texts:
        starts, pos, by_line, by_first = inf_rules._row_line_starts(t), 0, set(), set()
        for line in t.split("\n"):
            if inf_rules._ROW_LINE.search(line):
                by_line.add(pos)
            if first.search(line):
                by_first.add(pos)
            pos += len(line) + 1
        assert starts == by_line == by_first, t


def test_after_result_possessive_spaces_equal_the_first_reading():
    import re

    first = re.compile(r"[ \t]+(?:(?:en|sont|restent|:)[ \t]*)?(?P<res>sfp|sdd|sensibles?[ \t]+a[ \t]+forte[ \t]+posologie|"
                       r"resistante?s?|sensibles|intermediaires?)(?![\w-])")
    texts = ["amoxicilline, ceftriaxone sensibles", "cipro      resistante", "x en  sfp", "x sont\tresistants", "x :sdd",
             "imipeneme sensible a forte posologie", "x  en", "x en resistante-", "", "   "]
    texts += _random_texts([" ", "  ", "\t", "en", "sont", "restent", ":", "sfp", "sdd", "sensible", "s", " a forte",
                            " posologie", "resistante", "intermediaires", "x", "-"], 20, longest=12)
    for t in texts:
        assert [(m.span(), m.groupdict()) for m in inf_rules._AFTER_RES.finditer(t)] == \
            [(m.span(), m.groupdict()) for m in first.finditer(t)], t
