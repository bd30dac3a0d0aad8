"""The coordinators' checklist pages: a programme's checklists (the content new rounds copy)
and a round's own copy, each with its items. Create, edit, reorder (up/down), retire, bring
back, delete while nobody has answered, and start from a built-in template. Every object is
fetched through the tenant; another tenant's is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mentorship.web import errors_into_form
from organisations.access import CoordinatorRequiredMixin
from programmes.models import Programme, Round

from . import checklist_templates, checklists
from .models import Checklist, ChecklistItem, ChecklistItemAnswer


class ChecklistForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=checklists.TITLE_MAX)
    intro = forms.CharField(
        label=gettext_lazy("Introduction"),
        help_text=gettext_lazy("Optional: a few words shown above the items."),
        required=False,
        max_length=checklists.INTRO_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    timing = forms.ChoiceField(
        label=gettext_lazy("When does it appear?"),
        choices=Checklist.Timing.choices,
        widget=forms.RadioSelect,
        initial=Checklist.Timing.BEFORE_FIRST,
    )
    number = forms.IntegerField(
        label=gettext_lazy("N"),
        help_text=gettext_lazy(
            "After meeting N: the number of the meeting. At the end: how many weeks before "
            "the round's end (it also appears at the pair's last meeting, one short of the "
            "round's minimum)."
        ),
        required=False,
        min_value=1,
        max_value=52,
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("For whom?"),
        choices=Checklist._meta.get_field("audience").choices,
        widget=forms.RadioSelect,
        initial="both",
    )


class ItemForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=checklists.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=ChecklistItem.Kind.choices,
        widget=forms.RadioSelect,
        initial=ChecklistItem.Kind.QUESTION,
    )


class TemplateForm(forms.Form):
    template = forms.ChoiceField(
        label=gettext_lazy("Template"),
        choices=[(key, spec["label"]) for key, spec in checklist_templates.TEMPLATES.items()],
        widget=forms.RadioSelect,
    )


def _programme(tenant, pk):
    return get_object_or_404(Programme, tenant=tenant, pk=pk)


def _round(tenant, pk):
    return get_object_or_404(Round.objects.select_related("programme"), tenant=tenant, pk=pk)


def _checklist(tenant, pk):
    return get_object_or_404(
        Checklist.objects.select_related("programme", "round"), tenant=tenant, pk=pk
    )


def _item(tenant, pk):
    return get_object_or_404(
        ChecklistItem.objects.select_related(
            "checklist", "checklist__programme", "checklist__round"
        ),
        tenant=tenant,
        pk=pk,
    )


def list_url(tenant, programme, round_=None):
    if round_ is not None:
        return reverse("checklists:round", args=[tenant.slug, round_.pk])
    return reverse("checklists:programme", args=[tenant.slug, programme.pk])


def _messages_of(error):
    return getattr(error, "messages", [str(error)])


class ChecklistListView(CoordinatorRequiredMixin, View):
    """GET: the programme's (or the round's) checklists; POST: a new one."""

    template_name = "pairs/manage/checklists.html"

    def scope(self):
        if "round_pk" in self.kwargs:
            round_ = _round(self.tenant, self.kwargs["round_pk"])
            return round_.programme, round_
        return _programme(self.tenant, self.kwargs["programme_pk"]), None

    def render_page(self, form=None, template_form=None, status=200):
        programme, round_ = self.scope()
        rows = checklists.checklists_of(tenant=self.tenant, programme=programme, round_=round_)
        answered = set(
            ChecklistItemAnswer.objects.filter(item__checklist__in=rows)
            .values_list("item__checklist_id", flat=True)
            .distinct()
        )
        for row in rows:
            row.has_answers = row.pk in answered
            row.live_count = sum(1 for i in row.items.all() if not i.is_retired)
        return render(
            self.request,
            self.template_name,
            {
                "tenant": self.tenant,
                "programme": programme,
                "round": round_,
                "checklists": rows,
                "form": form or ChecklistForm(),
                "template_form": template_form or TemplateForm(),
                "not_started": round_ is not None
                and round_.status in (Round.Status.DRAFT, Round.Status.OPEN, Round.Status.REVIEW),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        programme, round_ = self.scope()
        form = ChecklistForm(request.POST)
        if form.is_valid():
            try:
                checklist = checklists.create_checklist(
                    tenant=self.tenant,
                    actor=request.user,
                    programme=programme,
                    round_=round_,
                    data=form.cleaned_data,
                )
            except ValidationError as error:
                errors_into_form(form, error)
        if form.errors:
            return self.render_page(form=form, status=400)
        messages.success(request, _("The checklist is created. Add its items."))
        return redirect("checklists:checklist", tenant=self.tenant.slug, pk=checklist.pk)


class ChecklistTemplateView(ChecklistListView):
    """POST: add a built-in template's checklists, in the coordinator's language."""

    def get(self, request, *args, **kwargs):
        return self.http_method_not_allowed(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        programme, round_ = self.scope()
        form = TemplateForm(request.POST)
        if not form.is_valid():
            return self.render_page(template_form=form, status=400)
        made = checklists.start_from_template(
            tenant=self.tenant,
            actor=request.user,
            programme=programme,
            round_=round_,
            template=form.cleaned_data["template"],
            language=translation.get_language(),
        )
        messages.success(
            request,
            _("%(n)s checklists are added from the template. Edit them as you like.")
            % {"n": len(made)},
        )
        return redirect(list_url(self.tenant, programme, round_))


class CopyAgainView(CoordinatorRequiredMixin, View):
    """POST: a round not yet started takes the programme's checklists again."""

    def post(self, request, tenant, round_pk):
        round_ = _round(self.tenant, round_pk)
        try:
            checklists.copy_from_programme_again(
                tenant=self.tenant, actor=request.user, round_=round_
            )
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
        else:
            messages.success(request, _("The round has the programme's checklists again."))
        return redirect(list_url(self.tenant, round_.programme, round_))


class ChecklistEditView(CoordinatorRequiredMixin, View):
    """GET: one checklist with its settings and items; POST: its settings."""

    template_name = "pairs/manage/checklist.html"

    def render_page(self, checklist, form=None, item_form=None, status=200):
        items = list(checklist.items.all())
        answered = checklists.answered_item_ids(items)
        for item in items:
            item.has_answers = item.pk in answered
        initial = {
            "title": checklist.title,
            "intro": checklist.intro,
            "timing": checklist.timing,
            "number": checklist.number,
            "audience": checklist.audience,
        }
        return render(
            self.request,
            self.template_name,
            {
                "tenant": self.tenant,
                "checklist": checklist,
                "programme": checklist.programme,
                "round": checklist.round,
                "back": list_url(self.tenant, checklist.programme, checklist.round),
                "items": items,
                "has_answers": bool(answered),
                "form": form or ChecklistForm(initial=initial),
                "item_form": item_form or ItemForm(prefix="new"),
            },
            status=status,
        )

    def get(self, request, tenant, pk):
        return self.render_page(_checklist(self.tenant, pk))

    def post(self, request, tenant, pk):
        checklist = _checklist(self.tenant, pk)
        form = ChecklistForm(request.POST)
        if form.is_valid():
            try:
                checklists.update_checklist(
                    tenant=self.tenant,
                    actor=request.user,
                    checklist=checklist,
                    data=form.cleaned_data,
                )
            except ValidationError as error:
                errors_into_form(form, error)
        if form.errors:
            return self.render_page(_checklist(self.tenant, pk), form=form, status=400)
        messages.success(request, _("The checklist is saved."))
        return redirect("checklists:checklist", tenant=self.tenant.slug, pk=checklist.pk)


class ChecklistActionView(CoordinatorRequiredMixin, View):
    """POST: up, down, retire, restore or delete a checklist."""

    def post(self, request, tenant, pk, action):
        checklist = _checklist(self.tenant, pk)
        args = {"tenant": self.tenant, "actor": request.user, "checklist": checklist}
        back = list_url(self.tenant, checklist.programme, checklist.round)
        try:
            if action in ("up", "down"):
                checklists.move_checklist(direction=action, **args)
            elif action in ("retire", "restore"):
                checklists.set_checklist_retired(retired=action == "retire", **args)
                messages.success(
                    request,
                    _("The checklist is retired: the pairs no longer see it.")
                    if action == "retire"
                    else _("The checklist is back."),
                )
            elif action == "delete":
                checklists.delete_checklist(**args)
                messages.success(request, _("The checklist is deleted."))
            else:
                raise Http404
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
        return redirect(f"{back}#checklist-{checklist.pk}" if action != "delete" else back)


class ItemAddView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, pk):
        checklist = _checklist(self.tenant, pk)
        form = ItemForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                checklists.add_item(
                    tenant=self.tenant,
                    actor=request.user,
                    checklist=checklist,
                    data=form.cleaned_data,
                )
            except ValidationError as error:
                errors_into_form(form, error)
        if form.errors:
            return ChecklistEditView(request=request, tenant=self.tenant).render_page(
                checklist, item_form=form, status=400
            )
        messages.success(request, _("The item is added."))
        url = reverse("checklists:checklist", args=[self.tenant.slug, checklist.pk])
        return redirect(f"{url}#items-title")


class ItemEditView(CoordinatorRequiredMixin, View):
    template_name = "pairs/manage/item_form.html"

    def render_page(self, item, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "tenant": self.tenant,
                "item": item,
                "checklist": item.checklist,
                "round": item.checklist.round,
                "form": form,
                "has_answers": ChecklistItemAnswer.objects.filter(item=item).exists(),
            },
            status=status,
        )

    def get(self, request, tenant, pk):
        item = _item(self.tenant, pk)
        return self.render_page(item, ItemForm(initial={"text": item.text, "kind": item.kind}))

    def post(self, request, tenant, pk):
        item = _item(self.tenant, pk)
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                checklists.update_item(
                    tenant=self.tenant, actor=request.user, item=item, data=form.cleaned_data
                )
            except ValidationError as error:
                errors_into_form(form, error)
        if form.errors:
            return self.render_page(_item(self.tenant, pk), form, status=400)
        messages.success(request, _("The item is saved."))
        url = reverse("checklists:checklist", args=[self.tenant.slug, item.checklist_id])
        return redirect(f"{url}#items-title")


class ItemActionView(CoordinatorRequiredMixin, View):
    """POST: up, down, retire, restore or delete an item."""

    def post(self, request, tenant, pk, action):
        item = _item(self.tenant, pk)
        args = {"tenant": self.tenant, "actor": request.user, "item": item}
        try:
            if action in ("up", "down"):
                checklists.move_item(direction=action, **args)
            elif action in ("retire", "restore"):
                checklists.set_item_retired(retired=action == "retire", **args)
                messages.success(
                    request,
                    _("The item is retired: the pairs no longer see it, its answers are kept.")
                    if action == "retire"
                    else _("The item is back."),
                )
            elif action == "delete":
                checklists.delete_item(**args)
                messages.success(request, _("The item is deleted."))
            else:
                raise Http404
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
        url = reverse("checklists:checklist", args=[self.tenant.slug, item.checklist_id])
        return redirect(f"{url}#items-title")
