"""Each Voila demo served for real and driven in Chromium on hand-typed text: results, nothing off
localhost, and no kernel left once the page is closed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from partages_core.portal.browser import (ARTIFACTS, browser_page, drive_demo, kernel_pids, off_localhost,
                                          voila_server)
from partages_core.portal.demos import DEMOS, HAND_TYPED, analyse, examples

DEMO_DIR = Path(__file__).resolve().parents[2] / "notebooks" / "demos"


@pytest.mark.parametrize("name", [d.name for d in DEMOS])
def test_analyse_returns_highlights_and_tables(name):
    text = next(iter(examples(name).values()))
    shown, tables = analyse(name, text)
    assert 'class="entity"' in shown
    assert tables and len(next(iter(tables.values()))) > 0
    for table in tables.values():
        assert not table.isna().any().any()  # blanks, never NaN


def test_infectiology_tables_on_hand_typed_report():
    _, tables = analyse("infectiology", HAND_TYPED["infectiology"])
    organisms, antibiogram, alerts = tables.values()
    assert "Escherichia coli" in set(organisms["organism"])
    assert {"imipénème", "ciprofloxacine"} <= {a.lower() for a in antibiogram["antibiotic"]}
    assert set(antibiogram["result"]) <= {"S", "I", "R"}
    blse = alerts[alerts["alert"] == "BLSE"]
    assert len(blse) == 1 and "BLSE" in blse.iloc[0]["evidence"]  # stated once, inferred once: one alert


@pytest.mark.slow
@pytest.mark.parametrize("name", [d.name for d in DEMOS])
def test_demo_answers_in_the_browser_and_leaves_no_kernel(name):
    with voila_server(DEMO_DIR / f"{name}.ipynb") as url:
        server = voila_server.proc
        with browser_page() as page:
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            seconds = drive_demo(page, url, ARTIFACTS / f"demo-{name}.png", text=HAND_TYPED[name])
            print(f"{name}: ready {seconds['ready']:.2f}s, first result {seconds['result']:.2f}s")
            assert page.locator("mark.entity").count() >= 1
            assert page.locator("table").count() >= 1
            assert off_localhost(page.requested) == []
            assert kernel_pids(server.pid), "the page should have its kernel"
            page.goto("about:blank")  # leaving the page: Voila's unload beacon asks the server to shut down
            page.close()
        deadline = time.monotonic() + 20
        while kernel_pids(server.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernel_pids(server.pid) == []
        assert not [e for e in errors if "version" in e.lower() or "widget" in e.lower()], errors


@pytest.mark.slow
def test_kernel_cap_refuses_the_visitor_past_it():
    import urllib.error
    import urllib.request

    with voila_server(DEMO_DIR / "pseudonymisation.ipynb", max_kernels=1) as url:
        with browser_page() as page:
            page.goto(url)
            page.get_by_role("button", name="Analyse").wait_for(timeout=120_000)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url, timeout=60)
            assert refused.value.code == 503
            assert len(kernel_pids(voila_server.proc.pid)) == 1


@pytest.mark.slow
def test_a_vanished_tab_is_culled_once_idle():
    with voila_server(DEMO_DIR / "oncology.ipynb", cull_idle_s=4) as url:
        with browser_page() as page:
            page.goto(url)
            page.get_by_role("button", name="Analyse").wait_for(timeout=120_000)
            assert len(kernel_pids(voila_server.proc.pid)) == 1
        # the browser died without unloading the page: no beacon; the idle, disconnected kernel is culled
        deadline = time.monotonic() + 30
        while kernel_pids(voila_server.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernel_pids(voila_server.proc.pid) == []
