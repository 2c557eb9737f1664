"""The form editor at /admin/: under its own CSP on the live site, and through `make editor`
(scripts/editor.py: decap-server and the dev server) against a working copy, where what it
saves is compared with the files on disk (git diff)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dalawux_site import pipeline
from dalawux_site.static_server import netlify_headers, serve_folder

from ..conftest import SAMPLE, TODAY, BuiltSite
from ..js_course_file import per_course_copy
from .conftest import ROOT

COLLECT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
NAME = "Namn (som kommunen kallar utbildningen)"


@pytest.fixture(scope="module")
def production(site: BuiltSite):
    server, url = serve_folder(site.root, netlify_headers(ROOT / "netlify.toml"))
    yield url
    server.shutdown()


def test_editor_loads_under_its_policy_and_asks_for_login(context: BrowserContext, production):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(COLLECT)
    response = page.goto(production + "/admin/")
    assert "https://api.github.com" in response.headers["content-security-policy"]
    expect(page.get_by_role("button", name="Logga in med GitHub")).to_be_visible(timeout=15000)
    assert page.evaluate("window.__violations") == [] and errors == []
    page.close()


# --- make editor: the form editor against a working copy ------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


class Editor:
    def __init__(self, repo: Path, url: str, proxy_port: int, files: dict[str, Path]) -> None:
        self.repo, self.url, self.proxy_port, self.files = repo, url, proxy_port, files

    @property
    def content(self) -> Path:
        return self.repo / "content"

    def changed(self) -> list[str]:
        return [line[3:] for line in _git(self.repo, "status", "--porcelain", "--untracked-files=all").splitlines()]


@pytest.fixture(scope="module")
def editor(tmp_path_factory) -> Iterator[Editor]:
    """`make editor` (scripts/editor.py) on a git working copy of the sample content, each course
    in its own file, one of them with a comment of its own."""
    repo = tmp_path_factory.mktemp("working-copy")
    files = per_course_copy(SAMPLE, repo / "content")
    commented = files["timmerhusbyggare-mora"]
    first, rest = commented.read_text(encoding="utf-8").split("\n", 1)
    commented.write_text(f"{first}\n# Granskad av Mora i november.\n{rest}", encoding="utf-8")
    letter = sorted((repo / "content" / "infobrev").glob("*.md"))[-1]  # a summary longer than a line of 80
    text = letter.read_text(encoding="utf-8")
    long = "summary: Ansökan till vårens utbildningar öppnar snart, och många kommuner har lagt till nya utbildningar i vård och industri."
    letter.write_text(re.sub(r"(?m)^summary: .*$", long, text, count=1), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    port, proxy_port = _free_port(), _free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "editor.py"), "--content", str(repo / "content"),
         "--port", str(port), "--proxy-port", str(proxy_port), "--today", TODAY.isoformat()],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/admin/config.yml", timeout=2)
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.3)
    yield Editor(repo, url, proxy_port, files)
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def context(browser: Browser, browser_context_args: dict) -> Iterator[BrowserContext]:
    """One browser context for the module's pages, as one person's browser: the login is remembered."""
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


LOCAL_BACKUP = "En lokal kopia hittades för det här inlägget, vill du använda den?"


def _answer(dialog) -> None:
    """Leaving a form with unsaved changes is confirmed, as the test means to leave it; the offer to
    bring back what an earlier test left unsaved is declined, so each test starts from the file."""
    if dialog.message == LOCAL_BACKUP:
        dialog.dismiss()
    else:
        dialog.accept()


@pytest.fixture(scope="module")
def tab(context: BrowserContext, editor: Editor) -> Iterator[Page]:
    """One tab on the form editor for the module, as an editor works in it: Decap's 6 MB of script
    starts once, and each test moves to its entry by the editor's own addresses (after the #)."""
    page = context.new_page()
    page.on("dialog", _answer)
    page.goto(editor.url + "/admin/#/collections/mora")
    login = page.get_by_role("button", name="Logga in")
    logged_in = page.get_by_role("link", name="Lägg till utbildning")
    expect(login.or_(logged_in).first).to_be_visible(timeout=15000)
    if login.is_visible():
        login.click()
    expect(logged_in).to_be_visible(timeout=15000)
    yield page
    page.close()


@pytest.fixture
def page(tab: Page) -> Page:
    """Every test of the form editor works in the module's one tab."""
    return tab


def open_entry(page: Page, editor: Editor, path: str) -> None:
    """Opens /admin/#/collections/<path> by way of its collection's list, so the entry's form is
    made anew and read from the file, as when an editor goes back to the list and opens it again."""
    collection = path.split("/")[0]
    page.evaluate("route => { location.hash = route }", "#/collections/" + collection)
    expect(page.locator("[data-slate-editor]")).to_have_count(0, timeout=15000)  # no form is left open
    if path != collection:
        page.evaluate("route => { location.hash = route }", "#/collections/" + path)


def publish(page: Page) -> None:
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_role("menuitem", name="Publicera nu").click()
    expect(page.get_by_text("Ändringar sparade", exact=False).first).to_be_visible(timeout=15000)


def wait_for(condition, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_the_local_backend_listens_on_127_0_0_1_only(editor: Editor):
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.rsplit(":", 1)
            if int(port, 16) == editor.proxy_port and state == "0A":  # LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, nothing on other addresses or IPv6


def test_saving_one_course_changes_only_its_own_line(page: Page, editor: Editor):
    open_entry(page, editor, "mora/entries/timmerhusbyggare-mora")
    name = page.get_by_label(NAME)
    expect(name).to_have_value("Timmerhusbyggare", timeout=15000)
    name.fill("Timmerhusbyggare, grundkurs")
    publish(page)
    path = editor.files["timmerhusbyggare-mora"].relative_to(editor.repo).as_posix()
    wait_for(lambda: editor.changed() == [path])
    diff = [line for line in _git(editor.repo, "diff", "-U0").splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff == ["-name: Timmerhusbyggare", "+name: Timmerhusbyggare, grundkurs"]
    assert editor.files["timmerhusbyggare-mora"].read_text(encoding="utf-8").splitlines()[1] == "# Granskad av Mora i november."

    # Saving it back changes nothing: every file is byte for byte what was committed.
    open_entry(page, editor, "mora/entries/timmerhusbyggare-mora")
    expect(name).to_have_value("Timmerhusbyggare, grundkurs", timeout=15000)
    name.fill("Timmerhusbyggare")
    publish(page)
    wait_for(lambda: editor.changed() == [])


def test_saving_a_course_through_every_field_changes_nothing_else(page: Page, editor: Editor):
    """Every field of a course goes through the form and back: a contact person, prerequisites,
    a name in quotes with spaces, starts of both kinds, a period that has closed. Only the line
    changed in the form differs, and changing it back leaves every file as it was. (Decap offers
    no save while the form equals the file, so that save cannot change anything either.)"""
    for course in ("svetsare-falun", "restaurangbitrade-storkok-falun"):
        open_entry(page, editor, "falun/entries/" + course)
        pace = page.get_by_label("Studietakt (procent)")
        expect(pace).not_to_have_value("", timeout=15000)
        before = pace.input_value()
        after = str(int(before) - 1)
        pace.fill(after)
        publish(page)
        wait_for(lambda: editor.changed() != [])
        assert editor.changed() == [editor.files[course].relative_to(editor.repo).as_posix()]
        diff = [line for line in _git(editor.repo, "diff", "-U0").splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        assert diff == [f"-pace: {before}", f"+pace: {after}"]
        open_entry(page, editor, "falun/entries/" + course)
        expect(pace).to_have_value(after, timeout=15000)
        pace.fill(before)
        publish(page)
        wait_for(lambda: editor.changed() == [])


def choose(page: Page, label: str, option: str) -> None:
    """Picks an option of a select field (Decap's react-select)."""
    field = page.get_by_label(label, exact=True)
    # By keyboard, as a person using a screen reader would: a click can land while the fields still move.
    field.focus()
    field.fill(option)
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    field.press("Enter")
    expect(field).to_have_attribute("aria-expanded", "false")


def test_a_course_added_in_the_form_is_saved_as_a_person_would_write_it_and_published(page: Page, editor: Editor):
    open_entry(page, editor, "mora")
    page.get_by_role("link", name="Lägg till utbildning").click()
    page.get_by_label(NAME).fill("Svetsare för nybörjare")
    page.get_by_label("Ort", exact=True).fill("Mora")
    choose(page, "Område", "Industri")
    choose(page, "Studieform", "På plats")
    page.get_by_label("Studietakt (procent)").fill("100")
    page.get_by_label("Längd i veckor (frivillig)").fill("20")
    page.get_by_role("button", name="Lägg till start").click()
    page.get_by_role("menuitem", name="Start med egen sista ansökningsdag").click()
    page.get_by_label("Startdatum").fill("2027-02-01")
    page.get_by_label("Sista ansökningsdag").fill("2027-01-10")
    expect(page.get_by_text("söndag 10 januari 2027")).to_be_visible()  # a date reads as a Swedish date
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("Du lär dig att svetsa.")
    publish(page)

    saved = editor.content / "courses" / "mora" / "svetsare-for-nyborjare-mora.yaml"
    wait_for(saved.exists)
    assert editor.changed() == [saved.relative_to(editor.repo).as_posix()]
    assert saved.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/course-file.schema.json\n"
        "name: Svetsare för nybörjare\n"
        "location: Mora\n"
        "area: industri\n"
        "study_forms: [plats]\n"
        "pace: 100\n"
        "weeks: 20\n"
        "intakes:\n"
        "  - start: 2027-02-01\n"
        "    apply_by: 2027-01-10\n"
        "description: Du lär dig att svetsa.\n"
    )
    result = pipeline.check(editor.content, TODAY)
    assert result.report.errors == []
    course = next(c for c in result.catalogue.courses if c.local_name == "Svetsare för nybörjare")
    assert course.id == "svetsare-for-nyborjare-mora"

    def published() -> bool:  # the dev server rebuilt the site with the new course
        try:
            return "Svetsare för nybörjare" in urllib.request.urlopen(f"{editor.url}/utbildningar/{course.id}/", timeout=5).read().decode()
        except OSError:
            return False
    wait_for(published, timeout=60)


def test_an_empty_required_field_is_named(page: Page, editor: Editor):
    before = editor.changed()
    open_entry(page, editor, "mora")
    page.get_by_role("link", name="Lägg till utbildning").click()
    page.get_by_label(NAME).fill("Svetsare")
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_role("menuitem", name="Publicera nu").click()
    expect(page.get_by_text("Fyll i Ort, Område, Studieform, Studietakt (procent), Beskrivning innan du sparar.")).to_be_visible()
    expect(page.get_by_text("Oops", exact=False)).to_have_count(0)
    # The fields Decap cannot check by themselves: a start, and a length in weeks or points.
    page.get_by_label("Ort", exact=True).fill("Mora")
    choose(page, "Område", "Industri")
    choose(page, "Studieform", "På plats")
    page.get_by_label("Studietakt (procent)").fill("100")
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("Du lär dig att svetsa.")
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_role("menuitem", name="Publicera nu").click()
    expect(page.get_by_text("Fyll i minst en start under Starter och Längd i veckor eller Gymnasiepoäng.", exact=False)).to_be_visible()
    assert editor.changed() == before  # nothing saved


def test_dates_read_as_swedish_dates(page: Page, editor: Editor):
    open_entry(page, editor, "mora/entries/timmerhusbyggare-mora")
    start = page.get_by_label("Startdatum").first
    expect(start).to_have_value("2027-08-16", timeout=15000)
    expect(page.get_by_text("måndag 16 augusti 2027")).to_be_visible()
    expect(page.get_by_text("UTC", exact=True)).to_have_count(0)
    start.fill("2027-02-30")
    expect(page.get_by_text("Inget riktigt datum ännu.")).to_be_visible()


def test_buttons_and_counts_read_in_swedish(page: Page, editor: Editor):
    open_entry(page, editor, "mora")
    expect(page.get_by_role("link", name="Lägg till utbildning")).to_be_visible(timeout=15000)
    open_entry(page, editor, "falun/entries/svetsare-falun")
    expect(page.get_by_role("button", name="Lägg till start")).to_be_visible(timeout=15000)
    expect(page.get_by_text("1 start", exact=True)).to_be_visible()
    for english in ("Add ", "Oops", "starter"):
        expect(page.get_by_text(english, exact=True)).to_have_count(0)


def test_saving_an_infobrev_changes_only_its_own_line(page: Page, editor: Editor):
    """Decap's own front matter format wrapped long lines; ours writes them as they were."""
    before = editor.changed()
    letter = sorted((editor.content / "infobrev").glob("*.md"))[-1]
    original = letter.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title: "))[len("title: "):]
    open_entry(page, editor, "infobrev/entries/" + letter.stem)
    field = page.get_by_role("textbox", name="Rubrik")
    expect(field).to_have_value(title, timeout=15000)
    field.fill(title + " (rättad)")
    publish(page)
    wait_for(lambda: letter.read_text(encoding="utf-8") != original)
    assert letter.read_text(encoding="utf-8") == original.replace(f"title: {title}\n", f"title: {title} (rättad)\n", 1)
    assert sorted(set(editor.changed()) - set(before)) == [letter.relative_to(editor.repo).as_posix()]


def test_a_contact_person_needs_a_name(page: Page, editor: Editor):
    """The build refuses a contact person without a name, so the form does too; no contact person
    at all is fine."""
    before = editor.changed()
    open_entry(page, editor, "falun/entries/svetsare-falun")
    name = page.get_by_role("textbox", name="Namn", exact=True)
    expect(name).to_have_value("Sven Svetsson", timeout=15000)
    name.fill("")
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.get_by_role("menuitem", name="Publicera nu").click()
    expect(page.get_by_text("Fyll i Namn innan du sparar.")).to_be_visible()
    assert editor.changed() == before


def test_the_form_editor_does_not_reload_by_itself(editor: Editor):
    """The dev server reloads its pages after every rebuild, i.e. after every save, but not the
    form editor, where an editor may be typing the next change."""
    page_html = urllib.request.urlopen(editor.url + "/", timeout=10).read().decode()
    admin_html = urllib.request.urlopen(editor.url + "/admin/", timeout=10).read().decode()
    assert "livereload.js" in page_html
    assert "livereload.js" not in admin_html and "decap-cms.js" in admin_html
