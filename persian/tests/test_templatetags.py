import datetime

from django.template import Context, Template

MOMENT = datetime.datetime(2026, 11, 29, 10, 35, tzinfo=datetime.UTC)


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_filters_are_builtin_without_load():
    assert render("{{ n|fa_digits }}", n=1405) == "۱۴۰۵"


def test_date_filters():
    assert render("{{ d|jdate }}", d=MOMENT) == "۸ آذر ۱۴۰۵"
    assert render("{{ d|jdate_long }}", d=MOMENT) == "یکشنبه ۸ آذر ۱۴۰۵"
    assert render("{{ d|jdatetime }}", d=MOMENT) == "۸ آذر ۱۴۰۵، ساعت ۱۴:۰۵"
    assert render("{{ d|jdate_numeric }}", d=MOMENT.date()) == "۱۴۰۵/۰۹/۰۸"


def test_mobile_filter():
    assert render("{{ m|mobile }}", m="+989141234567") == "۰۹۱۴ ۱۲۳ ۴۵۶۷"


def test_filters_render_none_and_missing_values_as_empty():
    for name in ["fa_digits", "jdate", "jdate_long", "jdatetime", "jdate_numeric", "mobile"]:
        assert render(f"[{{{{ v|{name} }}}}]", v=None) == "[]"
        assert render(f"[{{{{ missing|{name} }}}}]") == "[]"


def test_date_filters_ignore_values_that_are_not_dates():
    assert render("[{{ v|jdate }}][{{ v|jdatetime }}]", v="2026-11-29") == "[][]"


def test_filter_output_is_still_autoescaped():
    assert render("{{ v|fa_digits }}", v="<b>12</b>") == "&lt;b&gt;۱۲&lt;/b&gt;"
    assert render("{{ v|mobile }}", v="<script>1</script>") == "&lt;script&gt;۱&lt;/script&gt;"


def test_percent_shows_a_probability_in_persian_digits():
    from persian.templatetags.persian import percent

    assert percent(0.873) == "۸۷٪"
    assert percent(None) == ""
    assert percent("x") == ""
