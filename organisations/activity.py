"""Human labels for activity-log actions. Apps add theirs with ``register``."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "tenant.created": _("Tenant created"),
    "organisation.created": _("Organisation added"),
    "organisation.updated": _("Organisation changed"),
    "organisation.archived": _("Organisation archived"),
    "organisation.reactivated": _("Organisation reactivated"),
    "invitation.sent": _("Invitation sent"),
    "invitation.revoked": _("Invitation withdrawn"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.renewal_requested": _("New invitation requested"),
    "membership.created": _("Role given"),
    "membership.updated": _("Roles changed"),
    "membership.removed": _("Roles removed"),
}


def register(labels):
    LABELS.update(labels)


def describe(entry):
    entry.label = LABELS.get(entry.action, entry.action)
    return entry
