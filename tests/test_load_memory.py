"""What loading keeps in memory, by count: never a size or a time.

``benchmarks/memory.py`` measures the peak; these tests pin the three things that
cut it: the file's decoded text is gone before the first record is built, records
share one set of given field names, and a reference names one copy of its id.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import pytest

from aifacts.api import load
from aifacts.io import reading
from benchmarks.generate import generate


class _Text(str):
    """A str that a weak reference can follow."""


def test_the_decoded_text_is_released_before_records_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "pkg", 200, seed=2)
    texts: list[weakref.ref[_Text]] = []
    alive_at_rows: list[int] = []
    real_decode, real_read_row = reading.decode, reading.read_row

    def decode(data: bytes) -> tuple[str | None, str]:
        text, why = real_decode(data)
        if text is None:
            return text, why
        kept = _Text(text)
        texts.append(weakref.ref(kept))
        return kept, why

    def read_row(*args: Any) -> None:
        alive_at_rows.append(sum(ref() is not None for ref in texts))
        real_read_row(*args)

    monkeypatch.setattr(reading, "decode", decode)
    monkeypatch.setattr(reading, "read_row", read_row)
    ds = load(tmp_path / "pkg")
    assert len(ds.facts) == 200
    assert len(texts) >= 4  # sources, entities, metrics, facts were decoded
    assert len(alive_at_rows) >= 200 and set(alive_at_rows) == {0}


def test_records_share_their_set_of_given_fields(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", 300, seed=3)
    ds = load(tmp_path / "pkg")
    sets = {id(f.model_fields_set) for f in ds.facts}
    assert len(sets) == 1
    assert ds.facts[0].model_fields_set == {name for name in type(ds.facts[0]).model_fields}
    changed = ds.facts[0].model_copy(update={"note": "changed"})
    assert changed.note == "changed" and ds.facts[1].note != "changed"
    assert changed.model_fields_set is not ds.facts[1].model_fields_set
    assert ds.facts[1].model_fields_set == ds.facts[0].model_fields_set


def test_a_reference_is_one_copy_of_its_id(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", 300, seed=4)
    ds = load(tmp_path / "pkg")
    for name in ("entity_id", "metric_id", "source_id", "unit"):
        values = [getattr(f, name) for f in ds.facts]
        assert len({id(v) for v in values}) == len(set(values)), name


def test_a_current_json_form_is_compared_a_row_at_a_time_never_parsed(
    bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from aifacts.validation import json_forms
    from aifacts.validation.engine import validate
    from tests.packages import write_json_form

    parsed: list[str] = []
    real_read_json = json_forms.read_json

    def read_json(resource: Any, file: str, data: bytes) -> Any:
        parsed.append(file)
        return real_read_json(resource, file, data)

    monkeypatch.setattr(json_forms, "read_json", read_json)
    package = tmp_path / "pkg"
    shutil.copytree(bundled, package)
    assert len(load(package).facts) > 0  # every JSON form is its CSV's, byte for byte
    assert parsed == []

    # A form that differs is parsed whole, and its difference named as before.
    form = (package / "facts.json").read_bytes()
    assert form.count(b'"value": 100,') >= 1
    write_json_form(package, "facts", form.replace(b'"value": 100,', b'"value": 101,', 1))
    problems = validate(package, engine="rows").problems
    assert parsed == ["facts.json"]
    assert [(p.file, p.code.value, p.field) for p in problems] == [
        ("facts.json", "json-mismatch", "value")
    ]
