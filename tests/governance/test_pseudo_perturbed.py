"""benchmarks/pseudo_perturbed.py: each copy moves the gold spans with the text (no model is read here)."""
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_perturbed_copies_keep_the_gold_on_its_words():
    import pseudo_perturbed as pp

    text = "Vu par Dr DUPONT Marie le 3/2/2024.\nC. Martin, 06 12 34 56 78"
    gold = [(10, 16, "NOM"), (17, 22, "PRENOM"), (26, 34, "DATE_IDENTIFIANTE"), (36, 38, "PRENOM"), (39, 45, "NOM"),
            (47, 61, "TELEPHONE")]
    assert [text[s:e] for s, e, _ in gold] == ["DUPONT", "Marie", "3/2/2024", "C.", "Martin", "06 12 34 56 78"]
    made = pp.copies()
    for name, f in made.items():
        new, moved = f(text, gold, random.Random(13))
        assert [lb for *_, lb in moved] == [lb for *_, lb in gold], name
        assert new[moved[2][0]:moved[2][1]].lower() == "3/2/2024", name
        assert new[moved[5][0]:moved[5][1]] == "06 12 34 56 78", name
    new, moved = made["name_case"](text, gold, random.Random(13))
    assert [new[s:e] for s, e, _ in moved][:2] == ["Dupont", "MARIE"]
    new, moved = made["new_names"](text, gold, random.Random(13))
    assert new[moved[3][0]:moved[3][1]] == "C." and new[moved[0][0]:moved[0][1]].isupper()
    new, moved = made["glue"]("00 - Kheira Toualbia", [(5, 11, "PRENOM"), (12, 20, "NOM")], random.Random(13))
    assert new == "00 -Kheira Toualbia" and new[moved[0][0]:moved[0][1]] == "Kheira"
    new, moved = made["list"](text, gold, random.Random(13))
    assert "\n- Dr DUPONT Marie" in new and "\n- C. Martin" in new
