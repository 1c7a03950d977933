"""The public "about the organization" pages: thin views over directory.services, cached per directory version."""

import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory import cache, services
from directory.models import OrganizationProfile, Position, Unit, photo_storage
from directory.vcard import position_vcard
from persian.text import normalize_line


def _fragment(template: str, context: dict) -> str:
    return render_to_string(template, {"organization_name": settings.MIZ_ORGANIZATION_NAME, **context})


def _page(request, title: str, fragment: str, context_builder, cache_name: str):
    """The page body comes from the cache; only the frame around it (menu, messages) is rendered each time."""
    body = cache.cached(cache_name, lambda: _fragment(fragment, context_builder()))
    return render(request, "directory/page.html", {"title": title, "body": body})


@require_safe
def about(request):
    def context():
        return {"profile": OrganizationProfile.current()}

    return _page(request, _("About the organization"), "directory/about.html", context, "about")


@require_safe
def chart(request):
    def context():
        top, roots = services.organization_chart()
        return {"top": top, "roots": roots}

    return _page(request, _("Organization chart"), "directory/chart.html", context, "chart")


@require_safe
def unit_page(request, code):
    title, body = cache.cached(f"unit:{code}", lambda: _unit_body(code))
    if not body:
        raise Http404
    return render(request, "directory/page.html", {"title": title, "body": body})


def _unit_body(code):
    unit = services.public_unit(code)
    return (unit.name, _fragment("directory/unit.html", {"unit": unit})) if unit else ("", "")


@require_safe
def people(request):
    query = normalize_line(request.GET.get("q", ""))[:100]
    body = cache.cached(
        f"people:{query}",
        lambda: _fragment("directory/people.html", {"people": services.people(query), "query": query}),
    )
    return render(request, "directory/page.html", {"title": _("Managers and deputies"), "body": body})


@require_safe
def vcard(request, pk):
    position = Position.objects.select_related("unit").filter(pk=pk).first()
    if position is None or position.is_vacant:
        raise Http404
    response = HttpResponse(position_vcard(position), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{position.holder_name or position.title}.vcf")
    return response


@require_safe
def position_email(request, pk):
    """mailto: behind a redirect, so the address is not in the page's links for a harvester to collect."""
    email = Position.objects.filter(pk=pk).values_list("email", flat=True).first()
    if not email:
        raise Http404
    return _mailto(email)


@require_safe
def unit_email(request, code):
    email = Unit.objects.active().filter(code=code).values_list("email", flat=True).first()
    if not email:
        raise Http404
    return _mailto(email)


class MailtoRedirect(HttpResponseRedirect):
    allowed_schemes = ["mailto"]


def _mailto(address: str) -> HttpResponse:
    response = MailtoRedirect("mailto:" + escape_uri_path(address))
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def photo(request, name):
    storage = photo_storage()
    if "/" in name or not storage.exists(name):
        raise Http404
    response = FileResponse(storage.open(name, "rb"), content_type=mimetypes.guess_type(name)[0] or "image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
