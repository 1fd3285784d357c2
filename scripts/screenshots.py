#!/usr/bin/env python3
"""Screenshots of the discipline_inspection add-on in headless Chromium, as one user sees it.

    python3 scripts/screenshots.py --url http://127.0.0.1:8450 --db ui_demo \\
        --login hs_inspector --out /tmp/ui_shots [--only problem_list,dashboard]

The password comes from $CT_DEMO_PASSWORD (as set by scripts/run_local.py).  The script
authenticates over JSON-RPC, starts Chromium (``$CHROMIUM`` or ``chromium``) headless with
a throw-away profile and a DevTools port, hands it the session cookie, opens each view of
``SHOTS`` (list, form, kanban, calendar, pivot, graph, dashboard...), waits until the web
client has rendered it, and writes ``<out>/<name>.png``.  It needs nothing but the standard
library: the DevTools protocol is spoken over a minimal WebSocket client below.

It is a tool for looking at the UI (the add-on's look is checked by eye), not a test.
"""

from __future__ import annotations

import argparse
import base64
import http.cookiejar
import itertools
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ACTION = "discipline_inspection.action_di_"
#: name -> (path under /odoo, JavaScript run once the view is there, or None)
SHOTS: dict[str, tuple[str, str | None]] = {
    "landing": ("", None),  # /odoo with no action: where a user lands after logging in
    "dashboard": (f"action-{ACTION}problem?view_type=list", "menu:dashboard"),
    "problem_kanban": (f"action-{ACTION}problem?view_type=kanban", None),
    "problem_list": (f"action-{ACTION}problem?view_type=list", None),
    "problem_form": (f"action-{ACTION}problem?view_type=list", "open_row:12"),
    "problem_pivot": (f"action-{ACTION}problem?view_type=pivot", None),
    "problem_graph": (f"action-{ACTION}problem?view_type=graph", None),
    "problem_filters": (f"action-{ACTION}problem?view_type=list", "open_filters"),
    "inspection_list": (f"action-{ACTION}inspection?view_type=list", None),
    "inspection_form": (f"action-{ACTION}inspection?view_type=list", "open_row:6"),
    "inspection_calendar": (f"action-{ACTION}inspection?view_type=calendar", None),
    "problem_calendar": (f"action-{ACTION}problem?view_type=calendar", None),
    "rectification_list": (f"action-{ACTION}rectification?view_type=list", None),
    "rectification_form": (f"action-{ACTION}rectification?view_type=list", "open_row:2"),
    "rectification_calendar": (f"action-{ACTION}rectification?view_type=calendar", None),
    "person_list": (f"action-{ACTION}person?view_type=list", None),
    "person_form": (f"action-{ACTION}person?view_type=list", "open_row:2"),
    "person_graph": (f"action-{ACTION}person?view_type=graph", None),
    "apps_menu": (f"action-{ACTION}problem?view_type=list", "open_apps"),
    "liaison_home": (f"action-{ACTION}rectification_liaison?view_type=list", None),
    "liaison_kanban": (f"action-{ACTION}rectification_liaison?view_type=kanban", None),
    "liaison_form": (f"action-{ACTION}rectification_liaison?view_type=list", "open_row:2"),
    "liaison_problem": (f"action-{ACTION}problem?view_type=list", "open_row:1"),
    "extension_list": (f"action-{ACTION}rectification_extension?view_type=list", None),
    "round_list": (f"action-{ACTION}rectification_round?view_type=list", None),
    "revisit_draw_form": (f"action-{ACTION}revisit_draw?view_type=list", "open_row:1"),
    "bulletin_list": (f"action-{ACTION}bulletin?view_type=list", None),
    "bulletin_form": (f"action-{ACTION}bulletin?view_type=list", "open_row:1"),
    "bulletin_wizard": (f"action-{ACTION}bulletin_wizard", None),
    "bulletin_verify": (f"action-{ACTION}bulletin_verify", None),
    # a reviewer's login: from the landing page (工作台), 统计通报 → 生成通报, Generate, and the
    # bulletin it opens
    "bulletin_generated": ("", "generate"),
}
SCRIPTS = {
    # open_row:N clicks the N-th row (from 1) of a list
    "open_row": "document.querySelectorAll('.o_data_row')[{arg} - 1]?.querySelector('.o_data_cell')"
    "?.click()",
    "open_filters": "document.querySelector('.o_searchview_dropdown_toggler')?.click()",
    "open_apps": "document.querySelector('.o_navbar_apps_menu button')?.click()",
    # the menu 统计通报 → 生成通报, then the wizard's Generate button
    "generate": "document.querySelector("
    "'[data-menu-xmlid=\"discipline_inspection.menu_di_bulletin_root\"]')"
    "?.click(); setTimeout(() => document.querySelector("
    "'[data-menu-xmlid=\"discipline_inspection.menu_di_bulletin_wizard\"]')?.click(), 500); "
    "setTimeout(() => document.querySelector('.modal button[name=\"action_generate\"]')?.click(), "
    "2500)",
    # menu:NAME clicks the app's menu item discipline_inspection.menu_di_NAME
    "menu": "document.querySelector('[data-menu-xmlid=\"discipline_inspection.menu_di_{arg}\"]')"
    "?.click()",
}
#: Scripts that start something slow: what to wait for before the screenshot.
DONE = {
    "generate": "!document.querySelector('.modal') && "
    "Boolean(document.querySelector('.o_form_view .o_field_widget[name=\"pdf\"]'))",
}
READY = """(() => {
  const busy = document.querySelector('.o_loading_indicator, .o_blockUI');
  const view = document.querySelector('.o_action_manager .o_content, .o_home_menu, .o_apps');
  return Boolean(view) && !busy;
})()"""


# ----------------------------------------------------------- a minimal WebSocket client
class WebSocket:
    """RFC 6455 client, text frames only: enough for the DevTools protocol."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("WebSocket handshake failed")
            response += chunk
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytearray([0x81])
        if len(payload) < 126:
            header.append(0x80 | len(payload))
        elif len(payload) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def _read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("WebSocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def recv(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._read(8))[0]
            data = self._read(size)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("WebSocket closed by peer")
            if opcode in (0x9, 0xA):  # ping/pong: ignore
                continue
            message += data
            if first & 0x80:
                return message.decode()


class DevTools:
    """Commands to one page over the DevTools protocol; events are dropped."""

    def __init__(self, ws_url: str) -> None:
        self.ws = WebSocket(ws_url)
        self.ids = itertools.count(1)

    def __call__(self, method: str, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait(self, expression: str, timeout: float = 30) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.evaluate(expression):
                return True
            time.sleep(0.3)
        return False


# ------------------------------------------------------------------------ the run
def authenticate(url: str, db: str, login: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = json.dumps(
        {"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}}
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/session/authenticate", body, {"Content-Type": "application/json"}
    )
    with opener.open(request, timeout=60) as response:
        reply = json.load(response)
    if reply.get("error") or not reply.get("result", {}).get("uid"):
        raise SystemExit(f"cannot log in as {login}: {reply.get('error', reply)}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


def start_chromium(port: int, profile: str, size: str) -> subprocess.Popen:
    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium"
    return subprocess.Popen(
        [
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            "--lang=zh-CN",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def page_target(port: int) -> str:
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                pages = [t for t in json.load(r) if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("Chromium did not start")


def shoot(tools: DevTools, url: str, name: str, out: Path) -> None:
    path, script = SHOTS[name]
    tools("Page.navigate", url=f"{url}/odoo/{path}")
    time.sleep(1)
    if not tools.wait(READY):
        print(f"{name}: view not ready after 30 s, shooting anyway", file=sys.stderr)
    if script:
        key, _, arg = script.partition(":")
        tools.evaluate(SCRIPTS[key].replace("{arg}", arg or "1"))
        time.sleep(1)
        if key in DONE and not tools.wait(DONE[key], timeout=120):
            print(f"{name}: {key} did not finish within 120 s, shooting anyway", file=sys.stderr)
        tools.wait(READY)
    time.sleep(1.5)  # fonts, charts and animations
    data = tools("Page.captureScreenshot", format="png")["data"]
    target = out / f"{name}.png"
    target.write_bytes(base64.b64decode(data))
    print(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8450")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="hs_inspector")
    parser.add_argument("--out", type=Path, default=Path("/tmp/ui_shots"))
    parser.add_argument("--size", default="1600,1000", help="viewport width,height")
    parser.add_argument("--port", type=int, default=9333, help="DevTools port")
    parser.add_argument("--only", help="comma-separated shot names: " + ",".join(SHOTS))
    args = parser.parse_args()
    password = os.environ.get("CT_DEMO_PASSWORD")
    if not password:
        parser.error("set CT_DEMO_PASSWORD")
    names = args.only.split(",") if args.only else list(SHOTS)
    unknown = set(names) - SHOTS.keys()
    if unknown:
        parser.error(f"unknown shots: {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    session = authenticate(args.url, args.db, args.login, password)
    host = urllib.parse.urlsplit(args.url).hostname
    with tempfile.TemporaryDirectory(prefix="ct-shots-") as profile:
        browser = start_chromium(args.port, profile, args.size)
        try:
            tools = DevTools(page_target(args.port))
            width, height = (int(v) for v in args.size.split(","))
            tools(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            tools("Page.enable")
            tools("Network.enable")
            tools("Network.setCookie", name="session_id", value=session, domain=host, path="/")
            for name in names:
                shoot(tools, args.url, name, args.out)
        finally:
            browser.terminate()
            browser.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
