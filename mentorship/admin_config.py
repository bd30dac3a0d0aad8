"""Django admin's app, with this project's site (``mentorship.admin_site.AdminSite``).

A module of its own: it is imported while the apps load, before any model can be.
"""

from django.contrib.admin.apps import AdminConfig as BaseAdminConfig


class AdminConfig(BaseAdminConfig):
    default_site = "mentorship.admin_site.AdminSite"
