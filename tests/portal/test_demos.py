"""Each Voila demo served for real and driven in Chromium: pick an example, click, see entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from partages_core.portal.browser import ARTIFACTS, browser_page, drive_demo, off_localhost, voila_server
from partages_core.portal.demos import DEMOS, analyse, examples

pytestmark = pytest.mark.slow
DEMO_DIR = Path(__file__).resolve().parents[2] / "notebooks" / "demos"


@pytest.mark.parametrize("name", [d.name for d in DEMOS])
def test_analyse_returns_highlights_and_a_table(name):
    text = next(iter(examples(name).values()))
    shown, table = analyse(name, text)
    assert 'class="entity"' in shown
    assert len(table) > 0


@pytest.mark.parametrize("name", [d.name for d in DEMOS])
def test_demo_answers_in_the_browser(name):
    with voila_server(DEMO_DIR / f"{name}.ipynb") as url, browser_page() as page:
        # Offline room: anything outside loopback (Voila's template asks a CDN for icons) is refused.
        page.route("**/*", lambda route: route.abort() if off_localhost([route.request.url]) else route.continue_())
        seconds = drive_demo(page, url, ARTIFACTS / f"demo-{name}.png")
        print(f"{name}: time to first result {seconds:.2f}s (goal <= 5 s)")
        assert page.locator("mark.entity").count() >= 1
        assert page.locator("table").count() >= 1
