"""A unit head's day in a real browser: the inbox tabs, a date picked in the Jalali calendar, an approval."""

import pytest

from cases import services
from cases.models import Case, Status
from cases.tests.factories import submit
from cases.tests.test_browser import browser, pytestmark, shot  # noqa: F401 (fixtures and the skip rule)
from directory.models import StaffMembership


@pytest.fixture
def desk_page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert problems == [], f"console errors (a CSP violation shows here): {problems}"


def test_a_head_filters_by_a_picked_date_and_approves_an_answer(
    live_server, transactional_db, organization, clerk, new_staff, desk_page
):
    head = new_staff("head-stats", organization["stats"], StaffMembership.Role.HEAD)
    head.set_password("a-long-test-password")
    head.save()
    organization["stats"].requires_answer_approval = True
    organization["stats"].save()
    case = submit(topic_label="درخواست آمار و اطلاعات", subject="سالنامه آماری ۱۴۰۴").case
    services.answer_case(case, clerk, "پیوست سالنامه")

    page = desk_page
    page.goto(live_server.url + "/desk/login/")
    page.fill("input[name=username]", "head-stats")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_selector("nav.tabs")

    page.click("details.filters__more summary")
    page.locator(".jalali-picker__toggle").first.click()
    page.wait_for_selector("[role=dialog]")
    page.locator("[role=dialog] .jalali-picker__day--today").first.click()
    picked = page.input_value("#id_received_from")
    assert picked and all(ch in "۰۱۲۳۴۵۶۷۸۹/" for ch in picked)
    page.click("details.filters__more button[type=submit]")
    page.wait_for_selector("table")
    assert "سالنامه آماری" in page.content()

    page.click("nav.tabs a[href*='tab=approval']")
    page.click("table a:has-text('سالنامه آماری')")
    shot(page, "desk-approval")
    page.click("text=تأیید و ارسال")
    page.wait_for_selector(".notice, .messages")
    assert Case.objects.get(pk=case.pk).status == Status.ANSWERED
