"""The commons is a cache keyed by (size, seed, generator code): a stale one is regenerated, and said so."""

import dataclasses
import json

from partages_core.config import get_profile
from partages_core.corpus.commons import STAMP, generator_fingerprint, load_commons


def test_a_commons_written_by_other_generator_code_is_regenerated_with_one_line_naming_it(tmp_path, capsys):
    profile = dataclasses.replace(get_profile("small"), patients=4)
    folder = tmp_path / "commons"
    first = load_commons(profile, folder)
    assert capsys.readouterr().err == ""  # first generation: nothing to say
    stamp = json.loads((folder / STAMP).read_text())
    (folder / STAMP).write_text(json.dumps({**stamp, "generator": "0000"}) + "\n")
    again = load_commons(profile, folder)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(folder) in err and f"generator 0000 -> {generator_fingerprint()}" in err
    assert json.loads((folder / STAMP).read_text()) == stamp
    assert [d.text for _, d in again.documents()] == [d.text for _, d in first.documents()]
    load_commons(profile, folder)
    assert capsys.readouterr().err == ""  # up to date: read, not regenerated
