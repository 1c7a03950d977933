"""The citizen's pages: home, submission, confirmation, lookup and the case page."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases import services, throttle
from cases.forms import CitizenMessageForm, LookupForm, ObjectionForm, RatingForm, SubmissionForm
from cases.models import Case, Kind
from cases.workflow import InvalidTransition

SUBMITTED_KEY = "submitted_cases"
TRACKED_KEY = "tracked_cases"
PIN_KEY = "pending_pins"


def _remember(request, key: str, public_id) -> None:
    ids = [i for i in request.session.get(key, []) if i != str(public_id)]
    request.session[key] = [*ids[-19:], str(public_id)]


def _case_from_session(request, key: str, public_id) -> Case:
    """The case only if this browser submitted it or looked it up with both factors."""
    if str(public_id) not in request.session.get(key, []):
        raise Http404
    return get_object_or_404(Case.objects.select_related("unit", "topic", "merged_into"), public_id=public_id)


@require_safe
def home(request):
    return render(request, "cases/home.html", {"kinds": Kind.choices, "lookup_form": LookupForm()})


@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            result = services.submit_case(
                services.Submission(
                    kind=data["kind"],
                    subject=data["subject"],
                    body=data["body"],
                    topic=data["topic"],
                    unit=data["unit"],
                    is_anonymous=data["is_anonymous"],
                    name=data["name"],
                    mobile=data["mobile"],
                    email=data["email"],
                    national_id=data["national_id"],
                    submitter_type=data["submitter_type"],
                    notify_by=data["notify_by"],
                ),
                files=data["attachments"],
                form_token=data["form_token"],
            )
            public_id = str(result.case.public_id)
            if result.created:
                _remember(request, SUBMITTED_KEY, public_id)
                _remember(request, TRACKED_KEY, public_id)
                if result.pin:
                    request.session[PIN_KEY] = {**request.session.get(PIN_KEY, {}), public_id: result.pin}
            elif public_id not in request.session.get(SUBMITTED_KEY, []):
                # The same form token from another browser: never show someone else's case.
                raise Http404
            return redirect("cases:submitted", public_id=public_id)
    else:
        form = SubmissionForm(initial=SubmissionForm.initial_for(request.GET.get("kind"), request.GET.get("unit")))
    return render(request, "cases/submit.html", {"form": form})


@require_safe
def submitted(request, public_id):
    case = _case_from_session(request, SUBMITTED_KEY, public_id)
    pins = request.session.get(PIN_KEY, {})
    # The PIN is shown once: it leaves the session as soon as the page has it.
    pin = pins.pop(str(public_id), None)
    if pin is not None:
        request.session[PIN_KEY] = pins
    return render(request, "cases/submitted.html", {"case": case, "pin": pin})


@require_http_methods(["GET", "POST"])
def track(request):
    # A link in an SMS or e-mail fills in the code; the second factor is always typed.
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("code", "")[:40]})
    if request.method == "POST":
        ip = throttle.client_ip(request)
        if not throttle.allow("lookup-ip", ip, settings.MIZ_LOOKUP_LIMIT_PER_IP):
            return _too_many(request, form)
        if form.is_valid():
            code = form.cleaned_data["code"]
            if not throttle.allow("lookup-code", code, settings.MIZ_LOOKUP_LIMIT_PER_CODE):
                return _too_many(request, form)
            case = services.find_case_for_citizen(code, form.cleaned_data["secret"])
            if case is not None:
                _remember(request, TRACKED_KEY, case.public_id)
                return redirect("cases:case", public_id=case.public_id)
            form.add_error(None, _("No case matches this tracking code and mobile number or PIN."))
    return render(request, "cases/track.html", {"form": form})


def _too_many(request, form):
    form.errors.clear()
    form.add_error(None, _("Too many attempts. Please wait a few minutes and try again."))
    return render(request, "cases/track.html", {"form": form}, status=429)


def _case_page(request, case, message_form=None, rating_form=None, objection_form=None, status=200):
    events = case.events.filter(is_public=True).select_related("to_unit").prefetch_related("attachments")
    answer = next((event for event in reversed(events) if event.type == event.Type.ANSWER), None)
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "events": events,
            "answer": answer,
            # A merged case's citizen reads the answers given where it went (the staff were told so).
            "merged_answers": services.answers_of_merge_target(case),
            "message_form": message_form or CitizenMessageForm(),
            "rating_form": rating_form or RatingForm(),
            "objection_form": objection_form or ObjectionForm(),
        },
        status=status,
    )


@require_safe
def case_page(request, public_id):
    case = _case_from_session(request, TRACKED_KEY, public_id)
    return _case_page(request, case)


@require_POST
def case_message(request, public_id):
    case = _case_from_session(request, TRACKED_KEY, public_id)
    form = CitizenMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, message_form=form, status=400)
    try:
        services.add_citizen_message(case, form.cleaned_data["text"], form.cleaned_data["attachments"])
    except InvalidTransition:
        messages.error(request, _("This case is closed and takes no more messages."))
    else:
        messages.success(request, _("Your message was added to the case."))
    return redirect("cases:case", public_id=case.public_id)


@require_POST
def case_rating(request, public_id):
    case = _case_from_session(request, TRACKED_KEY, public_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, rating_form=form, status=400)
    try:
        services.rate_case(case, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except ValueError:
        messages.error(request, _("This case cannot be rated now."))
    else:
        messages.success(request, _("Thank you. Your rating was recorded."))
    return redirect("cases:case", public_id=case.public_id)


@require_POST
def case_accept(request, public_id):
    case = _case_from_session(request, TRACKED_KEY, public_id)
    try:
        services.accept_answer(case)
    except InvalidTransition:
        messages.error(request, _("The answer can no longer be accepted or objected to."))
    else:
        messages.success(request, _("Thank you. The case is closed."))
    return redirect("cases:case", public_id=case.public_id)


@require_POST
def case_objection(request, public_id):
    case = _case_from_session(request, TRACKED_KEY, public_id)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, objection_form=form, status=400)
    try:
        services.object_to_answer(case, form.cleaned_data["text"])
    except InvalidTransition:
        messages.error(request, _("The answer can no longer be accepted or objected to."))
    else:
        messages.success(request, _("Your objection was recorded. The head of the unit will review the case."))
    return redirect("cases:case", public_id=case.public_id)


@require_safe
def case_attachment(request, public_id, attachment_id):
    case = _case_from_session(request, TRACKED_KEY, public_id)
    attachment = get_object_or_404(case.attachments.filter(event__is_public=True), pk=attachment_id)
    return attachment_response(attachment)


def attachment_response(attachment):
    """Always a download, never rendered inline, with the type we detected rather than one the uploader claimed."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
