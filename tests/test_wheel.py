"""The built wheel carries the dataset: install it into a fresh environment and run it elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    [built] = out.glob("cgtpaths-*.whl")
    return built


def test_the_wheel_ships_the_data_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("skills", "roles", "programmes", "backgrounds", "regions", "qualifications", "dataset"):
        assert f"cgtpaths/data/{kind}.yaml" in names
    assert "cgtpaths/data/schema/roles.schema.json" in names


def test_the_installed_wheel_runs_from_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True, text=True
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CGTPATHS_DATA_DIR")}
    done = subprocess.run(
        [str(env_dir / "bin" / "cgtpaths"), "roles", "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["dataset"]["source"] == "shipped"
    assert len(body["roles"]) >= 17
    tool = subprocess.run(
        [str(python), "-m", "json.tool"], input=done.stdout, capture_output=True, text=True, check=False
    )
    assert tool.returncode == 0
