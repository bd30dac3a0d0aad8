"""Messages from a coordinator to a round's people (mentors, adepts, HR contacts).

Who gets a message:

- participants are the people with a Participant row in the round (accepted or matched
  applications, people added by hand, the mentor bank): ``mentors`` and ``adepts`` are those
  roles, ``everyone`` is both plus the HR contacts;
- HR contacts are the HR contacts of the member organisations that have participants or
  (submitted, not withdrawn) applications in the round;
- an organisation, when one is chosen, narrows the audience to that organisation: its
  participants and its HR contacts.

A person is mailed once, however many ways they belong to the audience (mentor and HR contact,
say). Every mail is rendered in the recipient's own language and carries the sending
coordinator's address as Reply-To. The message, its recipients and the outbox mails are
recorded in one transaction; the compose form's one-time token makes a double submit return
the message already sent instead of sending it again.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Prefetch, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.mail import recipient_language, render_mail
from mentorship.web import absolute
from organisations import activity
from organisations.models import Membership, Organisation
from organisations.outbox import queue_mail
from organisations.services import log_activity
from programmes.models import Participant, ParticipantRole

from .models import MessageAudience, RoundMessage, RoundMessageRecipient

PURPOSE = "round_message"
SUBJECT_MAX = RoundMessage._meta.get_field("subject").max_length
BODY_MAX = RoundMessage._meta.get_field("body").max_length

activity.register({"round_message.sent": gettext_lazy("Message sent to a round")})

_ROLES = {
    MessageAudience.EVERYONE: {ParticipantRole.MENTOR, ParticipantRole.ADEPT},
    MessageAudience.MENTORS: {ParticipantRole.MENTOR},
    MessageAudience.ADEPTS: {ParticipantRole.ADEPT},
    MessageAudience.HR_CONTACTS: set(),
}
_HR_AUDIENCES = {MessageAudience.EVERYONE, MessageAudience.HR_CONTACTS}
# Applications that bring their organisation's HR contacts into the round.
_APPLICATION_STAGES_LEFT_OUT = ("draft", "withdrawn")


@dataclass
class Recipient:
    """One person a message goes to. Unpacks like ``(user, email, language)`` for the first
    three; ``roles`` and ``organisations`` (names) say why they are in the audience."""

    user: object
    email: str
    language: str
    roles: list = field(default_factory=list)
    organisations: list = field(default_factory=list)

    def __iter__(self):
        return iter((self.user, self.email, self.language))

    @property
    def name(self):
        return self.user.get_full_name()


def _round_organisation_ids(*, tenant, round_):
    """The member organisations taking part in the round: through participants or through
    applications that were sent in and not withdrawn."""
    ids = set(
        Participant.objects.filter(tenant=tenant, round=round_, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    if apps.is_installed("applications"):
        Application = apps.get_model("applications", "Application")
        ids |= set(
            Application.objects.filter(tenant=tenant, round=round_, organisation__isnull=False)
            .exclude(stage__in=_APPLICATION_STAGES_LEFT_OUT)
            .values_list("organisation_id", flat=True)
            .distinct()
        )
    return ids


def recipients_for(*, tenant, round_, audience, organisation=None):
    """Everyone the message would reach, one entry per person, sorted by name.

    A fixed number of queries whatever the size of the round.
    """
    if audience not in MessageAudience.values:
        raise ValidationError({"audience": _("Choose who gets the message.")})
    if organisation is not None and organisation.tenant_id != tenant.pk:
        raise ValidationError({"organisation": _("Choose one of your own organisations.")})
    role_labels = dict(ParticipantRole.choices)
    people = {}

    def add(user, role_label, organisation_name):
        entry = people.get(user.pk)
        if entry is None:
            entry = people[user.pk] = Recipient(
                user=user,
                email=user.email,
                language=recipient_language(user=user, tenant=tenant),
            )
        if role_label not in entry.roles:
            entry.roles.append(role_label)
        if organisation_name and organisation_name not in entry.organisations:
            entry.organisations.append(organisation_name)

    roles = _ROLES[audience]
    if roles:
        participants = (
            Participant.objects.filter(
                tenant=tenant, round=round_, role__in=roles, user__is_active=True
            )
            .select_related("user", "organisation")
            .order_by("pk")
        )
        if organisation is not None:
            participants = participants.filter(organisation=organisation)
        for participant in participants:
            add(
                participant.user,
                role_labels[participant.role],
                participant.organisation.name if participant.organisation else "",
            )

    if audience in _HR_AUDIENCES:
        if organisation is not None:
            org_ids = {organisation.pk}
        else:
            org_ids = _round_organisation_ids(tenant=tenant, round_=round_)
        if org_ids:
            memberships = (
                Membership.objects.filter(
                    tenant=tenant,
                    is_hr_contact=True,
                    user__is_active=True,
                    organisations__in=org_ids,
                )
                .distinct()
                .select_related("user")
                .prefetch_related(
                    Prefetch(
                        "organisations",
                        queryset=Organisation.objects.filter(pk__in=org_ids).order_by("name"),
                        to_attr="round_organisations",
                    )
                )
                .order_by("pk")
            )
            for membership in memberships:
                for org in membership.round_organisations:
                    add(membership.user, _("HR contact"), org.name)

    return sorted(people.values(), key=lambda r: (r.name.casefold(), r.email))


def clean_text(*, subject, body):
    """The subject on one line, the body with plain line breaks, both checked. Returns
    ``(subject, body)`` or raises ValidationError keyed by field."""
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Write a subject.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("The subject can be at most %(max)d characters long.") % {
            "max": SUBJECT_MAX
        }
    if not body:
        errors["body"] = _("Write the message.")
    elif len(body) > BODY_MAX:
        errors["body"] = _(
            "The message can be at most %(max)d characters long (it is %(length)d)."
        ) % {"max": BODY_MAX, "length": len(body)}
    if errors:
        raise ValidationError(errors)
    return subject, body


def _no_recipients_error():
    return ValidationError(
        _(
            "Nobody in this round belongs to the audience you chose, so there is nobody to send "
            "the message to. Choose another audience or organisation."
        ),
        code="no_recipients",
    )


def mail_context(*, tenant, round_, sender, subject, body):
    return {
        "tenant": tenant,
        "round": round_,
        "programme": round_.programme,
        "subject": subject,
        "body": body,
        "sender_name": sender.get_full_name(),
        "sender_email": sender.email,
        # The reader's pages in the tenant (their application, programme, pair).
        "home_url": absolute(reverse("organisations:tenant_home", kwargs={"tenant": tenant.slug})),
    }


def preview(*, tenant, round_, sender, audience, organisation=None, subject, body, language):
    """What the message would look like, to whom it would go; nothing is saved or sent.

    Returns a dict: ``subject`` and ``body`` as rendered for one recipient (in ``language``,
    the coordinator's), ``reply_to``, ``recipients`` and ``sample`` (the first recipient).
    """
    subject, body = clean_text(subject=subject, body=body)
    recipients = recipients_for(
        tenant=tenant, round_=round_, audience=audience, organisation=organisation
    )
    if not recipients:
        raise _no_recipients_error()
    rendered_subject, rendered_body, _html = render_mail(
        purpose=PURPOSE,
        language=language,
        context=mail_context(
            tenant=tenant, round_=round_, sender=sender, subject=subject, body=body
        ),
    )
    # render_mail gives template output, marked safe for HTML; this is plain text that pages
    # must escape, so it goes out as ordinary strings.
    return {
        "subject": str.__str__(rendered_subject),
        "body": str.__str__(rendered_body),
        "reply_to": sender.email,
        "recipients": recipients,
        "sample": recipients[0],
        "languages": Counter(r.language for r in recipients),
    }


def _existing(*, tenant, token):
    return (
        RoundMessage.objects.filter(tenant=tenant, idempotency_key=token)
        .select_related("round")
        .first()
    )


def send_message(*, tenant, actor, round_, audience, organisation=None, subject, body, token):
    """Record the message, one recipient row and one outbox mail per person, in one
    transaction; the mails go out once it commits.

    ``token`` is the compose form's one-time key. Sending the same form again (a double click,
    a reload after sending) returns the message sent the first time and sends nothing; so
    does a second request racing the first (the unique key decides). Returns
    ``(message, created)``.
    """
    if round_.tenant_id != tenant.pk:
        raise ValidationError(_("This round belongs to another organiser."))
    try:
        token = uuid.UUID(str(token))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(
            _("The form has expired. Start a new message."), code="token"
        ) from exc
    existing = _existing(tenant=tenant, token=token)
    if existing is not None:
        return existing, False
    subject, body = clean_text(subject=subject, body=body)
    recipients = recipients_for(
        tenant=tenant, round_=round_, audience=audience, organisation=organisation
    )
    if not recipients:
        raise _no_recipients_error()
    context = mail_context(tenant=tenant, round_=round_, sender=actor, subject=subject, body=body)
    try:
        with transaction.atomic():
            message = RoundMessage.objects.create(
                tenant=tenant,
                round=round_,
                audience=audience,
                organisation=organisation,
                subject=subject,
                body=body,
                sent_by=actor,
                sent_at=timezone.now(),
                recipient_count=len(recipients),
                idempotency_key=token,
            )
            rows = []
            for recipient in recipients:
                mail = queue_mail(
                    purpose=PURPOSE,
                    to=recipient.email,
                    language=recipient.language,
                    context=context,
                    reply_to=[actor.email],
                    tenant=tenant,
                    dedupe_key=f"{PURPOSE}:{message.pk}:{recipient.user.pk}",
                )
                rows.append(
                    RoundMessageRecipient(
                        tenant=tenant,
                        message=message,
                        user=recipient.user,
                        email=recipient.email,
                        outgoing_mail=mail,
                    )
                )
            RoundMessageRecipient.objects.bulk_create(rows)
            log_activity(
                tenant=tenant,
                actor=actor,
                action="round_message.sent",
                obj=message,
                data={
                    "round": round_.pk,
                    "audience": audience,
                    "organisation": organisation.pk if organisation else None,
                    "recipients": len(recipients),
                    "languages": dict(Counter(r.language for r in recipients)),
                },
            )
    except IntegrityError:
        # Another request with the same token got there first and has committed.
        existing = _existing(tenant=tenant, token=token)
        if existing is None:
            raise
        return existing, False
    return message, True


def anonymise(*, application_ids):
    """The messages to the anonymised applications' people: their recipient rows get one
    made-up address per row (so the same message never goes twice to one address, and the
    counts stay), and their names and addresses are taken out of the subjects and texts of
    the messages they received. Other recipients of the same messages keep theirs (a
    continuous programme anonymises one pair at a time). Returns no texts (a message is the
    coordinator's, not the applicant's). One of mentorship.hooks.ON_ANONYMISE, in
    applications.services.anonymise_applications's transaction, before the applications are
    cleared."""
    import re

    Application = apps.get_model("applications", "Application")
    people = list(
        Application.objects.filter(pk__in=application_ids).values_list(
            "tenant_id",
            "round_id",
            "user_id",
            "email",
            "full_name",
            "user__email",
            "user__full_name",
        )
    )
    for tenant_id, round_id in sorted({(p[0], p[1]) for p in people}):
        of_round = [p for p in people if (p[0], p[1]) == (tenant_id, round_id)]
        users = {p[2] for p in of_round}
        emails = {e.lower() for p in of_round for e in (p[3], p[5]) if e}
        recipients = RoundMessageRecipient.objects.filter(
            tenant_id=tenant_id, message__round_id=round_id
        ).filter(Q(user_id__in=users) | Q(email__in=emails))
        needles = sorted(
            {t.strip() for p in of_round for t in p[3:] if t and len(t.strip()) >= 4},
            key=len,
            reverse=True,
        )
        messages = RoundMessage.objects.filter(pk__in=recipients.values("message_id"))
        for message in messages:
            subject, body = message.subject, message.body
            for needle in needles:
                subject = re.sub(re.escape(needle), _("Anonymised"), subject, flags=re.I)
                body = re.sub(re.escape(needle), _("Anonymised"), body, flags=re.I)
            if (subject, body) != (message.subject, message.body):
                message.subject, message.body = subject, body
                message.save(update_fields=["subject", "body"])
        recipients.update(
            email=Concat(Value("anonymised-"), Cast("pk", CharField()), Value("@invalid"))
        )
    return []
