"""The pages in a real browser (Debian's chromium via Playwright): maps, charts, clicks, language."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _settle(page, selector: str, timeout: int = 15000):
    page.wait_for_selector(selector, state="attached", timeout=timeout)


def test_home_map_draws_its_regions(page, server, artifacts):
    page.goto(server + "/")
    _settle(page, "#home-map path.choroplethlocation")
    page.wait_for_timeout(300)
    n = page.locator("#home-map .choropleth").nth(1).locator("path.choroplethlocation").count()
    assert n > 200  # one path per NUTS 2 region with data
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
    assert not page.problems, page.problems


def test_home_map_by_activity_and_click_to_region(page, server, artifacts):
    page.goto(server + "/?metric=rca&activity=C13")
    _settle(page, "#home-map path.choroplethlocation")
    assert "C13" in page.locator("#map-title").inner_text()
    page.screenshot(path=str(artifacts / "home-rca-c13.png"))
    assert not page.problems, page.problems


def test_region_page_draws_charts_with_data(page, server, artifacts):
    page.goto(server + "/region/ITC4")
    _settle(page, "#spec-chart .barlayer .point")
    assert page.locator("#spec-chart .barlayer .point").count() == 15
    _settle(page, "#region-map path.choroplethlocation")
    if page.locator("#opp-chart").count():
        _settle(page, "#opp-chart .scatterlayer .point")
        assert page.locator("#opp-chart .scatterlayer .point").count() >= 10
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "region-ITC4.png"), full_page=True)
    assert not page.problems, page.problems


def test_clicking_an_opportunity_opens_its_activity(page, server):
    page.goto(server + "/region/ITC4")
    if not page.locator("#opp-chart").count():
        pytest.fail("the opportunity chart is missing: " + page.locator("#opportunities").inner_text()[:300])
    _settle(page, "#opp-chart .scatterlayer .point")
    point = page.locator("#opp-chart .scatterlayer .point").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    with page.expect_navigation(timeout=10000):
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "/activity/" in page.url
    _settle(page, "#activity-map path.choroplethlocation")


def test_activity_page_and_click_on_related(page, server, artifacts):
    page.goto(server + "/activity/C13")
    _settle(page, "#related-chart .barlayer .point")
    assert page.locator("#related-chart .barlayer .point").count() >= 5
    _settle(page, "#activity-map path.choroplethlocation")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "activity-C13.png"), full_page=True)
    assert not page.problems, page.problems


def test_activity_space_draws_every_activity(page, server, store, artifacts):
    page.goto(server + "/space?region=ITC4")
    _settle(page, "#space-chart .scatterlayer .point")
    n = page.locator("#space-chart .scatterlayer .trace:not(:first-child) .point").count()
    assert n == len(store.activities)
    page.screenshot(path=str(artifacts / "space-ITC4.png"))
    page.goto(server + "/space?color=ecosystem")
    _settle(page, "#space-chart .scatterlayer .point")
    page.screenshot(path=str(artifacts / "space-ecosystem.png"))
    assert not page.problems, page.problems


def test_other_pages_render(page, server, artifacts):
    for path, name in (("/compare", "compare"), ("/backtest", "backtest"), ("/downloads", "downloads")):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    assert not page.problems, page.problems


def test_language_switch_changes_the_labels(page, server, artifacts):
    page.goto(server + "/region/ITC4?lang=en")
    assert page.locator("header nav").inner_text().find("Activity space") >= 0
    page.click("#lang-it")
    page.wait_for_load_state()
    assert "Spazio delle attività" in page.locator("header nav").inner_text()
    assert "In cosa è forte la regione" in page.locator("#specialisations h2").inner_text()
    page.goto(server + "/")  # the cookie keeps the choice
    assert "Cerca una regione" in page.content()
    page.screenshot(path=str(artifacts / "home-it.png"))
    page.click("#lang-en")
    page.wait_for_load_state()
    assert "Find a region" in page.content()


def test_region_search_autocomplete_and_submit(page, server):
    page.goto(server + "/")
    page.fill("#q", "Lombardy")
    page.press("#q", "Enter")
    page.wait_for_url("**/region/ITC4")
    assert "Lombardia" in page.locator("h1").inner_text()


def test_clicking_a_region_on_the_home_map_opens_its_profile(page, server):
    page.goto(server + "/")
    _settle(page, "#home-map path.choroplethlocation")
    page.wait_for_timeout(300)
    # the coloured layer is the second choropleth trace; click the middle of a large region
    paths = page.locator("#home-map .choropleth").nth(1).locator("path.choroplethlocation")
    boxes = [paths.nth(i).bounding_box() for i in range(min(paths.count(), 400))]
    box = max((b for b in boxes if b), key=lambda b: b["width"] * b["height"])
    with page.expect_navigation(timeout=10000):
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "/region/" in page.url
    assert page.locator("h1 .code").inner_text().strip() in page.url


def test_api_docs_list_the_operations_offline(page, server, artifacts):
    """Defect 8: Swagger UI comes from this server (no CDN, CSP unchanged) and lists the operations."""
    page.goto(server + "/api/docs")
    _settle(page, ".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/region/{region}" in paths and "/api/download/{name}" in paths
    assert len(paths) >= 10
    page.screenshot(path=str(artifacts / "api-docs.png"))
    assert not page.problems, page.problems
