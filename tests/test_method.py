"""docs/method.md's calibration table is generated from the shipped data and every pick is plausible."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_method_doc_is_current_and_every_top_three_pick_is_plausible() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "method_table.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
