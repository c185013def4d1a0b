"""`exilegame serve`: the game in a browser through textual-serve, with no internet.

The end-to-end test starts the server on a free loopback port and drives the system's
headless Chromium (Debian's `chromium`) through its DevTools protocol: title screen, role,
first scene, first choice and its "What really happened" note. It is skipped, saying why,
only where Chromium or the `web` extra is missing.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from exilegame.play import serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = os.environ.get("EXILEGAME_SCREENSHOT_DIR")


def test_the_game_never_imports_the_web_server() -> None:
    """Start-up: textual-serve and aiohttp load only when `exilegame serve` runs."""
    code = (
        "import sys, exilegame.cli, exilegame.cli.commands, exilegame.play.tui.app, "
        "exilegame.play.serve, exilegame.play.export\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual_serve', 'aiohttp', 'jinja2', 'aiohttp_jinja2', 'yarl', 'multidict'))\n"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_loopback_hosts() -> None:
    for host in ("localhost", "127.0.0.1", "127.0.0.2", "::1", "[::1]"):
        assert serve.is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org"):
        assert not serve.is_loopback(host), host


def test_public_url_brackets_ipv6_and_names_a_wildcard_bind() -> None:
    assert serve.public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve.public_url("::1", 8000) == "http://[::1]:8000"
    assert "0.0.0.0" not in serve.public_url("0.0.0.0", 8000)


def test_game_command_runs_this_python_on_the_given_story(tmp_path: Path) -> None:
    command = serve.game_command(tmp_path / "my story")
    assert command.startswith(sys.executable)
    assert "-m exilegame --scenes" in command and "'" in command  # the space is quoted


def test_offline_template_loads_only_packaged_assets() -> None:
    page = (
        "<html><head>"
        '<link rel="stylesheet" href="{{ config.static.url }}css/xterm.css" />'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto%20Mono" />'
        '<script src="//cdn.example.org/x.js"></script>'
        "</head><body></body></html>"
    )
    out = serve.offline_template(page)
    assert "googleapis" not in out and "cdn.example.org" not in out
    assert "css/xterm.css" in out
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in out


def test_the_real_template_needs_no_internet() -> None:
    textual_serve = pytest.importorskip("textual_serve", reason="the web extra is not installed")
    package = Path(textual_serve.__file__).parent
    out = serve.offline_template((package / "templates" / "app_index.html").read_text())
    assert "https://" not in out.replace("http://www.w3.org/2000/svg", "")
    for font in ("RobotoMono-VariableFont_wght.ttf", "RobotoMono-Italic-VariableFont_wght.ttf"):
        assert (package / "static" / "fonts" / font).is_file()


def test_without_the_web_extra_serve_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    err = io.StringIO()
    assert serve.serve(err=err) == 2
    assert "pip install 'exilegame[web]'" in err.getvalue()


def test_binding_beyond_loopback_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    served: list[tuple[str, int, str]] = []

    class FakeServer:
        def __init__(self, command: str, host: str, port: int, **kwargs: object) -> None:
            served.append((host, port, str(kwargs["public_url"])))

        def serve(self) -> None:
            pass

    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    err = io.StringIO()
    assert serve.serve(host="0.0.0.0", port=8123, err=err) == 0
    assert "warning" in err.getvalue() and "--host 127.0.0.1" in err.getvalue()
    assert served[0][:2] == ("0.0.0.0", 8123)
    err = io.StringIO()
    assert serve.serve(host="127.0.0.1", port=8124, err=err) == 0
    assert err.getvalue() == ""


def test_a_port_in_use_is_one_line_and_status_2() -> None:
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "exilegame", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert f"exilegame: cannot serve on 127.0.0.1 port {port}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_story_is_reported_before_serving(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("title: [unclosed\n")
    err = io.StringIO()
    assert serve.serve(scenes=tmp_path, err=err) == 2
    assert "story.yaml:" in err.getvalue()


# -- end to end: a real server and a real browser -----------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`exilegame serve` on a free loopback port; yields its address."""
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    env = {**os.environ, "EXILEGAME_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "exilegame", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    page = response.read().decode()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"the server did not start:\n{(tmp_path / 'serve.log').read_text()}"
                    )
                time.sleep(0.1)
        assert "googleapis" not in page
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.mark.browser
async def test_play_in_a_browser(server: str, tmp_path: Path) -> None:
    from chromium_cdp import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium)")
    async with Browser(chromium) as page:
        await page.call("Network.enable")  # to list every request the page makes
        await page.goto(server)
        await page.wait_for_text("A PLANET WITHOUT A VISA")
        await page.wait_for_text("New game")
        await page.press("enter")  # New game
        await page.wait_for_text("Who are you")
        await page.press("1")  # the bodyguard
        await page.wait_for_text("22 January 1929")
        await page.press("enter")  # show the typed text at once
        screen = await page.wait_for_text("1.")
        assert "Alma-Ata" in screen
        # As a player would: read the scene before choosing. The game ignores keys sent in
        # the instant a screen appears (so a key meant for the last screen never chooses
        # here), so the choice is pressed once the screen has settled, and again if a slow
        # machine let it land inside that instant.
        await page.settle()
        for _ in range(3):
            await page.press("1")
            try:
                screen = await page.wait_for_text("What really happened", timeout=6)
                break
            except AssertionError:
                continue
        else:
            screen = await page.wait_for_text("What really happened", timeout=1)
        assert "You chose:" in screen
        await page.settle()  # the dialog fully drawn before the screenshot
        shot = tmp_path / "browser.png"
        await page.screenshot(shot)
        if SCREENSHOT_DIR:
            shutil.copy(shot, Path(SCREENSHOT_DIR) / "serve-first-choice.png")
        assert shot.stat().st_size > 10_000
        elsewhere = [u for u in page.requested() if not u.startswith((server, "data:"))]
        assert elsewhere == [], "the page asked for something not served by exilegame"
