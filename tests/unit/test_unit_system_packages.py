"""`make system-deps`: the documented switch that skips installing system packages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def system_deps(*variables: str) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "system-deps", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_the_skip_setting_installs_nothing() -> None:
    # Probes that can never be found: without the switch this would try apt-get.
    skipped = system_deps("CASTWRIGHT_SKIP_SYSTEM_PACKAGES=1", "SYSTEM_PROBES=no-such-tool")
    assert skipped == "system packages: skipped (CASTWRIGHT_SKIP_SYSTEM_PACKAGES is set)"


def test_present_packages_are_reported_and_left_alone() -> None:
    present = system_deps("SYSTEM_PROBES=sh", "CASTWRIGHT_SKIP_SYSTEM_PACKAGES=0")
    assert present.startswith("system packages: present")
