"""Drive the system's headless Chromium through its DevTools protocol (no driver to download).

Used by the browser test of `exilegame serve`. Talks to Chromium over a websocket with
aiohttp, which the `web` extra brings. The terminal in textual-serve's page is an xterm.js
canvas, so its text is not in the DOM: a script installed before the page loads notes every
object that gets an xterm `_core`, and `screen_text()` reads the terminal's buffer from it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

_CAPTURE_TERMINALS = """
Object.defineProperty(Object.prototype, '_core', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, '_core', {value, writable: true, configurable: true});
    (window.__xterms = window.__xterms || []).push(this);
  },
});
"""

_READ_SCREEN = """(() => {
  const term = (window.__xterms || []).find(t => t.buffer && t.buffer.active);
  if (!term) return null;
  const buffer = term.buffer.active, lines = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    lines.push(line ? line.translateToString(true) : '');
  }
  return lines.join('\\n');
})()"""

_FOCUS = "(window.__xterms || []).find(t => t.buffer && t.buffer.active).focus()"

_KEYS = {
    "enter": ("Enter", "Enter", 13, "\r"),
    "escape": ("Escape", "Escape", 27, ""),
}


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium with one page; use as `async with Browser(path) as page`."""

    def __init__(self, executable: str, width: int = 1200, height: int = 800) -> None:
        self.executable = executable
        self.size = (width, height)
        self.proc: subprocess.Popen[bytes] | None = None
        self.session: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.profile = tempfile.TemporaryDirectory(
            prefix="exilegame-chromium-", ignore_cleanup_errors=True
        )
        self.next_id = 0
        self.events: list[dict[str, Any]] = []  # every notification Chromium sent

    async def __aenter__(self) -> Browser:
        self.proc = subprocess.Popen(
            [
                self.executable,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-3d-apis",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile.name}",
                f"--window-size={self.size[0]},{self.size[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = await self._devtools_port()
        self.session = aiohttp.ClientSession()
        async with self.session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        page = next(t for t in targets if t["type"] == "page")
        self.ws = await self.session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        await self.call("Page.addScriptToEvaluateOnNewDocument", source=_CAPTURE_TERMINALS)
        return self

    async def _devtools_port(self) -> str:
        """The port Chromium chose, from the DevToolsActivePort file in its profile."""
        assert self.proc is not None
        marker = Path(self.profile.name) / "DevToolsActivePort"
        for _ in range(300):
            if self.proc.poll() is not None:
                raise RuntimeError(f"Chromium exited with status {self.proc.returncode}")
            lines = marker.read_text().split() if marker.is_file() else []
            if lines:
                return lines[0]
            await asyncio.sleep(0.1)
        raise RuntimeError("Chromium did not open its DevTools port in 30 s")

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.session is not None:
            await self.session.close()
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.profile.cleanup()

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        assert self.ws is not None
        self.next_id += 1
        ident = self.next_id
        await self.ws.send_json({"id": ident, "method": method, "params": params})
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("id") == ident:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                result: dict[str, Any] = data.get("result", {})
                return result
            if "method" in data:
                self.events.append(data)
        raise RuntimeError("Chromium closed the DevTools connection")

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def screen_text(self) -> str:
        text = await self.evaluate(_READ_SCREEN)
        return text if isinstance(text, str) else ""

    async def wait_for_text(self, needle: str, timeout: float = 20) -> str:
        """The terminal's text once it contains `needle`; AssertionError with it if never."""
        text = ""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            text = await self.screen_text()
            if needle in text:
                return text
            await asyncio.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared; the screen showed:\n{text}")

    async def settle(self, polls: int = 3, interval: float = 0.2) -> str:
        """The terminal's text once it has stayed the same for `polls` reads in a row."""
        last, same = await self.screen_text(), 0
        for _ in range(100):
            await asyncio.sleep(interval)
            text = await self.screen_text()
            same = same + 1 if text == last else 0
            if same >= polls:
                break
            last = text
        return last

    async def press(self, key: str) -> None:
        """Press a key in the terminal: a character, or 'enter' / 'escape'."""
        await self.evaluate(_FOCUS)
        if key in _KEYS:
            name, code, number, text = _KEYS[key]
        else:
            code = f"Digit{key}" if key.isdigit() else f"Key{key.upper()}"
            name, number, text = key, ord(key.upper()), key
        base = {"key": name, "code": code, "windowsVirtualKeyCode": number}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=text, **base)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **base)

    def requested(self) -> list[str]:
        """Every URL the page asked for since Network.enable."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
