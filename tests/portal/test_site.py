"""The rendered site in Chromium: executed outputs visible, everything served from localhost."""

from __future__ import annotations

import pytest

from partages_core.portal.browser import ARTIFACTS, browser_page, off_localhost, static_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site_dir():
    from partages_core.portal.site import build_site

    return build_site(log=lambda *_: None)


def test_home_and_notebook_pages_render_offline(site_dir):
    ARTIFACTS.mkdir(exist_ok=True)
    with static_server(site_dir) as base, browser_page() as page:
        page.goto(f"{base}/index.html", wait_until="networkidle")
        assert "PARTAGES portal" in page.title()
        assert page.get_by_text("federated validation platform").first.is_visible()
        assert page.locator("html").get_attribute("lang") == "en"
        page.screenshot(path=str(ARTIFACTS / "site-home.png"), full_page=True)

        page.goto(f"{base}/notebooks/00_corpus_and_annotation.html", wait_until="networkidle")
        assert page.get_by_text("Annotation campaign").first.is_visible()
        assert page.locator("img[src^='data:image/png'], img[src$='.png']").count() >= 1
        assert page.locator("table").count() >= 1  # the agreement table, from saved outputs
        assert page.get_by_text("token_kappa").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / "site-notebook-00.png"), full_page=True)
        assert off_localhost(page.requested) == []
        for img in page.locator("img").all():
            assert img.get_attribute("alt") is not None


def test_oncology_page_shows_a_figure_and_a_table(site_dir):
    with static_server(site_dir) as base, browser_page() as page:
        page.goto(f"{base}/notebooks/04_oncology_biomarkers.html", wait_until="networkidle")
        figure = page.locator("img[src^='data:image/png'], img[src$='.png']").first
        table = page.locator("table").first
        figure.scroll_into_view_if_needed()
        assert figure.is_visible() and table.is_visible()
        page.screenshot(path=str(ARTIFACTS / "site-oncology.png"), full_page=True)
        assert off_localhost(page.requested) == []


def test_every_card_is_listed(site_dir):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with static_server(site_dir) as base, browser_page() as page:
        for listing, folder in (("datasets", "datasets_cards"), ("models", "model_cards")):
            page.goto(f"{base}/{listing}.html", wait_until="networkidle")
            links = {a.get_attribute("href") for a in page.locator("a").all()}
            cards = sorted((root / folder).glob("*.md"))
            for card in cards:
                assert any(h and h.endswith(f"{listing}/{card.stem}.html") for h in links), f"{card.name} not listed"
            page.screenshot(path=str(ARTIFACTS / f"site-{listing}.png"), full_page=True)
        assert (root / "datasets_cards").glob("*.md")
