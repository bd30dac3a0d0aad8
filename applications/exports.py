"""Applications out and in: one application as a PDF, the round's applications as CSV or Excel
with the columns the reader picks, the matching dossier (a PDF made by a background job), and
the import page.

Coordinators see everything of their tenant; an HR contact sees only the applications of their
own organisations and never the interview notes. Every export is logged
("applications.exported", with its format and kind): the files hold personal data.
"""

import csv
import io
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from weasyprint.text.fonts import FontConfiguration

from mentorship.exporting import (
    pdf_document,
    private_download,
    render_pdf,
    safe_cell,
    write_pdf,
    xlsx_sheet,
)
from organisations import rules as org_rules
from organisations.access import CoordinatorRequiredMixin, RoleRequiredMixin
from organisations.jobs import request_job, run_pdf_job
from organisations.models import ExportJob
from organisations.services import log_activity
from organisations.views import JobDownloadView as BaseJobDownloadView
from organisations.views import JobMixin as BaseJobMixin
from organisations.views import JobStartAgainView as BaseJobStartAgainView
from organisations.views import JobStatusView as BaseJobStatusView
from programmes.models import ParticipantRole, Round, step_scope_q

from . import importing, rules, selectors
from .models import Application, Question

logger = logging.getLogger(__name__)
Stage = Application.Stage

EXPORTED = "applications.exported"
DOSSIER_KEEP = timedelta(hours=24)
DOCS = Path(settings.BASE_DIR) / "docs"


# --- what an application shows ----------------------------------------------------------------


def _yes_no(value):
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def answer_text(question, value):
    """An answer in the words the page uses, in the active language ("Ja", not "yes")."""
    if value in (None, "", []):
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if question.kind == Question.Kind.YES_NO and value in ("yes", "no"):
        return _yes_no(value == "yes")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _latest(items):
    items = list(items)
    return items[0] if items else None


def endorsement_text(application):
    """The manager's answer: the newest request that was not replaced (prefetched)."""
    current = [e for e in application.endorsements.all() if not e.superseded_at]
    endorsement = _latest(current) or _latest(application.endorsements.all())
    if endorsement is None:
        return ""
    if endorsement.decided_at is None:
        return _("Waiting for an answer") if not endorsement.superseded_at else ""
    return _("Supports the application") if endorsement.supports else _("Does not support it")


def nomination_of(application):
    return _latest(application.nominations.all())


def interview_of(application):
    try:
        return application.interview
    except ObjectDoesNotExist:
        return None


def person_item(application, *, questions, include_interview):
    """Everything one section of a PDF shows about one application (all prefetched)."""
    return {
        "application": application,
        "themes": [t.name for t in application.themes.all()],
        # The questions asked of this role; a question since removed from the form only
        # when it was answered.
        "answers": [
            (q.label, text)
            for q in questions
            if q.asked_of(application.role)
            and ((text := answer_text(q, application.answers.get(str(q.pk)))) or q.is_active)
        ],
        "endorsement": endorsement_text(application),
        "nomination": nomination_of(application),
        "interview": interview_of(application) if include_interview else None,
        "include_interview": include_interview,
    }


def applications_for(*, tenant, round_, membership):
    """The round's applications this person may export, with everything an export shows
    fetched in a fixed number of queries."""
    qs = (
        Application.objects.filter(tenant=tenant, round=round_)
        .select_related("organisation")
        .prefetch_related("themes", "endorsements", "nominations")
        .order_by("role", "full_name", "pk")
    )
    if rules.can_review(membership):
        return qs.select_related("interview")
    return (
        qs.filter(organisation_id__in=rules.visible_organisation_ids(membership))
        .filter(step_scope_q("nomination"))
        .exclude(stage=Stage.DRAFT)
    )


def questions_of(round_):
    return selectors.questions_for(tenant=round_.tenant, round_=round_)


# --- spreadsheet columns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    value: object  # application -> str | int | bool | datetime | None
    default: bool = False
    coordinator_only: bool = False


def _interview_field(name):
    def value(application):
        interview = interview_of(application)
        return getattr(interview, name) if interview else ""

    return value


def _nomination_value(application):
    nomination = nomination_of(application)
    if nomination is None:
        return ""
    return _("Nominated") if nomination.nominated else _("Not nominated")


def programme_required_fields(programme):
    """The standard fields the programme's form requires of a mentor or an adept beyond what
    every form has always required (e.g. the association's phone, status, municipality)."""
    from . import services, standard_fields

    saved = services.field_settings(programme).fields
    return {
        name
        for role in standard_fields.ROLES
        for name, state in standard_fields.merged(saved, role).items()
        if state == standard_fields.REQUIRED
        and standard_fields.DEFAULTS[role][name] != standard_fields.REQUIRED
    }


BASE_COLUMNS = [
    Column("id", gettext_lazy("Application number"), lambda a: a.pk),
    Column("full_name", gettext_lazy("Name"), lambda a: a.full_name, True),
    Column("email", gettext_lazy("E-mail"), lambda a: a.email, True),
    Column("phone", gettext_lazy("Phone"), lambda a: a.phone),
    Column("role", gettext_lazy("Role"), lambda a: a.get_role_display(), True),
    Column("career_status", gettext_lazy("Status"), lambda a: a.get_career_status_display()),
    Column("stage", gettext_lazy("Stage"), lambda a: a.get_stage_display(), True),
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        lambda a: a.organisation.name if a.organisation else "",
        True,
    ),
    Column("job_title", gettext_lazy("Job title"), lambda a: a.job_title, True),
    Column("work_field", gettext_lazy("Field of work"), lambda a: a.work_field),
    Column(
        "current_assignment", gettext_lazy("Current assignment"), lambda a: a.current_assignment
    ),
    Column(
        "manager_level",
        gettext_lazy("Manager level"),
        lambda a: a.get_manager_level_display(),
        True,
    ),
    Column(
        "years_as_manager", gettext_lazy("Years as a manager"), lambda a: a.years_as_manager, True
    ),
    Column(
        "years_in_level",
        gettext_lazy("Years at the manager level"),
        lambda a: a.years_in_level,
        True,
    ),
    Column(
        "managers_reporting", gettext_lazy("Managers reporting"), lambda a: a.managers_reporting
    ),
    Column("region", gettext_lazy("Region"), lambda a: a.region, True),
    Column("place", gettext_lazy("Place or municipality"), lambda a: a.place),
    Column(
        "themes", gettext_lazy("Themes"), lambda a: ", ".join(t.name for t in a.themes.all()), True
    ),
    Column(
        "capacity",
        gettext_lazy("Adepts (mentors' capacity)"),
        lambda a: a.capacity if a.role == ParticipantRole.MENTOR else None,
        True,
    ),
    Column("languages", gettext_lazy("Languages"), lambda a: a.languages),
    Column(
        "prefers_other_sector",
        gettext_lazy("Partner from another sector"),
        lambda a: a.prefers_other_sector,
    ),
    Column(
        "available_for_shared_days",
        gettext_lazy("Can take part in the shared days"),
        lambda a: a.available_for_shared_days,
    ),
    Column("education", gettext_lazy("Education"), lambda a: a.education),
    Column("work_experience", gettext_lazy("Work experience"), lambda a: a.work_experience),
    Column("motivation", gettext_lazy("Motivation"), lambda a: a.motivation),
    Column("matching_wishes", gettext_lazy("Wishes for the matching"), lambda a: a.matching_wishes),
    Column("manager_name", gettext_lazy("Manager's name"), lambda a: a.manager_name),
    Column("manager_email", gettext_lazy("Manager's e-mail"), lambda a: a.manager_email),
    Column(
        "discussed_with_manager",
        gettext_lazy("Discussed with the manager"),
        lambda a: a.discussed_with_manager,
    ),
    Column("endorsement", gettext_lazy("Manager's support"), endorsement_text),
    Column("nomination", gettext_lazy("Nomination"), _nomination_value),
    Column(
        "nomination_motivation",
        gettext_lazy("Nomination: motivation"),
        lambda a: n.motivation if (n := nomination_of(a)) else "",
    ),
    Column("submitted_at", gettext_lazy("Submitted"), lambda a: a.submitted_at, True),
    Column(
        "interview_booking",
        gettext_lazy("Interview booked"),
        _interview_field("booking"),
        coordinator_only=True,
    ),
    Column(
        "interview_notes",
        gettext_lazy("Interview notes"),
        _interview_field("notes"),
        coordinator_only=True,
    ),
]


def columns_for(*, membership, questions, programme=None):
    """The columns this person may choose: the interview only for coordinators, then one
    column per question of the round's form. With ``programme``, a standard field that the
    programme's form requires of either role is chosen by default too (the association's
    phone, status and municipality), like the columns every programme asks."""
    coordinator = rules.can_review(membership)
    columns = [c for c in BASE_COLUMNS if coordinator or not c.coordinator_only]
    if programme is not None:
        required = programme_required_fields(programme)
        columns = [
            replace(c, default=True) if c.key in required and not c.default else c for c in columns
        ]
    for question in questions:
        columns.append(
            Column(
                question.field_name,
                question.label,
                lambda a, q=question: answer_text(q, a.answers.get(str(q.pk))),
            )
        )
    return columns


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_value(value):
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    return safe_cell(value)


def xlsx_value(value):
    """A value for ``mentorship.exporting.xlsx_sheet``, which writes strings as text cells
    (so "+46 70…" needs no protective ' there, unlike in a CSV)."""
    if isinstance(value, bool):
        return str(_yes_no(value))
    if isinstance(value, datetime):
        return _local(value).replace(tzinfo=None)
    if isinstance(value, int | float | Decimal):
        return value
    # openpyxl refuses control characters.
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def write_csv(columns, applications):
    out = io.StringIO()
    # The byte-order mark makes Excel read UTF-8 (å, ä, ö); semicolons are what Excel expects
    # where the decimal separator is a comma, as in Sweden.
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(c.label) for c in columns])
    for application in applications:
        writer.writerow([csv_value(c.value(application)) for c in columns])
    return out.getvalue().encode("utf-8")


def _sheet_title(text):
    cleaned = "".join(ch for ch in str(text) if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet1"


def write_xlsx(columns, applications, *, title):
    workbook = Workbook(write_only=True)
    xlsx_sheet(
        workbook,
        _sheet_title(title),
        [xlsx_value(str(column.label)) for column in columns],
        ([xlsx_value(c.value(application)) for c in columns] for application in applications),
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- guards -----------------------------------------------------------------------------------


def _hr_or_coordinator(membership):
    return rules.can_review(membership) or org_rules.is_hr_contact(membership)


def _coordinator_route(request):
    """The manage/ address is the coordinators'; the hr/ address also takes HR contacts."""
    return not request.resolver_match.url_name.startswith("hr_")


def _allowed(request):
    membership = request.membership
    if _coordinator_route(request):
        return rules.can_review(membership)
    return _hr_or_coordinator(membership)


def _round(tenant, pk):
    try:
        return Round.objects.select_related("programme").get(tenant=tenant, pk=pk)
    except Round.DoesNotExist as exc:
        raise Http404 from exc


# --- one application as a PDF -----------------------------------------------------------------


def application_pdf(request, tenant, pk):
    """One application as a PDF. Coordinators: any of the tenant's, with the interview notes.
    HR contacts (at hr/...): their own organisations' applicants only, without the notes."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = request.membership
    if membership is None:
        raise Http404
    if not _allowed(request):
        raise PermissionDenied
    application = get_object_or_404(
        Application.objects.select_related(
            "organisation", "round", "round__programme"
        ).prefetch_related("themes", "endorsements", "nominations"),
        tenant=request.tenant,
        pk=pk,
    )
    coordinator = rules.can_review(membership)
    if not rules.can_see_application(membership, application) or (
        not coordinator and application.stage == Stage.DRAFT
    ):
        # Another organisation's applicant is not there at all for this HR contact.
        raise Http404
    html = render_to_string(
        "applications/exports/application_pdf.html",
        {
            "tenant": request.tenant,
            "round": application.round,
            "item": person_item(
                application,
                questions=questions_of(application.round),
                include_interview=coordinator,
            ),
            "generated_at": timezone.localtime(),
            "language_code": translation.get_language(),
        },
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    log_activity(
        tenant=request.tenant,
        actor=request.user,
        action=EXPORTED,
        obj=application,
        data={"format": "pdf", "kind": "application"},
    )
    name = slugify(application.full_name) or "application"
    # The word outside the f-string: makemessages does not see a gettext call inside one.
    word = slugify(_("application"))
    return private_download(response, f"{word}-{application.pk}-{name}.pdf")


# --- spreadsheets -----------------------------------------------------------------------------

FORMATS = [
    ("xlsx", gettext_lazy("Excel (.xlsx)")),
    ("csv", gettext_lazy("CSV, semicolon-separated (opens in Excel)")),
]


class ExportForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=gettext_lazy("Columns"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one column.")},
    )
    stages = forms.MultipleChoiceField(
        label=gettext_lazy("Applications at these stages"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one stage.")},
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="xlsx"
    )

    def __init__(self, *args, columns, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = [(c.key, c.label) for c in columns]
        self.fields["columns"].initial = [c.key for c in columns if c.default]
        self.fields["stages"].choices = stages
        self.fields["stages"].initial = [value for value, _label in stages if value != Stage.DRAFT]


class ExportView(RoleRequiredMixin, FormView):
    """GET: choose columns, stages and format. POST: the file."""

    template_name = "applications/export_form.html"
    form_class = ExportForm

    def has_permission(self):
        return _allowed(self.request)

    @cached_property
    def round(self):
        return _round(self.tenant, self.kwargs["round_pk"])

    @cached_property
    def coordinator(self):
        return rules.can_review(self.membership)

    @cached_property
    def questions(self):
        return questions_of(self.round)

    @cached_property
    def columns(self):
        return columns_for(
            membership=self.membership, questions=self.questions, programme=self.round.programme
        )

    @cached_property
    def list_filters(self):
        """The filters of the list the export was asked from ("export this list"), carried
        through the form as hidden fields; they only ever narrow what the person may export."""
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        return selectors.list_filters(params, tenant=self.tenant, round_=self.round)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        stages = list(Stage.choices)
        if not self.coordinator:
            stages = [(v, label) for v, label in stages if v != Stage.DRAFT]
        kwargs.update(columns=self.columns, stages=stages)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if self.list_filters.get("stage"):
            initial["stages"] = [self.list_filters["stage"]]
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["round"] = self.round
        ctx["coordinator"] = self.coordinator
        ctx["filter_query"] = selectors.filter_query(self.list_filters)
        ctx["base_template"] = (
            "manage_base.html" if _coordinator_route(self.request) else "base.html"
        )
        return ctx

    def form_valid(self, form):
        chosen = set(form.cleaned_data["columns"])
        columns = [c for c in self.columns if c.key in chosen]
        applications = list(
            selectors.apply_filters(
                applications_for(
                    tenant=self.tenant, round_=self.round, membership=self.membership
                ).filter(stage__in=form.cleaned_data["stages"]),
                self.list_filters,
                search=selectors.REVIEW_SEARCH if self.coordinator else selectors.PEOPLE_SEARCH,
            )
        )
        kind = form.cleaned_data["format"]
        if kind == "csv":
            response = HttpResponse(
                write_csv(columns, applications), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                write_xlsx(columns, applications, title=self.round.name),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        log_activity(
            tenant=self.tenant,
            actor=self.request.user,
            action=EXPORTED,
            obj=self.round,
            data={
                "format": kind,
                "kind": "applications",
                "count": len(applications),
                "columns": [c.key for c in columns],
                **({"filtered": True} if selectors.filter_query(self.list_filters) else {}),
            },
        )
        word = slugify(_("applications"))
        filename = (
            f"{word}-{slugify(self.round.name) or self.round.pk}-"
            f"{timezone.localdate():%Y-%m-%d}.{kind}"
        )
        return private_download(response, filename)


# --- import -----------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel .xlsx)"),
        help_text=gettext_lazy("At most %(rows)s applications and %(mb)s MB.")
        % {
            "rows": f"{importing.MAX_ROWS:,}".replace(",", " "),
            "mb": importing.MAX_BYTES // 1024 // 1024,
        },
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage of the imported applications"),
        choices=[(s.value, s.label) for s in importing.IMPORT_STAGES],
        initial=Stage.SUBMITTED,
    )
    create_organisations = forms.BooleanField(
        label=gettext_lazy("Create the organisations that are not in the list yet"),
        required=False,
        help_text=gettext_lazy("Otherwise an unknown organisation is an error in its row."),
    )
    create_themes = forms.BooleanField(
        label=gettext_lazy("Create the themes that the programme does not have yet"),
        required=False,
        help_text=gettext_lazy("Otherwise an unknown theme is an error in its row."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large. The limit is %(mb)s MB.")
                % {"mb": importing.MAX_BYTES // 1024 // 1024}
            )
        return upload


class ImportView(CoordinatorRequiredMixin, FormView):
    template_name = "applications/import_form.html"
    form_class = ImportForm
    downloads = {
        "sample": ("sample-import.csv", "text/csv; charset=utf-8"),
        "format": ("import-format.md", "text/markdown; charset=utf-8"),
    }

    @cached_property
    def round(self):
        return _round(self.tenant, self.kwargs["round_pk"])

    def get(self, request, *args, **kwargs):
        self.round  # noqa: B018 (404 before anything else)
        wanted = request.GET.get("download")
        if wanted in self.downloads:
            name, content_type = self.downloads[wanted]
            response = HttpResponse((DOCS / name).read_bytes(), content_type=content_type)
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["round"] = self.round
        ctx["columns"] = importing.COLUMNS
        ctx["max_errors"] = importing.MAX_ERRORS_SHOWN
        return ctx

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = importing.import_applications(
            tenant=self.tenant,
            round_=self.round,
            actor=self.request.user,
            data=upload.read(),
            filename=upload.name,
            stage=form.cleaned_data["stage"],
            create_organisations=form.cleaned_data["create_organisations"],
            create_themes=form.cleaned_data["create_themes"],
        )
        if not result.ok:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    errors=result.errors[: importing.MAX_ERRORS_SHOWN],
                    more_errors=max(0, len(result.errors) - importing.MAX_ERRORS_SHOWN),
                    error_count=len(result.errors),
                    filename=upload.name,
                )
            )
        messages.success(
            self.request,
            _("%(n)s applications were imported from %(file)s.")
            % {"n": len(result.created), "file": upload.name},
        )
        if result.organisations_created:
            messages.warning(
                self.request,
                _("New organisations were created: %(names)s.")
                % {"names": ", ".join(o.name for o in result.organisations_created)},
            )
        if result.themes_created:
            messages.warning(
                self.request,
                _("New themes were created: %(names)s.")
                % {"names": ", ".join(t.name for t in result.themes_created)},
            )
        return redirect("applications:review_list", tenant=self.tenant.slug, round_pk=self.round.pk)


# --- the matching dossier ---------------------------------------------------------------------


def accepted_for_dossier(*, tenant, round_):
    """All accepted mentors and adepts of the round, mentors first, by name."""
    applications = list(
        Application.objects.filter(tenant=tenant, round=round_, stage=Stage.ACCEPTED)
        .select_related("organisation", "interview")
        .prefetch_related("themes", "endorsements", "nominations")
    )
    applications.sort(
        key=lambda a: (a.role != ParticipantRole.MENTOR, (a.full_name or a.email).casefold(), a.pk)
    )
    return applications


def build_dossier(*, job):
    """Render the dossier into ``job.file``, updating the job's progress as it goes.

    Runs in the job's tenant scope (tasks.make_dossier). Each person is laid out as a
    document of their own, so progress moves during the slow part (the layout); the pages
    are then joined into one PDF.
    """
    return run_pdf_job(
        job=job,
        kind=ExportJob.Kind.DOSSIER,
        build=_dossier_pdf,
        keep=DOSSIER_KEEP,
        action=EXPORTED,
        refused=_(
            "The dossier was not made: the person who asked for it is no longer a coordinator."
        ),
        failed=_(
            "The dossier could not be made. Try again; if it fails again, tell the "
            "platform's support."
        ),
    )


def _dossier_pdf(job, progress):
    round_ = job.round
    applications = accepted_for_dossier(tenant=job.tenant, round_=round_)
    questions = questions_of(round_)
    progress.start(len(applications))
    font_config = FontConfiguration()
    common = {
        "tenant": job.tenant,
        "round": round_,
        "generated_at": timezone.localtime(),
        "language_code": translation.get_language(),
    }
    mentors = [a for a in applications if a.role == ParticipantRole.MENTOR]
    adepts = [a for a in applications if a.role != ParticipantRole.MENTOR]
    for application in applications:
        application.theme_names = ", ".join(t.name for t in application.themes.all())
    documents = [
        pdf_document(
            render_to_string(
                "applications/exports/dossier_summary.html",
                {**common, "mentors": mentors, "adepts": adepts},
            ),
            font_config,
        )
    ]
    pages_before = len(documents[0].pages)
    for number, application in enumerate(applications, start=1):
        item = person_item(application, questions=questions, include_interview=True)
        # Each person's document goes on numbering where the one before ended: the page
        # numbers run through the whole dossier.
        context = {**common, "item": item, "first_page": pages_before + 1}
        document = pdf_document(
            render_to_string("applications/exports/dossier_person.html", context), font_config
        )
        documents.append(document)
        pages_before += len(document.pages)
        progress.update(number)
    pages = [page for document in documents for page in document.pages]
    return write_pdf(documents[0].copy(pages)), {"count": len(applications)}


def dossier_filename(job):
    word = slugify(_("matching dossier"))
    return (
        f"{word}-{slugify(job.round.name) or job.round_id}-"
        f"{timezone.localtime(job.finished_at or job.created_at):%Y-%m-%d}.pdf"
    )


class DossierView(CoordinatorRequiredMixin, TemplateView):
    """GET: the round's latest dossier jobs and a button. POST: start a new one."""

    template_name = "applications/dossier.html"

    @cached_property
    def round(self):
        return _round(self.tenant, self.kwargs["round_pk"])

    def jobs(self):
        return ExportJob.objects.filter(
            tenant=self.tenant, round=self.round, kind=ExportJob.Kind.DOSSIER
        ).select_related("requested_by")[:5]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["round"] = self.round
        ctx["jobs"] = list(self.jobs())
        ctx["now"] = timezone.now()
        counts = dict.fromkeys(ParticipantRole.values, 0)
        for role in Application.objects.filter(
            tenant=self.tenant, round=self.round, stage=Stage.ACCEPTED
        ).values_list("role", flat=True):
            counts[role] += 1
        ctx["mentors"] = counts[ParticipantRole.MENTOR]
        ctx["adepts"] = counts[ParticipantRole.ADEPT]
        return ctx

    def post(self, request, *args, **kwargs):
        # A second click, or a colleague's job being made, is followed instead of making two;
        # a stuck one is replaced.
        job, _created = request_job(
            tenant=self.tenant, round_=self.round, kind=ExportJob.Kind.DOSSIER, user=request.user
        )
        return redirect("applications:job_status", tenant=self.tenant.slug, pk=job.pk)


class JobMixin(BaseJobMixin):
    """The dossier's job pages (the shared export-job views of organisations.views)."""

    job_kind = ExportJob.Kind.DOSSIER
    status_url_name = "applications:job_status"
    start_again_url_name = "applications:job_start_again"
    download_action = "applications.export_downloaded"

    def download_filename(self, job):
        return dossier_filename(job)


class JobStatusView(JobMixin, BaseJobStatusView):
    template_name = "applications/job_status.html"
    fragment_template = "applications/exports/job_progress.html"


class JobStartAgainView(JobMixin, BaseJobStartAgainView):
    """The "Start again" button of a failed or stuck dossier."""


class JobDownloadView(JobMixin, BaseJobDownloadView):
    """The finished dossier for 24 hours (410 with an explanation after)."""

    expired_template = "applications/job_status.html"
