"""Screenshots for docs/redigera.md, taken from the real site and the real editor.

Run: .venv/bin/python scripts/screenshots.py   (writes docs/bilder/*.png)
The editor runs on Decap's in-memory test backend (with its editorial workflow, as on the live
site), so no GitHub login is needed.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dalawux_site import pipeline  # noqa: E402
from dalawux_site.serve import error_page  # noqa: E402
from dalawux_site.static_server import netlify_headers, serve_folder  # noqa: E402

TODAY = dt.date(2026, 11, 22)
OUT = ROOT / "docs" / "bilder"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "_site"
        pipeline.build(ROOT / "content", site, TODAY)
        (site / "fel.html").write_text(_broken_build_page(Path(tmp)), encoding="utf-8")
        server, url = serve_folder(site, netlify_headers(ROOT / "netlify.toml"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            page.goto(url + "/")
            page.screenshot(path=OUT / "startsida.png")
            course = json.loads((site / "utbildningar.json").read_text(encoding="utf-8"))[0]["url"]
            page.goto(url + course)
            page.screenshot(path=OUT / "utbildning.png")
            page.goto(url + "/fel.html")
            page.screenshot(path=OUT / "felmeddelande.png")
            _editor(browser, url, site)
            browser.close()
        server.shutdown()


def _broken_build_page(tmp: Path) -> str:
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    course_file = content / "courses" / "mora" / "kock-mora.yaml"  # the example in docs/redigera.md
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("pace: 100", "pace: hundra", 1), encoding="utf-8")
    return error_page(pipeline.check(content, TODAY).report)


def _course_files() -> dict[str, dict[str, dict[str, str]]]:
    """The bundled per-course files by municipality, as Decap's test backend takes them."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted((ROOT / "content" / "courses").glob("*/*.yaml")):
        found.setdefault(path.parent.name, {})[path.name] = {"content": path.read_text(encoding="utf-8")}
    return found


def _editor_page(browser, url: str, config: dict):
    page = browser.new_page(viewport={"width": 1200, "height": 760})
    page.route("**/admin/config.yml", lambda route: route.fulfill(status=200, content_type="text/yaml", body=yaml.safe_dump(config)))
    courses = _course_files()
    # The test backend lists a folder by its whole path as one key, and reads a file path by parts.
    files = {"content": {"courses": courses, "infobrev": {}}, **{f"content/courses/{m}": f for m, f in courses.items()}}
    page.add_init_script("window.repoFiles = " + json.dumps(files))
    return page


def _editor(browser, url: str, site: Path) -> None:
    """The editor as a municipality's editor sees it, at 1200 px, on Decap's in-memory backend."""
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    page = _editor_page(browser, url, config)
    page.goto(url + "/admin/#/collections/mora")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Lägg till utbildning").wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=OUT / "redigerare-kommuner.png")
    page.get_by_role("link", name="Lägg till utbildning").click()
    page.get_by_label("Namn (som kommunen kallar utbildningen)").fill("Svetsare för nybörjare")
    page.get_by_label("Ort", exact=True).fill("Mora")
    page.get_by_label("Område", exact=True).click()
    page.get_by_text("Industri", exact=True).last.click()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / "redigerare-formular.png")
    page.get_by_role("button", name="Lägg till start").click()
    page.get_by_role("menuitem", name="Start med egen sista ansökningsdag").wait_for()
    page.get_by_role("button", name="Lägg till start").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / "redigerare-starter.png")
    page.get_by_role("menuitem", name="Start med egen sista ansökningsdag").click()
    page.get_by_label("Startdatum").fill("2027-02-01")
    page.get_by_label("Sista ansökningsdag").fill("2027-01-10")
    page.get_by_text("söndag 10 januari 2027").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / "redigerare-datum.png")
    page.close()  # the new course is left unsaved
    page = _editor_page(browser, url, config)
    page.goto(url + "/admin/#/collections/mora")
    page.get_by_role("button", name="Logga in").click()
    page.locator("a[href*='/collections/mora/entries/']").first.click()
    weeks = page.get_by_label("Längd i veckor (frivillig)")
    weeks.fill(str(int(weeks.input_value() or "30") + 2))
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Status: Utkast").wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / "redigerare-utkast.png")


if __name__ == "__main__":
    main()
