"""The look of the main screens, pinned at 80×24 and 160×48 on the fixture story."""

from __future__ import annotations

import pytest
from tui_helpers import MakeApp

SIZES = [(80, 24), (160, 48)]
TO_SCENE = ["n"]
TO_OUTCOME = [*TO_SCENE, "1", "enter", "1", "enter", "enter"]
TO_EPILOGUE = [*TO_OUTCOME, "enter", "1", "enter", "enter", "enter"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "keys",
    [[], TO_SCENE, TO_OUTCOME, TO_EPILOGUE],
    ids=["title", "scene", "outcome", "epilogue"],
)
def test_screen(snap_compare: object, make_app: MakeApp, keys: list[str], size: tuple) -> None:
    app = make_app(role="bodyguard", seed=7, persist_settings=False)
    assert snap_compare(app, press=keys, terminal_size=size)  # type: ignore[operator]
