import json

import pytest

from partages_core.corpus.io.parhaf import read_parhaf, write_parhaf
from partages_core.errors import InputError


def test_round_trip_keeps_text_and_every_layer(commons, tmp_path):
    again = read_parhaf(write_parhaf(commons.patients, tmp_path / "again"))
    assert [p.to_dict() for p in again] == [p.to_dict() for p in commons.patients]


def test_index_has_the_parhaf_fields(commons):
    index = json.loads((commons.folder / "patients.json").read_text(encoding="utf-8"))
    row = index[0]
    assert {"id", "specialty", "author", "reviewer", "pool", "suggested_scenario", "documents"} <= set(row)
    scenario = row["suggested_scenario"]
    assert {"name", "age", "sex", "admission_mode", "discharge_mode", "primary_procedure",
            "primary_diagnosis", "type_of_care"} <= set(scenario)
    assert (commons.folder / row["documents"][0]["file"]).is_file()


def test_missing_folder_field_and_file_are_named(tmp_path, commons):
    with pytest.raises(InputError, match="patients.json: not found"):
        read_parhaf(tmp_path)
    (tmp_path / "patients.json").write_text('[{"id": "P1"}]', encoding="utf-8")
    with pytest.raises(InputError, match=r"P1\): missing field\(s\) specialty"):
        read_parhaf(tmp_path)
    (tmp_path / "patients.json").write_text("[{", encoding="utf-8")
    with pytest.raises(InputError, match=r"patients.json:1:3: malformed JSON"):
        read_parhaf(tmp_path)
    folder = write_parhaf(commons.patients[:2], tmp_path / "c")
    victim = next(folder.rglob("*.txt"))
    victim.unlink()
    with pytest.raises(InputError, match="is missing"):
        read_parhaf(folder)


def test_text_inline_in_the_index_is_read_like_the_real_parhaf(tmp_path):
    row = {"id": "X1", "specialty": "cardiologie", "author": "ABC", "reviewer": "DEF", "pool": "General",
           "suggested_scenario": {"primary_diagnosis": {"code": "I21.4", "label": "IDM"}},
           "documents": [{"type": "CRH", "header": "CRH", "text": "Patient vu ce jour.", "word_count": 4}]}
    (tmp_path / "patients.json").write_text(json.dumps([row]), encoding="utf-8")
    [patient] = read_parhaf(tmp_path)
    assert patient.documents[0].text == "Patient vu ce jour."
    assert patient.icd10 == "I21.4"
