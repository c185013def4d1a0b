"""The JSON Schema: generated from the spec, committed without drift, true to the loader."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from exilegame.cli import main as cli_main
from exilegame.format import schema, spec
from exilegame.format.load import load_with_problems

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "scene.schema.json"
FOLDERS = [ROOT / "scenes", *sorted(p for p in (ROOT / "tests" / "stories").iterdir())]
# Fixture stories that are broken on purpose (for loader tests) are left out.
FILES = [
    f
    for folder in FOLDERS
    if load_with_problems(folder)[0] is not None
    for f in sorted(folder.glob("*.yaml"))
]


def as_editor_sees(value: Any) -> Any:
    """YAML as a YAML 1.2 editor reads it: `1929-02-12` is a string, not a date object."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    built = schema.build()
    jsonschema.Draft202012Validator.check_schema(built)
    return jsonschema.Draft202012Validator(built)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


def test_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema.dumps(), (
        "docs/scene.schema.json is stale: run `exilegame schema -o docs/scene.schema.json`"
    )


def test_every_spec_field_is_in_the_schema_with_its_description() -> None:
    defs = schema.build()["$defs"]
    for record, fields in spec.RECORDS.items():
        properties = defs[record]["properties"]
        assert list(properties) == [f.name for f in fields]
        assert defs[record]["additionalProperties"] is False
        for f in fields:
            assert properties[f.name]["description"].startswith(f.doc)
        assert defs[record].get("required", []) == [f.name for f in fields if f.required]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_accepts_every_shipped_and_fixture_file(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    data = as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert errors(validator, data) == []


MANIFEST = {"title": "T", "roles": {"r": {"name": "R"}}, "phases": ["p"]}
PHASE = {
    "phase": "p",
    "title": "P",
    "scenes": {"a": {"date": "1930", "place": "x", "text": "Hello.", "choices": []}},
    "outcome": {"history": "H"},
}


def test_minimal_files_pass(validator: jsonschema.Draft202012Validator) -> None:
    assert errors(validator, MANIFEST) == []
    assert errors(validator, PHASE) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**MANIFEST, "colour": "red"}, "'colour' was unexpected"),
        ({**MANIFEST, "phases": "p q"}, "is not valid under any of the given schemas"),
        ({**MANIFEST, "roles": {"r": {"name": "R", "blurbb": "x"}}}, "'blurbb' was unexpected"),
        ({k: v for k, v in MANIFEST.items() if k != "title"}, "'title' is a required property"),
        ({**MANIFEST, "state": {"t": {"start": 1, "max": "lots"}}}, "is not valid under any"),
        ({**PHASE, "scenes": {"a": {"date": "1930", "place": "x"}}}, "'text' is a required"),
        (
            {**PHASE, "scenes": {"a": {**PHASE["scenes"]["a"], "choices": [{"text": "x"}]}}},
            "'go' is a required property",
        ),
        (
            {
                **PHASE,
                "scenes": {
                    "a": {
                        **PHASE["scenes"]["a"],
                        "choices": [{"text": "x", "go": "b", "show_locked": "yes"}],
                    }
                },
            },
            "'yes' is not of type 'boolean'",
        ),
        ({**PHASE, "scenes": {"a": {**PHASE["scenes"]["a"], "end": "phase"}}}, "is not one of"),
        ({**PHASE, "scenes": {"a": {**PHASE["scenes"]["a"], "date": "12/2/1929"}}}, "does not"),
        ({**PHASE, "outcome": {"history": "H", "yours": [{"if": "x"}]}}, "'text' is a required"),
    ],
)
def test_rejects_broken_files(
    validator: jsonschema.Draft202012Validator, data: dict[str, Any], expected: str
) -> None:
    found = errors(validator, data)
    assert any(expected in message for message in found), found


def test_a_phase_file_is_told_apart_by_its_phase_key(
    validator: jsonschema.Draft202012Validator,
) -> None:
    # a manifest's keys in a phase file are unknown keys there
    found = errors(validator, {**PHASE, "roles": {}})
    assert any("'roles' was unexpected" in m for m in found)


def test_cli_prints_and_writes_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == schema.build()
    assert cli_main(["schema", "-o", str(tmp_path / "s.json")]) == 0
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == schema.dumps()


def test_scene_format_reference_is_up_to_date() -> None:
    text = (ROOT / "docs" / "scene-format.md").read_text(encoding="utf-8")
    start = text.index(schema.REFERENCE_START)
    end = text.index(schema.REFERENCE_END) + len(schema.REFERENCE_END) + 1
    assert text[start:end] == schema.reference_markdown(), (
        "the reference in docs/scene-format.md is stale: replace it with the output of "
        "`exilegame schema --reference`"
    )


def test_every_key_has_an_example_that_its_schema_accepts() -> None:
    built = schema.build()
    for record, fields in spec.RECORDS.items():
        for f in fields:
            assert f.example, (record, f.name)
            sub = {"$defs": built["$defs"], **built["$defs"][record]["properties"][f.name]}
            value = schema.example_value(record, f.name)
            found = [e.message for e in jsonschema.Draft202012Validator(sub).iter_errors(value)]
            assert found == [], (record, f.name, found)


def test_every_key_is_in_the_hand_written_part_of_the_format_doc_too() -> None:
    text = (ROOT / "docs" / "scene-format.md").read_text(encoding="utf-8")
    prose = text[: text.index(schema.REFERENCE_START)]
    for fields in spec.RECORDS.values():
        for f in fields:
            assert f"`{f.name}`" in prose, f"docs/scene-format.md never explains `{f.name}`"


def test_every_kind_names_a_reader_the_loader_has() -> None:
    import inspect

    from exilegame.format.build import Loader as _Loader

    for name, kind in spec.KINDS.items():
        if not kind.reader:
            assert name == "variable"
            continue
        method = getattr(_Loader, kind.reader)
        assert list(inspect.signature(method).parameters)[:4] == ["self", "path", "node", "what"]
    for fields in spec.RECORDS.values():
        for f in fields:
            shape, _, record = f.kind.partition(":")
            assert f.kind in spec.KINDS or (shape in ("map", "list", "record") and record)


@pytest.mark.parametrize(
    "text",
    ["a", "alma-ata_2", "1929", "débarcadère", "пристань", "港口", "a b", "a.b", "-a", "_a", "a!"],
)
def test_the_schema_id_pattern_accepts_every_id_and_refuses_ascii_punctuation(text: str) -> None:
    import re

    from exilegame.format.ids import is_id

    matches = re.search(spec.ID_PATTERN, text) is not None
    if is_id(text):
        assert matches  # never stricter than the loader
    if text.isascii():
        assert matches == is_id(text)  # and exact on ASCII
