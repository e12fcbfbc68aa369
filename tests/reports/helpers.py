"""What the reports tests share: the notebooks, a reports file writer, and a look at a page in Chromium."""

import json
import subprocess

from tests.conftest import ROOT

TIMELINE = ROOT / "notebooks" / "timeline.ipynb"
TOPICS = ROOT / "notebooks" / "topics.ipynb"
CORPUS = ROOT / "notebooks" / "corpus.ipynb"


def config_file(tmp_path, text):
    path = tmp_path / "reports.yml"
    path.write_text(text, encoding="utf-8")
    return path


def open_in_chromium(chromium, page, tmp_path, *, fragment: str = "", flags: tuple = ()):
    """Return the page's DOM after its scripts ran, and the http(s) URLs the page itself asked for (Chromium's own
    update and account requests, which have no initiating page, are not the report's). `fragment` is added to the
    page's address (`#…`), `flags` to Chromium's."""
    netlog = tmp_path / "net.json"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", f"--log-net-log={netlog}", "--virtual-time-budget=3000",
             *flags]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri() + fragment], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    text = netlog.read_text("utf-8", errors="replace").rstrip()
    log = json.loads(text if text.endswith("}") else text.rstrip(",") + "]}")  # a log cut short lacks its end
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requested = [event["params"]["url"] for event in log["events"]
                 if names.get(event["type"]) == "URL_REQUEST_START_JOB"
                 and event["params"].get("url", "").startswith(("http:", "https:"))
                 and event["params"].get("initiator") != "not an origin"]
    return dom, requested
