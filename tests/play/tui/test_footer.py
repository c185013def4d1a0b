"""The key footer: Textual's own, without restyling every key twice on each new screen."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey
from tui_helpers import MakeApp, settle


async def test_footer_keys_are_not_restyled_by_their_compact_binding(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rebuild of Textual's footer once restyled every key twice (it started compact,
    then its binding to the footer turned that off): a fifth of a new screen's cost."""
    restyled: list[FooterKey] = []
    real = FooterKey.update_node_styles

    def counting(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self)
        real(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counting)
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        assert len(keys) >= 5  # the game's footer shows its keys
        assert not any(key.has_class("-compact") for key in keys)
        assert "Help" in " ".join(str(key.render()) for key in keys)
    assert restyled == []
