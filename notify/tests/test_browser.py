"""What a citizen receives, followed in a real browser: the SMS link to the answer, "my cases" with the code
from the SMS, and the unsubscribe link of an e-mail."""

import re

from cases import services
from cases.models import Case
from cases.tests.factories import submit
from cases.tests.test_browser import pytestmark, shot  # noqa: F401 (the skip rule)
from conftest import make_staff
from notify import outbox
from notify.models import Message, Unsubscription
from persian.text import to_persian_digits

MOBILE_TYPED = "۰۹۱۴ ۱۲۳ ۴۵۶۷"
MOBILE = "+989141234567"


def sms_texts(sms_file, mobile=MOBILE):
    outbox.deliver_due()
    return [record["text"] for record in sms_file.records() if record["to"] == mobile]


def test_a_citizen_follows_the_sms_to_the_answer_then_lists_their_cases_with_a_code(
    live_server,
    transactional_db,
    organization,
    phone,
    sms_file,
    settings,
):
    settings.MIZ_SITE_URL = live_server.url
    page = phone
    page.goto(live_server.url + "/submit/?unit=stats")
    page.check("input[name=kind][value=request]")
    page.fill("input[name=subject]", "آمار جمعیت")
    page.fill("textarea[name=body]", "آمار جمعیت شهرستان ارومیه را لازم دارم.")
    page.fill("input[name=mobile]", MOBILE_TYPED)
    page.fill("input[name=email]", "citizen@example.com")
    page.check("input[name=notify_by][value=both]")
    page.click("button[type=submit]")
    page.wait_for_selector(".tracking-code")
    case = Case.objects.get()
    assert case.notify_by == "both"
    [received] = sms_texts(sms_file)
    assert case.display_code in received

    services.answer_case(case, make_staff("head-stats", organization["stats"], "head"), "آمار پیوست شد.")
    answered = sms_texts(sms_file)[-1]
    link = re.search(r"http://\S+", answered).group(0)
    page.context.clear_cookies()  # another day, another browser session
    page.goto(link)
    assert page.input_value("input[name=code]") == case.tracking_code  # filled in by the link
    page.fill("input[name=secret]", MOBILE_TYPED)  # the second factor is still asked
    page.click("button[type=submit]")
    page.wait_for_selector("text=آمار پیوست شد.")
    shot(page, "answer-from-sms")

    page.goto(live_server.url + "/my-cases/")
    page.fill("input[name=mobile]", MOBILE_TYPED)
    page.click("button[type=submit]")
    page.wait_for_selector("input[name=code]")
    code = re.search(r"(?<!\d)\d{6}(?!\d)", sms_texts(sms_file)[-1]).group(0)
    page.fill("input[name=code]", to_persian_digits(code))  # typed on a Persian keyboard
    page.click("button[type=submit]")
    page.wait_for_selector("text=آمار جمعیت")
    shot(page, "my-cases")
    assert MOBILE not in page.url and "0914" not in page.url


def test_a_citizen_unsubscribes_from_the_link_in_an_e_mail(
    live_server,
    transactional_db,
    organization,
    phone,
    settings,
):
    settings.MIZ_SITE_URL = live_server.url
    submit(email="citizen@example.com", notify_by="email", unit=organization["stats"])
    link = re.search(r"http://\S+/unsubscribe/\S+/", Message.objects.get(channel="email").text).group(0)
    page = phone
    page.goto(link)
    assert not Unsubscription.objects.exists()  # opening the link changes nothing
    page.click("button[type=submit]")
    page.wait_for_selector("[role=status]")
    shot(page, "unsubscribed")
    assert Unsubscription.objects.filter(address="citizen@example.com").exists()
