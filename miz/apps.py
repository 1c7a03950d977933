from django.contrib.admin.apps import AdminConfig


class MizAdminConfig(AdminConfig):
    """django.contrib.admin with our site (miz.admin_site.MizAdminSite) as admin.site."""

    default_site = "miz.admin_site.MizAdminSite"
