"""A wheel installed outside the repo does the main jobs from another folder (tools/wheel-check)."""

from __future__ import annotations

import subprocess

import pytest
from fixtures import REPO

pytestmark = pytest.mark.slow


def test_wheel_installs_and_runs_outside_the_repo() -> None:
    result = subprocess.run([str(REPO / "tools" / "wheel-check")], capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "wheel-check: passed"
