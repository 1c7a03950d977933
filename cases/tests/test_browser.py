"""The citizen's path in a real browser (Debian's Chromium driven by Playwright): what a person sees and does."""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cases.models import Case
from persian.text import to_latin_digits

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium is not installed (CI installs it; apt-get install chromium)",
)


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares the thread with the ORM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"],
        )
        yield instance
        instance.close()


@pytest.fixture
def phone(browser):
    """A small phone screen, Persian first."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fa-IR")
    page = context.new_page()
    foreign = []
    page.on(
        "request",
        lambda request: None if urlsplit(request.url).hostname in LOCAL_HOSTS else foreign.append(request.url),
    )
    yield page
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_citizen_submits_on_a_phone_and_reads_the_case(live_server, transactional_db, organization, phone):
    page = phone
    page.goto(live_server.url + "/")
    shot(page, "home")
    page.click("a.kind-card[href$='kind=complaint']")
    assert page.locator("input[name=kind][value=complaint]").is_checked()

    page.fill("input[name=subject]", "مدرسه نیمه‌تمام")
    page.fill("textarea[name=body]", "ساخت مدرسه سه سال است متوقف مانده است.")
    counter = page.locator("[data-counter-for=id_body]")
    assert re.search(r"[۰-۹]", counter.inner_text()), "the live counter shows Persian digits"
    page.fill("input[name=mobile]", "۰۹۱۴ ۱۲۳ ۴۵۶۷")
    shot(page, "submit-filled")
    page.click("button[type=submit]")

    page.wait_for_selector(".tracking-code")
    shot(page, "submitted")
    case = Case.objects.get()
    shown = page.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"[۰-۹]{5} [۰-۹]{5}", shown.strip()), "the code is shown in Persian digits"
    assert to_latin_digits(re.sub(r"\s", "", shown)) == case.tracking_code

    page.click("text=" + page.locator("a.btn--primary[href*='/track/case/']").inner_text())
    page.wait_for_selector(".timeline")
    assert "مدرسه نیمه‌تمام" in page.content()


def test_a_wrong_field_is_marked_and_nothing_typed_is_lost(live_server, transactional_db, organization, phone):
    page = phone
    page.goto(live_server.url + "/submit/?kind=request")
    page.fill("input[name=subject]", "آمار")
    page.fill("textarea[name=body]", "متن بلند من که نباید گم شود")
    page.fill("input[name=mobile]", "12345")
    page.click("button[type=submit]")
    page.wait_for_selector(".error-summary")
    shot(page, "submit-errors")
    assert page.input_value("textarea[name=body]") == "متن بلند من که نباید گم شود"
    assert page.locator(".form-field--error input[name=mobile]").count() == 1
    assert Case.objects.count() == 0


def test_sending_anonymously_hides_the_personal_fields(live_server, transactional_db, organization, phone):
    page = phone
    page.goto(live_server.url + "/submit/?kind=opinion")
    assert page.is_visible("input[name=mobile]")
    page.check("input[name=is_anonymous]")
    assert not page.is_visible("input[name=mobile]")
    page.fill("input[name=subject]", "نظر")
    page.fill("textarea[name=body]", "نظر من درباره سند توسعه")
    page.click("button[type=submit]")
    page.wait_for_selector("#pin")
    shot(page, "submitted-anonymous")
    pin = page.locator("#pin").inner_text().strip()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[۰-۹]{6}", pin)

    # The citizen types what the page showed, Persian digits and all, and reads the case.
    page.goto(live_server.url + "/track/")
    page.fill("input[name=code]", code)
    page.fill("input[name=secret]", pin)
    page.click("main button[type=submit]")
    page.wait_for_selector(".timeline")
    shot(page, "case-anonymous")
    assert "نظر من درباره سند توسعه" in page.content()
