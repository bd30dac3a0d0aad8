"""The reads of round messages: a round's messages with their delivery counts, one message,
its recipients and the round dashboard's section."""

from django.db.models import Count, Q

from organisations.models import OutgoingMail

from .models import RoundMessage, RoundMessageRecipient

_Status = OutgoingMail.Status


def _with_counts(qs):
    """Each message with how many of its mails are sent, still waiting (or being sent) and
    failed, counted in the same query."""
    status = "recipients__outgoing_mail__status"
    return qs.annotate(
        sent_count=Count("recipients", filter=Q(**{status: _Status.SENT})),
        waiting_count=Count(
            "recipients", filter=Q(**{f"{status}__in": [_Status.WAITING, _Status.SENDING]})
        ),
        failed_count=Count("recipients", filter=Q(**{status: _Status.FAILED})),
    )


def messages_of_round(*, tenant, round_):
    return _with_counts(
        RoundMessage.objects.filter(tenant=tenant, round=round_).select_related(
            "sent_by", "organisation"
        )
    ).order_by("-sent_at", "-id")


def get_message(*, tenant, round_, pk):
    return _with_counts(
        RoundMessage.objects.filter(tenant=tenant, round=round_, pk=pk).select_related(
            "sent_by", "organisation"
        )
    ).get()


def recipients_of(*, tenant, message):
    return list(
        RoundMessageRecipient.objects.filter(tenant=tenant, message=message)
        .select_related("user", "outgoing_mail")
        .order_by("user__full_name", "email")
    )


def dashboard_section(*, tenant, round_):
    """The messages part of the round dashboard: the latest few (two queries)."""
    latest = list(messages_of_round(tenant=tenant, round_=round_)[:3])
    total = RoundMessage.objects.filter(tenant=tenant, round=round_).count()
    return {
        "template": "programmes/messages_section.html",
        "round": round_,
        "latest": latest,
        "total": total,
    }
