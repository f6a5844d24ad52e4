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
