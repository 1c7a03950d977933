"""“My cases by mobile”: a code sent by SMS through the outbox opens the list of the cases sent with a number."""

import datetime
import logging
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import mobile_access
from cases.mobile_views import PENDING_KEY
from cases.models import OneTimeCode
from cases.tests.factories import submit
from notify import outbox
from notify.models import Message
from notify.sms.file import FileBackend
from persian.text import to_persian_digits

STATS_TOPIC = "درخواست آمار و اطلاعات"
MINE = "+989141234567"
OTHER = "+989121111111"
UNKNOWN = "+989351112233"
# Six digits in any script, not part of a longer number (the minutes in the SMS are a single digit).
CODE_IN_SMS = re.compile(r"(?<!\d)\d{6}(?!\d)")


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    """Each test its own SMS file, so that a test reads only the codes it asked for."""
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return settings.SMS_FILE_PATH


@pytest.fixture
def cases(organization):
    """Two cases sent with MINE, one with OTHER, one anonymous."""
    return {
        "mine": [
            submit(topic_label=STATS_TOPIC, mobile=MINE, subject="درخواست آمار جمعیت").case,
            submit(topic_label=STATS_TOPIC, mobile=MINE, subject="شکایت از تأخیر", kind="complaint").case,
        ],
        "other": submit(topic_label=STATS_TOPIC, mobile=OTHER, subject="پیشنهاد همسایه", kind="suggestion").case,
        "anonymous": submit(topic_label=STATS_TOPIC, anonymous=True, subject="نامه بی‌نام").case,
    }


def sms_to(mobile: str) -> list[str]:
    """Deliver what the outbox holds, then the one-time code SMS the file received for this number, oldest first.

    The number's cases got their own SMS (case received, ...); the codes are the outbox's one_time_code messages.
    """
    outbox.deliver_due()
    codes = {str(d) for d in Message.objects.filter(template="one_time_code").values_list("delivery_id", flat=True)}
    return [
        record["text"]
        for record in FileBackend(settings.SMS_FILE_PATH).records()
        if record["to"] == mobile and record["idempotency_key"] in codes
    ]


def code_in(text: str) -> str:
    found = CODE_IN_SMS.findall(text)
    assert len(found) == 1, text
    return found[0]


def latest_code(mobile: str) -> str:
    texts = sms_to(mobile)
    assert texts, f"no SMS to {mobile}"
    return code_in(texts[-1])


def a_wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def ask_code(client: Client, mobile: str):
    return client.post(reverse("cases:my_cases"), {"mobile": mobile})


def enter_code(client: Client, code: str):
    return client.post(reverse("cases:my_cases_code"), {"code": code})


def sign_in(client: Client, mobile: str = MINE):
    assert ask_code(client, mobile).status_code == 302
    response = enter_code(client, latest_code(mobile))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_cases_list")
    return response


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.index('class="error-summary"')
    return html[start : html.index("</div>", start)]


# --- The whole way through -------------------------------------------------------------------------------------


def test_a_citizen_sees_exactly_the_cases_sent_with_their_number_newest_first(cases):
    citizen = Client()
    response = ask_code(citizen, "0914 123 4567")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_cases_code")
    assert "۰۹۱۴ ۱۲۳ ۴۵۶۷" in citizen.get(response["Location"]).content.decode()

    sign_in_response = enter_code(citizen, latest_code(MINE))
    page = citizen.get(sign_in_response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    newest, oldest = reversed(cases["mine"])
    assert html.index(to_persian_digits(newest.display_code)) < html.index(to_persian_digits(oldest.display_code))
    for case in cases["mine"]:
        assert case.subject in html
        assert case.get_kind_display() in html
        assert case.get_status_display() in html
    for case in (cases["other"], cases["anonymous"]):
        assert to_persian_digits(case.display_code) not in html
        assert case.subject not in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_a_case_in_the_list_opens_the_citizens_case_page(cases):
    citizen = Client()
    sign_in(citizen)
    case = cases["mine"][0]
    opened = citizen.get(reverse("cases:my_cases_case", args=[case.public_id]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("cases:case", args=[case.public_id])
    page = citizen.get(opened["Location"])
    assert page.status_code == 200
    assert case.body in page.content.decode()


def test_a_case_of_another_number_cannot_be_opened_through_the_list(cases):
    citizen = Client()
    sign_in(citizen)
    other = cases["other"]
    assert citizen.get(reverse("cases:my_cases_case", args=[other.public_id])).status_code == 404
    assert citizen.get(reverse("cases:case", args=[other.public_id])).status_code == 404


def test_the_session_gets_a_new_key_when_the_code_is_accepted(cases):
    citizen = Client()
    ask_code(citizen, MINE)
    before = citizen.session.session_key
    enter_code(citizen, latest_code(MINE))
    assert citizen.session.session_key != before
    assert PENDING_KEY not in citizen.session


# --- The code ----------------------------------------------------------------------------------------------------


def test_the_code_has_six_digits_and_only_its_hmac_is_stored(cases):
    ask_code(Client(), MINE)
    code = latest_code(MINE)
    assert len(code) == 6
    assert code.isascii()
    assert code.isdigit()
    otp = OneTimeCode.objects.get(mobile=MINE)
    assert code not in otp.code_hash
    assert len(otp.code_hash) == 64
    assert otp.code_hash == mobile_access.code_hash(MINE, code)


def test_a_code_may_begin_with_zeros(cases, monkeypatch):
    monkeypatch.setattr(mobile_access.secrets, "randbelow", lambda upper: 42)
    ask_code(Client(), MINE)
    assert latest_code(MINE) == "000042"
    assert mobile_access.verify_code(MINE, "000042")


def test_a_code_works_until_its_lifetime_ends_and_never_after(cases):
    start = timezone.now()
    result = mobile_access.request_code(MINE, "10.0.0.1", now=start)
    assert result.expires_at == start + datetime.timedelta(seconds=settings.MIZ_OTP_SECONDS)
    code = latest_code(MINE)
    assert not mobile_access.verify_code(MINE, code, now=result.expires_at)

    result = mobile_access.request_code(MINE, "10.0.0.1", now=start)
    code = latest_code(MINE)
    assert mobile_access.verify_code(MINE, code, now=result.expires_at - datetime.timedelta(seconds=1))


def test_the_sms_of_a_code_is_not_sent_once_the_code_has_expired(cases):
    result = mobile_access.request_code(MINE, "10.0.0.1")
    otp = OneTimeCode.objects.get(mobile=MINE)
    message = Message.objects.get(key=f"otp:{otp.pk}")
    assert message.expires_at == result.expires_at == otp.expires_at
    outbox.deliver(message.pk, now=result.expires_at + datetime.timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == Message.Status.SKIPPED
    assert sms_to(MINE) == []


def test_after_five_wrong_codes_even_the_right_one_fails(cases):
    citizen = Client()
    ask_code(citizen, MINE)
    code = latest_code(MINE)
    wrong = a_wrong_code(code)
    for _ in range(settings.MIZ_OTP_MAX_TRIES):
        assert enter_code(citizen, wrong).status_code == 200
    refused = enter_code(citizen, code)
    assert refused.status_code == 200
    assert 'class="field-error"' in refused.content.decode()
    assert citizen.get(reverse("cases:my_cases_list"))["Location"] == reverse("cases:my_cases")


def test_four_wrong_codes_still_leave_the_right_one_working(cases):
    citizen = Client()
    ask_code(citizen, MINE)
    code = latest_code(MINE)
    wrong = a_wrong_code(code)
    for _ in range(settings.MIZ_OTP_MAX_TRIES - 1):
        enter_code(citizen, wrong)
    assert enter_code(citizen, code).status_code == 302


def test_a_code_works_only_once(cases):
    mobile_access.request_code(MINE, "10.0.0.1")
    code = latest_code(MINE)
    assert mobile_access.verify_code(MINE, code)
    assert not mobile_access.verify_code(MINE, code)


def test_a_new_code_retires_the_one_before(cases):
    citizen = Client()
    ask_code(citizen, MINE)
    first = latest_code(MINE)
    ask_code(citizen, MINE)
    second = latest_code(MINE)
    if first != second:  # one chance in a million that the two are equal
        assert enter_code(citizen, first).status_code == 200
    assert enter_code(citizen, second).status_code == 302


def test_a_code_is_for_its_own_number_only(cases, monkeypatch):
    codes = iter([111111, 222222])
    monkeypatch.setattr(mobile_access.secrets, "randbelow", lambda upper: next(codes))
    mobile_access.request_code(MINE, "10.0.0.1")
    mobile_access.request_code(OTHER, "10.0.0.1")
    assert latest_code(MINE) == "111111"
    assert not mobile_access.verify_code(OTHER, "111111")
    assert mobile_access.verify_code(MINE, "111111")


@pytest.mark.parametrize(
    "written",
    [
        to_persian_digits,
        lambda code: code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        lambda code: f" {code[:3]} {code[3:]} ",
    ],
    ids=["persian", "arabic-indic", "spaces"],
)
def test_the_code_may_be_typed_in_persian_or_arabic_indic_digits_and_with_spaces(cases, written):
    citizen = Client()
    ask_code(citizen, MINE)
    assert enter_code(citizen, written(latest_code(MINE))).status_code == 302


def test_a_wrong_code_shows_an_error_beside_the_field_and_keeps_the_number(cases):
    citizen = Client()
    ask_code(citizen, MINE)
    code = latest_code(MINE)
    response = enter_code(citizen, a_wrong_code(code))
    html = response.content.decode()
    assert response.status_code == 200
    field = html[html.index('<label class="field-label" for="id_code"') :]
    assert field.index('class="field-error"') < field.index('id="id_code"')
    assert "۰۹۱۴ ۱۲۳ ۴۵۶۷" in html
    assert citizen.session[PENDING_KEY] == MINE
    assert enter_code(citizen, code).status_code == 302


def test_a_code_of_the_wrong_length_is_refused_without_using_a_try(cases):
    citizen = Client()
    ask_code(citizen, MINE)
    response = enter_code(citizen, "12345")
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert OneTimeCode.objects.get(mobile=MINE).failed_tries == 0


# --- Limits ------------------------------------------------------------------------------------------------------


def test_a_number_gets_at_most_three_codes_in_a_window(cases):
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert ask_code(Client(REMOTE_ADDR=address), MINE).status_code == 302
    refused = ask_code(Client(REMOTE_ADDR="10.0.0.4"), MINE)
    assert refused.status_code == 429
    assert error_summary(refused)
    assert len(sms_to(MINE)) == settings.MIZ_OTP_LIMIT_PER_MOBILE == 3
    assert ask_code(Client(REMOTE_ADDR="10.0.0.4"), OTHER).status_code == 302


def test_one_address_asks_for_at_most_ten_codes_in_a_window_whatever_the_numbers(cases):
    numbers = [f"+9891200000{i:02d}" for i in range(settings.MIZ_OTP_LIMIT_PER_IP)]
    for number in numbers:
        assert ask_code(Client(REMOTE_ADDR="10.0.0.9"), number).status_code == 302
    refused = ask_code(Client(REMOTE_ADDR="10.0.0.9"), MINE)
    assert refused.status_code == 429
    assert sms_to(MINE) == []
    assert ask_code(Client(REMOTE_ADDR="10.0.0.10"), MINE).status_code == 302
    assert len(sms_to(MINE)) == 1


def test_every_refusal_reads_the_same_whichever_limit_and_whether_the_number_has_cases(cases, settings):
    settings.MIZ_OTP_LIMIT_PER_MOBILE = 1
    settings.MIZ_OTP_LIMIT_PER_IP = 3
    ask_code(Client(REMOTE_ADDR="10.0.0.1"), MINE)
    ask_code(Client(REMOTE_ADDR="10.0.0.1"), UNKNOWN)
    by_number_with_cases = ask_code(Client(REMOTE_ADDR="10.0.0.2"), MINE)
    by_number_without_cases = ask_code(Client(REMOTE_ADDR="10.0.0.2"), UNKNOWN)
    ask_code(Client(REMOTE_ADDR="10.0.0.1"), OTHER)  # the address's third
    by_address = ask_code(Client(REMOTE_ADDR="10.0.0.1"), "+989131234567")
    refusals = [by_number_with_cases, by_number_without_cases, by_address]
    assert [response.status_code for response in refusals] == [429, 429, 429]
    assert len({error_summary(response) for response in refusals}) == 1


# --- Nothing to learn about a number -----------------------------------------------------------------------------


def _without_variable_parts(html: str, mobile: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    national = "0" + mobile[3:]
    formatted = to_persian_digits(f"{national[:4]} {national[4:7]} {national[7:]}")
    return html.replace(formatted, "NUMBER").replace(mobile, "NUMBER")


def test_a_number_without_cases_is_answered_exactly_like_one_with_cases(cases):
    known, unknown = Client(), Client()
    known_response, unknown_response = ask_code(known, MINE), ask_code(unknown, UNKNOWN)
    assert (known_response.status_code, known_response["Location"]) == (
        unknown_response.status_code,
        unknown_response["Location"],
    )
    known_page = known.get(reverse("cases:my_cases_code")).content.decode()
    unknown_page = unknown.get(reverse("cases:my_cases_code")).content.decode()
    assert _without_variable_parts(known_page, MINE) == _without_variable_parts(unknown_page, UNKNOWN)

    known_sms, unknown_sms = sms_to(MINE), sms_to(UNKNOWN)
    assert len(known_sms) == len(unknown_sms) == 1
    assert CODE_IN_SMS.sub("CODE", known_sms[0]) == CODE_IN_SMS.sub("CODE", unknown_sms[0])

    enter_code(unknown, code_in(unknown_sms[0]))
    listing = unknown.get(reverse("cases:my_cases_list"))
    assert listing.status_code == 200
    assert "<tbody>" in listing.content.decode()
    for case in cases["mine"]:
        assert case.subject not in listing.content.decode()


def test_the_mobile_number_never_appears_in_a_url(cases):
    citizen = Client()
    responses = [citizen.get(reverse("cases:my_cases")), ask_code(citizen, "09141234567")]
    responses.append(citizen.get(responses[-1]["Location"]))
    responses.append(enter_code(citizen, a_wrong_code(latest_code(MINE))))
    responses.append(enter_code(citizen, latest_code(MINE)))
    responses.append(citizen.get(responses[-1]["Location"]))
    responses.append(citizen.get(reverse("cases:my_cases_case", args=[cases["mine"][0].public_id])))
    for _ in range(3):
        responses.append(ask_code(citizen, MINE))  # up to the refusal
    assert responses[-1].status_code == 429

    urls = []
    for response in responses:
        if response.has_header("Location"):
            urls.append(response["Location"])
        if response.content:
            urls += re.findall(r"""(?:href|action|src)="([^"]*)""", response.content.decode())
    urls += [response.wsgi_request.get_full_path() for response in responses]
    assert len(urls) > 20
    digits = "9141234567"
    for url in urls:
        # The number in any digits, whole or as typed in groups (a space is %20 or + in a query string).
        for form in (digits, to_persian_digits(digits), "914%20123", "914+123", "%DB%B9"):
            assert form not in url, url


def test_nothing_personal_reaches_the_logs(cases, caplog):
    caplog.set_level(logging.DEBUG)
    citizen = Client()
    ask_code(citizen, MINE)
    code = latest_code(MINE)
    enter_code(citizen, a_wrong_code(code))
    enter_code(citizen, code)
    citizen.get(reverse("cases:my_cases_list"))
    for record in caplog.records:
        message = record.getMessage()
        assert "9141234567" not in message
        assert code not in message


# --- The list ----------------------------------------------------------------------------------------------------


def test_the_list_page_makes_the_same_few_queries_however_many_cases(cases, django_assert_max_num_queries):
    citizen = Client()
    sign_in(citizen)
    with django_assert_max_num_queries(2):
        small = citizen.get(reverse("cases:my_cases_list"))
    for _ in range(8):
        submit(topic_label=STATS_TOPIC, mobile=MINE)
    with django_assert_max_num_queries(2):
        large = citizen.get(reverse("cases:my_cases_list"))
    assert small.content.decode().count("/my-cases/case/") == 2 * 2
    assert large.content.decode().count("/my-cases/case/") == 10 * 2


def test_the_list_closes_when_the_session_time_is_over(cases, monkeypatch):
    citizen = Client()
    sign_in(citizen)
    assert citizen.get(reverse("cases:my_cases_list")).status_code == 200
    later = timezone.now() + datetime.timedelta(seconds=settings.MIZ_OTP_SESSION_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = citizen.get(reverse("cases:my_cases_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_cases")
    assert citizen.get(reverse("cases:my_cases_case", args=[cases["mine"][0].public_id])).status_code == 302


def test_the_code_and_list_pages_send_a_browser_that_proved_nothing_back_to_the_start(cases):
    for name in ("cases:my_cases_code", "cases:my_cases_list"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:my_cases")
    opened = Client().get(reverse("cases:my_cases_case", args=[cases["mine"][0].public_id]))
    assert opened["Location"] == reverse("cases:my_cases")


def test_a_mistyped_number_is_refused_beside_the_field_and_nothing_is_sent(cases):
    response = ask_code(Client(), "0914 123")
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert not OneTimeCode.objects.exists()
    assert not Message.objects.filter(template="one_time_code").exists()


def test_the_home_and_track_pages_link_to_my_cases(organization):
    for name in ("cases:home", "cases:track"):
        assert f'href="{reverse("cases:my_cases")}"' in Client().get(reverse(name)).content.decode()


def test_each_page_has_one_heading_and_reads_right_to_left(cases):
    citizen = Client()
    pages = [citizen.get(reverse("cases:my_cases"))]
    ask_code(citizen, MINE)
    pages.append(citizen.get(reverse("cases:my_cases_code")))
    enter_code(citizen, latest_code(MINE))
    pages.append(citizen.get(reverse("cases:my_cases_list")))
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert len(re.findall(r"<h1[\s>]", html)) == 1
        assert '<html lang="fa" dir="rtl">' in html


def test_codes_expired_over_a_day_ago_are_forgotten(db):
    now = timezone.now()
    mobile_access.request_code(MINE, "203.0.113.9", now=now - datetime.timedelta(days=2))
    mobile_access.request_code(OTHER, "203.0.113.9", now=now)
    assert mobile_access.forget_old_codes(now) == 1
    assert list(OneTimeCode.objects.values_list("mobile", flat=True)) == [OTHER]
