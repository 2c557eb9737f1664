"""Screenshots for docs/redigera.md, taken from the real site and the real editor.

Run: .venv/bin/python scripts/screenshots.py   (writes docs/bilder/*.png)
The editor runs on Decap's in-memory test backend, so no GitHub login is needed.
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
    course_file = content / "courses" / "mora.yaml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("pace: 100", "pace: hundra", 1), encoding="utf-8")
    return error_page(pipeline.check(content, TODAY).report)


def _editor(browser, url: str, site: Path) -> None:
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    files = {"content": {"courses": {f.name: {"content": f.read_text(encoding="utf-8")} for f in (ROOT / "content" / "courses").glob("*.yaml")}}}
    page = browser.new_page(viewport={"width": 1200, "height": 760})
    page.route("**/admin/config.yml", lambda route: route.fulfill(status=200, content_type="text/yaml", body=yaml.safe_dump(config)))
    page.add_init_script("window.repoFiles = " + json.dumps(files))
    page.goto(url + "/admin/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Falu kommun").first.wait_for()
    page.screenshot(path=OUT / "redigerare-kommuner.png")
    page.goto(url + "/admin/#/collections/utbildningar/entries/mora")
    summary = page.get_by_text("Måltidsbiträde (Mora)").first
    summary.wait_for()
    page.screenshot(path=OUT / "redigerare-utbildningar.png")
    summary.locator("xpath=..").locator("button").first.click()
    page.locator("input[id^='weeks-field']").first.fill("32")
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / "redigerare-formular.png")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Status: Utkast").wait_for()
    page.screenshot(path=OUT / "redigerare-utkast.png")


if __name__ == "__main__":
    main()
