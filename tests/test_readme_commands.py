"""Every ``reluviz export`` command in README.md runs, verbatim, in a fresh checkout.

A fresh checkout holds only the files git tracks, so the commands must read examples that ship in
the repository (``resources/examples/``), not files a developer happens to have lying around.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def readme_export_commands() -> list[str]:
    """The ``reluviz export`` lines of README's bash blocks, exactly as written there."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL):
        commands += [line for line in block.splitlines() if line.startswith("reluviz export")]
    return commands


def fresh_checkout(destination: Path) -> Path:
    """Copy the files git tracks (or, without git, the sources minus build output) to ``destination``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, timeout=60) \
        if shutil.which("git") else None
    if listed is not None and listed.returncode == 0 and listed.stdout:
        for name in listed.stdout.decode().split("\0"):
            if name and (ROOT / name).is_file():
                (destination / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, destination / name)
    else:
        shutil.copytree(ROOT, destination, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                                      "__pycache__", ".hypothesis"))
    return destination


def reluviz_on_path(bin_dir: Path) -> Path:
    """A ``reluviz`` command running this interpreter on the checkout (what the console script does)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "reluviz"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m reluviz "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def test_the_readme_has_export_commands_that_name_shipped_examples():
    commands = readme_export_commands()
    assert len(commands) >= 5
    named = [word for command in commands for word in command.split()
             if word.endswith((".npy", ".csv", ".reluviz")) and not word.startswith("-")]
    assert named, "no README command reads an example file"
    for name in named:
        assert (ROOT / name).is_file(), f"README names {name}, which is not in the repository"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the README's commands are POSIX shell lines")
def test_every_readme_export_command_runs_verbatim_in_a_fresh_checkout(tmp_path):
    checkout = fresh_checkout(tmp_path / "checkout")
    bin_dir = reluviz_on_path(tmp_path / "bin")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(checkout), "QT_QPA_PLATFORM": "offscreen"}
    for command in readme_export_commands():
        result = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        written = Path(checkout, result.stdout.strip().removeprefix("wrote ").strip())
        assert result.stdout.startswith("wrote ") and written.exists(), f"{command}: {result.stdout}"
        assert written.is_dir() or written.stat().st_size > 1000, f"{command}: {written} is nearly empty"
