"""Normalisation keeps offsets: every gold span maps to each view and back to itself."""

from __future__ import annotations

import pytest

from partages_core.quality.normalize import OffsetText, map_spans, normalize


@pytest.mark.parametrize("view", [{}, {"accents": True}, {"expand": True}, {"accents": True, "expand": True}])
def test_gold_spans_round_trip_on_every_view(commons, view):
    checked = 0
    for p, d in commons.documents():
        ot = normalize(d.text, **view)
        spans = [s for layer in d.annotations.values() for s in layer]
        for s, m in zip(spans, map_spans(ot, [(s.start, s.end) for s in spans])):
            assert m.round_trip, (d.id, s)
            if not view:  # the standard view of a span is the span of the standard view
                assert m.text == normalize(s.text).text
            checked += 1
    assert checked > 1000


def test_each_normalisation_and_its_offsets():
    raw = "Cafe\u0301  cre\u0300me\u00a0:\r\n« ATCD » d\u2019HTA\n\n\n\nfin\u200b."
    ot = normalize(raw)
    assert ot.text == 'Café crème :\n" ATCD " d\'HTA\n\nfin.'
    assert ot.to_raw(*ot.to_norm(0, 5)) == (0, 5)                      # decomposed é maps to 2 raw chars
    assert raw[slice(*ot.to_raw(0, 4))] == "Cafe\u0301"
    ex = normalize(raw, accents=True, expand=True)
    assert "antecedents" in ex.text and "hypertension arterielle" in ex.text
    i = ex.text.index("antecedents")
    assert raw[slice(*ex.to_raw(i, i + len("antecedents")))] == "ATCD"


def test_offset_map_serialises():
    raw = "a  b\u00a0\u00a0c « d »"
    ot = normalize(raw, expand=True)
    back = OffsetText.from_json(raw, ot.to_json())
    assert back.text == ot.text and (back.starts == ot.starts).all() and (back.ends == ot.ends).all()
