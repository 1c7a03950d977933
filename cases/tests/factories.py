"""Small factories for cases: always through the service, as the site does it."""

from cases.services import Submission, submit_case
from directory.models import Topic


def submit(
    *,
    kind="request",
    topic_label=None,
    unit=None,
    mobile="+989141234567",
    anonymous=False,
    subject="درخواست آمار جمعیت",
    body="لطفاً آمار جمعیت شهرستان را اعلام کنید.",
    files=(),
    form_token=None,
    **fields,
):
    topic = Topic.objects.get(label=topic_label) if topic_label else None
    return submit_case(
        Submission(
            kind=kind,
            subject=subject,
            body=body,
            topic=topic,
            unit=unit,
            is_anonymous=anonymous,
            mobile="" if anonymous else mobile,
            **fields,
        ),
        files=list(files),
        form_token=form_token,
    )
