"""Surveys: the coordinators' builder and results, and the participants' survey page.

Coordinator pages: anonymous → sign in, not a member → 404, no coordinator role → 403,
another tenant's survey → 404. The participant's page is for participants of the survey's
round in a role it asks; anyone else (coordinators included) gets 404. The address holds no
personal token: who answers is the signed-in person.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mentorship.web import errors_into_form
from organisations.access import CoordinatorRequiredMixin, TenantMixin
from programmes.models import ParticipantRole

from . import selectors, services
from .forms import AnswerForm, QuestionForm, SurveyCreateForm, SurveySettingsForm
from .goals import goals_for
from .models import Respondent, Survey
from .results import survey_results


def _messages_of(error):
    return getattr(error, "messages", [str(error)])


# --- coordinators: surveys of a round --------------------------------------------------------


class SurveyListView(CoordinatorRequiredMixin, View):
    template_name = "evaluation/survey_list.html"

    def render_page(self, round_, form=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "tenant": self.tenant,
                "round": round_,
                "surveys": selectors.surveys_of_round(tenant=self.tenant, round_=round_),
                "form": form or SurveyCreateForm(),
            },
            status=status,
        )

    def get(self, request, tenant, round_pk):
        return self.render_page(selectors.get_round(tenant=self.tenant, pk=round_pk))

    def post(self, request, tenant, round_pk):
        round_ = selectors.get_round(tenant=self.tenant, pk=round_pk)
        form = SurveyCreateForm(request.POST)
        if not form.is_valid():
            return self.render_page(round_, form=form, status=400)
        try:
            survey = services.create_survey(
                tenant=self.tenant,
                actor=request.user,
                round_=round_,
                kind=form.cleaned_data["kind"],
                from_template=form.cleaned_data["start"] == "template",
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            errors_into_form(form, error)
            return self.render_page(round_, form=form, status=400)
        messages.success(
            request, _("The survey is created as a draft. Set its dates and publish it.")
        )
        return redirect("evaluation:survey", tenant=self.tenant.slug, pk=survey.pk)


def render_builder(request, tenant, survey, *, settings_form=None, question_form=None, status=200):
    questions = selectors.questions_with_answer_counts(tenant=tenant, survey=survey)
    answered = selectors.released_count(tenant=tenant, survey=survey)
    return render(
        request,
        "evaluation/survey_detail.html",
        {
            "tenant": tenant,
            "survey": survey,
            "round": survey.round,
            "phase": survey.phase(),
            "questions": questions,
            "has_answers": services.has_responses(survey),
            "answered": answered,
            "settings_form": settings_form or SurveySettingsForm(instance=survey),
            "question_form": question_form or QuestionForm(prefix="new"),
        },
        status=status,
    )


class SurveyView(CoordinatorRequiredMixin, View):
    """The builder: settings, questions (add, edit, reorder, hide, delete), publishing."""

    def render_page(self, survey, **kwargs):
        return render_builder(self.request, self.tenant, survey, **kwargs)

    def get(self, request, tenant, pk):
        return self.render_page(selectors.get_survey(tenant=self.tenant, pk=pk))

    def post(self, request, tenant, pk):
        """Saves the settings."""
        survey = selectors.get_survey(tenant=self.tenant, pk=pk)
        form = SurveySettingsForm(request.POST, instance=Survey.objects.get(pk=survey.pk))
        if not form.is_valid():
            return self.render_page(survey, settings_form=form, status=400)
        try:
            services.update_survey(
                tenant=self.tenant, actor=request.user, survey=survey, data=form.cleaned_data
            )
        except ValidationError as error:
            errors_into_form(form, error)
            return self.render_page(survey, settings_form=form, status=400)
        messages.success(request, _("The survey's settings are saved."))
        return redirect("evaluation:survey", tenant=self.tenant.slug, pk=survey.pk)


class SurveyActionView(CoordinatorRequiredMixin, View):
    """POST: publish, unpublish, close or delete a survey."""

    def post(self, request, tenant, pk, action):
        survey = selectors.get_survey(tenant=self.tenant, pk=pk)
        args = {"tenant": self.tenant, "actor": request.user, "survey": survey}
        done = {
            "publish": (services.publish_survey, _("The survey is published.")),
            "unpublish": (services.unpublish_survey, _("The survey is a draft again.")),
            "close": (services.close_survey, _("The survey is closed.")),
            "delete": (services.delete_survey, _("The survey is deleted.")),
        }
        if action not in done:
            raise Http404
        func, message = done[action]
        try:
            func(**args)
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
            return redirect("evaluation:survey", tenant=self.tenant.slug, pk=survey.pk)
        messages.success(request, message)
        if action == "delete":
            return redirect(
                "evaluation:survey_list", tenant=self.tenant.slug, round_pk=survey.round_id
            )
        return redirect("evaluation:survey", tenant=self.tenant.slug, pk=survey.pk)


class QuestionAddView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, pk):
        survey = selectors.get_survey(tenant=self.tenant, pk=pk)
        form = QuestionForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                services.add_question(
                    tenant=self.tenant,
                    actor=request.user,
                    survey=survey,
                    data=form.cleaned_for_service(),
                )
            except ValidationError as error:
                errors_into_form(form, error)
        if form.errors:
            return render_builder(request, self.tenant, survey, question_form=form, status=400)
        messages.success(request, _("The question is added."))
        url = reverse("evaluation:survey", args=[self.tenant.slug, survey.pk])
        return redirect(f"{url}#questions-title")


class QuestionEditView(CoordinatorRequiredMixin, View):
    template_name = "evaluation/question_form.html"

    def render_page(self, question, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "tenant": self.tenant,
                "question": question,
                "survey": question.survey,
                "round": question.survey.round,
                "form": form,
                "has_answers": question.answers.exists(),
            },
            status=status,
        )

    def get(self, request, tenant, pk):
        question = selectors.get_question(tenant=self.tenant, pk=pk)
        return self.render_page(question, QuestionForm(instance=question))

    def post(self, request, tenant, pk):
        question = selectors.get_question(tenant=self.tenant, pk=pk)
        form = QuestionForm(
            request.POST, instance=selectors.get_question(tenant=self.tenant, pk=pk)
        )
        if not form.is_valid():
            return self.render_page(question, form, status=400)
        try:
            services.update_question(
                tenant=self.tenant,
                actor=request.user,
                question=question,
                data=form.cleaned_for_service(),
            )
        except ValidationError as error:
            errors_into_form(form, error)
            return self.render_page(question, form, status=400)
        messages.success(request, _("The question is saved."))
        url = reverse("evaluation:survey", args=[self.tenant.slug, question.survey_id])
        return redirect(f"{url}#question-{question.pk}")


class QuestionActionView(CoordinatorRequiredMixin, View):
    """POST: move up/down, hide, show or delete a question."""

    def post(self, request, tenant, pk, action):
        question = selectors.get_question(tenant=self.tenant, pk=pk)
        args = {"tenant": self.tenant, "actor": request.user, "question": question}
        try:
            if action in ("up", "down"):
                services.move_question(direction=action, **args)
            elif action in ("hide", "show"):
                services.set_question_hidden(hidden=action == "hide", **args)
                messages.success(
                    request,
                    _("The question is hidden.")
                    if action == "hide"
                    else _("The question is shown again."),
                )
            elif action == "delete":
                services.delete_question(**args)
                messages.success(request, _("The question is deleted."))
            else:
                raise Http404
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
        url = reverse("evaluation:survey", args=[self.tenant.slug, question.survey_id])
        anchor = "questions-title" if action == "delete" else f"question-{question.pk}"
        return redirect(f"{url}#{anchor}")


class SurveyPreviewView(CoordinatorRequiredMixin, View):
    """The survey as a mentor or an adept sees it (not answerable)."""

    def get(self, request, tenant, pk):
        survey = selectors.get_survey(tenant=self.tenant, pk=pk)
        role = request.GET.get("role")
        if role not in ParticipantRole.values:
            role = ParticipantRole.ADEPT
        survey_questions = list(survey.questions.all())
        questions = [q for q in survey_questions if not q.is_hidden and q.asked_of(role)]
        goals = []
        if survey.ask_goals:
            from .goals import Goal

            goals = [
                Goal(
                    source="application",
                    label=_(
                        "What you wrote in your application that you wanted from the programme"
                    ),
                    text=_("(The participant's own text from their application is shown here.)"),
                )
            ]
        form = AnswerForm(questions=questions, goals=goals, auto_id="preview_%s")
        return render(
            request,
            "evaluation/survey_preview.html",
            {
                "tenant": self.tenant,
                "survey": survey,
                "round": survey.round,
                "role": role,
                "form": form,
            },
        )


# --- coordinators: results -------------------------------------------------------------------


class ResultsView(CoordinatorRequiredMixin, View):
    template_name = "evaluation/results.html"

    def get(self, request, tenant, pk):
        survey = selectors.get_survey(tenant=self.tenant, pk=pk)
        results = survey_results(tenant=self.tenant, survey=survey, include_hidden=True)
        return render(
            request,
            self.template_name,
            {
                "tenant": self.tenant,
                "survey": survey,
                "round": survey.round,
                "results": results,
                "role_labels": dict(ParticipantRole.choices),
            },
        )


class TextVisibilityView(CoordinatorRequiredMixin, View):
    def post(self, request, tenant, pk, answer_id):
        survey = selectors.get_survey(tenant=self.tenant, pk=pk)
        hidden = request.POST.get("hidden") == "1"
        try:
            services.set_text_hidden(
                tenant=self.tenant,
                actor=request.user,
                survey=survey,
                answer_id=answer_id,
                hidden=hidden,
            )
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("The answer is hidden from the results and the report.")
                if hidden
                else _("The answer is shown again."),
            )
        url = reverse("evaluation:results", args=[self.tenant.slug, survey.pk])
        return redirect(f"{url}#text-{answer_id}")


# --- participants ----------------------------------------------------------------------------


class AnswerView(TenantMixin, View):
    """/<tenant>/my/surveys/<pk>/: the signed-in participant's own survey."""

    template_name = "evaluation/answer.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.tenant = request.tenant
        self.membership = request.membership
        survey = selectors.get_survey(tenant=self.tenant, pk=kwargs["pk"])
        if survey.status != Survey.Status.PUBLISHED:
            raise Http404
        roles = services.roles_of(tenant=self.tenant, survey=survey, user=request.user)
        if not roles:
            raise Http404
        answered = set(
            Respondent.objects.filter(
                tenant=self.tenant, survey=survey, user=request.user
            ).values_list("role", flat=True)
        )
        wanted = request.GET.get("role") or request.POST.get("role")
        if wanted in roles:
            role = wanted
        else:
            role = next((r for r in roles if r not in answered), roles[0])
        self.survey, self.role, self.roles, self.answered = survey, role, roles, answered
        return View.dispatch(self, request, *args, **kwargs)

    def build_form(self, data=None):
        questions = services.questions_for(self.survey, self.role)
        goals = []
        if self.survey.ask_goals:
            goals = goals_for(
                tenant=self.tenant, survey=self.survey, user=self.request.user, role=self.role
            )
        return AnswerForm(data, questions=questions, goals=goals)

    def render_page(self, form=None, status=200, closed_error=None):
        phase = self.survey.phase()
        return render(
            self.request,
            self.template_name,
            {
                "tenant": self.tenant,
                "survey": self.survey,
                "round": self.survey.round,
                "role": self.role,
                "role_label": ParticipantRole(self.role).label,
                "other_roles": [r for r in self.roles if r != self.role],
                "phase": phase,
                "already_answered": self.role in self.answered,
                "form": form if form is not None else self.build_form(),
                "closed_error": closed_error,
            },
            status=status,
        )

    def get(self, request, tenant, pk):
        return self.render_page()

    def post(self, request, tenant, pk):
        form = self.build_form(request.POST)
        if self.role in self.answered:
            messages.info(request, _("You have already answered this survey. Thank you!"))
            return redirect(request.path)
        if not form.is_valid():
            return self.render_page(form=form, status=400)
        try:
            services.submit_response(
                tenant=self.tenant,
                user=request.user,
                survey=self.survey,
                role=self.role,
                answers=form.raw_answers(),
                goals=form.raw_goals(),
                now=timezone.now(),
            )
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code == "answered":
                messages.info(request, _messages_of(error)[0])
                return redirect(request.path)
            if code in ("closed", "not_open", "not_asked"):
                # Their answers stay in the form on the page: nothing typed is lost.
                form.add_error(None, error)
                return self.render_page(form=form, status=409, closed_error=_messages_of(error)[0])
            errors_into_form(form, error)
            return self.render_page(form=form, status=400)
        messages.success(request, _("Thank you! Your answers are saved, without your name."))
        return redirect(request.path)
