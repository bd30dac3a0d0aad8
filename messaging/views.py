"""Coordinators' messages to a round: list, compose → preview → send, and one message's
recipients with the state of each mail."""

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from mentorship.web import errors_into_form
from organisations.access import CoordinatorRequiredMixin
from organisations.models import Organisation
from programmes import selectors as programme_selectors
from programmes.models import Round

from . import selectors, services
from .models import MessageAudience, RoundMessage


class PlainTextField(forms.CharField):
    """A textarea's text with plain line breaks, so that its length is what the person sees
    (browsers send CR LF, and maxlength counts a line break as one character)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("To whom"),
        choices=MessageAudience.choices,
        initial=MessageAudience.EVERYONE,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "HR contacts are those of the organisations with participants or applications in "
            "the round."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Only this organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("All organisations"),
        help_text=gettext_lazy("Its participants and its HR contacts, within the audience above."),
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=services.SUBJECT_MAX)
    body = PlainTextField(
        label=gettext_lazy("Message"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "Plain text. Each person gets it in a mail in which a reply reaches you."
        ),
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(tenant=tenant).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        if "subject" in data and "body" in data:
            try:
                data["subject"], data["body"] = services.clean_text(
                    subject=data["subject"], body=data["body"]
                )
            except ValidationError as exc:
                errors_into_form(self, exc)
        return data


class MessageRoundMixin(CoordinatorRequiredMixin):
    """The round from the URL (``round_pk``), this tenant's only: another tenant's is a 404."""

    def get_round(self):
        if not hasattr(self, "_round"):
            try:
                self._round = programme_selectors.get_round(
                    tenant=self.tenant, pk=self.kwargs["round_pk"]
                )
            except Round.DoesNotExist as exc:
                raise Http404 from exc
        return self._round

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["round"] = self.get_round()
        return ctx


class MessageListView(MessageRoundMixin, TemplateView):
    template_name = "programmes/messages_list.html"
    paginate_by = 50
    sorts = {
        "sent": (gettext_lazy("Sent"), ("sent_at", "id")),
        "subject": (gettext_lazy("Subject"), ("subject", "id")),
        "by": (gettext_lazy("By"), ("sent_by__full_name", "id")),
    }

    def get_context_data(self, **kwargs):
        from mentorship.listing import Listing

        ctx = super().get_context_data(**kwargs)
        qs = selectors.messages_of_round(tenant=self.tenant, round_=ctx["round"])
        listing = Listing(
            self.request,
            qs,
            sorts=self.sorts,
            default_sort="-sent",
            search=("subject", "sent_by__full_name", "organisation__name"),
            page_size=self.paginate_by,
        )
        ctx["listing"] = listing
        ctx["page"] = listing.page
        return ctx


class MessageComposeView(MessageRoundMixin, TemplateView):
    """GET: an empty form with a fresh one-time token. POST ``action=preview``: the preview
    (nothing sent); ``action=edit``: back to the form, filled in; ``action=send``: send."""

    template_name = "programmes/messages_form.html"
    preview_template_name = "programmes/messages_preview.html"

    def get(self, request, *args, **kwargs):
        form = MessageForm(tenant=self.tenant, initial={"token": uuid.uuid4()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        form = MessageForm(request.POST, tenant=self.tenant)
        action = request.POST.get("action", "preview")
        if not form.is_valid() or action == "edit":
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        if action == "send":
            return self._send(form, round_, data)
        try:
            shown = services.preview(
                tenant=self.tenant,
                round_=round_,
                sender=request.user,
                audience=data["audience"],
                organisation=data["organisation"],
                subject=data["subject"],
                body=data["body"],
                language=translation.get_language(),
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        ctx = self.get_context_data(form=form, preview=shown)
        ctx["hidden_form"] = HiddenMessageForm(tenant=self.tenant, initial=data)
        ctx["audience_label"] = MessageAudience(data["audience"]).label
        names = dict(settings.LANGUAGES)
        ctx["languages"] = [
            (names.get(code, code), n) for code, n in sorted(shown["languages"].items())
        ]
        return self.response_class(
            request=request,
            template=[self.preview_template_name],
            context=ctx,
            using=self.template_engine,
        )

    def _send(self, form, round_, data):
        try:
            message, created = services.send_message(
                tenant=self.tenant,
                actor=self.request.user,
                round_=round_,
                audience=data["audience"],
                organisation=data["organisation"],
                subject=data["subject"],
                body=data["body"],
                token=data["token"],
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        if created:
            n = message.recipient_count
            messages.success(
                self.request,
                ngettext(
                    "The message is on its way to %(n)d person.",
                    "The message is on its way to %(n)d people.",
                    n,
                )
                % {"n": n},
            )
        else:
            messages.info(
                self.request,
                _("This message had already been sent; it was not sent again."),
            )
        return redirect(
            "round_messages:detail",
            tenant=self.tenant.slug,
            round_pk=message.round_id,
            pk=message.pk,
        )


class HiddenMessageForm(MessageForm):
    """The previewed message carried to the "Send" and "Change" buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            bound.widget = forms.HiddenInput()


class MessageDetailView(MessageRoundMixin, TemplateView):
    template_name = "programmes/messages_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            message = selectors.get_message(
                tenant=self.tenant, round_=ctx["round"], pk=self.kwargs["pk"]
            )
        except RoundMessage.DoesNotExist as exc:
            raise Http404 from exc
        ctx["message"] = message
        ctx["recipients"] = selectors.recipients_of(tenant=self.tenant, message=message)
        return ctx
