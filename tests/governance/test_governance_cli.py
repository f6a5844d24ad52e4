import json
import os
import re
import subprocess
import sys

from partages_core.corpus.commons import build_commons

ENV = {**os.environ, "CI": "true"}


def _run(*args, stdin=None, home=None):
    env = {**ENV, "PARTAGES_HOME": str(home)} if home else ENV
    return subprocess.run([sys.executable, "-m", "partages_core", *args], input=stdin,
                          capture_output=True, env=env)


def test_pseudonymize_text_json_and_bad_input(tmp_path):
    f = tmp_path / "cr.txt"
    f.write_text("Mme Monique GAUTHIER, née le 12/03/1948. Maladie de Crohn. Tél 06 12 34 56 78.\n", encoding="utf-8")
    mapping = tmp_path / "key" / "mapping.json"
    plain = _run("pseudonymize", "--fast", str(f), "--mapping-out", str(mapping))
    assert plain.returncode == 0 and b"GAUTHIER" not in plain.stdout and b"Crohn" in plain.stdout
    assert json.loads(mapping.read_text())["secret"]
    out = _run("pseudonymize", "--fast", "--json", "-", "--mapping-in", str(mapping), stdin=f.read_bytes())
    doc = json.loads(out.stdout)
    assert doc["text"] == plain.stdout.decode()  # same mapping (secret) → byte-identical output
    other = _run("pseudonymize", "--fast", str(f))
    assert other.stdout != plain.stdout  # a fresh secret per run: nothing to recompute from the seed
    assert {e["label"] for e in doc["entities"]} == {"PRENOM", "NOM", "DATE_NAISSANCE", "TELEPHONE"}
    assert all(set(e) == {"start", "end", "label", "text", "replacement", "detector", "score"} for e in doc["entities"])
    assert {e["detector"] for e in doc["entities"]} == {"rule"} and all(0 < e["score"] <= 1 for e in doc["entities"])
    bad_map = tmp_path / "bad.json"
    bad_map.write_text('{"seed": 0}', encoding="utf-8")
    r = _run("pseudonymize", "--fast", str(f), "--mapping-in", str(bad_map))
    assert r.returncode == 2 and b"secret" in r.stderr and r.stderr.count(b"\n") == 1
    for bad, why in ((b"", b"empty text"), (b"\x00\x01ELF", b"binary data"), (b"\xff\xfe abc", b"not UTF-8")):
        r = _run("pseudonymize", "-", stdin=bad)
        assert r.returncode == 2 and why in r.stderr and r.stderr.count(b"\n") == 1


def test_batch_folder_catalog_and_audit(tmp_path):
    src = build_commons(4, 3, tmp_path / "commons")
    mapping = tmp_path / "secret" / "mapping.json"
    r = _run("pseudonymize", "--batch", str(src), "--out", str(tmp_path / "pseudo"), "--mapping-out", str(mapping))
    assert r.returncode == 0, r.stderr
    out = tmp_path / "pseudo"
    assert (out / "patients.json").is_file() and not (out / "identities.json").exists()
    assert not (out / "annotations.jsonl").exists() and json.loads(mapping.read_text())
    ids = json.loads((src / "identities.json").read_text())
    texts = " ".join(p.read_text(encoding="utf-8") for p in out.rglob("*.txt"))
    # a surrogate drawn under a fresh secret may be another patient's real surname: those are not leaks
    surrogates = sorted({e["surrogate"] for p in json.loads(mapping.read_text()).values() if isinstance(p, dict)
                         for e in p.get("entries", [])}, key=len, reverse=True)
    for s in surrogates:
        texts = texts.replace(s, " ")
    assert not [i["last"] for i in ids.values() if re.search(rf"(?<!\w){re.escape(i['last'])}(?!\w)", texts)]
    assert _run("catalog", "add", str(out), "--name", "commons-pseudo", "--version", "1", "--licence", "CC-BY-4.0",
                "--access", "registered", "--owner", "CHU de Valmont", home=tmp_path).returncode == 0
    listing = _run("catalog", "list", "--json", home=tmp_path)
    assert json.loads(listing.stdout)[0]["name"] == "commons-pseudo"
    assert _run("catalog", "verify", home=tmp_path).returncode == 0
    next(out.rglob("*.txt")).write_text("changed", encoding="utf-8")
    changed = _run("catalog", "verify", "commons-pseudo", home=tmp_path)
    assert changed.returncode == 1 and b"MODIFIED" in changed.stdout
    assert b"no dataset named" in _run("catalog", "show", "nope", home=tmp_path).stderr


def test_audit_verify_cli(tmp_path):
    from partages_core.governance.audit import AuditLog

    import sqlite3

    log = AuditLog(tmp_path / "audit.sqlite")
    for i in range(3):
        log.append("alice", "open", "commons", "granted")
    assert _run("audit", "verify", str(log.path)).returncode == 0
    with sqlite3.connect(log.path) as con:
        con.execute("UPDATE audit SET body = replace(body, 'alice', 'mallory') WHERE seq = 1")
    r = _run("audit", "verify", str(log.path))
    assert r.returncode == 1 and b"TAMPERED at entry 1" in r.stdout
