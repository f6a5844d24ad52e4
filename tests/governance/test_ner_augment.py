"""The NER's training copies: surrogate names and flipped case, seeded, gold offsets exact (issue 22)."""

from dataclasses import replace

from partages_core.governance import ner


def _pool():
    return [(i, t, s) for i, t, s in ner.training_pool(ner.TINY) if not i.startswith("commons:")]


def _outside(text, spans):
    """The text between the spans, piece by piece."""
    out, pos = [], 0
    for s, e, _ in sorted(spans):
        if s >= pos:
            out.append(text[pos:s])
            pos = e
    return out + [text[pos:]]


def test_surrogate_copies_are_byte_identical_by_seed_and_keep_gold_offsets_exact():
    pool = _pool()
    assert pool and any(any(lb in ner.SURROGATE_LABELS for _, _, lb in s) for _, _, s in pool)
    changed = 0
    for i, t, s in pool:
        copy, spans = ner.surrogate_copy(i, t, s, 13)
        assert (copy, spans) == ner.surrogate_copy(i, t, s, 13)          # same seed, same bytes
        kept = [x for k, x in enumerate(sorted(s)) if all(x[0] >= y[1] for y in sorted(s)[:k])]
        assert len(spans) == len(kept)
        assert _outside(copy, spans) == _outside(t, kept)               # only the gold spans' text moves
        for (a, b, lb), (x, y, lb2) in zip(kept, spans):
            assert lb == lb2 and y > x
            old, new = t[a:b], copy[x:y]
            if lb not in ner.SURROGATE_LABELS:
                assert new == old                                       # addresses are kept
            elif old.isupper() and len(old) > 2:
                assert new.isupper()                                    # "DUPONT" stays in capitals
            changed += new != old
        assert len(ner.surrogate_copy(i, t, s, 14)[1]) == len(spans)    # another seed: other values, same spans
    assert changed > 0
    assert any(ner.surrogate_copy(i, t, s, 13)[0] != ner.surrogate_copy(i, t, s, 14)[0] for i, t, s in pool if s)


def test_casing_copies_flip_only_the_names_and_keep_every_offset():
    text = "Vu par Mme DUPONT Claire, née à Lyon, avec le Dr Martin."
    spans = [(11, 17, "NOM"), (18, 24, "PRENOM"), (32, 36, "VILLE"), (49, 55, "NOM")]
    copy = ner.casing_copy(text, spans)
    assert copy == "Vu par Mme Dupont CLAIRE, née à Lyon, avec le Dr MARTIN."
    assert len(copy) == len(text) and ner.casing_copy("Lyon", [(0, 4, "VILLE")]) is None


def test_facility_capitals_write_only_the_facilities_in_capitals():
    text = "Adressée par la Clinique du Sidobre (Dr Martin) au LABORATOIRE DE BELLERIVE."
    spans = [(16, 35, "HOPITAL"), (40, 46, "NOM"), (51, 75, "HOPITAL")]
    copy = ner.casing_copy(text, spans, ("HOPITAL",), capitals_only=True)
    assert copy == "Adressée par la CLINIQUE DU SIDOBRE (Dr Martin) au LABORATOIRE DE BELLERIVE."
    assert ner.casing_copy("au CH DAX", [(3, 9, "HOPITAL")], ("HOPITAL",), capitals_only=True) is None


def test_a_tiny_model_trains_on_the_copies(tmp_path):
    from partages_core.governance.pseudonymisation import build_model

    plain = build_model(tmp_path / "plain", ner.TINY, log=lambda m: None)
    both = build_model(tmp_path / "both", replace(ner.TINY, surrogate_copies=True, casing_copies=True), log=lambda m: None)
    assert both["surrogate_copies"] and both["casing_copies"]
    assert both["training_examples"] > plain["training_examples"]
    assert both["train_documents"] > plain["train_documents"]


def test_place_copies_repeat_only_the_pieces_holding_a_place(tmp_path):
    from partages_core.governance.pseudonymisation import build_model

    plain = build_model(tmp_path / "plain", ner.TINY, log=lambda m: None)
    places = build_model(tmp_path / "places", replace(ner.TINY, place_copies=3), log=lambda m: None)
    assert places["place_copies"] == 3 and plain["place_copies"] == 1
    extra = places["training_examples"] - plain["training_examples"]
    assert extra > 0 and extra % 2 == 0   # each piece holding a facility, town or address read twice more
    assert places["train_documents"] == plain["train_documents"]


def test_facility_capitals_add_a_copy_of_the_pieces_holding_a_facility(tmp_path):
    from partages_core.governance.pseudonymisation import build_model

    plain = build_model(tmp_path / "plain", ner.TINY, log=lambda m: None)
    caps = build_model(tmp_path / "caps", replace(ner.TINY, facility_capitals=True), log=lambda m: None)
    assert caps["facility_capitals"] and not plain["facility_capitals"]
    assert caps["training_examples"] > plain["training_examples"]
    assert caps["train_documents"] == plain["train_documents"]
