"""The built wheel and sdist carry the data: install, load and validate with no source tree."""

from __future__ import annotations

import importlib.util
import os
import site
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ["datapackage.json", "sources.csv", "entities.csv", "metrics.csv", "facts.csv", "facts.json"]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("build") is None,
    reason="the 'build' package is not installed (pip install -e '.[test]' brings it)",
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--no-isolation",
            "--wheel",
            "--sdist",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def test_wheel_and_sdist_carry_the_data_package(dist: Path) -> None:
    [wheel] = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in DATA:
        assert f"aifacts/datapackage/{name}" in names
    [sdist] = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    for name in DATA:
        assert f"datapackage/{name}" in members
    assert "CITATION.cff" in members


def _site_dirs() -> list[str]:
    """The running interpreter's site-packages folders: a base interpreter's, a venv's or a
    conda environment's (``system_site_packages`` would see the base interpreter's only)."""
    dirs = [
        *site.getsitepackages(),
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
    ]
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    return [d for d in dict.fromkeys(dirs) if os.path.isdir(d)]


def _environment_with_our_dependencies(env_dir: Path) -> Path:
    """A fresh venv whose own site-packages comes first (aifacts will come from the wheel),
    then, through a ``.pth`` file, the test environment's packages for the dependencies.

    Folders named in a ``.pth`` file join ``sys.path`` without their own ``.pth`` files
    being run, so an editable install of aifacts in the test environment stays out.
    """
    venv.create(env_dir, system_site_packages=False, with_pip=True)
    python = env_dir / "bin" / "python"
    own = subprocess.run(
        [str(python), "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(own) / "test-environment.pth").write_text(
        "".join(f"{d}\n" for d in _site_dirs()), encoding="utf-8"
    )
    return python


def test_installed_wheel_loads_and_validates_outside_the_source_tree(
    dist: Path, tmp_path: Path
) -> None:
    [wheel] = dist.glob("*.whl")
    env_dir = tmp_path / "venv"
    python = _environment_with_our_dependencies(env_dir)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = (
        "import aifacts, aifacts.io.package as p; ds = aifacts.load(); "
        "print(aifacts.__file__); print(p.bundled_path()); print(len(ds.facts), ds.version)"
    )
    shown = subprocess.run(
        [str(python), "-I", "-c", code],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert shown[0].startswith(str(env_dir)), "aifacts was not imported from the wheel"
    assert shown[1].startswith(str(env_dir)) and shown[1].endswith(
        "aifacts/datapackage/datapackage.json"
    )
    count, version = shown[2].split()
    assert int(count) > 0
    from aifacts import __version__

    assert version == __version__
    result = subprocess.run(
        [str(env_dir / "bin" / "aifacts"), "validate"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(env_dir) in result.stderr  # "valid: <bundled path> (...)"
    cited = subprocess.run(
        [str(env_dir / "bin" / "aifacts"), "cite"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"(Version {__version__})" in cited.stdout
