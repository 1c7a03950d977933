"""What each message says: a default wording per message in template files, which an administrator may replace.

Templates are rendered with a separate, restricted template engine: only the i18n library can be loaded, no
file can be included, and the context holds plain strings, so an administrator's wording can reach nothing but
the variables listed for its message. HTML parts are autoescaped; SMS and plain-text parts are not HTML and are
rendered as they are.
"""

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notify.sms import fit, segments

logger = logging.getLogger(__name__)

MESSAGE_DIR = Path(__file__).resolve().parent / "templates" / "notify" / "messages"
PARTS = ("sms_text", "email_subject", "email_text", "email_html")
_SUFFIX = {"sms_text": "sms.txt", "email_subject": "subject.txt", "email_text": "email.txt", "email_html": "email.html"}


@dataclass(frozen=True)
class MessageKind:
    name: str
    label: object
    audience: str  # "citizen" or "staff"
    variables: tuple[str, ...]
    sms: bool = True
    email: bool = True


_CASE = ("code", "kind", "organization")
MESSAGE_KINDS = {
    kind.name: kind
    for kind in (
        MessageKind("case_received", _("Case received"), "citizen", (*_CASE, "due_date", "lookup_url")),
        MessageKind("case_routed", _("Case sent to a unit"), "citizen", (*_CASE, "unit", "lookup_url")),
        MessageKind("info_requested", _("More information asked"), "citizen", (*_CASE, "lookup_url")),
        MessageKind("case_answered", _("Case answered"), "citizen", (*_CASE, "unit", "lookup_url")),
        MessageKind("close_reminder", _("Reminder before closing"), "citizen", (*_CASE, "close_date", "lookup_url")),
        MessageKind("one_time_code", _("One-time code"), "citizen", ("otp", "minutes", "organization"), email=False),
        MessageKind("new_case", _("New case in your unit"), "staff", (*_CASE, "unit", "due_date", "desk_url")),
        MessageKind("case_assigned", _("Case assigned to you"), "staff", (*_CASE, "unit", "due_date", "desk_url")),
        MessageKind("citizen_replied", _("The citizen replied"), "staff", (*_CASE, "unit", "desk_url")),
        MessageKind("case_escalated", _("Overdue case escalated"), "staff", (*_CASE, "unit", "due_date", "desk_url")),
        MessageKind(
            "daily_digest",
            _("Daily digest for heads"),
            "staff",
            ("date", "units", "desk_url", "organization"),
            sms=False,
        ),
    )
}


@functools.cache
def _engine(autoescape: bool) -> Engine:
    return Engine(
        dirs=[],
        app_dirs=False,
        autoescape=autoescape,
        libraries={"i18n": "django.templatetags.i18n"},
        builtins=["django.template.defaulttags", "django.template.defaultfilters", "django.templatetags.i18n"],
    )


@functools.cache
def default_source(name: str, part: str) -> str:
    path = MESSAGE_DIR / f"{name}.{_SUFFIX[part]}"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def editable_default(name: str, part: str) -> str:
    """The default wording as an administrator starts editing it: in the site's language, variables as {{ name }}.

    A wording with a loop (the digest) cannot be flattened that way and is given as its template source.
    """
    source = default_source(name, part)
    if "{% for" in source:
        return source
    placeholders = {variable: "{{ %s }}" % variable for variable in MESSAGE_KINDS[name].variables}  # noqa: UP031
    with translation.override(settings.LANGUAGE_CODE):
        return _engine(False).from_string(source).render(Context(placeholders, autoescape=False)).strip()


def check_source(source: str, part: str, name: str) -> None:
    """Raises TemplateSyntaxError for a wording that does not compile or render (a try with sample values)."""
    sample = dict.fromkeys(MESSAGE_KINDS[name].variables, "x")
    try:
        render_part(source, part, sample)
    except TemplateDoesNotExist as error:
        raise TemplateSyntaxError(f"no file can be included: {error}") from error


def custom_sources(names) -> dict[str, dict[str, str]]:
    """The administrators' wordings of these messages, by name and part, in one query."""
    from notify.models import MessageTemplate

    return {
        row.name: {part: getattr(row, part) for part in PARTS if getattr(row, part).strip()}
        for row in MessageTemplate.objects.filter(name__in=set(names))
    }


@functools.lru_cache(maxsize=512)
def _compiled(source: str, html: bool):
    """Compiled once per wording (an edited wording is a new source): compiling cost ~0.5 ms per part."""
    return _engine(html).from_string(source)


def render_part(source: str, part: str, context: dict[str, object]) -> str:
    html = part == "email_html"
    template = _compiled(source, html)
    # The Context, not the engine, decides escaping at render time.
    return template.render(Context(context, autoescape=html)).strip()


@dataclass(frozen=True)
class Rendered:
    sms_text: str
    email_subject: str
    email_text: str
    email_html: str


def render(name: str, context: dict[str, object], custom: dict[str, str] | None = None) -> Rendered:
    """Every part of a message in the site's language; a broken custom part falls back to the default wording.

    custom: the administrator's parts of this message (from custom_sources); read from the database if None.
    """
    kind = MESSAGE_KINDS[name]
    context = {"organization": settings.MIZ_ORGANIZATION_NAME, **context}
    if custom is None:
        custom = custom_sources([name]).get(name, {})
    out = {}
    with translation.override(settings.LANGUAGE_CODE):
        for part in PARTS:
            if (part == "sms_text" and not kind.sms) or (part != "sms_text" and not kind.email):
                out[part] = ""
                continue
            try:
                out[part] = render_part(custom.get(part) or default_source(name, part), part, context)
            except (TemplateSyntaxError, TemplateDoesNotExist):
                # A wording that refers to a file or breaks at render time: the message still goes out.
                logger.warning("the custom wording of %s (%s) failed; the default was used", name, part)
                out[part] = render_part(default_source(name, part), part, context)
    out["email_subject"] = " ".join(out["email_subject"].split())
    return Rendered(**out)


def sms_with_signature(text: str) -> str:
    """The text, cut to the allowed number of parts, with the sender's name on the last line (never cut)."""
    signature = settings.MIZ_SMS_SIGNATURE
    budget = settings.MIZ_SMS_MAX_SEGMENTS
    if not signature:
        return fit(text, budget)
    whole = f"{text}\n{signature}"
    if segments(whole)[1] <= budget:
        return whole
    # The parts a prefix takes never decrease as it grows, so the longest prefix that fits is found by bisection.
    low, high = 0, len(text)
    while high - low > 1:
        middle = (low + high) // 2
        if segments(f"{text[:middle]}…\n{signature}")[1] <= budget:
            low = middle
        else:
            high = middle
    return f"{text[:low].rstrip()}…\n{signature}"


def email_text_with_footer(text: str, unsubscribe_link: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        footer = _("You receive this because of a case sent to %(organization)s. No more e-mail: %(link)s") % {
            "organization": settings.MIZ_ORGANIZATION_NAME,
            "link": unsubscribe_link,
        }
    return f"{text}\n\n--\n{footer}\n"


def email_html_page(content_html: str, subject: str, unsubscribe_link: str) -> str:
    """The rendered (already escaped) content inside the fixed right-to-left layout every e-mail shares."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "notify/email_layout.html",
            {
                "content": mark_safe(content_html),  # noqa: S308 (rendered with autoescape by the restricted engine)
                "subject": subject,
                "organization": settings.MIZ_ORGANIZATION_NAME,
                "unsubscribe_link": unsubscribe_link,
            },
        )
