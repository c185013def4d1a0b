"""`exilegame serve`: the same Textual app, played in a web browser through textual-serve.

Nothing of the game is rewritten for the web: textual-serve starts `python -m exilegame`
once per browser tab with Textual's web driver, and relays the screen and the keys over a
websocket. textual-serve (and aiohttp under it) comes with the optional extra `web` and is
imported only here, when the server starts.

The page works with no internet. textual-serve's own page template asks Google Fonts for
Roboto Mono; `offline_template` rewrites it to load the copy of that font that the package
ships in its static folder, and drops any other remote stylesheet or script, so every asset
comes from this server.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import socket
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from exilegame._files import write_atomic
from exilegame.errors import LoadError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WEB_EXTRA_HINT = "install the web extra: pip install 'exilegame[web]'"

_REMOTE_TAG_RE = re.compile(
    r"<(link|script)\b[^>]*\b(?:href|src)\s*=\s*[\"'](?:https?:)?//[^\"']*[\"'][^>]*>"
    r"(?:\s*</script>)?",
    re.IGNORECASE,
)
_FONT_FACE = """<style>
      @font-face {
        font-family: "Roboto Mono";
        font-style: normal;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf");
      }
      @font-face {
        font-family: "Roboto Mono";
        font-style: italic;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf");
      }
    </style>"""


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_url(host: str, port: int) -> str:
    """The address a browser should use: a wildcard bind is reached by this machine's name."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def game_command(scenes: Path | None) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, this story."""
    argv = [sys.executable, "-m", "exilegame"]
    if scenes is not None:
        argv += ["--scenes", str(scenes.resolve())]
    return shlex.join(argv)


def offline_template(page: str) -> str:
    """textual-serve's page with remote assets removed and the packaged font loaded instead."""
    stripped = _REMOTE_TAG_RE.sub("", page)
    return stripped.replace("</head>", f"    {_FONT_FACE}\n  </head>", 1)


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    scenes: Path | None = None,
    err: TextIO | None = None,
) -> int:
    """Serve the game until interrupted; 2 when the story or the web extra is missing."""
    err = err if err is not None else sys.stderr
    from exilegame._files import shipped_scenes
    from exilegame.format.load import load_story

    try:
        story = load_story(scenes if scenes is not None else shipped_scenes())
    except LoadError as exc:
        print(exc.report(), file=err)
        return 2
    try:
        import textual_serve
        from textual_serve.server import Server
    except ImportError:
        print(f"exilegame: serve needs textual-serve; {WEB_EXTRA_HINT}", file=err)
        return 2
    if not is_loopback(host):
        print(
            f"exilegame: warning: serving on {host}, not only on this machine: anyone who can "
            f"reach port {port} can play, and the game's saves on this machine are shared by "
            "every player. Use --host 127.0.0.1 to keep it local.",
            file=err,
        )
    package = Path(textual_serve.__file__).resolve().parent
    page = (package / "templates" / "app_index.html").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="exilegame-serve-") as folder:
        write_atomic(Path(folder) / "app_index.html", offline_template(page))
        server = Server(
            game_command(scenes),
            host=host,
            port=port,
            title=story.title,
            public_url=public_url(host, port),
            statics_path=package / "static",
            templates_path=folder,
        )
        try:
            server.serve()
        except OSError as exc:  # the port is taken, or the address is not this machine's
            reason = exc.strerror or str(exc)
            print(f"exilegame: cannot serve on {host} port {port}: {reason}", file=err)
            return 2
    return 0
