"""Import and export of the whole directory as one flat table, in CSV or XLSX, for the HR office.

The table is the same in both formats. Row 1 is the header, made of these stable English keys (any order;
`unit_name` may be left out):

| column         | unit row                                       | position row                                      |
|----------------|------------------------------------------------|---------------------------------------------------|
| `kind`         | `unit`                                         | `position`                                        |
| `unit_code`    | the unit's code (required)                     | the unit's code; empty = head of the organization |
| `unit_name`    | read-only, for people; ignored on import       | read-only, for people; ignored on import          |
| `title`        | empty                                          | the position's title (required)                   |
| `holder_name`  | empty                                          | who holds it                                      |
| `holding`      | empty                                          | `held`, `acting` or `vacant` (empty = `held`)     |
| `is_head`      | empty                                          | `1` head of its unit, `0` (or empty) not          |
| `phone`        | numbers: `office: 044-3123 4567; fax: 044-…`   | one number                                        |
| `email`        | the unit's e-mail                              | the position's e-mail                             |
| `office_hours` | the unit's office hours                        | the position's office hours                       |
| `room`         | the unit's room                                | the position's room                               |
| `order`        | empty                                          | a whole number (empty = 0)                        |

Also accepted on import: `واحد`/`سمت` for the kind; `سرپرست` (acting), `خالی` or `بلاتصدی` (vacant) and
`منصوب` (held) for the holding; `بله`/`خیر`, `true`/`false`, `yes`/`no` for is_head; on a unit row the phone
labels `office`/`fax`/`internal`/`mobile` or `دفتر`/`نمابر`/`داخلی`/`همراه` (also `تلفن`, `فکس`, `موبایل`),
separated by `;`, `؛` or a line break (not a comma: "044-3123 4567، داخلی ۲۱۰" is one number); a number
without a label is an office number. Text is normalized (Arabic ي/ك become Persian ی/ک, invisible characters
go), digits in `order`, `is_head` and phone numbers become Latin digits. Details for the HR office, in Persian: docs/directory-import.md.

Files: `.xlsx` (the first sheet; a formula counts as its computed value) or `.csv` (UTF-8 with or without
a byte-order mark, UTF-16, or Windows-1256 as Excel on Persian Windows writes it; separated by `,`, `;`, tab
or `؛`), at most MAX_ROWS rows and MAX_BYTES. Anything else gets a message, never an exception.

Import rules: every row is checked before anything is written; if any row is bad, every bad row is reported
with its row number (the header is row 1, as Excel numbers rows) and nothing is written. Otherwise, in one
transaction, a unit row replaces that unit's e-mail, office hours, room and phones; a position row updates
the position of that unit with that title (ignoring ي/ی, ک/ك, ZWNJ, digit script and case) or creates it, and
marks it as real data (is_sample False). Positions not in the file are left as they are and listed.

API: `export_rows()`, `export_csv()`, `export_xlsx()`, `import_file(file_or_bytes, filename) -> ImportReport`.
"""

import csv
import datetime
import io
import logging
import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from directory import cache
from directory.models import Position, Unit, UnitPhone
from persian.text import normalize_line, normalize_text, search_key, to_latin_digits, to_persian_digits

logger = logging.getLogger(__name__)

COLUMNS = [
    "kind",
    "unit_code",
    "unit_name",
    "title",
    "holder_name",
    "holding",
    "is_head",
    "phone",
    "email",
    "office_hours",
    "room",
    "order",
]
READ_ONLY_COLUMNS = frozenset({"unit_name"})
REQUIRED_COLUMNS = [column for column in COLUMNS if column not in READ_ONLY_COLUMNS]
# Columns that only mean something for a position; they must be empty on a unit row.
POSITION_ONLY_COLUMNS = ["title", "holder_name", "holding", "is_head", "order"]

KIND_UNIT = "unit"
KIND_POSITION = "position"

MAX_ROWS = 5000  # data rows, after the header
MAX_BYTES = 5 * 1024 * 1024  # the uploaded file
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # everything inside an XLSX, against zip bombs
MAX_COLUMNS_READ = 64  # an XLSX may claim 16,384 columns; nobody types that far
EXCEL_MAX_ROWS = 1_048_576
MAX_ORDER = 2_147_483_647  # PositiveIntegerField on every supported database

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
_CSV_DELIMITERS = [",", ";", "\t", "\u061b"]  # Persian Windows uses the Arabic semicolon as list separator
_FORMULA_START = ("=", "+", "-", "@")

_KINDS = {"unit": KIND_UNIT, "واحد": KIND_UNIT, "position": KIND_POSITION, "سمت": KIND_POSITION}
_HOLDINGS = {
    "held": Position.Holding.HELD,
    "منصوب": Position.Holding.HELD,
    "acting": Position.Holding.ACTING,
    "سرپرست": Position.Holding.ACTING,
    "vacant": Position.Holding.VACANT,
    "خالی": Position.Holding.VACANT,
    "بلاتصدی": Position.Holding.VACANT,
}
_BOOLEANS = {
    "": False,
    "0": False,
    "1": True,
    "false": False,
    "true": True,
    "no": False,
    "yes": True,
    "خیر": False,
    "بله": True,
    "بلی": True,
}
_PHONE_LABELS = {
    "office": UnitPhone.Label.OFFICE,
    "دفتر": UnitPhone.Label.OFFICE,
    "تلفن": UnitPhone.Label.OFFICE,
    "fax": UnitPhone.Label.FAX,
    "نمابر": UnitPhone.Label.FAX,
    "فکس": UnitPhone.Label.FAX,
    "internal": UnitPhone.Label.INTERNAL,
    "داخلی": UnitPhone.Label.INTERNAL,
    "mobile": UnitPhone.Label.MOBILE,
    "همراه": UnitPhone.Label.MOBILE,
    "موبایل": UnitPhone.Label.MOBILE,
}
# Between a unit's numbers: ; ؛ or a line break. Not a comma: a number may go on after one ("…، داخلی ۲۱۰").
_PHONE_SEPARATORS = re.compile("[;\u061b\n]")
# An optional label (no digits in it), an optional colon, then the number from its first digit, + or (.
_LABELLED_PHONE = re.compile(r"^(?P<label>[^0-9+(:]*?)\s*:?\s*(?P<number>[0-9+(].*)$", re.DOTALL)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# --- Export -------------------------------------------------------------------------------------------


def _unit_phones_text(unit: Unit) -> str:
    return "; ".join(f"{phone.label}: {phone.number}" for phone in unit.phones.all())


def export_rows() -> list[list[str | int]]:
    """The data rows in COLUMNS order, without the header: the organization's head(s), then each unit and its
    positions. `is_head` and `order` are numbers on position rows, everything else is text."""
    units = list(Unit.objects.order_by("order", "name").prefetch_related("phones"))
    positions_by_unit: dict[int | None, list[Position]] = defaultdict(list)
    for position in Position.objects.order_by("order", "title", "pk"):
        positions_by_unit[position.unit_id].append(position)

    def position_row(position: Position, unit: Unit | None) -> list[str | int]:
        return [
            KIND_POSITION,
            unit.code if unit else "",
            unit.name if unit else "",
            position.title,
            position.holder_name,
            position.holding,
            int(position.is_head),
            position.phone,
            position.email,
            position.office_hours,
            position.room,
            position.order,
        ]

    rows: list[list[str | int]] = [position_row(position, None) for position in positions_by_unit[None]]
    for unit in units:
        rows.append(
            [
                KIND_UNIT,
                unit.code,
                unit.name,
                "",
                "",
                "",
                "",
                _unit_phones_text(unit),
                unit.email,
                unit.office_hours,
                unit.room,
                "",
            ]
        )
        rows.extend(position_row(position, unit) for position in positions_by_unit[unit.pk])
    return rows


def _csv_safe(value: str | int) -> str:
    """Excel runs a CSV cell that starts with = + - @ as a formula; a leading apostrophe keeps it text."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_csv() -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark, so that Excel shows Persian correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in export_rows():
        writer.writerow([_csv_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx() -> bytes:
    """The table as an Excel workbook: one right-to-left sheet, bold header, sized columns, unit rows shaded."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "directory"
    sheet.sheet_view.rightToLeft = True
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    unit_fill = PatternFill("solid", fgColor="E8EEF4")
    widths = [len(column) for column in COLUMNS]
    for row in export_rows():
        sheet.append(row)
        cells = sheet[sheet.max_row]
        for index, cell in enumerate(cells):
            if cell.data_type == "f":  # openpyxl takes any text starting with "=" for a formula
                cell.data_type = "s"
            if row[0] == KIND_UNIT:
                cell.fill = unit_fill
            widths[index] = max(widths[index], len(str(row[index])))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Import: the report -------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int | None  # None: about the whole file
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    units_updated: int = 0
    units_unchanged: int = 0
    positions_created: int = 0
    positions_updated: int = 0
    positions_unchanged: int = 0
    samples_confirmed: int = 0  # positions that were sample data and are now the organization's own
    untouched_positions: list[Position] = field(default_factory=list)  # in the database, not in the file

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(RowError(line, message))


class _FileError(Exception):
    """The file cannot be read at all; the message is for the user."""


# --- Import: reading the file -------------------------------------------------------------------------


def _read_bytes(source) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        size = getattr(source, "size", None)
        if size is not None and size > MAX_BYTES:
            raise _FileError(_too_large())
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _FileError(_too_large())
    return data


def _too_large() -> str:
    return _("The file is larger than %(megabytes)s MB; split it into smaller files.") % {
        "megabytes": to_persian_digits(MAX_BYTES // (1024 * 1024))
    }


def _cell_text(value, column: str | None = None) -> str:
    """One XLSX cell as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        # Excel turns 04431234567 typed into a cell into the number 4431234567; Iranian numbers start with 0.
        if column == "phone" and len(text) == 10 and not text.startswith("0"):
            text = "0" + text
        return text
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _trimmed(row) -> list:
    """The row without its empty cells at the end; a blank row becomes []."""
    cells = list(row)
    while cells and _cell_text(cells[-1]).strip() == "":
        cells.pop()
    return cells


def _read_xlsx(data: bytes) -> list[list]:
    """The first sheet's rows, each without its empty cells at the end; formulas give their last value."""
    from openpyxl import load_workbook

    unreadable = _("The file is not a readable Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise _FileError(_too_large())
    except zipfile.BadZipFile as error:
        raise _FileError(unreadable) from error
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel features it does not read
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise _FileError(unreadable)
            rows, filled = [], 0
            for row in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS_READ, values_only=True):
                rows.append(_trimmed(row))
                filled += bool(rows[-1])
                # One row past the limit is enough to tell; Excel has no row past EXCEL_MAX_ROWS.
                if filled > MAX_ROWS + 1 or len(rows) >= EXCEL_MAX_ROWS:
                    break
            return rows
        finally:
            workbook.close()
    except _FileError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged or foreign file
        logger.info("Unreadable XLSX upload: %r", error)
        raise _FileError(unreadable) from error


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode_text(data: bytes) -> str:
    not_text = _("The file is not a CSV text file.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" is UTF-16 with a byte-order mark.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _FileError(not_text) from error
    elif b"\x00" in data:
        raise _FileError(not_text)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Persian Windows saves "CSV" in the Windows Arabic code page, which decodes any byte.
            text = data.decode("cp1256", errors="replace")
    # Pictures, PDFs and other binary files are full of control characters; text has none or nearly none.
    sample = text[:8192]
    if len(_CONTROL_CHARACTERS.findall(sample)) > len(sample) // 100:
        raise _FileError(not_text)
    return text


def _read_csv(data: bytes) -> list[list]:
    text = _decode_text(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]

    def known_columns(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if _header_key(cell) in COLUMNS)

    delimiter = max(_CSV_DELIMITERS, key=known_columns)  # on a tie, the comma (the first)
    rows, filled = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            filled += any(cell.strip() for cell in row)
            if filled > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise _FileError(
            _("The CSV file cannot be read after row %(line)s.") % {"line": to_persian_digits(len(rows) + 1)}
        ) from error
    return rows


def _header_key(cell) -> str:
    return normalize_line(_cell_text(cell)).lower()


@dataclass
class _Table:
    rows: list[list]
    # CSV rows must have as many cells as the header; an XLSX row simply ends at its last filled cell.
    strict_width: bool


def _read_table(data: bytes, filename: str) -> _Table:
    """The rows of the file as lists of raw cells, or _FileError."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls" or data.startswith(_OLE2_MAGIC):
        raise _FileError(
            _(
                "This is an old Excel file (.xls). In Excel choose “Save As” and the type “Excel Workbook "
                "(.xlsx)”, then send that file."
            )
        )
    if extension not in ("csv", "xlsx"):
        raise _FileError(_("Choose a CSV (.csv) or Excel (.xlsx) file."))
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _FileError(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC):
        return _Table(_read_xlsx(data), strict_width=False)  # a workbook, even if someone renamed it .csv
    if extension == "xlsx":
        raise _FileError(_("The file is not a readable Excel workbook (.xlsx)."))
    return _Table(_read_csv(data), strict_width=True)


# --- Import: checking the rows ------------------------------------------------------------------------


@dataclass
class _UnitRow:
    line: int
    unit: Unit
    email: str
    office_hours: str
    room: str
    phones: list[tuple[str, str]]


@dataclass
class _PositionRow:
    line: int
    unit: Unit | None
    title: str
    holder_name: str
    holding: str
    is_head: bool
    phone: str
    email: str
    office_hours: str
    room: str
    order: int

    @property
    def key(self) -> tuple[int | None, str]:
        return (self.unit.pk if self.unit else None, search_key(self.title))


def _clean_cell(raw, column: str) -> str:
    text = _cell_text(raw, column)
    if column == "phone":
        # A line break inside the cell separates a unit's numbers; keep it, tidy each line.
        text = "\n".join(filter(None, (normalize_line(line) for line in normalize_text(text).split("\n"))))
    else:
        text = normalize_line(text)
    # Undo the apostrophe our CSV export puts before text Excel would run as a formula.
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        text = text[1:]
    return text


def _parse_header(cells: list, report: ImportReport) -> list[str] | None:
    while cells and _cell_text(cells[-1]).strip() == "":
        cells = cells[:-1]
    header = [_header_key(cell) for cell in cells]
    problems = []
    for number, name in enumerate(header, start=1):
        if not name:
            problems.append(
                _("Column %(number)s of the header row has no name.") % {"number": to_persian_digits(number)}
            )
        elif name not in COLUMNS:
            problems.append(_("Unknown column “%(column)s” in the header row.") % {"column": name})
        elif header.index(name) != number - 1:
            problems.append(_("The column “%(column)s” appears twice in the header row.") % {"column": name})
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(
            _("Row 1 must be the header row with the column names; it lacks: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    for problem in problems:
        report.error(1, problem)
    return None if problems else header


def _too_long(column: str, limit: int) -> str:
    return _("“%(column)s” is longer than %(limit)s characters.") % {
        "column": column,
        "limit": to_persian_digits(limit),
    }


def _check_email(value: str, line: int, report: ImportReport) -> str:
    value = to_latin_digits(value)
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        report.error(line, _("“%(value)s” is not a valid e-mail address.") % {"value": value})
    return value


def _check_number(value: str, line: int, report: ImportReport) -> str:
    value = to_latin_digits(value)
    if not any(ch.isdigit() for ch in value):
        report.error(line, _("The phone number “%(value)s” has no digits.") % {"value": value})
    elif len(value) > _max_length(UnitPhone, "number"):
        report.error(line, _too_long("phone", _max_length(UnitPhone, "number")))
    return value


def _check_text(value: str, column: str, model, line: int, report: ImportReport) -> str:
    limit = _max_length(model, column)
    if len(value) > limit:
        report.error(line, _too_long(column, limit))
    return value


def _parse_unit_phones(text: str, line: int, report: ImportReport) -> list[tuple[str, str]]:
    phones = []
    for part in _PHONE_SEPARATORS.split(to_latin_digits(text)):
        part = part.strip()
        if not part:
            continue
        match = _LABELLED_PHONE.match(part)
        if match is None:
            label_text, number = part.rstrip(":").strip(), ""
        else:
            label_text, number = match["label"].strip(), match["number"].strip()
        label = _PHONE_LABELS.get(search_key(label_text)) if label_text else UnitPhone.Label.OFFICE
        if label is None:
            report.error(
                line,
                _("Unknown phone label “%(value)s”; use one of: %(labels)s.")
                % {"value": label_text, "labels": "office, fax, internal, mobile, دفتر، نمابر، داخلی، همراه"},
            )
            continue
        if not number:
            report.error(line, _("The phone label “%(value)s” has no number after it.") % {"value": label_text})
            continue
        phones.append((str(label), _check_number(number, line, report)))
    return phones


def _parse_row(
    line: int, values: dict[str, str], units: dict[str, Unit], report: ImportReport
) -> _UnitRow | _PositionRow | None:
    """One data row, checked alone; its problems go to the report."""
    errors_before = len(report.errors)
    kind_text = values["kind"]
    kind = _KINDS.get(search_key(kind_text))
    if kind is None:
        if kind_text:
            report.error(line, _("Unknown kind “%(value)s”; use unit or position.") % {"value": kind_text})
        else:
            report.error(line, _("The kind is empty; write unit or position."))
        return None

    code = values["unit_code"].lower()
    unit = units.get(code) if code else None
    if code and unit is None:
        report.error(line, _("Unknown unit code “%(code)s”.") % {"code": values["unit_code"]})

    if kind == KIND_UNIT:
        if not code:
            report.error(line, _("The unit code is required on a unit row."))
        for column in POSITION_ONLY_COLUMNS:
            if values[column]:
                report.error(
                    line, _("“%(column)s” is for position rows; leave it empty on a unit row.") % {"column": column}
                )
        row = _UnitRow(
            line=line,
            unit=unit,
            email=_check_email(values["email"], line, report),
            office_hours=_check_text(values["office_hours"], "office_hours", Unit, line, report),
            room=_check_text(values["room"], "room", Unit, line, report),
            phones=_parse_unit_phones(values["phone"], line, report),
        )
        return row if len(report.errors) == errors_before else None

    title = values["title"]
    if not title:
        report.error(line, _("The title is required on a position row."))
    holding = _HOLDINGS.get(search_key(values["holding"])) if values["holding"] else Position.Holding.HELD
    if holding is None:
        report.error(line, _("Unknown holding “%(value)s”; use held, acting or vacant.") % {"value": values["holding"]})
    is_head = _BOOLEANS.get(search_key(values["is_head"]))
    if is_head is None:
        report.error(line, _("“is_head” must be 1 or 0, not “%(value)s”.") % {"value": values["is_head"]})
    order_text = to_latin_digits(values["order"]).strip() or "0"
    order = int(order_text) if order_text.isascii() and order_text.isdigit() else None
    if order is None or order > MAX_ORDER:
        report.error(
            line, _("“order” must be a whole number, 0 or more, not “%(value)s”.") % {"value": values["order"]}
        )
    phone = ""
    if values["phone"]:
        if _PHONE_SEPARATORS.search(values["phone"]):
            report.error(line, _("A position has one phone number; put the unit's other numbers on its unit row."))
        else:
            phone = _check_number(values["phone"], line, report)
    row = _PositionRow(
        line=line,
        unit=unit,
        title=_check_text(title, "title", Position, line, report),
        holder_name=_check_text(values["holder_name"], "holder_name", Position, line, report),
        holding=str(holding),
        is_head=bool(is_head),
        phone=phone,
        email=_check_email(values["email"], line, report),
        office_hours=_check_text(values["office_hours"], "office_hours", Position, line, report),
        room=_check_text(values["room"], "room", Position, line, report),
        order=order or 0,
    )
    return row if len(report.errors) == errors_before else None


def _parse_rows(table: _Table, report: ImportReport) -> tuple[list[_UnitRow], list[_PositionRow]]:
    header = _parse_header(table.rows[0], report)
    if header is None:
        return [], []
    units = {unit.code.lower(): unit for unit in Unit.objects.all()}
    unit_rows: list[_UnitRow] = []
    position_rows: list[_PositionRow] = []
    data_rows = 0
    for line, cells in enumerate(table.rows[1:], start=2):
        texts = [_cell_text(cell) for cell in cells]
        if not any(text.strip() for text in texts):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            report.error(
                None,
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": to_persian_digits(MAX_ROWS)},
            )
            return [], []
        filled = max(index for index, text in enumerate(texts) if text.strip()) + 1
        if filled > len(header) or (table.strict_width and len(cells) < len(header)):
            found = filled if filled > len(header) else len(cells)
            report.error(
                line,
                _("Expected %(expected)s columns, found %(found)s.")
                % {"expected": to_persian_digits(len(header)), "found": to_persian_digits(found)},
            )
            continue
        cells = [*cells, *[""] * (len(header) - len(cells))]
        values = {name: _clean_cell(cells[index], name) for index, name in enumerate(header)}
        row = _parse_row(line, values, units, report)
        if isinstance(row, _UnitRow):
            unit_rows.append(row)
        elif isinstance(row, _PositionRow):
            position_rows.append(row)
    if data_rows == 0:
        report.error(None, _("The file has no rows after the header row."))
    return unit_rows, position_rows


def _unit_label(unit: Unit | None) -> str:
    return unit.code if unit else _("the organization (empty unit_code)")


def _check_across_rows(unit_rows: list[_UnitRow], position_rows: list[_PositionRow], report: ImportReport) -> None:
    """What no single row shows: a unit or a position twice, two heads for one unit."""
    seen_units: dict[int, int] = {}
    for row in unit_rows:
        if row.unit.pk in seen_units:
            report.error(
                row.line,
                _("The unit “%(code)s” has a row already, on row %(line)s.")
                % {"code": row.unit.code, "line": to_persian_digits(seen_units[row.unit.pk])},
            )
        seen_units.setdefault(row.unit.pk, row.line)
    seen_positions: dict[tuple[int | None, str], int] = {}
    heads: dict[int | None, int] = {}
    for row in position_rows:
        if row.key in seen_positions:
            report.error(
                row.line,
                _("The position “%(title)s” of %(unit)s is already on row %(line)s.")
                % {
                    "title": row.title,
                    "unit": _unit_label(row.unit),
                    "line": to_persian_digits(seen_positions[row.key]),
                },
            )
            continue  # the same position: one report of it is enough
        seen_positions[row.key] = row.line
        if row.is_head:
            unit_key = row.unit.pk if row.unit else None
            if unit_key in heads:
                report.error(
                    row.line,
                    _("Two heads for %(unit)s: row %(line)s is marked as head too.")
                    % {"unit": _unit_label(row.unit), "line": to_persian_digits(heads[unit_key])},
                )
            heads.setdefault(unit_key, row.line)


def _match_positions(position_rows: list[_PositionRow], report: ImportReport) -> dict[int, Position | None]:
    """Each row's position in the database (None: a new one), by line; and checks against what stays."""
    existing: dict[tuple[int | None, str], list[Position]] = defaultdict(list)
    everyone = list(Position.objects.select_for_update().order_by("pk"))
    for position in everyone:
        existing[(position.unit_id, search_key(position.title))].append(position)
    matched: dict[int, Position | None] = {}
    for row in position_rows:
        candidates = existing.get(row.key, [])
        if len(candidates) > 1:
            report.error(
                row.line,
                _("%(unit)s has %(count)s positions titled “%(title)s”; correct them in the admin first.")
                % {"unit": _unit_label(row.unit), "count": to_persian_digits(len(candidates)), "title": row.title},
            )
        matched[row.line] = candidates[0] if len(candidates) == 1 else None
    # A head that is not in the file stays head; a new head of that unit in the file would make two.
    in_file = {position.pk for position in matched.values() if position is not None}
    kept_heads = {p.unit_id: p for p in everyone if p.is_head and p.pk not in in_file}
    for row in position_rows:
        kept = kept_heads.get(row.unit.pk if row.unit else None)
        if row.is_head and kept is not None:
            report.error(
                row.line,
                _(
                    "%(unit)s already has a head, “%(title)s”, which is not in the file; add that position to "
                    "the file with is_head 0, or change it in the admin first."
                )
                % {"unit": _unit_label(row.unit), "title": kept.title},
            )
    return matched


# --- Import: writing ----------------------------------------------------------------------------------

_POSITION_FIELDS = ["title", "holder_name", "holding", "is_head", "phone", "email", "office_hours", "room", "order"]


def _write(
    unit_rows: list[_UnitRow],
    position_rows: list[_PositionRow],
    matched: dict[int, Position | None],
    report: ImportReport,
) -> None:
    for row in unit_rows:
        unit = row.unit
        current_phones = [(phone.label, phone.number) for phone in unit.phones.all()]
        details_changed = (unit.email, unit.office_hours, unit.room) != (row.email, row.office_hours, row.room)
        if details_changed:
            unit.email, unit.office_hours, unit.room = row.email, row.office_hours, row.room
            unit.save(update_fields=["email", "office_hours", "room"])
        if current_phones != row.phones:
            unit.phones.all().delete()
            UnitPhone.objects.bulk_create(
                UnitPhone(unit=unit, label=label, number=number, order=index)
                for index, (label, number) in enumerate(row.phones, start=1)
            )
        if details_changed or current_phones != row.phones:
            report.units_updated += 1
        else:
            report.units_unchanged += 1

    imported = []
    # Those that stop being heads first, so that one_head_per_unit holds after every statement.
    for row in sorted(position_rows, key=lambda row: row.is_head):
        position = matched[row.line]
        values = {name: getattr(row, name) for name in _POSITION_FIELDS}
        if position is None:
            imported.append(Position.objects.create(unit=row.unit, is_sample=False, **values).pk)
            report.positions_created += 1
            continue
        imported.append(position.pk)
        changed = [name for name, value in values.items() if getattr(position, name) != value]
        if position.is_sample:
            report.samples_confirmed += 1
        if changed or position.is_sample:
            for name in changed:
                setattr(position, name, values[name])
            position.is_sample = False
            position.save(update_fields=[*changed, "is_sample"])
        if changed:
            report.positions_updated += 1
        else:
            report.positions_unchanged += 1

    report.untouched_positions = list(
        Position.objects.select_related("unit").exclude(pk__in=imported).order_by("unit__order", "order", "title")
    )


def import_file(source, filename: str) -> ImportReport:
    """Check every row of a CSV or XLSX file; write them all in one transaction only if every row is good.

    `source` is an uploaded file (anything with read()) or the bytes; `filename` tells the format.
    Never raises on a bad file: the report's errors say what is wrong, by line.
    """
    report = ImportReport()
    try:
        table = _read_table(_read_bytes(source), filename or "")
    except _FileError as error:
        report.error(None, str(error))
        return report
    if not table.rows:
        report.error(None, _("The file is empty."))
        return report
    unit_rows, position_rows = _parse_rows(table, report)
    if report.ok or unit_rows or position_rows:
        # The rows that are good alone are checked together too, so that one report lists every problem.
        _check_across_rows(unit_rows, position_rows, report)
        with transaction.atomic():
            matched = _match_positions(position_rows, report)
            if report.ok:
                _write(unit_rows, position_rows, matched, report)
                transaction.on_commit(cache.bump)
    report.errors.sort(key=lambda error: error.line or 0)
    return report
