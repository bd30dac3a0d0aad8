"""Filters for mail templates: values written as words, never as Python (a list, a queryset)."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def words(values):
    """Names joined in words in the active language: "A", "A and B", "A, B and C"."""
    if isinstance(values, str):
        return values
    names = [str(value) for value in values or () if str(value)]
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
