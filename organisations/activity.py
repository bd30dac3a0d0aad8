"""Human labels for activity-log actions. Apps add theirs with ``register``."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "tenant.created": _("Tenant created"),
    "tenant.page_updated": _("Public page changed"),
    "organisation.created": _("Organisation added"),
    "organisation.updated": _("Organisation changed"),
    "organisation.archived": _("Organisation archived"),
    "organisation.reactivated": _("Organisation reactivated"),
    "organisations.imported": _("Organisations imported"),
    "invitation.sent": _("Invitation sent"),
    "invitation.revoked": _("Invitation withdrawn"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.renewal_requested": _("New invitation requested"),
    "membership.created": _("Role given"),
    "membership.updated": _("Roles changed"),
    "membership.removed": _("Roles removed"),
    "membership.digest_turned_off": _("Daily summary of new applications turned off"),
    "membership.digest_turned_on": _("Daily summary of new applications turned on"),
    "mail.sent_again": _("Failed mail sent again"),
    # programmes
    "programme.created": _("Programme created"),
    "programme.updated": _("Programme changed"),
    "round.created": _("Round created"),
    "round.updated": _("Round settings changed"),
    "round.status_changed": _("Round moved to a new stage"),
    "round.copied": _("Round created from a previous one"),
    "round.intake_paused": _("Intake paused"),
    "round.intake_resumed": _("Intake resumed"),
    "round.applications_closed_early": _("Applications closed before the deadline"),
    "meeting.created": _("Shared day added"),
    "meeting.updated": _("Shared day changed"),
    "meeting.moved": _("Shared day moved"),
    "meeting.deleted": _("Shared day deleted"),
    "meeting.answered": _("Answer to a shared day"),
    "meeting.attendance_marked": _("Attendance marked"),
    "meeting.answers_exported": _("List of answers exported"),
    "participant.added": _("Participant added"),
    "calendar.renewed": _("Calendar address renewed"),
    # applications
    "application.started": _("Application started"),
    "application.stage_changed": _("Application moved to a new stage"),
    "application.moved_back": _("Application moved back"),
    "application.accepted_without_interview": _("Accepted without an interview (override)"),
    "applications.nominated_bulk": _("Several applications nominated at once"),
    "programme.fields_saved": _("Standard fields of the form changed"),
    "application.interview_saved": _("Interview notes saved"),
    "application.viewed": _("Application viewed"),
    "application.put_forward": _("Person put forward"),
    "application.put_forward_used": _("Application started from a put-forward link"),
    "application.imported": _("Application imported"),
    "applications.imported": _("Applications imported"),
    "applications.exported": _("Applications exported"),
    "applications.anonymised": _("Applications anonymised after the retention period"),
    "applications.export_downloaded": _("Export downloaded"),
    "applications.export_started_again": _("Export started again"),
    "endorsement.requested": _("Manager asked for support"),
    "endorsement.given": _("Manager confirmed support"),
    "endorsement.refused": _("Manager did not confirm support"),
    "question.created": _("Question added to the form"),
    "question.updated": _("Question changed"),
    "question.hidden": _("Question hidden"),
    "question.deleted": _("Question deleted"),
    "theme.created": _("Theme added"),
    "theme.updated": _("Theme changed"),
    "theme.hidden": _("Theme hidden"),
    "theme.shown": _("Theme shown"),
}


def register(labels):
    LABELS.update(labels)


def describe(entry):
    entry.label = LABELS.get(entry.action, entry.action)
    return entry
