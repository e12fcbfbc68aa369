"""A headless Chromium driven through its DevTools protocol, for the tests that hover and click a chart: a few
commands over a websocket (websocket-client, which Jupyter installs), no browser-automation package."""

import json
import socket
import subprocess
import time
import urllib.request

__all__ = ["Browser"]

_KEYS = {"Tab": 9, "Enter": 13, " ": 32, "End": 35, "Home": 36, "ArrowLeft": 37, "ArrowUp": 38, "ArrowRight": 39,
         "ArrowDown": 40}  # Windows virtual key codes, which Chromium reads


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One page in a headless Chromium that can resolve no host name; every request the page makes is recorded."""

    def __init__(self, chromium: str, profile, *, width: int = 1200, height: int = 1400, reachable: str = ""):
        """Start it; `reachable` is the one host it may reach (a local Jupyter server: 127.0.0.1)."""
        import websocket

        port = free_port()
        rules = "MAP * ~NOTFOUND" + (f", EXCLUDE {reachable}" if reachable else "")
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--host-resolver-rules={rules}",
             f"--remote-debugging-port={port}", f"--user-data-dir={profile}", f"--window-size={width},{height}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.socket = websocket.create_connection(self._page(port), timeout=60, suppress_origin=True)
        self.next_id, self.requested = 0, []
        self.send("Network.enable")
        self.send("Page.enable")

    def _page(self, port: int) -> str:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("chromium's DevTools did not answer")
            time.sleep(0.2)

    def send(self, method: str, **params) -> dict:
        """Run one DevTools command and return its result, noting the page's requests on the way."""
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("method") == "Network.requestWillBeSent":
                self.requested.append(message["params"]["request"]["url"])
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str):
        """Return the value of a JavaScript expression in the page (awaited when it is a promise)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def open(self, url: str, *, until: str, timeout: float = 60) -> None:
        """Load `url` and wait until the expression `until` is true."""
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"!!({until})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url}: still not {until}")
            time.sleep(0.1)

    def mouse(self, kind: str, x: float, y: float) -> None:
        """Move (`mouseMoved`), press or release the left button at page coordinates."""
        button = {} if kind == "mouseMoved" else {"button": "left", "clickCount": 1}
        self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, **button)

    def key(self, key: str, *, shift: bool = False) -> None:
        """Press and release a key that types nothing (Tab, Enter, Space, Home, End, the arrows) on the focused
        element."""
        code = _KEYS[key]
        params = {"key": key, "code": {" ": "Space"}.get(key, key), "windowsVirtualKeyCode": code,
                  "nativeVirtualKeyCode": code, "modifiers": 8 if shift else 0}
        self.send("Input.dispatchKeyEvent", type="rawKeyDown", **params)
        self.send("Input.dispatchKeyEvent", type="keyUp", **params)

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)
