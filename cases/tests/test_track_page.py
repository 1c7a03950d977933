import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from cases.tests.factories import submit
from persian.text import to_persian_digits

SAME_MESSAGE = "No case matches"


@pytest.fixture
def case(organization):
    return submit(topic_label="درخواست آمار و اطلاعات", mobile="+989141234567").case


def lookup(client, code, secret):
    return client.post(reverse("cases:track"), {"code": code, "secret": secret})


def test_the_right_code_and_mobile_open_the_case_without_the_code_in_the_url(client, case):
    response = lookup(client, case.tracking_code, "09141234567")
    assert response.status_code == 302
    assert case.tracking_code not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert case.subject in page.content.decode()


@pytest.mark.parametrize(
    "written",
    [
        lambda code: to_persian_digits(code),
        lambda code: code[:5] + " " + code[5:],
        lambda code: code[:3] + "-" + code[3:6] + "-" + code[6:],
        lambda code: code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
    ],
)
def test_the_code_may_be_written_in_any_digits_with_spaces_or_dashes(client, case, written):
    assert lookup(client, written(case.tracking_code), "+98 914 123 4567").status_code == 302


def test_a_mistyped_code_is_refused_before_any_lookup(client, case, django_assert_num_queries):
    code = case.tracking_code
    typo = code[:-1] + str((int(code[-1]) + 1) % 10)
    with django_assert_num_queries(0):
        response = lookup(client, typo, "09141234567")
    assert response.status_code == 200
    assert "not valid" in response.content.decode() or "معتبر نیست" in response.content.decode()


def _error_of(response):
    html = response.content.decode()
    start = html.index('class="error-summary"')
    return html[start : html.index("</div>", start)]


def test_wrong_mobile_wrong_code_and_missing_case_read_the_same(client, case):
    other = submit(topic_label="درخواست آمار و اطلاعات", mobile="+989121111111").case
    unknown = "1234567890"
    from cases.tracking import check_digit

    unknown = unknown[:9] + check_digit(unknown[:9])
    Case.objects.filter(tracking_code=unknown).delete()
    wrong_mobile = _error_of(lookup(Client(), case.tracking_code, "09120000000"))
    wrong_code = _error_of(lookup(Client(), other.tracking_code, "09141234567"))
    missing = _error_of(lookup(Client(), unknown, "09141234567"))
    assert wrong_mobile == wrong_code == missing


def test_an_anonymous_case_opens_with_its_pin_only(client, organization):
    result = submit(anonymous=True)
    assert lookup(Client(), result.case.tracking_code, "09141234567").status_code == 200
    assert lookup(Client(), result.case.tracking_code, to_persian_digits(result.pin)).status_code == 302


def test_the_case_page_needs_a_lookup_in_this_browser(client, case):
    assert Client().get(reverse("cases:case", args=[case.public_id])).status_code == 404


def test_lookups_are_limited_per_code(client, case, settings):
    settings.MIZ_LOOKUP_LIMIT_PER_CODE = 3
    for _ in range(3):
        assert lookup(Client(REMOTE_ADDR="10.0.0.1"), case.tracking_code, "09120000000").status_code == 200
    blocked = lookup(Client(REMOTE_ADDR="10.0.0.2"), case.tracking_code, "09141234567")
    assert blocked.status_code == 429


def test_lookups_are_limited_per_address(client, case, settings):
    settings.MIZ_LOOKUP_LIMIT_PER_IP = 2
    for _ in range(2):
        lookup(client, case.tracking_code, "09120000000")
    assert lookup(client, case.tracking_code, "09141234567").status_code == 429


def test_lookup_is_by_post_only(client, case):
    response = client.get(reverse("cases:track"), {"code": case.tracking_code, "secret": "09141234567"})
    assert response.status_code == 200
    assert case.subject not in response.content.decode()
