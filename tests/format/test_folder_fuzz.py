"""Scene folders generated and mutated at random: the loader always ends, with a Story or with
errors that name a file of the folder, and never raises.

Each example starts from the small valid story and applies a few mutations: random YAML in
place of a value, a truncated or byte-flipped file, a value of the wrong type, deep nesting,
anchors and aliases, tags, huge strings, control characters, and special files (a FIFO, a
folder, a link to a device) named like scene files. A loader that hangs on any of them is
stopped by an alarm and fails the test.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exilegame.format.load import load_with_problems
from exilegame.story import Story
from story_texts import MANIFEST, PHASE_ONE, PHASE_TWO

FILES = {"story.yaml": MANIFEST, "one.yaml": PHASE_ONE, "two.yaml": PHASE_TWO}
HANG = 30  # seconds: far beyond any load here; only a hang reaches it

scalars = st.one_of(
    st.sampled_from(
        [
            "~",
            "null",
            "true",
            "yes",
            "0x1F",
            "1e400",
            "-.inf",
            ".nan",
            "2020-02-30",
            "12:30:00",
            '""',
            "''",
            "'x'",
            '"\\e[2J"',
            '"\\x00"',
            '"\\u202e"',
            "!!bool maybe",
            "!!int x",
            "!!timestamp x",
            "!!set x",
            "!!python/object:os.system x",
            "!custom y",
            "*nowhere",
            "&a x",
            "<<",
            "{",
            "[",
            "]",
            "}",
            ":",
            "- -",
            "? x",
            "|",
            ">",
            "%YAML 1.1",
            "---",
            "...",
            "@",
            "`x`",
            "#",
            "9" * 5000,
            "x" * 100_000,
        ]
    ),
    st.text(max_size=30),
    st.integers().map(str),
)
values = st.recursive(
    scalars,
    lambda c: st.one_of(
        st.lists(c, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.sampled_from(["a", "text", "if", "go", "<<"]), c, max_size=3).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        ),
    ),
    max_leaves=10,
)
deep_values = st.builds(
    lambda n, open_, close: open_ * n + "x" + close * n,
    st.integers(50, 20_000),
    st.sampled_from(["[", "{a: ", "[{a: "]),
    st.sampled_from(["]", "}", "}]"]),
)
bombs = st.builds(
    lambda width, depth: "\n".join(
        [f"l0: &l0 [{', '.join(['x'] * width)}]"]
        + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth)]
    ),
    st.integers(2, 12),
    st.integers(2, 12),
)


def _replace_value(text: str, line: int, value: str) -> str:
    """Replace what follows the first `key:` on a line (mod the count) with `value`."""
    lines = text.splitlines()
    keyed = [i for i, ln in enumerate(lines) if ": " in ln or ln.rstrip().endswith(":")]
    if not keyed:
        return f"{text}\nkey: {value}\n"
    index = keyed[line % len(keyed)]
    head = lines[index].split(":", 1)[0]
    lines[index] = f"{head}: {value}"
    return "\n".join(lines) + "\n"


mutation = st.one_of(
    st.tuples(st.just("value"), st.sampled_from(sorted(FILES)), st.integers(0, 200), values),
    st.tuples(st.just("value"), st.sampled_from(sorted(FILES)), st.integers(0, 200), deep_values),
    st.tuples(st.just("truncate"), st.sampled_from(sorted(FILES)), st.integers(0, 3000), st.none()),
    st.tuples(
        st.just("flip"), st.sampled_from(sorted(FILES)), st.integers(0, 3000), st.integers(0, 255)
    ),
    st.tuples(
        st.just("append"),
        st.sampled_from(sorted(FILES)),
        st.none(),
        st.one_of(bombs, values.map(lambda v: f"extra: {v}")),
    ),
    st.tuples(
        st.just("special"),
        st.sampled_from(["one.yaml", "two.yaml", "story.yaml", "x.yaml"]),
        st.none(),
        st.sampled_from(["fifo", "folder", "device", "empty", "garbage"]),
    ),
)


def _apply(folder: Path, change: tuple[object, ...]) -> None:
    kind, name, where, what = change
    path = folder / str(name)
    if kind == "special":
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        if what == "fifo":
            os.mkfifo(path)
        elif what == "folder":
            path.mkdir()
        elif what == "device":
            path.symlink_to("/dev/zero")
        elif what == "empty":
            path.write_bytes(b"")
        else:
            path.write_bytes(bytes(range(256)) * 4)
        return
    if not path.is_file():
        return
    raw = path.read_bytes()
    if kind == "value":
        path.write_text(_replace_value(raw.decode("utf-8", "replace"), int(where), str(what)))  # type: ignore[call-overload]
    elif kind == "truncate":
        path.write_bytes(raw[: int(where) % (len(raw) + 1)])  # type: ignore[call-overload]
    elif kind == "flip" and raw:
        data = bytearray(raw)
        data[int(where) % len(data)] = int(what)  # type: ignore[call-overload]
        path.write_bytes(bytes(data))
    elif kind == "append":
        path.write_bytes(raw + b"\n" + str(what).encode())


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def hung(*_: object) -> None:
        raise AssertionError(f"the loader did not end within {seconds} s")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


GENERATED = [0]


@settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(mutation, min_size=1, max_size=4), st.booleans())
def test_any_folder_loads_or_gives_located_errors(
    changes: list[tuple[object, ...]], use_cache: bool
) -> None:
    GENERATED[0] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "story"
        folder.mkdir()
        for name, text in FILES.items():
            (folder / name).write_text(text, encoding="utf-8")
        for change in changes:
            _apply(folder, change)
        with _alarm(HANG):
            story, problems = load_with_problems(folder, use_cache=use_cache)
            again, _ = load_with_problems(folder, use_cache=use_cache)  # the cache, if written
    errors = [p for p in problems if p.severity == "error"]
    if story is None:
        assert errors, "no story and no error"
    else:
        assert isinstance(story, Story) and not errors and again == story
    for p in problems:
        assert p.path == folder or p.path.parent == folder, p.format()
        assert p.line >= 0 and p.column >= 0 and p.message
        assert "\x1b" not in p.format() and "\x00" not in p.format()


def test_the_generator_made_folders() -> None:
    if GENERATED[0] == 0:  # run alone
        test_any_folder_loads_or_gives_located_errors()
    assert GENERATED[0] >= 100
