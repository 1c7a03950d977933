from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersianConfig(AppConfig):
    name = "persian"
    verbose_name = _("Persian text")
