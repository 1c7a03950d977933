"""The inbox: tabs and their counts, filters, search across letter and digit variants, keyset pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Status
from cases.tests.factories import submit
from desk import services
from desk.services import InboxQuery, keyset_page
from directory.models import StaffMembership
from directory.scope import scope_of

STATS_TOPIC = "درخواست آمار و اطلاعات"


def codes(cases):
    return [case.tracking_code for case in cases]


@pytest.fixture
def stats_cases(organization):
    return [submit(topic_label=STATS_TOPIC, subject=f"درخواست شماره {n}").case for n in range(7)]


def test_tab_counts_come_from_one_query(stats_cases, clerk, django_assert_num_queries):
    case_services.assign_case(stats_cases[0], clerk, clerk)
    case_services.request_information(stats_cases[1], clerk, "کدام سال؟")
    Case.objects.filter(pk=stats_cases[2].pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    case_services.answer_case(stats_cases[3], clerk, "پاسخ")  # answered: no longer the unit's open work
    scope_of(clerk)  # who the person is: worked out once per request, before any tab
    with django_assert_num_queries(1):
        counts = services.tab_counts(clerk)
    assert counts == {"mine": 1, "unit": 6, "approval": 0, "overdue": 1, "waiting": 1}


def test_the_approval_tab_is_the_heads(organization, clerk, new_staff):
    head = new_staff("head-stats", organization["stats"], StaffMembership.Role.HEAD)
    organization["stats"].requires_answer_approval = True
    organization["stats"].save()
    case = submit(topic_label=STATS_TOPIC).case
    case_services.answer_case(case, clerk, "پیش‌نویس")
    assert codes(services.inbox(head, InboxQuery(tab="approval"))) == [case.tracking_code]
    assert codes(services.inbox(clerk, InboxQuery(tab="approval"))) == []


def test_search_matches_across_arabic_letters_zwnj_and_digit_scripts(organization, clerk):
    wanted = submit(topic_label=STATS_TOPIC, subject="سالنامه آماری", body="نسخه ۱۴۰۳ را می‌خواهم").case
    submit(topic_label=STATS_TOPIC, subject="سرشماری", body="جمعیت روستاها")
    for typed in ("سالنامه", "سالنامه آماري", "1403", "٨"[:0] + "۱۴۰۳", "میخواهم", "مي‌خواهم"):
        assert codes(services.inbox(clerk, InboxQuery(text=typed))) == [wanted.tracking_code], typed


def test_filters_by_kind_status_topic_and_jalali_dates(organization, clerk):
    complaint = submit(topic_label=STATS_TOPIC, kind="complaint").case
    request = submit(topic_label=STATS_TOPIC).case
    Case.objects.filter(pk=request.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    assert codes(services.inbox(clerk, InboxQuery(kind="complaint"))) == [complaint.tracking_code]
    today = timezone.localdate()
    recent = services.inbox(clerk, InboxQuery(received_from=today - datetime.timedelta(days=3), received_to=today))
    assert codes(recent) == [complaint.tracking_code]
    assert codes(services.inbox(clerk, InboxQuery(status=Status.ROUTED))) == codes(
        services.inbox(clerk).order_by("-created_at", "-pk")
    )


@pytest.mark.parametrize("sort", ["arrival", "due"])
def test_keyset_pages_walk_every_case_once_in_order_and_back(stats_cases, clerk, sort):
    # Ties on the sort column (same due date) are broken by id, so no case is skipped or repeated.
    ordered = list(
        services.inbox(clerk).order_by(*(["-created_at", "-pk"] if sort == "arrival" else ["due_date", "pk"]))
    )
    seen, pages, cursor = [], [], ""
    while True:
        page = keyset_page(services.inbox(clerk), sort, after=cursor, size=3)
        pages.append(page)
        seen += page.cases
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert codes(seen) == codes(ordered)
    assert [len(page.cases) for page in pages] == [3, 3, 1]
    back = keyset_page(services.inbox(clerk), sort, before=pages[2].previous_cursor, size=3)
    assert codes(back.cases) == codes(pages[1].cases)
    first = keyset_page(services.inbox(clerk), sort, before=back.previous_cursor, size=3)
    assert codes(first.cases) == codes(pages[0].cases)
    assert not first.previous_cursor


def test_a_forged_cursor_is_the_first_page(stats_cases, clerk, signed_in):
    response = signed_in(clerk).get(reverse("desk:inbox"), {"after": "not-a-cursor!"})
    assert response.status_code == 200
    assert (
        keyset_page(services.inbox(clerk), "arrival", after="@@@").cases
        == keyset_page(services.inbox(clerk), "arrival").cases
    )


def test_the_inbox_page_shows_tabs_filters_and_keeps_what_was_typed(stats_cases, clerk, signed_in):
    client = signed_in(clerk)
    response = client.get(reverse("desk:inbox"), {"text": "شماره", "received_from": "۱۴۰۵/۱۳/۴۰", "tab": "unit"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "۱۴۰۵/۱۳/۴۰" in page  # the bad date is shown as typed, with its message
    assert 'aria-current="page"' in page
    assert stats_cases[0].subject in page


def test_the_inbox_page_query_count_does_not_grow_with_the_page(
    organization, clerk, signed_in, django_assert_num_queries
):
    client = signed_in(clerk)
    for n in range(31):
        submit(topic_label=STATS_TOPIC, subject=f"مورد {n}")
    # Session, user, memberships, the user's and the groups' permissions, one page of cases (unit and
    # assignee joined), holidays for "days left", the tab counts, the topics of the filter: nothing per row.
    with django_assert_num_queries(10):  # 9, and whether this unverified session's person has a second factor
        response = client.get(reverse("desk:inbox"), {"text": "مورد", "sort": "due"})
    assert len(response.context["page"].cases) == 25
