"""Headless Chromium (Debian's, through Playwright) and loopback servers: demo screenshots and tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        # an offline room: every name but the loopback fails to resolve (requests are still recorded,
        # and unlike request interception this does not cancel the beacons a page sends as it unloads)
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def chromium_path() -> str | None:
    """Debian's Chromium, if installed (never downloaded)."""
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


def require_chromium() -> str:
    """For tests: Chromium's path; in CI its absence is a failure, elsewhere the test is skipped."""
    import pytest

    path = chromium_path()
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (.ci/run installs it with apt-get)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60.0) -> None:
    """Wait until something listens on 127.0.0.1:``port`` (a GET on a Voila page would start a kernel)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f}s")


def wait_http(url: str, timeout: float = 60.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2).close()
            return
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


def kernel_pids(parent: int) -> list[int]:
    """PIDs of the Jupyter kernels a server process started (its ``ipykernel_launcher`` children)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent and "ipykernel" in (stat.parent / "cmdline").read_bytes().decode(errors="replace"):
                out.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return sorted(out)


@contextlib.contextmanager
def voila_server(notebook: Path, max_kernels: int | None = None, cull_idle_s: int | None = None):
    """Voila serving a notebook (or a folder) on a free loopback port, stopped by PID; yields its URL.

    The process is on ``voila_server.proc`` while it runs (tests count its kernels).
    """
    from partages_core.portal.voila_app import voila_command

    port = free_port()
    argv, env = voila_command(notebook, port, max_kernels, cull_idle_s)
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    voila_server.proc = proc
    try:
        wait_port(port, timeout=120)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def static_server(folder: Path):
    """``python -m http.server`` on a free loopback port, stopped by PID."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@contextlib.contextmanager
def browser_page(executable: str | None = None, phone: bool = False):
    """A Chromium page (desktop, or a phone's viewport) that records every requested URL in ``page.requested``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable or require_chromium(), args=ARGS)
        try:
            page = browser.new_page(**(PHONE if phone else {"viewport": {"width": 1280, "height": 900}}))
            page.requested = []
            page.on("request", lambda r: page.requested.append(r.url))
            yield page
        finally:
            browser.close()


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core (installed by npm, injected from disk: nothing fetched) on the page; the violations
    of the given impacts, each as ``{id, impact, help, nodes: [selector…]}``."""
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE}: run `npm ci` in the repository (axe-core is a dev dependency)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))")
    return [v for v in found if v["impact"] in impacts]


def off_localhost(urls: list[str]) -> list[str]:
    """The URLs that left the machine (anything but loopback, data: and blob:)."""
    bad = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            continue
        if parsed.hostname not in LOCAL_HOSTS:
            bad.append(url)
    return bad


def drive_demo(page, url: str, screenshot: Path | None = None, timeout_s: float = 120,
               text: str | None = None) -> dict[str, float]:
    """Open a Voila demo, type ``text`` (or pick the second example), click Analyse, wait for a result.

    Returns seconds from opening the page to a usable Analyse button (``ready``) and from the click
    to the first highlighted entity (``result``).
    """
    start = time.monotonic()
    page.goto(url, timeout=timeout_s * 1000)
    button = page.get_by_role("button", name="Analyse")
    button.wait_for(timeout=timeout_s * 1000)
    ready = time.monotonic() - start
    if text is None:
        page.locator("select").first.select_option(index=1)
    else:
        page.locator("textarea").first.fill(text)
    start = time.monotonic()
    button.click()
    page.locator("mark.entity").first.wait_for(timeout=timeout_s * 1000)
    result = time.monotonic() - start
    page.locator("table").last.wait_for(timeout=timeout_s * 1000)
    if screenshot:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        # Voila scrolls inside a container, not the page: grow the viewport to the tallest content so the
        # picture holds every table
        tallest = page.evaluate("Math.max(...Array.from(document.querySelectorAll('body, body *')).map(e => e.scrollHeight))")
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(tallest) + 40, 8000))})
        page.screenshot(path=str(screenshot), full_page=True)
    return {"ready": ready, "result": result}


def screenshot_demos(folder: Path, log=print) -> dict[str, dict[str, float]]:
    """Serve each demo with Voila, drive it in Chromium, save ``demo-<name>.png``; seconds to result."""
    from partages_core.config import project_root
    from partages_core.portal.demos import DEMOS, HAND_TYPED

    timings = {}
    for demo in DEMOS:
        notebook = project_root() / "notebooks" / "demos" / f"{demo.name}.ipynb"
        with voila_server(notebook) as url, browser_page(chromium_path()) as page:
            timings[demo.name] = drive_demo(page, url, folder / f"demo-{demo.name}.png", text=HAND_TYPED[demo.name])
        log(f"demo {demo.name}: ready {timings[demo.name]['ready']:.2f}s, "
            f"first result {timings[demo.name]['result']:.2f}s after the click")
    return timings
