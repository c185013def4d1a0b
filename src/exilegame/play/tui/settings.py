"""Player settings (typewriter, text speed, theme), kept as a small JSON file in the data dir."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from exilegame._files import data_dir, write_atomic

SPEEDS: dict[str, int] = {"slow": 60, "normal": 150, "fast": 400}  # characters per second
THEMES: tuple[str, ...] = ("exile-dark", "exile-light")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the player can change in Help; unknown or bad values fall back to the defaults."""

    typewriter: bool = True
    speed: str = "normal"
    theme: str = "exile-dark"

    @property
    def chars_per_second(self) -> int:
        return SPEEDS.get(self.speed, SPEEDS["normal"])

    def with_(self, **changes: object) -> Settings:
        """A copy with `changes` applied (settings are frozen so screens can share them)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def settings_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / "settings.json"


def load_settings(path: Path) -> Settings:
    """The saved settings, or the defaults when the file is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    defaults = Settings()
    typewriter = data.get("typewriter", defaults.typewriter)
    speed = data.get("speed", defaults.speed)
    theme = data.get("theme", defaults.theme)
    return Settings(
        typewriter=typewriter if isinstance(typewriter, bool) else defaults.typewriter,
        speed=speed if speed in SPEEDS else defaults.speed,
        theme=theme if theme in THEMES else defaults.theme,
    )


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically; a failure is the caller's to report (settings are not precious)."""
    write_atomic(path, json.dumps(asdict(settings), indent=1))
