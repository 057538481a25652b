"""One error root: every exception class of the library derives from AifactsError and
from the built-in a caller would catch, and the public ones are exported."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import aifacts
from aifacts import errors


def _library_exceptions() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(aifacts.__path__, "aifacts."):
        if info.name == "aifacts.__main__":  # runs the command line
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_exception_class_of_the_library_derives_from_the_root() -> None:
    classes = _library_exceptions()
    assert errors.ValidationError in classes and len(classes) >= 10
    strays = [
        f"{c.__module__}.{c.__qualname__}"
        for c in classes
        if not issubclass(c, errors.AifactsError)
    ]
    assert strays == []


@pytest.mark.parametrize("name", errors.__all__)
def test_each_error_is_exported_and_drawn_in_the_hierarchy(name: str) -> None:
    cls = getattr(errors, name)
    assert getattr(aifacts, name) is cls and name in aifacts.__all__
    assert f"{name} " in errors.__doc__ or f"{name}\n" in errors.__doc__
    if cls is not errors.AifactsError:  # each also a built-in a caller may catch instead
        assert any(
            base is not errors.AifactsError and not issubclass(base, errors.AifactsError)
            for base in cls.__bases__
        )


def test_the_old_import_paths_still_name_the_same_classes() -> None:
    from aifacts.contract.units import UnitError
    from aifacts.dataset.money import ConversionError
    from aifacts.dataset.query import QueryError
    from aifacts.release.export import ExportError

    assert (ExportError, ConversionError, QueryError, UnitError) == (
        errors.ExportError,
        errors.ConversionError,
        errors.QueryError,
        errors.UnitError,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: aifacts.validate(engine="fast"), "engine must be 'auto', 'rows' or 'columnar'"),
        (lambda: aifacts.load().check(rules=("nope",)), "unknown rule 'nope'"),
    ],
)
def test_a_wrong_argument_is_a_usage_error(call: object, message: str) -> None:
    with pytest.raises(errors.UsageError, match=message) as caught:
        call()  # type: ignore[operator]
    assert isinstance(caught.value, ValueError)  # callers catching ValueError still do


def test_an_unknown_citation_format_is_a_usage_error() -> None:
    from aifacts.release.citation import cite

    with pytest.raises(errors.UsageError, match="unknown citation format 'mla'; the formats are"):
        cite(aifacts.load(), "mla")


def _instance(cls: type[errors.AifactsError]) -> errors.AifactsError:
    if cls is errors.ValidationError:
        return errors.ValidationError([])
    if cls is errors.WriteError:
        return errors.WriteError("out.json", "the disk is full")
    if cls is errors.UnsafeFileError:
        return errors.UnsafeFileError("not a regular file (a FIFO)", "facts.csv")
    if cls is errors.UnknownIdError:
        return errors.UnknownIdError("chian", "entity", ["cn"])
    return cls("a reason")


@pytest.mark.parametrize("name", errors.__all__)
def test_the_command_line_maps_every_error_to_an_exit_code(name: str) -> None:
    from aifacts.cli.common import exit_code

    cls = getattr(errors, name)
    code = exit_code(_instance(cls))
    usage = issubclass(cls, errors.UsageError | errors.QueryError | errors.PackageNotFoundError)
    assert code == (2 if usage else 1)


def test_an_error_no_command_expected_is_one_line_and_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from aifacts.cli import main as cli_main

    def boom() -> None:
        raise errors.QueryError("period '20x5' is not a year or a date")

    monkeypatch.setattr(cli_main, "app", boom)
    monkeypatch.setattr("sys.argv", ["aifacts", "facts"])
    with pytest.raises(SystemExit) as exited:
        cli_main.main()
    err = capfd.readouterr().err
    assert exited.value.code == 2
    assert err == "aifacts: period '20x5' is not a year or a date\n"
