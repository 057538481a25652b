"""The command line starts hashing and scanning big files before it imports the engine;
what it started early must never stand in for a file changed since."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="pyarrow is in the fast and test extras")

from aifacts.contract.problems import Code
from aifacts.validation.columnar import start_early
from aifacts.validation.engine import validate
from benchmarks.generate import generate


def test_work_started_early_gives_the_same_report(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", 200, seed=2)
    expected = validate(tmp_path / "pkg", engine="columnar")
    start_early(tmp_path / "pkg", "columnar")
    assert validate(tmp_path / "pkg", engine="columnar") == expected
    assert expected.valid


def test_a_file_changed_after_the_early_start_is_read_again(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", 200, seed=2)
    start_early(tmp_path / "pkg", "columnar")
    facts = tmp_path / "pkg" / "facts.csv"
    facts.write_bytes(facts.read_bytes() + facts.read_bytes().splitlines(keepends=True)[-1])
    codes = {p.code for p in validate(tmp_path / "pkg", engine="columnar").problems}
    assert Code.BYTES_MISMATCH in codes or Code.HASH_MISMATCH in codes


def test_nothing_is_started_for_a_missing_package(tmp_path: Path) -> None:
    start_early(tmp_path / "nowhere", "auto")  # validation itself reports it


def test_the_command_line_starts_without_the_engine() -> None:
    """`aifacts` imports pydantic, pint and pyarrow only when a command needs them."""
    code = (
        "import sys, aifacts.cli.main; "
        "print([m for m in ('pydantic', 'pint', 'pyarrow', 'numpy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("package", ["bundled", "synthetic"])
def test_validating_needs_no_unit_registry(package: str, tmp_path: Path) -> None:
    """Every unit of the release and of the synthetic packages (``million GPU hour``,
    ``USD / GPU / hour`` among them) is answered by the table of unit terms: the columnar
    engine never imports Pint, which costs a few tenths of a second to build."""
    if package == "synthetic":
        generate(tmp_path / "pkg", 300, seed=3)
    path = repr(str(tmp_path / "pkg")) if package == "synthetic" else "None"
    code = (
        "import sys; from aifacts.validation.engine import validate; "
        f"assert validate({path}, engine='columnar').valid; "
        "print('pint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_starting_early_twice_starts_the_work_once(tmp_path: Path) -> None:
    from aifacts.validation.columnar import scan

    generate(tmp_path / "pkg", 200, seed=2)
    start_early(tmp_path / "pkg", "columnar")
    ours = {key: started for key, started in scan._EARLY.items() if str(tmp_path) in key[1]}
    assert len(ours) == 8  # a hash and a scan of each of the four CSVs
    start_early(tmp_path / "pkg", "columnar")
    assert {key: scan._EARLY[key] for key in ours} == ours  # the same work, not started anew
    assert validate(tmp_path / "pkg", engine="columnar").valid


def test_work_that_failed_early_is_done_again(tmp_path: Path) -> None:
    from concurrent.futures import Future

    from aifacts.validation.columnar.scan import _hash, _or_again

    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n1,2\n")
    broken: Future[tuple[int, str]] = Future()
    broken.set_exception(RuntimeError("the helper process was killed"))
    assert _or_again(broken, _hash, path) == _hash(path)


def _processes_naming(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_bytes().decode(
                errors="replace"
            ):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper process is Linux's")
def test_the_command_line_hashes_and_scans_in_a_helper_that_ends_with_it(tmp_path: Path) -> None:
    """On Linux the command line forks a helper to hash and scan before it imports the
    engine; the report is the one validating in-process gives, and no helper is left."""
    import json

    folder = tmp_path / "helper-pkg"
    generate(folder, 3000, seed=4, faults={"enum": 0.01})
    command = [sys.executable, "-m", "aifacts", "validate", str(folder), "--engine", "columnar"]
    done = subprocess.run(
        [*command, "--format", "json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    expected = validate(folder, engine="columnar")
    assert json.loads(done.stdout) == json.loads(json.dumps(expected.to_dict(), ensure_ascii=False))
    assert _processes_naming(str(folder)) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate"], (None, "auto")),
        (["validate", "big/"], ("big/", "auto")),
        (["validate", "big/", "--engine", "columnar"], ("big/", "columnar")),
        (["validate", "--engine=rows", "--format", "json", "big/"], ("big/", "rows")),
        (["validate", "--max-problems", "5", "big/", "--format=json"], ("big/", "auto")),
        (["validate", "big/", "--help"], None),
        (["validate", "big/", "other/"], None),
        (["validate", "--verbose", "big/"], None),
        (["facts", "big/"], None),
        ([], None),
    ],
)
def test_the_command_line_reads_a_validation_target_before_typer(
    args: list[str], expected: tuple[str | None, str] | None
) -> None:
    """What is read early only starts work that validation would start anyway; an
    argument list it does not follow is left to typer (and the work starts there)."""
    from aifacts.cli.main import early_target

    assert early_target(args) == expected


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"\r", b"\x00", b"\xe4\xb8\xad"])).map(
        b"".join
    ),
    step=st.integers(1, 8),
)
def test_one_reading_hashes_and_scans_as_two_would(data: bytes, step: int) -> None:
    """The early work reads each file once, hashing its bytes as it scans them; it
    must give what hashing and scanning apart give, the scan's early stops included."""
    from unittest import mock

    from aifacts.validation.columnar import scan

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_bytes(data)
        with mock.patch.object(scan, "_STEP", step), mock.patch.object(scan, "CHUNK", 16):
            assert scan._hash_and_scan(path) == (scan._hash(path), scan.scan_file(path))
