"""Chromium screenshots of the portal for people who will not build it: home (desktop and phone,
French and English), the leaderboard, one card and the three demos on hand-typed examples."""

from __future__ import annotations

from pathlib import Path

SITE_PAGES = (  # (file name, page, phone?)
    ("home-fr-desktop.png", "index.html", False),
    ("home-fr-phone.png", "index.html", True),
    ("home-en-desktop.png", "index-en.html", False),
    ("leaderboard.png", "leaderboard.html", False),
    ("card-handwritten.png", "datasets/partages-handwritten.html", False),
)


def take_screenshots(site: Path, out: Path, demos: bool = True, log=print) -> list[Path]:
    """Serve ``site`` (a rendered site) and the demos on loopback, save PNGs under ``out``."""
    from partages_core.config import project_root
    from partages_core.portal.browser import browser_page, drive_demo, off_localhost, static_server, voila_server
    from partages_core.portal.demos import DEMOS, HAND_TYPED

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with static_server(site) as base:
        for name, page_path, phone in SITE_PAGES:
            with browser_page(phone=phone) as page:
                page.goto(f"{base}/{page_path}", wait_until="networkidle")
                page.screenshot(path=str(out / name), full_page=True)
                if off_localhost(page.requested):
                    raise RuntimeError(f"{page_path}: requests left the machine: {off_localhost(page.requested)}")
            saved.append(out / name)
            log(f"saved {out / name}")
    if demos:
        for demo in DEMOS:
            notebook = project_root() / "notebooks" / "demos" / f"{demo.name}.ipynb"
            with voila_server(notebook) as url, browser_page() as page:
                seconds = drive_demo(page, url, out / f"demo-{demo.name}.png", text=HAND_TYPED[demo.name])
            saved.append(out / f"demo-{demo.name}.png")
            log(f"saved {out / f'demo-{demo.name}.png'} (ready {seconds['ready']:.1f}s, result {seconds['result']:.1f}s)")
    return saved
