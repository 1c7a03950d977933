from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        post_migrate.connect(load_organization_into_empty_database, sender=self)
