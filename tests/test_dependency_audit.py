"""The offline dependency audit of CI (.ci/offline_audit.py): no network, and a hit fails."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def audit(lock: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "offline_audit.py"), str(lock)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_locked_dependencies_pass_the_offline_audit():
    result = audit(ROOT / "requirements.lock")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked against safety-db" in result.stdout


def test_a_pin_with_a_known_advisory_fails_the_audit(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("Django==1.11.0\nrequests==2.34.2\n")
    result = audit(lock)
    assert result.returncode == 1
    assert "VULNERABLE django==1.11.0: CVE-2019-19844" in result.stdout
