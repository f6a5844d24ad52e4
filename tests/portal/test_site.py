"""The rendered site in Chromium: executed outputs visible, nothing a reader should not see, every
page accessible (axe-core), everything served from localhost, cards listed and downloadable."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from partages_core.portal.browser import ARTIFACTS, axe_violations, browser_page, off_localhost, static_server
from partages_core.portal.publish import site_noise

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CHANGES: dict[str, str] = {}


def _tracked_changes() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--", "model_cards", "datasets_cards", "notebooks", "site"],
                          cwd=ROOT, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def site_dir():
    from partages_core.portal.site import build_site

    before = _tracked_changes()
    out = build_site(log=lambda *_: None)
    CHANGES.update(before=before, after=_tracked_changes())
    return out


def test_rendered_site_shows_no_developer_noise(site_dir):
    assert site_noise(site_dir) == {}


def test_every_page_is_accessible_and_local(site_dir):
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    assert len(pages) > 15
    problems = {}
    with static_server(site_dir) as base, browser_page() as page:
        for path in pages:
            page.goto(f"{base}/{path}", wait_until="load")
            found = axe_violations(page)
            if found:
                problems[path] = [(v["id"], v["impact"], v["nodes"][:3]) for v in found]
        assert off_localhost(page.requested) == []
    assert problems == {}


def test_home_in_french_and_english_with_figure_numbers_and_buttons(site_dir):
    ARTIFACTS.mkdir(exist_ok=True)
    with static_server(site_dir) as base:
        for phone in (False, True):
            with browser_page(phone=phone) as page:
                page.goto(f"{base}/index.html", wait_until="networkidle")
                assert page.locator("html").get_attribute("lang") == "fr"
                for label in ("Essayer une démo", "Télécharger les données", "Lire les notebooks"):
                    assert page.get_by_role("button", name=label).first.is_visible()
                page.screenshot(path=str(ARTIFACTS / f"site-home-fr-{'phone' if phone else 'desktop'}.png"), full_page=True)
        with browser_page() as page:
            page.goto(f"{base}/index-en.html", wait_until="networkidle")
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.get_by_role("button", name="Try a demo").is_visible()
            realtext = (ROOT / "build" / "small" / "evaluation" / "realtext.json")
            if realtext.is_file():  # the headline numbers come from the real-text results, not from the page
                import json

                from partages_core.portal.home import headline

                rows = headline(json.loads(realtext.read_text()))
                body = page.locator("main").inner_text()
                for r in rows:
                    assert f"{r['value']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}]" in body
                figure = page.locator("img[src$='headline-en.png']")
                assert figure.count() == 1 and figure.get_attribute("alt")
            page.get_by_role("link", name="Version française").click()
            page.wait_for_url(re.compile(r"index\.html$"))


def test_notebook_pages_show_outputs_and_figures_with_alt_text(site_dir):
    with static_server(site_dir) as base, browser_page() as page:
        page.goto(f"{base}/notebooks/00_corpus_and_annotation.html", wait_until="networkidle")
        assert page.locator("table").count() >= 1 and page.get_by_text("token_kappa").first.is_visible()
        for nb in sorted((site_dir / "notebooks").glob("*.html")):
            page.goto(f"{base}/notebooks/{nb.name}", wait_until="load")
            for img in page.locator("img").all():
                assert (img.get_attribute("alt") or "").strip(), f"{nb.name}: a figure without alt text"
        page.goto(f"{base}/notebooks/02_preprocessing_harmonisation.html", wait_until="load")
        assert page.locator("img[src^='data:image/png']").count() >= 1  # the boxplot shows


def test_cards_listed_plainly_with_downloads_and_hashes(site_dir):
    from partages_core.portal.site import card_sources

    with static_server(site_dir) as base, browser_page() as page:
        for listing in ("datasets", "models"):
            page.goto(f"{base}/{listing}.html", wait_until="networkidle")
            links = {a.get_attribute("href") for a in page.locator("a").all()}
            for name in card_sources(listing):
                assert any(h and h.endswith(f"{listing}/{name}.html") for h in links), f"{name} not listed"
            text = page.locator("main").inner_text()
            assert "**" not in text and "`" not in text
        page.goto(f"{base}/datasets/partages-handwritten.html", wait_until="networkidle")
        assert page.locator("h1").count() == 1
        link = page.get_by_role("link", name=re.compile(r"partages-handwritten-parhaf\.zip"))
        digest = re.search(r"SHA-256 ([0-9a-f]{64})", page.locator("main").inner_text()).group(1)
        target = site_dir / "datasets" / link.get_attribute("href")
        assert hashlib.sha256(target.resolve().read_bytes()).hexdigest() == digest


def test_a_build_leaves_the_repository_as_it_was(site_dir):
    assert CHANGES["after"] == CHANGES["before"]  # nothing tracked (cards, notebooks, site sources) rewritten by the build
