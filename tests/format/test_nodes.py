"""Scalar nodes resolve their tags and values exactly as PyYAML does, without importing it
for text, null, flags and decimal integers."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from exilegame.format.limits import SCALAR_TAGS
from exilegame.format.nodes import IMPLICIT_FIRST, ScalarNode, scalar_value

VALUES = [
    *["", "~", "null", "Null", "NULL", "nULL", "none", "None", "null ", "~~"],
    *["yes", "Yes", "YES", "yEs", "no", "No", "NO", "y", "n", "on", "On", "ON", "off", "Off"],
    *["true", "True", "TRUE", "tRue", "false", "False", "FALSE", "true\n", "1\n"],
    *["0", "-0", "+0", "00", "012", "019", "0x1f", "0b101", "0o7", "1_000", "1:30", "190:20:30"],
    *["7", "-7", "+7", "12345678901234567890", "1.5", "-.5", ".5", "1e3", "1.0e+3", ".inf"],
    *["-.INF", ".nan", "2020-01-31", "2020-02-30", "2001-12-14t21:59:43.10-05:00", "<<", "="],
    *["word", "two words", "-", "+", ".", "!", "&", "*", "é", "١٢", "٣", "0٣"],
]
_REFERENCE = (yaml.resolver.Resolver(), yaml.constructor.SafeConstructor())


def reference(value: str, tag: str | None, implicit: bool) -> tuple[str, Any]:
    """PyYAML's own tag and value for a scalar."""
    resolver, constructor = _REFERENCE
    if tag is None or tag == "!":
        tag = resolver.resolve(yaml.ScalarNode, value, (implicit, False))
    construct = constructor.yaml_constructors.get(tag)
    if tag.endswith(":str") or construct is None:
        return tag, value
    try:
        return tag, construct(constructor, yaml.ScalarNode(tag, value))
    except Exception:
        return tag, value


def ours(value: str, tag: str | None, implicit: bool) -> tuple[str, Any]:
    node = ScalarNode(value, tag, implicit, "" if implicit else "'", 0, 0)
    return node.tag, scalar_value(node)


def same(value: str, tag: str | None, implicit: bool) -> None:
    (tag_a, a), (tag_b, b) = ours(value, tag, implicit), reference(value, tag, implicit)
    assert (tag_a, type(a), repr(a)) == (tag_b, type(b), repr(b)), (value, tag, implicit)


def test_the_first_characters_are_pyyamls() -> None:
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    assert None not in resolvers  # no rule for every first character
    assert {first for first in resolvers if first} == IMPLICIT_FIRST


def test_listed_values_resolve_and_read_as_pyyaml_reads_them() -> None:
    for value in VALUES:
        for tag in [None, "!", *sorted(SCALAR_TAGS), "!local"]:
            for implicit in (True, False):
                same(value, tag, implicit)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=10), st.from_regex(r"[-+]?[0-9_.:eE]{1,8}", fullmatch=True)),
    st.sampled_from([None, None, "!", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool"]),
    st.booleans(),
)
def test_any_value_resolves_and_reads_as_pyyaml_reads_it(
    value: str, tag: str | None, implicit: bool
) -> None:
    same(value, tag, implicit)


def test_text_flags_null_and_decimals_need_no_pyyaml() -> None:
    code = (
        "import sys\n"
        "from exilegame.format.nodes import ScalarNode, scalar_value\n"
        "for v in ['word', '', '~', 'true', 'No', '12', '-3']:\n"
        "    scalar_value(ScalarNode(v, None, True, '', 0, 0))\n"
        "print('yaml' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
