from django.conf import settings


def site(request):
    """What every page shows of the organization."""
    return {"organization_name": settings.MIZ_ORGANIZATION_NAME}
