"""Log in to the running demo and save a screenshot of a page with headless Chromium.

Usage: .venv/bin/python scripts/demo_screenshot.py [PATH] [OUTPUT.png]
Needs Debian's chromium. Drives it over the DevTools protocol with aiohttp.
It waits until the frontend has rendered the page's cards (a cold frontend
shows its loading screen for a while), then for the charts to settle.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from pathlib import Path
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp

# Run as a script: the repository is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.demo_setup import CLIENT_ID, HA_URL, login

DEBUG_PORT = 9333
RENDER_TIMEOUT = 120.0
# True once the frontend shows a panel with cards (or a table) and nothing is
# still loading.
# Home Assistant's frontend nests its elements in shadow roots: search them all.
RENDERED = """(() => {
  const found = {};
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      found[tag] = (found[tag] || 0) + 1;
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  const ha = document.querySelector("home-assistant");
  if (!ha || !ha.hass || !ha.shadowRoot) return false;
  walk(ha.shadowRoot);
  return Boolean(found["home-assistant-main"]
    && (found["ha-card"] || found["ha-data-table"]))
    && !found["hass-loading-screen"] && !found["ha-init-page"];
})()"""


async def screenshot(path: str, output: str) -> None:
    """Open ``path`` logged in and save a PNG."""
    async with aiohttp.ClientSession() as session:
        tokens = await login(session)
        tokens.update(
            hassUrl=HA_URL,
            clientId=CLIENT_ID,
            expires=int(time.time() * 1000) + 1_800_000,
        )
        with tempfile.TemporaryDirectory() as profile:
            browser = subprocess.Popen(  # noqa: ASYNC220 - runs for the whole session
                [
                    "chromium",
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--user-data-dir={profile}",
                    "--window-size=1280,900",
                    f"--remote-debugging-port={DEBUG_PORT}",
                    "about:blank",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                await _drive(session, path, output, tokens)
            finally:
                browser.terminate()
                browser.wait()


async def _drive(
    session: aiohttp.ClientSession, path: str, output: str, tokens: dict[str, Any]
) -> None:
    for _ in range(50):
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(f"http://127.0.0.1:{DEBUG_PORT}/json") as response:
                targets = await response.json()
                page = next(t for t in targets if t["type"] == "page")
                break
        await asyncio.sleep(0.2)
    async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
        ids = iter(range(1, 1000))

        async def call(method: str, **params: Any) -> dict[str, Any]:
            message_id = next(ids)
            await ws.send_json({"id": message_id, "method": method, "params": params})
            async for message in ws:
                data: dict[str, Any] = json.loads(message.data)
                if data.get("id") == message_id:
                    result: dict[str, Any] = data.get("result", {})
                    return result
            raise ConnectionError("DevTools closed")

        stored_tokens = json.dumps(json.dumps(tokens))
        await call("Page.navigate", url=f"{HA_URL}/onboarding.html")
        await asyncio.sleep(2)
        await call(
            "Runtime.evaluate",
            expression=f"localStorage.setItem('hassTokens', {stored_tokens})",
        )
        await call("Page.navigate", url=f"{HA_URL}{path}")
        deadline = time.monotonic() + RENDER_TIMEOUT
        while time.monotonic() < deadline:
            answer = await call("Runtime.evaluate", expression=RENDERED)
            if answer.get("result", {}).get("value") is True:
                break
            await asyncio.sleep(0.5)
        else:
            print(f"{path}: not rendered after {RENDER_TIMEOUT:.0f} s", file=sys.stderr)
        await asyncio.sleep(3)  # charts and the calendar draw after their card
        shot = await call("Page.captureScreenshot", format="png")
        await asyncio.to_thread(
            Path(output).write_bytes, base64.b64decode(shot["data"])
        )


if __name__ == "__main__":
    asyncio.run(
        screenshot(
            sys.argv[1] if len(sys.argv) > 1 else "/se-gateway/meter",
            sys.argv[2] if len(sys.argv) > 2 else "demo.png",
        )
    )
