"""The one page a recipient reaches without signing in: unsubscribing from e-mail."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notify import services


@csrf_exempt  # RFC 8058: a mail program posts "List-Unsubscribe=One-Click" here, with no cookie and no form
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows one button (link scanners fetch links, so a GET changes nothing); POST unsubscribes.

    The token is signed and names a message, not the address; the page shows the address only masked.
    """
    try:
        address = services.address_of_link(token)
    except services.BadLink:
        return render(request, "notify/unsubscribe.html", {"bad_link": True}, status=404)
    done = False
    if request.method == "POST":
        services.unsubscribe(token)
        done = True
    return render(request, "notify/unsubscribe.html", {"masked": mask_address(address), "done": done})


def mask_address(address: str) -> str:
    """a****@example.com: enough for the owner to recognize it, not enough to harvest it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}{'*' * max(3, len(local) - 1)}@{domain}"
