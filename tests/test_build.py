"""The package build: pure Python on request (the compiled build is what scripts/test runs
the whole suite on a second time, in .venv-compiled)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_hotwash_pure_python_builds_a_wheel_without_extension_modules(tmp_path: Path) -> None:
    env = {**os.environ, "HOTWASH_PURE_PYTHON": "1"}
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path)]
    out = subprocess.run(
        [*command, str(ROOT)], env=env, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("hotwash-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")  # no platform: nothing compiled
    names = zipfile.ZipFile(wheel).namelist()
    assert "hotwash/core/gate.py" in names
    assert not [n for n in names if n.endswith((".so", ".pyd"))]
