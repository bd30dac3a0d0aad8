"""Messages from a coordinator to a round's people, and who each one went to (moved here from
programmes with their tables: ``Meta.db_table`` keeps the old names, so no row moved)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from organisations.models import Organisation, Tenant
from programmes.models import Round


class MessageAudience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone: mentors, adepts and HR contacts")
    MENTORS = "mentors", _("Mentors")
    ADEPTS = "adepts", _("Adepts")
    HR_CONTACTS = "hr_contacts", _("HR contacts")


class RoundMessage(models.Model):
    """A message a coordinator sent to (part of) a round: one mail per recipient, each in the
    recipient's language, replies going to the coordinator. ``idempotency_key`` is the compose
    form's one-time token, so sending the same form twice records (and mails) it once."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="messages")
    audience = models.CharField(
        _("to whom"),
        max_length=20,
        choices=MessageAudience.choices,
        default=MessageAudience.EVERYONE,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only this organisation"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    idempotency_key = models.UUIDField(editable=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "programmes_roundmessage"
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="round_message_unique_key"
            ),
        ]

    def __str__(self):
        return self.subject


class RoundMessageRecipient(models.Model):
    """One person a round message went to, and the outbox mail that carries it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(RoundMessage, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    outgoing_mail = models.ForeignKey(
        "organisations.OutgoingMail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        db_table = "programmes_roundmessagerecipient"
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "email"], name="round_message_recipient_unique"
            ),
        ]

    def __str__(self):
        return self.email
