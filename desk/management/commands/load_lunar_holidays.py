import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from desk.models import Holiday
from persian.jalali import parse_jalali_date
from persian.text import normalize_line

HEADER = ["date", "name"]
_NAME_MAX_LENGTH = Holiday._meta.get_field("name").max_length


@dataclass(frozen=True)
class Row:
    line: int
    date: datetime.date
    name: str


def parse_holiday_file(text: str) -> tuple[list[Row], list[str]]:
    """The rows of a holiday file and, for every bad line, 'line N: reason'."""
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[datetime.date, int] = {}  # date -> the line it first appeared on
    header_seen = False
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = [field.strip() for field in next(csv.reader([stripped]))]
        if not header_seen:
            header_seen = True
            if [field.lower() for field in fields] != HEADER:
                errors.append(f"line {number}: expected the header row 'date,name', found {stripped!r}")
            continue
        if len(fields) != len(HEADER):
            errors.append(f"line {number}: expected 2 columns (date,name), found {len(fields)}")
            continue
        raw_date, raw_name = fields
        problems = []
        try:
            day = parse_jalali_date(raw_date)
        except ValueError:
            day = None
            problems.append(f"bad date {raw_date!r} (expected a Jalali date such as 1405/01/02)")
        name = normalize_line(raw_name)
        if not name:
            problems.append("empty name")
        elif len(name) > _NAME_MAX_LENGTH:
            problems.append(f"name longer than {_NAME_MAX_LENGTH} characters")
        if day is not None and day in seen:
            problems.append(f"duplicate date {raw_date} (already on line {seen[day]})")
        if problems:
            errors.append(f"line {number}: " + "; ".join(problems))
        if day is not None:
            seen.setdefault(day, number)
        if not problems:
            rows.append(Row(number, day, name))
    if not header_seen:
        errors.append("the file has no header row 'date,name' and no holidays")
    elif not rows and not errors:
        errors.append("the file has a header row but no holidays")
    return rows, errors


@transaction.atomic
def load_rows(rows: list[Row]) -> tuple[int, int, int]:
    """Insert each date or update its name: (added, updated, unchanged)."""
    dates = [row.date for row in rows]
    existing = {holiday.date: holiday for holiday in Holiday.objects.select_for_update().filter(date__in=dates)}
    new, changed = [], []
    for row in rows:
        holiday = existing.get(row.date)
        if holiday is None:
            new.append(Holiday(date=row.date, name=row.name))
        elif holiday.name != row.name:
            holiday.name = row.name
            changed.append(holiday)
    Holiday.objects.bulk_create(new)
    Holiday.objects.bulk_update(changed, ["name"])
    return len(new), len(changed), len(rows) - len(new) - len(changed)


class Command(BaseCommand):
    help = (
        "Load the lunar-calendar (Hijri-based) official holidays of a year from FILE into the holiday table. "
        "FILE is UTF-8 CSV with the header row 'date,name'; 'date' is a Jalali date such as 1405/01/02, in "
        "Persian or Latin digits; lines starting with # are comments and blank lines are ignored. If any row is "
        "bad, every bad row is reported with its line number and nothing is loaded. Loading again is safe: a date "
        "already in the table gets the file's name. See docs/holidays.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file, e.g. desk/holiday_files/lunar-1405.csv")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"{path}: no such file") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        rows, errors = parse_holiday_file(text)
        if errors:
            report = "\n".join(f"  {error}" for error in errors)
            raise CommandError(f"{path}: nothing loaded, {len(errors)} bad row(s):\n{report}")
        added, updated, unchanged = load_rows(rows)
        self.stdout.write(f"Lunar holidays from {path}: {added} added, {updated} updated, {unchanged} unchanged.")
