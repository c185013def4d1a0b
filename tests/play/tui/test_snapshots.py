"""The look of the main screens on the fixture story: all at 80×24, the title and a scene also
at 160×48 (the wide layout with the side panel)."""

from __future__ import annotations

import pytest
from tui_helpers import MakeApp

TO_SCENE = ["n"]
TO_OUTCOME = [*TO_SCENE, "1", "enter", "1", "enter", "enter"]
TO_EPILOGUE = [*TO_OUTCOME, "enter", "1", "enter", "enter", "enter"]
SMALL, LARGE = (80, 24), (160, 48)
CASES = [
    ("title", [], SMALL),
    ("scene", TO_SCENE, SMALL),
    ("outcome", TO_OUTCOME, SMALL),
    ("epilogue", TO_EPILOGUE, SMALL),
    ("title", [], LARGE),
    ("scene", TO_SCENE, LARGE),
]


@pytest.mark.parametrize(
    ("keys", "size"),
    [pytest.param(k, s, id=f"{name}-{s[0]}x{s[1]}") for name, k, s in CASES],
)
def test_screen(snap_compare: object, make_app: MakeApp, keys: list[str], size: tuple) -> None:
    app = make_app(role="bodyguard", seed=7, persist_settings=False)
    assert snap_compare(app, press=keys, terminal_size=size)  # type: ignore[operator]
