"""Hot pages run a fixed number of queries, however many cases and events there are."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases import services
from cases.tests.factories import submit
from cases.uploads import check_upload

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def busy_case(organization, clerk):
    case = submit(topic_label="درخواست آمار و اطلاعات", files=[check_upload(SimpleUploadedFile("a.pdf", PDF))]).case
    for number in range(10):
        services.add_note(case, clerk, f"یادداشت {number}")
        services.add_citizen_message(case, f"پیام {number}")
    services.answer_case(case, clerk, "پاسخ")
    return case


def test_the_citizen_case_page_query_count(busy_case, django_assert_max_num_queries):
    client = Client()
    client.post(reverse("cases:track"), {"code": busy_case.tracking_code, "secret": "09141234567"})
    url = reverse("cases:case", args=[busy_case.public_id])
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_lookup_query_count(busy_case, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = Client().post(reverse("cases:track"), {"code": busy_case.tracking_code, "secret": "09141234567"})
    assert response.status_code == 302


def test_the_staff_case_page_query_count(busy_case, clerk, django_assert_max_num_queries):
    client = Client()
    client.force_login(clerk)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("desk:case", args=[busy_case.pk])).status_code == 200


def test_the_inbox_query_count_does_not_grow_with_cases(organization, clerk, django_assert_max_num_queries):
    for number in range(40):
        submit(topic_label="درخواست آمار و اطلاعات", subject=f"موضوع {number}")
    client = Client()
    client.force_login(clerk)
    with django_assert_max_num_queries(10):  # +1: does this unverified session's person have a second factor?
        response = client.get(reverse("desk:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count('class="status ') == 25


def test_on_postgresql_a_word_search_can_read_the_trigram_index(organization):
    """The inbox's word filter (LIKE '%word%' on search_text) can be answered from an index instead of reading
    every case. On a tiny table the planner prefers a scan, so plain scans are switched off to show the index
    serves this expression; bench/inbox.py shows the planner choosing it at a million cases."""
    from django.db import connection

    from cases.models import Case

    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    submit(unit=organization["stats"])
    queryset = Case.objects.filter(search_text__contains="جمعیت").order_by().values("pk")
    with connection.cursor() as cursor:
        # Left only bitmap scans, which need an index that answers the condition itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_search_trgm" in plan, plan
