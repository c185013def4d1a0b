"""exilegame: a YAML scene engine and the terminal game of Trotsky's last exile built on it.

The engine (`load`, `engine`, `saves`, `check`, ...) never imports Textual; the TUI lives in
`exilegame.play.tui`.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
