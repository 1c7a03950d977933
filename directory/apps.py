from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def load_organization_into_empty_database(**kwargs):
    """Every fresh install starts with the default organization; an existing one is never touched."""
    from directory.models import Unit
    from directory.services import load_default_organization

    if not Unit.objects.exists():
        load_default_organization()


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Organization directory")

    def ready(self):
        from directory import cache
        from directory.models import OrganizationProfile, Position, Topic, Unit, UnitPhone

        post_migrate.connect(load_organization_into_empty_database, sender=self)
        # Any edit of what the public directory shows starts a new version of its cached pages.
        for model in (Unit, UnitPhone, Position, Topic, OrganizationProfile):
            post_save.connect(cache.bump, sender=model, dispatch_uid=f"directory-cache-{model.__name__}-save")
            post_delete.connect(cache.bump, sender=model, dispatch_uid=f"directory-cache-{model.__name__}-delete")
