"""The public "about the organization" pages: chart, unit pages, people search, vCards, e-mail, the cache."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases.models import Case, RoutingMethod
from cases.tests.test_submit_page import form_data
from directory.forms import PositionAdminForm
from directory.models import OrganizationProfile, Position, Unit, UnitPhone


@pytest.fixture
def stats_head(organization):
    head = Position.objects.get(unit__code="stats", is_head=True)
    head.holder_name = "علی رضایی"
    head.phone = "044-3123 4567"
    head.email = "ali.rezaei@example.org"
    head.is_sample = False
    head.save()
    return head


def test_the_main_menu_leads_to_the_introduction_on_every_page(organization, client):
    OrganizationProfile.objects.create(pk=1, introduction="ماموریت سازمان\n\nبرنامه‌ریزی استان https://example.org")
    home = client.get(reverse("cases:home")).content.decode()
    assert reverse("directory:about") in home
    about = client.get(reverse("directory:about")).content.decode()
    assert "ماموریت سازمان" in about
    assert '<a href="https://example.org"' in about


def test_the_chart_is_a_nested_list_from_deputies_to_units(organization, client):
    page = client.get(reverse("directory:chart")).content.decode()
    budget = page.index(Unit.objects.get(code="budget").name)
    planning = page.index(Unit.objects.get(code="planning").name)
    assert budget < planning
    assert page.count("<ul") >= 3  # organization > deputies > units
    assert "دبیرخانه میز خدمت" not in page  # triage is an internal desk, not a unit citizens look for
    assert page.index("رئیس سازمان") < budget  # the head of the organization is the root


def test_a_unit_page_shows_what_it_handles_its_people_phones_and_topics(organization, stats_head, client):
    UnitPhone.objects.create(unit=organization["stats"], label=UnitPhone.Label.FAX, number="044-3123 0000")
    page = client.get(reverse("directory:unit", args=["stats"])).content.decode()
    assert organization["stats"].handles[:20] in page
    assert "علی رضایی" in page
    assert 'href="tel:+984431234567"' in page
    assert "نمابر" in page
    assert "سالنامه آماری" in page  # a public topic
    assert '?unit=stats"' in page
    assert client.get(reverse("directory:unit", args=["triage"])).status_code == 404
    assert client.get(reverse("directory:unit", args=["nope"])).status_code == 404


def test_send_a_case_from_the_unit_page_routes_it_there(organization, client):
    unit_page = client.get(reverse("directory:unit", args=["stats"])).content.decode()
    link = re.search(r'href="(/submit/\?unit=stats)"', unit_page).group(1)
    form_page = client.get(link).content.decode()
    assert 'name="unit" value="stats"' in form_page
    # The citizen writes in another unit's words (tenders): the unit they chose still wins.
    data = form_data(client, unit="stats", subject="پرسش", body="درباره مناقصه‌ها و تعدیل پیمان")
    assert client.post(link, data).status_code == 302
    case = Case.objects.get()
    assert (case.unit.code, case.routing_method) == ("stats", RoutingMethod.UNIT)


def test_people_search_matches_across_letters_zwnj_and_digits(organization, stats_head, client):
    for typed in ("علی", "علي", "رضايي", "آمار", "مدیر آمار"):
        page = client.get(reverse("directory:people"), {"q": typed}).content.decode()
        assert "علی رضایی" in page, typed
    page = client.get(reverse("directory:people"), {"q": "ناموجود"}).content.decode()
    assert "علی رضایی" not in page


def test_e_mail_is_not_in_the_page_as_plain_text_but_reachable(organization, stats_head, client):
    page = client.get(reverse("directory:unit", args=["stats"])).content.decode()
    assert "ali.rezaei@example.org" not in page
    assert "mailto:" not in page
    assert "&#97;&#108;&#105;" in page  # "ali" as entities: read and shown as written
    response = client.get(reverse("directory:position_email", args=[stats_head.pk]))
    assert response.status_code == 302
    assert response["Location"] == "mailto:ali.rezaei@example.org"


def test_vcard_4_in_utf8_with_the_persian_name_whole(organization, stats_head, client):
    response = client.get(reverse("directory:vcard", args=[stats_head.pk]))
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[:3] == ["BEGIN:VCARD", "VERSION:4.0", "FN:علی رضایی"]
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:+984431234567" in lines
    assert "EMAIL;TYPE=work:ali.rezaei@example.org" in lines
    assert text.endswith("END:VCARD\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert f";{organization['stats'].name}\r\n" in unfolded  # ORG: the organization;the unit


def test_a_vacant_post_shows_vacant_and_has_no_vcard(organization, client):
    post = Position.objects.get(unit__code="legal", is_head=True)
    post.holding = Position.Holding.VACANT
    post.save()
    assert "خالی" in client.get(reverse("directory:unit", args=["legal"])).content.decode()
    assert client.get(reverse("directory:vcard", args=[post.pk])).status_code == 404


def test_an_acting_holder_is_marked(organization, stats_head, client):
    stats_head.holding = Position.Holding.ACTING
    stats_head.save()
    assert "سرپرست" in client.get(reverse("directory:unit", args=["stats"])).content.decode()


def test_pages_come_from_the_cache_and_an_edit_shows_at_once(
    organization, stats_head, client, django_assert_num_queries
):
    url = reverse("directory:unit", args=["stats"])
    client.get(url)
    with django_assert_num_queries(0):
        assert "علی رضایی" in client.get(url).content.decode()
    stats_head.holder_name = "زهرا کریمی"
    stats_head.save()
    assert "زهرا کریمی" in client.get(url).content.decode()
    client.get(reverse("directory:people"))
    with django_assert_num_queries(0):
        client.get(reverse("directory:people"))


def test_a_cold_unit_page_costs_a_fixed_number_of_queries(organization, stats_head, client, django_assert_num_queries):
    # The unit, its phones, its positions, its topics.
    with django_assert_num_queries(4):
        client.get(reverse("directory:unit", args=["stats"]))


def _jpeg_with_gps(size=(1200, 900)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:01:01 10:00:00"  # DateTime
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_resized_and_stripped_of_metadata(organization, stats_head):
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    form = PositionAdminForm(
        data={
            "unit": stats_head.unit_id, "title": stats_head.title, "holder_name": "علی رضایی", "holding": "held",
            "is_head": "on", "order": 0,
        },
        files={"photo": upload},
        instance=stats_head,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    saved = form.save()
    with saved.photo.open("rb") as stored, Image.open(stored) as image:
        assert max(image.size) == 600
        assert not image.getexif()
        assert "exif" not in image.info


def test_a_file_that_is_not_a_picture_is_refused_beside_the_field(organization, stats_head):
    upload = SimpleUploadedFile("me.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    form = PositionAdminForm(
        data={"unit": stats_head.unit_id, "title": stats_head.title, "holding": "held", "order": 0},
        files={"photo": upload},
        instance=stats_head,
    )
    assert not form.is_valid()
    assert "photo" in form.errors


def test_photos_are_served_by_the_site(organization, stats_head, client):
    upload = SimpleUploadedFile("me.png", _jpeg_with_gps((50, 50)), content_type="image/jpeg")
    form = PositionAdminForm(
        data={"unit": stats_head.unit_id, "title": stats_head.title, "holding": "held", "order": 0},
        files={"photo": upload},
        instance=stats_head,
    )
    assert form.is_valid(), form.errors
    saved = form.save()
    response = client.get(reverse("directory:photo", args=[saved.photo.name]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert client.get(reverse("directory:photo", args=["..%2Fsecret_key"])).status_code == 404
    assert client.get(reverse("directory:photo", args=["no-such.jpg"])).status_code == 404


def test_the_admin_edits_units_with_phones_and_people_and_the_single_introduction(
    organization, administrator, signed_in
):
    client = signed_in(administrator)
    unit = organization["stats"]
    assert client.get(reverse("admin:directory_unit_change", args=[unit.pk])).status_code == 200
    response = client.get(reverse("admin:directory_organizationprofile_changelist"))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("admin:directory_organizationprofile_add")).status_code == 403
