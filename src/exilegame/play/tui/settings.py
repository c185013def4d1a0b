"""Player settings (typewriter, text speed, theme), kept as a small JSON file in the data dir."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

from exilegame._files import clean_stale, data_dir, parse_json, read_regular, write_atomic
from exilegame._record import record

SETTINGS_LIMIT = 64 << 10  # bytes; the file is well under 1 kB

SPEEDS: dict[str, int] = {"slow": 60, "normal": 150, "fast": 400}  # characters per second
THEMES: tuple[str, ...] = ("exile-dark", "exile-light")


@record
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
    return read_settings(path)[0]


def read_settings(path: Path) -> tuple[Settings, str]:
    """The saved settings and, when the file is damaged, a message saying so (else "").

    Missing file: the defaults, no message. A damaged file (not a regular file, too large,
    not JSON, not an object, a value of the wrong kind) gives the defaults for what cannot
    be read; the file is rewritten when the player next changes a setting.
    """
    clean_stale(path.parent)
    defaults = Settings()
    try:
        data = parse_json(read_regular(path, SETTINGS_LIMIT))
    except FileNotFoundError:
        return defaults, ""
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return defaults, _damaged(path, reason)
    if not isinstance(data, dict):
        return defaults, _damaged(path, "not a JSON object")
    typewriter = data.get("typewriter", defaults.typewriter)
    speed = data.get("speed", defaults.speed)
    theme = data.get("theme", defaults.theme)
    settings = Settings(
        typewriter=typewriter if isinstance(typewriter, bool) else defaults.typewriter,
        speed=speed if isinstance(speed, str) and speed in SPEEDS else defaults.speed,
        theme=theme if isinstance(theme, str) and theme in THEMES else defaults.theme,
    )
    wrong = [
        key
        for key, value in (("typewriter", typewriter), ("speed", speed), ("theme", theme))
        if getattr(settings, key) != value
    ]
    return settings, _damaged(path, "unknown " + ", ".join(wrong)) if wrong else ""


def _damaged(path: Path, reason: str) -> str:
    return f"The settings file {path.name} is damaged ({reason}); the defaults are used."


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically; a failure is the caller's to report (settings are not precious)."""
    import json  # only to write: a launch reads the file with `parse_json`

    write_atomic(path, json.dumps(asdict(settings), indent=1))
