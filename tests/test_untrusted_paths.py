"""Every file a package names is untrusted: nothing outside the package folder is read,
and nothing that is not a regular file is opened long enough to hang or fill memory.

Each test places a sentinel file holding a secret beside the package (outside its
folder) and checks that the secret never appears in what a command says, besides
the exit code and the message.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifacts import load
from aifacts.contract.problems import Code
from aifacts.errors import PackageNotFoundError, UnsafeFileError, ValidationError
from aifacts.io.package import open_regular, path_problem, read_regular
from aifacts.release.diff import diff_packages
from aifacts.validation.engine import validate

REPO = Path(__file__).resolve().parents[1]
SECRET = "SECRET-SENTINEL-7f3a"
ENGINES = ["rows", "columnar"]
RunCli = Callable[..., tuple[int, str, str]]
_ALLOWED = (
    "expected a relative path inside the package folder, folders separated by '/', "
    "such as facts.csv or data/facts.csv"
)


def _package(root: Path) -> Path:
    """A copy of the release in ``root/pkg``, and beside it ``root/outside`` holding a
    secret (as a CSV, and as a copy of facts.csv with the secret in a quote)."""
    folder = root / "pkg"
    shutil.copytree(REPO / "datapackage", folder)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text(f"{SECRET},{SECRET}\n", encoding="utf-8")
    facts = (folder / "facts.csv").read_text(encoding="utf-8")
    (outside / "facts.csv").write_text(facts.replace("Nvidia", SECRET), encoding="utf-8")
    return folder


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return _package(tmp_path)


def _set_path(folder: Path, name: str, value: Any) -> int:
    """Give resource ``name`` the path ``value``; its index among the resources."""
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for index, entry in enumerate(data["resources"]):
        if entry["name"] == name:
            entry["path"] = value
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
            return index
    raise AssertionError(name)


def _cli(*args: str) -> tuple[int, str]:
    """Run the command line in a process of its own (a hang would end in a timeout,
    a failure, not a stuck test run); its exit code and all it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "aifacts", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_a_path_that_climbs_out_of_the_package_is_refused(package: Path, engine: str) -> None:
    index = _set_path(package, "facts", "../outside/facts.csv")
    code, out = _cli("validate", str(package), "--engine", engine)
    assert code == 1
    assert (
        f"datapackage.json:resources[{index}].path: '../outside/facts.csv' climbs out of "
        f"the package folder with '..'; {_ALLOWED}"
    ) in out
    assert SECRET not in out
    report = validate(package, engine=engine)
    assert [(p.code, p.field) for p in report.problems] == [
        (Code.DESCRIPTOR_INVALID, f"resources[{index}].path")
    ]
    assert report.stats["rows"].get("facts", 0) == 0  # not one fact read from outside


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("/etc/passwd", "'/etc/passwd' is an absolute path"),
        ("../../../../../../../../etc/passwd", "climbs out of the package folder with '..'"),
        ("data/../../etc/passwd", "climbs out of the package folder with '..'"),
        ("https://example.org/facts.csv", "is a URL; files are read from the package folder"),
        ("file:///etc/passwd", "is a URL"),
        ("//server/share/facts.csv", "is a URL"),
        ("facts\x00.csv", "holds a NUL byte"),
        ("data\\facts.csv", "holds a backslash; folders are separated by '/'"),
        ("C:/facts.csv", "names a drive"),
        ("data/", "names a folder, not a file"),
        ("", "the path is empty"),
        (["facts.csv"], "expected one file path (a string), not a list of files"),
        (7, "expected one file path (a string), not int"),
    ],
)
def test_a_path_the_spec_forbids_is_refused_unread(
    package: Path, engine: str, value: Any, why: str
) -> None:
    index = _set_path(package, "facts", value)
    report = validate(package, engine=engine)
    lines = report.lines()
    assert lines[0].startswith(f"datapackage.json:resources[{index}].path: ")
    assert why in lines[0] and lines[0].endswith(_ALLOWED)
    assert not any("root:" in line for line in lines)  # /etc/passwd's first line


def test_the_password_file_is_never_quoted(package: Path) -> None:
    """Before, the header check printed the first line of /etc/passwd."""
    _set_path(package, "sources", "../../../../../../../../../../etc/passwd")
    code, out = _cli("validate", str(package))
    assert code == 1
    assert "root:" not in out and "/bin/" not in out


@pytest.mark.parametrize("engine", ENGINES)
def test_a_symbolic_link_out_of_the_package_is_not_followed(package: Path, engine: str) -> None:
    (package / "facts.csv").unlink()
    (package / "facts.csv").symlink_to(package.parent / "outside" / "facts.csv")
    code, out = _cli("validate", str(package), "--engine", engine)
    assert code == 1
    assert (
        "facts.csv: cannot read facts.csv: a symbolic link to a file outside the package "
        "folder; only files inside it are read"
    ) in out
    assert SECRET not in out


def test_a_symbolic_link_inside_the_package_is_read(package: Path) -> None:
    (package / "data").mkdir()
    (package / "facts.csv").rename(package / "data" / "facts.csv")
    (package / "facts.csv").symlink_to(Path("data") / "facts.csv")
    assert validate(package, engine="rows").valid
    assert validate(package, engine="columnar").valid


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{pkg}", "--engine", "rows"],
        ["validate", "{pkg}", "--engine", "columnar"],
        ["validate", "{pkg}"],
        ["facts", "--package", "{pkg}"],
        ["audit", "{docs}", "--package", "{pkg}"],
    ],
)
def test_a_fifo_is_refused_not_waited_on(package: Path, command: list[str]) -> None:
    """A FIFO hung every reader (nothing ever writes to it)."""
    (package / "facts.csv").unlink()
    os.mkfifo(package / "facts.csv")
    docs = package.parent / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("42 GW", encoding="utf-8")
    args = [part.format(pkg=package, docs=docs) for part in command]
    code, out = _cli(*args)
    assert code == 1
    assert "cannot read facts.csv: not a regular file (a FIFO); only files are read" in out
    assert "Traceback" not in out


def test_diff_refuses_a_fifo_and_a_link_out(package: Path) -> None:
    (package / "facts.csv").unlink()
    os.mkfifo(package / "facts.csv")
    code, out = _cli("diff", str(REPO / "datapackage"), str(package))
    assert code == 1
    assert "cannot read facts.csv: not a regular file (a FIFO)" in out
    (package / "facts.csv").unlink()
    (package / "facts.csv").symlink_to(package.parent / "outside" / "facts.csv")
    code, out = _cli("diff", str(REPO / "datapackage"), str(package))
    assert code == 1
    assert "a symbolic link to a file outside the package folder" in out
    assert SECRET not in out


def test_diff_and_load_refuse_a_path_out_of_the_package(package: Path) -> None:
    from aifacts.release.diff import diff_packages

    _set_path(package, "facts", "../outside/facts.csv")
    with pytest.raises(ValidationError) as caught:
        diff_packages(REPO / "datapackage", package)
    assert "climbs out of the package folder" in str(caught.value)
    with pytest.raises(ValidationError) as loaded:
        load(package)
    assert [p.code for p in loaded.value.problems] == [Code.DESCRIPTOR_INVALID]
    assert SECRET not in str(caught.value) + str(loaded.value)


def test_the_zero_device_is_refused_before_a_byte_is_read(package: Path) -> None:
    """A link to /dev/zero ate 5 GB; it lies outside the package, and is no file anyway."""
    (package / "facts.csv").unlink()
    (package / "facts.csv").symlink_to("/dev/zero")
    for engine in ENGINES:
        problems = validate(package, engine=engine).problems
        assert [(p.file, p.code) for p in problems] == [("facts.csv", Code.FILE_MISSING)]
    with pytest.raises(UnsafeFileError, match=r"not a regular file \(a character device\)"):
        read_regular(Path("/dev/zero"), Path("/dev"))  # inside its folder: still refused
    with pytest.raises(UnsafeFileError, match=r"a character device"):
        open_regular(Path("/dev/zero"))


def test_a_folder_named_as_a_file_is_refused(package: Path) -> None:
    (package / "sub.csv").mkdir()
    _set_path(package, "facts", "sub.csv")
    for engine in ENGINES:
        lines = validate(package, engine=engine).lines()
        assert lines == [
            "sub.csv: cannot read sub.csv: not a regular file (a folder); only files are read"
        ]


def test_a_descriptor_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "datapackage.json")
    code, out = _cli("validate", str(tmp_path))
    assert code == 2
    assert "its datapackage.json is not a regular file" in out
    code, out = _cli("validate", str(tmp_path / "datapackage.json"))
    assert code == 2
    assert "cannot be read (not a regular file (a FIFO); only files are read)" in out


def test_a_data_folder_path_is_read_through_the_descriptor(package: Path) -> None:
    """``data/facts.csv`` is a legal path; the JSON-form check read ``facts.csv`` at
    the top instead, and said "cannot read facts.json"."""
    (package / "data").mkdir()
    for name in ("facts.csv", "facts.json"):
        (package / name).rename(package / "data" / name)
    _set_path(package, "facts", "data/facts.csv")
    _set_path(package, "facts-json", "data/facts.json")
    for engine in ENGINES:
        report = validate(package, engine=engine)
        assert report.valid, report.lines()
        rows = (package / "data" / "facts.csv").read_text(encoding="utf-8").count("\n") - 1
        assert report.stats["rows"]["facts"] == rows == 58
    (package / "facts.csv").write_text("not the facts\n", encoding="utf-8")  # never read
    assert validate(package, engine="rows").valid


# ---------------------------------------------------------------------------
# Property: whatever the path, nothing outside the package is opened.

_DANGEROUS = [
    "../outside/secret.csv",
    "../outside/facts.csv",
    "./../outside/secret.csv",
    "data/../../outside/secret.csv",
    "link-out.csv",
    "link-dir/secret.csv",
    "link-in.csv",
    "fifo.csv",
    "sub",
    "/etc/passwd",
    "file:///etc/passwd",
    "https://example.org/x.csv",
    "..",
    ".",
    "facts.csv/",
    "facts.csv\x00../outside/secret.csv",
    "C:\\outside\\secret.csv",
    "~/secret.csv",
]


@contextmanager
def _opened() -> Iterator[list[str]]:
    """Record the real path of every file Python opens meanwhile (pyarrow opens only
    paths already checked by the same code)."""
    seen: list[str] = []
    real_open, real_io_open = os.open, io.open

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        seen.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)

    def io_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | bytes | os.PathLike):
            seen.append(os.path.realpath(file))
        return real_io_open(file, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", os_open)
        patch.setattr(io, "open", io_open)
        patch.setattr("builtins.open", io_open)
        yield seen


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["sources", "facts", "omissions", "facts-json", "entities-json"]),
    path=st.sampled_from(_DANGEROUS)
    | st.text(st.sampled_from(list("./\\:~%ab\x00")), max_size=12)
    | st.builds(
        lambda n, tail: "../" * n + tail,
        st.integers(1, 12),
        st.sampled_from(["outside/secret.csv", "etc/passwd", "pkg/facts.csv"]),
    ),
    engine=st.sampled_from(ENGINES),
)
def test_no_path_reads_outside_the_package(name: str, path: str, engine: str) -> None:
    """Validate, load and diff: no error but the two, nothing opened outside."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = _package(Path(tmp))
        outside = Path(tmp) / "outside"
        (folder / "link-out.csv").symlink_to(outside / "secret.csv")
        (folder / "link-dir").symlink_to(outside)
        (folder / "link-in.csv").symlink_to(folder / "facts.csv")
        (folder / "sub").mkdir()
        os.mkfifo(folder / "fifo.csv")
        _set_path(folder, name, path)
        with _opened() as seen:
            report = validate(folder, engine=engine)
            said = ""
            try:
                load(folder)
            except (ValidationError, PackageNotFoundError) as exc:
                said += str(exc)
            try:
                said += "\n".join(diff_packages(REPO / "datapackage", folder).lines())
            except (ValidationError, PackageNotFoundError) as exc:
                said += str(exc)
        text = "\n".join(report.lines()) + said + json.dumps(report.to_dict())
        assert SECRET not in text
        assert "root:" not in text
        assert not [p for p in seen if Path(p).is_relative_to(os.path.realpath(outside))]
        assert not [p for p in seen if p.startswith("/etc/")]
        if path_problem(path) is not None:
            assert any(p.code is Code.DESCRIPTOR_INVALID for p in report.problems)


def test_build_refuses_a_csv_linked_from_outside(package: Path) -> None:
    outside = package.parent / "outside" / "facts.csv"
    before = outside.read_bytes()
    (package / "facts.csv").unlink()
    (package / "facts.csv").symlink_to(outside)
    code, out = _cli("build", str(package))
    assert code == 1
    assert "a symbolic link to a file outside the package folder" in out
    assert SECRET not in out
    assert outside.read_bytes() == before
