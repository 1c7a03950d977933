"""The Jalali date picker (static/js/jalali-datepicker.js) in a real browser (Debian's Chromium driven by Playwright).

The page is served from loopback with the site's Content-Security-Policy, so anything the CSP would
block (inline style, inline script) shows up as a console error and fails the test.
"""

import datetime
import functools
import os
import threading
import zoneinfo
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import jdatetime
import pytest
from django import forms

from cases.tests.test_browser import CHROMIUM, SCREENSHOTS
from miz.middleware import CONTENT_SECURITY_POLICY
from persian.forms import JalaliDateField
from persian.jalali import MONTH_NAMES
from persian.text import to_persian_digits

STATIC = Path(__file__).resolve().parents[2] / "static"
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
# The browser's clock: "today" is 10 Azar 1405, so it shows in the same month as the field's value.
NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=TEHRAN)

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium is not installed (CI installs it; apt-get install chromium)",
)


class DateForm(forms.Form):
    when = JalaliDateField(label="تاریخ جلسه")


PAGE = """<!doctype html>
<html lang="fa" dir="rtl">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>تاریخ</title>
  <link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/css/miz.css">
  <link rel="stylesheet" href="/static/css/jalali-datepicker.css">
  <script src="/static/js/jalali-datepicker.js" defer></script>
</head>
<body>
  <main id="main" class="container">
    <h1>درخواست وقت ملاقات</h1>
    <div class="form-field">
      <label class="field-label" for="id_when">تاریخ جلسه</label>
      {field}
      <p class="field-help">روز را بنویسید یا از تقویم انتخاب کنید.</p>
    </div>
    <div class="form-field">
      <label class="field-label" for="plain">تاریخ دیگر</label>
      <input id="plain" name="plain" data-jalali-picker>
    </div>
    <p>پایان فرم</p>
  </main>
</body>
</html>
"""


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):  # quiet: no request log in the test output
        pass


@pytest.fixture
def site(tmp_path):
    """The test page beside the project's static files, on a loopback port."""
    field = str(DateForm(initial={"when": datetime.date(2026, 11, 29)})["when"])
    (tmp_path / "index.html").write_text(PAGE.replace("{field}", field), encoding="utf-8")
    (tmp_path / "static").symlink_to(STATIC)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/index.html"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fa-IR", timezone_id="Asia/Tehran")
        context.clock.set_fixed_time(NOW)
        page = context.new_page()
        problems = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "request",
            lambda request: None if urlsplit(request.url).hostname == "127.0.0.1" else problems.append(request.url),
        )
        page.goto(site)
        page.wait_for_selector(".jalali-picker__toggle")
        yield page
        context.close()
        browser.close()
    assert problems == [], f"console errors, CSP violations or foreign requests: {problems}"


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def fa(text):
    return to_persian_digits(text)


def dialog_of(page, input_id):
    return page.locator(f"#{input_id}_picker")


def toggle_of(page, input_id):
    return page.locator(f"#{input_id} + .jalali-picker__toggle")


def focused_label(page):
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


def test_conversion_in_javascript_matches_known_dates(page):
    pairs = [
        ([1405, 1, 1], [2026, 3, 21]),
        ([1403, 12, 30], [2025, 3, 20]),
        ([1404, 9, 8], [2025, 11, 29]),
        ([1405, 9, 8], [2026, 11, 29]),
        ([1404, 12, 29], [2026, 3, 20]),
        ([1300, 1, 1], [1921, 3, 21]),
    ]
    for jalali, gregorian in pairs:
        assert page.evaluate("j => MizJalali.toGregorian(j[0], j[1], j[2])", jalali) == gregorian
        assert page.evaluate("g => MizJalali.toJalali(g[0], g[1], g[2])", gregorian) == jalali
    assert page.evaluate("[MizJalali.isLeapYear(1403), MizJalali.isLeapYear(1404), MizJalali.isLeapYear(1408)]") == [
        True,
        False,
        True,
    ]
    assert page.evaluate("MizJalali.format(1405, 9, 8)") == "۱۴۰۵/۰۹/۰۸"
    assert page.evaluate("MizJalali.parse('١٤٠٥-٩-٨')") == [1405, 9, 8]
    assert page.evaluate("MizJalali.parse('1404/12/30')") is None


def test_conversion_in_javascript_agrees_with_the_server_on_every_day_it_accepts(page):
    """The picker must never offer a day that the server (jdatetime) reads differently, 1300–1500."""
    start = jdatetime.date(1300, 1, 1).togregorian()
    end = jdatetime.date(1500, 12, 29).togregorian()
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    expected = [[j.year, j.month, j.day] for j in (jdatetime.date.fromgregorian(date=d) for d in days)]
    mismatches = page.evaluate(
        """([startIso, expected]) => {
          const bad = [];
          const first = new Date(startIso + "T00:00:00Z");
          expected.forEach((j, n) => {
            const d = new Date(first.getTime() + n * 86400000);
            const g = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
            const toJ = MizJalali.toJalali(g[0], g[1], g[2]);
            const toG = MizJalali.toGregorian(j[0], j[1], j[2]);
            if (toJ.join() !== j.join() || toG.join() !== g.join()) bad.push([g, j, toJ, toG]);
          });
          return bad.slice(0, 5);
        }""",
        [start.isoformat(), expected],
    )
    assert len(expected) > 73_000
    assert mismatches == []
    leap = page.evaluate("Array.from({length: 201}, (_, i) => MizJalali.isLeapYear(1300 + i))")
    assert leap == [jdatetime.date(year, 1, 1).isleap() for year in range(1300, 1501)]


def test_picking_a_day_in_the_next_month_on_a_phone(page):
    toggle = toggle_of(page, "id_when")
    dialog = dialog_of(page, "id_when")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-label")  # from the widget's data-picker-label (gettext)

    toggle.click()
    assert dialog.is_visible()
    assert dialog.get_attribute("role") == "dialog" and dialog.get_attribute("aria-label")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert dialog.locator(".jalali-picker__title").inner_text() == "آذر ۱۴۰۵"
    assert dialog.locator("thead th").all_inner_texts() == ["ش", "ی", "د", "س", "چ", "پ", "ج"]
    # 1 Azar 1405 (22 November 2026) is a Sunday: the second column of the first week.
    first_week = dialog.locator("tbody tr").first.locator("td")
    assert first_week.all_inner_texts() == ["", "۱", "۲", "۳", "۴", "۵", "۶"]
    assert dialog.locator("tbody button").count() == 30
    selected = dialog.locator(".jalali-picker__day--selected")
    assert selected.get_attribute("aria-label") == "۸ آذر ۱۴۰۵"
    assert dialog.locator(".jalali-picker__day--today").get_attribute("aria-label") == "۱۰ آذر ۱۴۰۵"
    assert focused_label(page) == "۸ آذر ۱۴۰۵", "the current value has the focus"

    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, f"the calendar fits a 360px screen: {box}"
    shot(page, "jalali-picker")

    dialog.locator(".jalali-picker__next").click()
    assert dialog.locator(".jalali-picker__title").inner_text() == "دی ۱۴۰۵"
    events = page.evaluate_handle(
        """() => {
          const seen = [];
          const input = document.getElementById("id_when");
          input.addEventListener("input", () => seen.push("input"));
          input.addEventListener("change", () => seen.push("change"));
          return seen;
        }"""
    )
    dialog.get_by_role("button", name="۱۵ دی ۱۴۰۵", exact=True).click()
    assert page.input_value("#id_when") == "۱۴۰۵/۱۰/۱۵"
    assert events.json_value() == ["input", "change"]
    assert not dialog.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('jalali-picker__toggle')")


def test_keyboard_moves_picks_and_escape_closes(page):
    toggle = toggle_of(page, "id_when")
    dialog = dialog_of(page, "id_when")
    toggle.focus()
    page.keyboard.press("Enter")
    assert dialog.is_visible()
    assert focused_label(page) == "۸ آذر ۱۴۰۵"

    page.keyboard.press("ArrowLeft")  # right to left: the next day is on the left
    assert focused_label(page) == "۹ آذر ۱۴۰۵"
    page.keyboard.press("ArrowDown")
    assert focused_label(page) == "۱۶ آذر ۱۴۰۵"
    page.keyboard.press("ArrowRight")
    assert focused_label(page) == "۱۵ آذر ۱۴۰۵"
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # 22, 29, then into Dey
    assert focused_label(page) == "۶ دی ۱۴۰۵"
    assert dialog.locator(".jalali-picker__title").inner_text() == "دی ۱۴۰۵"
    page.keyboard.press("PageUp")
    assert focused_label(page) == "۶ آذر ۱۴۰۵"

    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('jalali-picker__toggle')")
    assert page.input_value("#id_when") == "۱۴۰۵/۰۹/۰۸", "Escape changes nothing"

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert not dialog.is_visible()
    assert page.input_value("#id_when") == "۱۴۰۵/۰۹/۰۱"


def test_a_typed_value_in_latin_digits_is_shown_and_leap_years_have_thirty_days_in_esfand(page):
    page.fill("#id_when", "1403/12/30")
    toggle_of(page, "id_when").click()
    dialog = dialog_of(page, "id_when")
    assert dialog.locator(".jalali-picker__title").inner_text() == "اسفند ۱۴۰۳"
    assert dialog.locator(".jalali-picker__day--selected").get_attribute("aria-label") == "۳۰ اسفند ۱۴۰۳"
    assert dialog.locator("tbody button").count() == 30
    page.keyboard.press("Shift+PageDown")  # a year later: Esfand 1404 has 29 days
    assert dialog.locator(".jalali-picker__title").inner_text() == "اسفند ۱۴۰۴"
    assert dialog.locator("tbody button").count() == 29
    assert focused_label(page) == "۲۹ اسفند ۱۴۰۴"


def test_a_plain_input_gets_persian_defaults_and_today_is_marked(page):
    toggle = toggle_of(page, "plain")
    assert toggle.get_attribute("aria-label") == "انتخاب تاریخ"
    toggle.click()
    dialog = dialog_of(page, "plain")
    assert dialog.get_attribute("aria-label") == "انتخاب تاریخ"
    assert dialog.locator(".jalali-picker__prev").get_attribute("aria-label") == "ماه قبل"
    assert dialog.locator(".jalali-picker__next").get_attribute("aria-label") == "ماه بعد"
    today = jdatetime.date.fromgregorian(date=NOW.date())
    label = fa(f"{today.day} {MONTH_NAMES[today.month - 1]} {today.year}")
    assert label == "۱۰ آذر ۱۴۰۵"
    marked = dialog.locator("[aria-current=date]")
    assert marked.get_attribute("aria-label") == label
    assert focused_label(page) == label, "with no value, today has the focus"
    assert dialog.locator(".jalali-picker__day--selected").count() == 0

    # Opening the other picker closes this one; a tap outside closes that one.
    toggle_of(page, "id_when").click()
    assert not dialog.is_visible() and dialog_of(page, "id_when").is_visible()
    page.click("h1")
    assert not dialog_of(page, "id_when").is_visible()
