import subprocess
import sys


def _run(*args):
    return subprocess.run([sys.executable, "-m", "partages_core", *args], capture_output=True, text=True)


def test_help_lists_stage_groups_and_version_prints():
    out = _run("--help")
    assert out.returncode == 0
    assert "corpus" in out.stdout
    version = _run("--version")
    assert version.returncode == 0 and version.stdout.startswith("partages 0.")


def test_user_error_is_one_line_and_exit_2(tmp_path):
    out = _run("corpus", "stats", str(tmp_path / "nowhere"))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "patients.json: not found" in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_profile_is_refused():
    out = _run("--profile", "huge", "corpus", "--help")
    assert out.returncode == 2 and "unknown profile" in out.stderr


def test_generate_and_stats(tmp_path):
    assert _run("corpus", "generate", "--patients", "12", "--seed", "1", "--out", str(tmp_path / "c")).returncode == 0
    stats = _run("corpus", "stats", str(tmp_path / "c"), "--json")
    assert stats.returncode == 0 and '"patients": 12' in stats.stdout


def test_generate_refuses_an_existing_non_empty_out_unless_forced(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    refused = _run("corpus", "generate", "--patients", "3", "--out", str(folder))
    assert refused.returncode == 2 and refused.stderr.strip().count("\n") == 0
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert (folder / "notes.txt").read_text() == "mine" and not (folder / "patients.json").exists()
    a_file = tmp_path / "f.txt"
    a_file.write_text("keep")
    refused = _run("corpus", "generate", "--patients", "3", "--out", str(a_file))
    assert refused.returncode == 2 and a_file.read_text() == "keep"
    assert _run("corpus", "generate", "--patients", "3", "--out", str(folder), "--force").returncode == 0
    assert (folder / "patients.json").is_file() and not (folder / "notes.txt").exists()
    assert _run("corpus", "generate", "--patients", "3", "--out", str(tmp_path / "empty")).returncode == 0
