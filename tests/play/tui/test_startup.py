"""What the first screen costs: the app starts in its theme with one parse of its styles."""

from __future__ import annotations

import pytest
from textual.css.stylesheet import Stylesheet
from tui_helpers import QUIET, MakeApp, settle


@pytest.mark.parametrize("theme", ["exile-dark", "exile-light"])
async def test_the_app_starts_in_its_theme_with_one_parse_of_its_styles(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    """Setting `App.theme` before the app runs made Textual parse every rule twice before the
    first frame (its watcher re-parses into a copy whose parse cache is then dropped). The
    app starts in its theme without that, and looks as it does after switching to it."""
    reparses: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparses.append(self)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = make_app(settings=QUIET.with_(theme=theme))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert reparses == []
        assert app.theme == theme and app.has_class(f"-theme-{theme}")
        dark = theme == "exile-dark"
        assert app.has_class("-dark-mode") is dark and app.has_class("-light-mode") is not dark
        at_start = app.export_screenshot()
        app.theme = "exile-light" if dark else "exile-dark"
        await settle(pilot)
        assert app.export_screenshot() != at_start
        app.theme = theme  # through Textual's watcher
        await settle(pilot)
        assert reparses  # the watcher's way: the whole stylesheet again
        assert app.export_screenshot() == at_start
