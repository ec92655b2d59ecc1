"""`make test` never passes with the browser tests skipped: its `browser-deps` prerequisite installs
Chromium and poppler-utils with apt-get when it may (root), and otherwise stops with the command.

The rule runs for real, with its variables pointing at a missing Chromium and a harmless apt-get."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
INSTALL = "apt-get install chromium poppler-utils"


def browser_deps(**variables: str) -> subprocess.CompletedProcess:
    if MAKE is None:
        pytest.fail("make is missing: apt-get install make")
    return subprocess.run(
        [MAKE, "--no-print-directory", "-s", "browser-deps",
         *(f"{name}={value}" for name, value in variables.items())],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_without_chromium_and_without_root_it_stops_with_the_command(tmp_path):
    done = browser_deps(CHROMIUM=str(tmp_path / "chromium"), USER_ID="1000",
                        APT_GET="echo apt-get")
    assert done.returncode != 0
    assert INSTALL in done.stderr
    assert "--no-install-recommends" not in done.stdout  # nothing was installed


def test_without_apt_get_it_stops_with_the_command(tmp_path):
    done = browser_deps(CHROMIUM=str(tmp_path / "chromium"), USER_ID="0",
                        APT_GET=str(tmp_path / "apt-get"))
    assert done.returncode != 0
    assert INSTALL in done.stderr


def test_as_root_it_installs_both_packages_and_checks_they_arrived(tmp_path):
    done = browser_deps(CHROMIUM=str(tmp_path / "chromium"), USER_ID="0",
                        APT_GET="echo apt-get")  # echo: prints what it would run
    assert "apt-get update" in done.stdout
    assert "apt-get install -y --no-install-recommends chromium poppler-utils" in done.stdout
    assert done.returncode != 0  # echo installed nothing: Chromium is still missing
    assert "still missing after apt-get install" in done.stderr


def test_a_missing_pdftoppm_is_installed_too(tmp_path):
    present = tmp_path / "chromium"
    present.write_text("#!/bin/sh\n")
    present.chmod(0o755)
    done = browser_deps(CHROMIUM=str(present), PDFTOPPM=str(tmp_path / "pdftoppm"),
                        USER_ID="1000")
    assert done.returncode != 0
    assert INSTALL in done.stderr


def test_with_both_present_it_does_nothing(tmp_path):
    present = tmp_path / "chromium"
    present.write_text("#!/bin/sh\n")
    present.chmod(0o755)
    done = browser_deps(CHROMIUM=str(present), PDFTOPPM=str(present), APT_GET="false")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
