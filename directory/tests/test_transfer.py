"""Export and import of the whole directory as CSV and XLSX: round trips, normalization, every bad row, the admin."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory import transfer
from directory.models import Position, Unit, UnitPhone
from directory.transfer import COLUMNS, export_csv, export_rows, export_xlsx, import_file

HEADER = ",".join(COLUMNS)


def snapshot():
    """Everything the import may write, to prove it wrote nothing (or nothing different)."""
    units = list(Unit.objects.order_by("pk").values_list("pk", "email", "office_hours", "room"))
    phones = list(UnitPhone.objects.order_by("unit_id", "order", "pk").values_list("unit_id", "label", "number"))
    positions = list(
        Position.objects.order_by("pk").values_list(
            "pk",
            "unit_id",
            "title",
            "holder_name",
            "holding",
            "is_head",
            "phone",
            "email",
            "office_hours",
            "room",
            "order",
            "is_sample",
        )
    )
    return units, phones, positions


def csv_file(*lines: str, header: str = HEADER, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join([header, *lines]).encode(encoding)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def richer(organization):
    """The default organization plus what the defaults lack: phones, a head of the organization, tricky text."""
    stats = organization["stats"]
    stats.email = "stats@example.org"
    stats.room = "طبقه ۲، اتاق ۲۰۴"
    stats.save()
    UnitPhone.objects.create(unit=stats, label=UnitPhone.Label.OFFICE, number="044-3123 4567", order=1)
    UnitPhone.objects.create(unit=stats, label=UnitPhone.Label.FAX, number="044-3123 0000", order=2)
    Position.objects.create(
        unit=None, title="رئیس سازمان", holder_name="=HYPERLINK(1)", phone="+98 44 3123 0001", is_head=True
    )
    Position.objects.create(
        unit=stats, title="کارشناس آمار", holding=Position.Holding.VACANT, order=5, phone="-210", is_sample=False
    )
    Position.objects.create(unit=stats, title="کارشناس داده", phone="044-3123 4567، داخلی 210", order=6)
    return organization


# --- Export ----------------------------------------------------------------------------------------


def test_the_export_has_every_unit_and_every_position(organization):
    rows = read_csv(export_csv())
    assert rows[0] == COLUMNS
    unit_codes = {row[1] for row in rows[1:] if row[0] == "unit"}
    titles = {(row[1], row[3]) for row in rows[1:] if row[0] == "position"}
    assert unit_codes == set(Unit.objects.values_list("code", flat=True))
    assert titles == {(p.unit.code if p.unit else "", p.title) for p in Position.objects.select_related("unit")}
    assert len(rows) == 1 + Unit.objects.count() + Position.objects.count()


def test_the_csv_starts_with_a_byte_order_mark_and_keeps_formulas_as_text(richer):
    data = export_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "'+98 44 3123 0001" in text
    assert "office: 044-3123 4567; fax: 044-3123 0000" in text


def test_the_xlsx_is_right_to_left_with_a_bold_header_and_text_not_formulas(richer):
    workbook = openpyxl.load_workbook(io.BytesIO(export_xlsx()))
    sheet = workbook.worksheets[0]
    assert sheet.sheet_view.rightToLeft is True
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["C"].width > 20  # unit_name is long
    assert sheet.max_row == 1 + len(export_rows())
    holder = next(row[4] for row in sheet.iter_rows(min_row=2) if row[3].value == "رئیس سازمان")
    assert holder.value == "=HYPERLINK(1)"
    assert holder.data_type == "s"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_file_imports_back_without_any_change(richer, file_format):
    before = snapshot()
    data = export_csv() if file_format == "csv" else export_xlsx()
    report = import_file(data, f"directory.{file_format}")
    assert report.ok, report.errors
    assert (report.units_updated, report.positions_created, report.positions_updated) == (0, 0, 0)
    assert report.units_unchanged == Unit.objects.count()
    assert report.positions_unchanged == Position.objects.count()
    assert report.untouched_positions == []
    # The only change: the organization now vouches for the details it imported.
    assert report.samples_confirmed == len([p for p in before[2] if p[-1]])
    after = snapshot()
    assert after[:2] == before[:2]
    assert [p[:-1] for p in after[2]] == [p[:-1] for p in before[2]]
    assert not Position.objects.filter(is_sample=True).exists()


# --- Good files ----------------------------------------------------------------------------------------


def test_a_good_csv_updates_units_and_positions_and_lists_the_others(organization):
    before_ids = set(Position.objects.values_list("pk", flat=True))
    data = csv_file(
        "unit,stats,,,,,,office: 044-3123 4567; نمابر: 044-3123 0000,stats@example.org,۸ تا ۱۴,اتاق ۱۲,",
        "position,stats,,مدیر آمار و اطلاعات,علی رضایی,held,1,044-3123 4568,ali@example.org,,,1",
        "position,stats,,کارشناس آمار,,vacant,0,,,,,2",
        "position,,,رئیس سازمان,مریم احمدی,acting,1,044-3123 0001,,,,0",
    )
    report = import_file(data, "directory.csv")
    assert report.ok, report.errors
    assert (report.units_updated, report.positions_created, report.positions_updated) == (1, 2, 1)
    stats = Unit.objects.get(code="stats")
    assert (stats.email, stats.office_hours, stats.room) == ("stats@example.org", "۸ تا ۱۴", "اتاق ۱۲")
    assert list(stats.phones.values_list("label", "number")) == [("office", "044-3123 4567"), ("fax", "044-3123 0000")]
    head = Position.objects.get(unit=stats, is_head=True)
    assert (head.holder_name, head.phone, head.is_sample) == ("علی رضایی", "044-3123 4568", False)
    assert Position.objects.get(unit=stats, title="کارشناس آمار").holding == Position.Holding.VACANT
    top = Position.objects.get(unit=None, title="رئیس سازمان")
    assert (top.title, top.holding, top.is_head) == ("رئیس سازمان", "acting", True)
    untouched = {p.pk for p in report.untouched_positions}
    assert untouched == before_ids - {head.pk}


def test_a_good_xlsx_with_columns_in_another_order_numbers_and_formulas(organization):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # Another order of columns, and no unit_name.
    header = "unit_code kind title is_head order phone holder_name holding email office_hours room"
    sheet.append(header.split())
    sheet.append(["legal", "position", "مدیر امور حقوقی", True, 3, 4431234567, "=CONCAT(1,2)", "held"])
    sheet.append(["legal", "position", "کارشناس حقوقی", 0, 4.0, "044-3123 4570", "سارا کریمی", "", "s@example.org"])
    sheet.append(["legal", "unit", None, None, None, "داخلی ۲۱۰\nهمراه 0914 123 4567"])
    sheet.append([])  # a blank row is skipped
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_file(buffer.getvalue(), "Directory.XLSX")
    assert report.ok, report.errors
    legal = Unit.objects.get(code="legal")
    head = Position.objects.get(unit=legal, is_head=True)
    # Excel drops the leading 0 of a number typed into a cell; a formula without a computed value is empty.
    assert (head.order, head.phone, head.holder_name) == (3, "04431234567", "")
    clerk = Position.objects.get(unit=legal, title="کارشناس حقوقی")
    assert (clerk.order, clerk.holder_name, clerk.email, clerk.is_head) == (4, "سارا کریمی", "s@example.org", False)
    assert list(legal.phones.values_list("label", "number")) == [("internal", "210"), ("mobile", "0914 123 4567")]


def test_arabic_letters_and_persian_digits_are_normalized(organization):
    arabic_title = "مدير آمار و اطلاعات".replace("ی", "ي")  # the head's title typed on an Arabic keyboard
    data = csv_file(
        f"position,STATS,,{arabic_title},علي كريمي\u200f,held,۱,۰۴۴-۳۱۲۳۴۵۶۷,,,,۳",
        "unit,stats,,,,,,دفتر: ۰۴۴-۳۱۲۳۴۵۶۷؛ فکس ٠٤٤-٣١٢٣٠٠٠٠,,,,",
        "واحد,legal,,,,,,,,,,",
        "سمت,legal,,كارشناس,,سرپرست,خیر,,,,,",
    )
    report = import_file(data, "directory.csv")
    assert report.ok, report.errors
    assert report.positions_created == 1  # the Arabic spelling found the existing head
    head = Position.objects.get(unit__code="stats", is_head=True)
    assert head.title == "مدیر آمار و اطلاعات"
    assert (head.holder_name, head.phone, head.order) == ("علی کریمی", "044-31234567", 3)
    phones = list(UnitPhone.objects.filter(unit__code="stats").values_list("label", "number"))
    assert phones == [("office", "044-31234567"), ("fax", "044-31230000")]
    clerk = Position.objects.get(unit__code="legal", title="کارشناس")
    assert clerk.holding == Position.Holding.ACTING


def test_a_csv_in_the_windows_arabic_code_page(organization):
    # The code page has no Persian yeh: Excel writes the Arabic one, which the import turns Persian.
    line = "position,pr,,مدیر روابط عمومی,رضا کاظمی,held,1,,,,,0".replace("ی", "ي")
    data = csv_file(line, encoding="cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = import_file(data, "directory.csv")
    assert report.ok, report.errors
    assert Position.objects.get(unit__code="pr", is_head=True).holder_name == "رضا کاظمی"


def test_a_csv_separated_by_semicolons_as_excel_writes_in_some_locales(organization):
    data = csv_file('unit;stats;;;;;;"office: 044-1111 2222; fax: 044-1111 3333";;;;', header=HEADER.replace(",", ";"))
    report = import_file(data, "directory.csv")
    assert report.ok, report.errors
    assert UnitPhone.objects.filter(unit__code="stats").count() == 2


def test_a_head_can_move_to_another_position_in_one_file(organization):
    data = csv_file(
        "position,stats,,مدیر آمار و اطلاعات,,vacant,0,,,,,1",
        "position,stats,,سرپرست آمار,حسن موسوی,acting,1,,,,,0",
    )
    report = import_file(data, "directory.csv")
    assert report.ok, report.errors
    assert Position.objects.get(unit__code="stats", is_head=True).title == "سرپرست آمار"


# --- Bad files -----------------------------------------------------------------------------------------


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(organization):
    before = snapshot()
    data = csv_file(
        "unit,stats,,,,,,office: 044-3123 4567,stats@example.org,,,",  # 2: good, but not written
        "unit,nowhere,,,,,,,,,,",  # 3: unknown unit
        "team,stats,,x,,,,,,,,",  # 4: unknown kind
        "position,stats,,کارشناس,,retired,0,,,,,",  # 5: unknown holding
        "position,stats,,کارشناس ۲,,held,0,,not-an-email,,,",  # 6: bad e-mail
        "position,stats,,,,held,0,,,,,",  # 7: empty title
        "position,legal,,مدیر امور حقوقی,,held,1,,,,,",  # 8: first head of legal (fine alone)
        "position,legal,,معاون حقوقی,,held,1,,,,,",  # 9: a second head of legal
        "position,pr,,مدیر روابط عمومی,,held,1,,,,,",  # 10: fine
        "position,pr,,مدير روابط عمومي,,held,1,,,,,",  # 11: the same position again (Arabic letters)
        "position,pr,,x,,held,0,,,,",  # 12: one column short
        "unit,legal,,,,,,pager: 1234,,,,",  # 13: unknown phone label
        "position,legal,,کارشناس,,held,maybe,,,,,two",  # 14: bad is_head and bad order
        "unit,pr,,عنوان,,,,,,,,",  # 15: a position's column on a unit row
        "position,legal,,کارشناس ۳,,held,0,044-1; 044-2,,,,",  # 16: two numbers for a position
        ",,,,,,,,,,,",  # 17: blank, skipped
        "unit,stats,,,,,,,,,,",  # 18: the unit twice
    )
    report = import_file(data, "directory.csv")
    assert not report.ok
    lines = sorted({error.line for error in report.errors})
    assert lines == [3, 4, 5, 6, 7, 9, 11, 12, 13, 14, 15, 16, 18], report.errors
    assert len([e for e in report.errors if e.line == 14]) == 2
    assert all(error.message for error in report.errors)
    assert snapshot() == before


def test_a_message_has_the_row_and_quotes_the_bad_value(organization):
    report = import_file(csv_file("unit,nowhere,,,,,,,,,,"), "directory.csv")
    assert report.errors[0].line == 2
    assert "nowhere" in report.errors[0].message


def test_a_new_head_while_the_current_head_is_not_in_the_file(organization):
    before = snapshot()
    report = import_file(csv_file("position,stats,,سرپرست آمار,,acting,1,,,,,"), "directory.csv")
    assert [error.line for error in report.errors] == [2]
    assert "مدیر آمار و اطلاعات" in report.errors[0].message
    assert snapshot() == before


def test_a_bad_header(organization):
    report = import_file(b"kind,code,title\r\nunit,stats,x\r\n", "directory.csv")
    assert {error.line for error in report.errors} == {1}
    assert any("code" in error.message for error in report.errors)


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "directory.csv"),
        (b"\xef\xbb\xbf\r\n", "directory.csv"),
        (HEADER.encode(), "directory.csv"),  # a header and nothing else
        (b"", "directory.xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "photo.png"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "photo.csv"),
        (b"%PDF-1.4\n" + bytes(range(1, 32)) * 40, "report.csv"),
        (b"PK\x03\x04 not really a zip", "directory.xlsx"),
        (b"kind,unit_code", "directory.xlsx"),  # text named .xlsx
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "directory.xls"),
        (b"kind,unit_code", "directory.txt"),
        (b"kind,unit_code", "directory"),
    ],
)
def test_a_file_that_is_not_a_directory_table_gets_a_clear_message(organization, data, filename):
    before = snapshot()
    report = import_file(data, filename)
    assert not report.ok
    assert all(error.message for error in report.errors)
    assert snapshot() == before


def test_an_empty_file_says_so(organization):
    report = import_file(b"", "directory.csv")
    assert report.errors[0].line is None
    assert report.errors[0].message == transfer._("The file is empty.")


def test_a_workbook_without_the_header_and_a_zip_that_is_not_a_workbook(organization):
    workbook = openpyxl.Workbook()
    workbook.active.append(["hello"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert {e.line for e in import_file(buffer.getvalue(), "d.xlsx").errors} == {1}

    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    assert import_file(archive.getvalue(), "d.xlsx").errors[0].line is None


def test_a_huge_file_is_refused_with_a_clear_message(organization, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_ROWS", 10)
    data = csv_file(*[f"position,stats,,کارشناس {n},,held,0,,,,,{n}" for n in range(11)])
    report = import_file(data, "directory.csv")
    assert [error.line for error in report.errors] == [None]
    assert not Position.objects.filter(title__startswith="کارشناس").exists()

    monkeypatch.setattr(transfer, "MAX_BYTES", 100)
    assert import_file(data, "directory.csv").errors[0].line is None


def test_a_workbook_that_unpacks_too_big_is_refused(organization, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_UNZIPPED_BYTES", 1000)
    report = import_file(export_xlsx(), "directory.xlsx")
    assert [error.line for error in report.errors] == [None]


# --- The admin -----------------------------------------------------------------------------------------


@pytest.fixture
def hr_clerk(organization):
    """Staff of the HR office who may view the directory but not change it."""
    user = User.objects.create_user(username="hr-viewer", password="a-long-test-password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_position", "view_unit"]))
    return user


def admin_url(name: str) -> str:
    return reverse(f"admin:directory_position_{name}")


@pytest.mark.parametrize(
    ("name", "content_type", "suffix"),
    [("export_csv", "text/csv; charset=utf-8", ".csv"), ("export_xlsx", transfer.XLSX_CONTENT_TYPE, ".xlsx")],
)
def test_the_admin_exports_a_download(hr_clerk, signed_in, name, content_type, suffix):
    response = signed_in(hr_clerk).get(admin_url(name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="directory-')
    assert disposition.endswith(f'{suffix}"')
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf" if suffix == ".csv" else b"PK")


def test_the_changelist_links_to_export_and_import_by_permission(administrator, hr_clerk, signed_in):
    page = signed_in(administrator).get(admin_url("changelist")).content.decode()
    assert admin_url("export_xlsx") in page and admin_url("import") in page
    page = signed_in(hr_clerk).get(admin_url("changelist")).content.decode()
    assert admin_url("export_csv") in page and admin_url("import") not in page


def test_the_import_page_shows_every_error_and_imports_nothing(administrator, signed_in):
    client = signed_in(administrator)
    assert client.get(admin_url("import")).status_code == 200
    before = snapshot()
    upload = SimpleUploadedFile("directory.csv", csv_file("unit,nowhere,,,,,,,,,,", "team,stats,,,,,,,,,,"))
    page = client.post(admin_url("import"), {"file": upload}).content.decode()
    assert page.count("<li>", page.index('id="import-errors"')) >= 2
    assert "nowhere" in page and "team" in page
    assert snapshot() == before


def test_the_import_page_imports_a_good_file(administrator, signed_in):
    upload = SimpleUploadedFile("directory.csv", csv_file("position,stats,,مدیر آمار و اطلاعات,علی رضایی,held,1,,,,,"))
    response = signed_in(administrator).post(admin_url("import"), {"file": upload})
    assert response.status_code == 200
    assert 'id="import-counts"' in response.content.decode()
    assert Position.objects.get(unit__code="stats", is_head=True).holder_name == "علی رضایی"


def test_the_import_page_survives_an_empty_or_foreign_file(administrator, signed_in):
    client = signed_in(administrator)
    for name, data in [("directory.csv", b""), ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)))]:
        response = client.post(admin_url("import"), {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200
        assert 'id="import-errors"' in response.content.decode()


def test_the_import_needs_the_change_permission(hr_clerk, signed_in, outsider):
    client = signed_in(hr_clerk)
    assert client.get(admin_url("import")).status_code == 403
    upload = SimpleUploadedFile("directory.csv", csv_file("unit,stats,,,,,,,x@example.org,,,"))
    assert client.post(admin_url("import"), {"file": upload}).status_code == 403
    assert Unit.objects.get(code="stats").email == ""

    staff_without_rights = User.objects.create_user(username="staff-x", password="a-long-test-password", is_staff=True)
    assert signed_in(staff_without_rights).get(admin_url("export_csv")).status_code == 403
    for url in (admin_url("export_csv"), admin_url("import")):
        response = signed_in(outsider).get(url)  # not staff: the admin's sign-in page
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
