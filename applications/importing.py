"""Import applications into a round from a CSV or Excel (.xlsx) file.

All or nothing: every row is read and checked first; only a file without a single error is
written, in one transaction. Used by the coordinators' import page and by
``manage.py import_applications``. The format is documented in docs/import-format.md.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship import spreadsheets
from mentorship.spreadsheets import cell_text, normalise_header
from organisations import rules as org_rules
from organisations.models import ActivityLog, Membership, Organisation
from organisations.services import log_activity, save_organisation
from programmes.models import ManagerLevel, ParticipantRole

from .models import Application, Theme
from .services import change_stages_bulk, is_own_address, own_address_message

Stage = Application.Stage

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip file: refuse one that unpacks to far more than any honest list (zip bomb).
MAX_ERRORS_SHOWN = 200

# The stages an imported application may start in. Not "awaiting endorsement" (that needs the
# manager's signed link), not "matched" (that needs a pair), not draft or withdrawn.
IMPORT_STAGES = [
    Stage.SUBMITTED,
    Stage.AWAITING_NOMINATION,
    Stage.NOMINATED,
    Stage.UNDER_REVIEW,
    Stage.ACCEPTED,
    Stage.WAITLISTED,
    Stage.DECLINED,
]


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    required: bool = False
    aliases: tuple = ()
    help: object = ""


COLUMNS = [
    Column("role", gettext_lazy("Role"), True, ("roll",), gettext_lazy("“mentor” or “adept”.")),
    Column("first_name", gettext_lazy("First name"), True, ("fornamn",)),
    Column("last_name", gettext_lazy("Last name"), True, ("efternamn",)),
    Column(
        "email",
        gettext_lazy("E-mail"),
        True,
        ("e_post", "epost", "e_postadress", "e_mail", "email_address", "mejl"),
        gettext_lazy("The person's own work address. One application per person and role."),
    ),
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        True,
        ("organization", "arbetsgivare"),
        gettext_lazy(
            "A member organisation's name exactly as it is written on the Organisations page."
        ),
    ),
    Column("title", gettext_lazy("Job title"), False, ("job_title", "titel", "befattning")),
    Column(
        "manager_email",
        gettext_lazy("Manager's e-mail"),
        False,
        ("chefens_e_post", "chef_e_post", "narmaste_chef_e_post"),
    ),
    Column("manager_name", gettext_lazy("Manager's name"), False, ("chefens_namn",)),
    Column(
        "manager_level",
        gettext_lazy("Manager level"),
        False,
        ("chefsniva", "niva"),
        gettext_lazy(
            "first_line, manager_of_managers or senior_executive (or the level's "
            "name as shown on the form)."
        ),
    ),
    Column(
        "years_as_manager",
        gettext_lazy("Years as a manager"),
        False,
        ("ar_som_chef", "antal_ar_som_chef"),
        gettext_lazy("A whole number, 0–60."),
    ),
    Column(
        "years_in_level",
        gettext_lazy("Years at the current manager level"),
        False,
        ("ar_pa_nivan", "ar_pa_chefsnivan", "antal_ar_pa_nivan", "years_at_level"),
        gettext_lazy("A whole number, 0–60, where the round's eligibility counts it."),
    ),
    Column(
        "managers_reporting",
        gettext_lazy("Managers reporting"),
        False,
        ("antal_chefer", "underställda_chefer", "understallda_chefer"),
    ),
    Column(
        "region",
        gettext_lazy("Region"),
        False,
        ("lan", "county"),
        gettext_lazy("Empty: the organisation's region."),
    ),
    Column(
        "themes",
        gettext_lazy("Themes"),
        False,
        ("teman", "tema", "theme"),
        gettext_lazy("The programme's theme names, separated by | or ; or a comma."),
    ),
    Column(
        "capacity",
        gettext_lazy("Capacity"),
        False,
        ("antal_adepter", "kapacitet", "adepts"),
        gettext_lazy("Mentors only: how many adepts, 1–10. Empty: 1."),
    ),
    Column("phone", gettext_lazy("Phone"), False, ("telefon", "mobil")),
    Column(
        "languages", gettext_lazy("Languages"), False, ("sprak",), gettext_lazy("Empty: svenska.")
    ),
    Column("motivation", gettext_lazy("Motivation"), False, ("motivering",)),
    Column(
        "matching_wishes",
        gettext_lazy("Wishes for the matching"),
        False,
        ("onskemal", "onskemal_matchning", "wishes"),
    ),
    Column(
        "prefers_other_sector",
        gettext_lazy("A partner from another sector"),
        False,
        ("annan_sektor", "other_sector"),
        gettext_lazy("yes or no (ja/nej). Empty: no."),
    ),
    Column(
        "organisation_kind",
        gettext_lazy("Kind of organisation"),
        False,
        ("organisationstyp", "typ_av_organisation", "kind"),
        gettext_lazy(
            "For an organisation the import creates: municipality, region, state agency, "
            "university, area or department, municipal company, association or other (in "
            "Swedish or English). Empty: other."
        ),
    ),
    Column("work_field", gettext_lazy("Field of work"), False, ("verksamhetsomrade", "field")),
    Column(
        "current_assignment",
        gettext_lazy("Current assignment"),
        False,
        ("nuvarande_uppdrag", "uppdrag"),
    ),
    Column("education", gettext_lazy("Education"), False, ("utbildning",)),
    Column(
        "work_experience",
        gettext_lazy("Work experience"),
        False,
        ("arbetslivserfarenhet", "erfarenhet"),
    ),
]
BY_KEY = {c.key: c for c in COLUMNS}

TEXT_LIMITS = {
    "first_name": 99,
    "last_name": 99,
    "title": 200,
    "manager_name": 200,
    "region": 100,
    "phone": 40,
    "languages": 200,
    "motivation": 4000,
    "organisation": 200,
    "matching_wishes": 2000,
    "work_field": 200,
    "current_assignment": 4000,
    "education": 4000,
    "work_experience": 4000,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, too large, no header row)."""


@dataclass
class RowError:
    row: int | None  # the spreadsheet's row number (the header is row 1); None: the whole file
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    created: list = field(default_factory=list)
    rows_read: int = 0
    organisations_created: list = field(default_factory=list)
    themes_created: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


# --- reading the file ------------------------------------------------------------------------


_normalise_header = normalise_header
_text = cell_text
_NOT_A_SPREADSHEET = spreadsheets._NOT_A_SPREADSHEET


def _header_map():
    out = {}
    for column in COLUMNS:
        out[_normalise_header(column.key)] = column.key
        for alias in column.aliases:
            out[_normalise_header(alias)] = column.key
    return out


HEADERS = _header_map()


def _too_many_rows_text():
    return _(
        "The file has more than %(max)s rows. Import at most %(max)s applications at a time: "
        "split the file into smaller ones."
    ) % {"max": f"{MAX_ROWS:,}".replace(",", " ")}


def read_table(data):
    """The file's rows as lists of cell values (strings, numbers or None), header first
    (``mentorship.spreadsheets``: CSV as Swedish Excel writes it, or .xlsx).

    Raises ImportFileError for a file that is too large, is not a spreadsheet, or has more
    than MAX_ROWS rows (counting stops there, so a huge file costs little).
    """
    try:
        return spreadsheets.read_table(
            data,
            max_rows=MAX_ROWS,
            max_bytes=MAX_BYTES,
            too_many_rows=_too_many_rows_text(),
            one_column=False,
        )
    except spreadsheets.SpreadsheetError as exc:
        raise ImportFileError(str(exc)) from exc


# --- checking the rows ------------------------------------------------------------------------


def _number(text, *, low, high):
    try:
        number = float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None
    if not number.is_integer() or not low <= number <= high:
        return None
    return int(number)


def _casefold(text):
    return " ".join(text.split()).casefold()


def _manager_levels():
    out = {}
    for level in ManagerLevel:
        out[_normalise_header(level.value)] = level.value
        for language in ("sv", "en"):
            with translation.override(language):
                out[_normalise_header(str(level.label))] = level.value
    return out


def _roles():
    out = {}
    for role in ParticipantRole:
        out[role.value] = role.value
        for language in ("sv", "en"):
            with translation.override(language):
                out[_normalise_header(str(role.label))] = role.value
    return out


def _kinds():
    out = {}
    for kind in Organisation.Kind:
        out[_normalise_header(kind.value)] = kind.value
        for language in ("sv", "en"):
            with translation.override(language):
                out[_normalise_header(str(kind.label))] = kind.value
    return out


YES = {"yes", "ja", "j", "y", "1", "x", "true", "sant"}
NO = {"no", "nej", "n", "0", "false", "falskt"}


def _yes_no(text):
    """True, False, or None when the text is neither."""
    value = text.strip().casefold()
    if value in YES:
        return True
    if value in NO or not value:
        return False
    return None


def _split_themes(text):
    return [part.strip() for part in re.split(r"[|;,\n]", text) if part.strip()]


@dataclass
class _Row:
    number: int
    values: dict
    user_email: str = ""
    role: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    organisation_kind: str = ""
    themes: list = field(default_factory=list)
    # Theme names the programme does not have yet (created with ``create_themes``).
    new_themes: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)


def _map_header(header_row):
    keys, errors = [], []
    seen = {}
    for position, raw in enumerate(header_row):
        name = _text(raw)
        if not name:
            keys.append(None)
            continue
        key = HEADERS.get(_normalise_header(name))
        if key is None:
            errors.append(
                RowError(
                    1,
                    name,
                    _("Unknown column “%(name)s”. The columns are described on the import page.")
                    % {"name": name},
                )
            )
        elif key in seen:
            errors.append(
                RowError(1, name, _("The column “%(name)s” appears twice.") % {"name": name})
            )
        else:
            seen[key] = position
        keys.append(key)
    missing = [c for c in COLUMNS if c.required and c.key not in seen]
    if missing and len(seen) == 0:
        raise ImportFileError(
            _(
                "This does not look like a list of applications: the first row must hold the "
                "column names (%(names)s)."
            )
            % {"names": ", ".join(c.key for c in COLUMNS if c.required)}
        )
    for column in missing:
        errors.append(
            RowError(1, column.key, _("The column “%(name)s” is missing.") % {"name": column.key})
        )
    return keys, errors


def check_rows(*, tenant, round_, table, create_organisations=False, create_themes=False):
    """Read and check every row. Returns (rows, errors); nothing is written."""
    if not table or not table[0]:
        raise ImportFileError(_("The first row must hold the column names."))
    keys, errors = _map_header(table[0])
    if errors:
        return [], errors

    roles = _roles()
    levels = _manager_levels()
    kinds = _kinds()
    organisations = {_casefold(o.name): o for o in Organisation.objects.filter(tenant=tenant)}
    themes = {
        _casefold(t.name): t
        for t in Theme.objects.filter(tenant=tenant, programme=round_.programme)
    }
    rows = []
    for index, raw in enumerate(table[1:], start=2):
        if not raw:
            continue
        values = {
            key: _text(raw[pos]) if pos < len(raw) else "" for pos, key in enumerate(keys) if key
        }
        extra = [v for pos, v in enumerate(raw) if pos >= len(keys) and _text(v)]
        row = _Row(number=index, values=values)
        problems = []

        def problem(column, message, problems=problems, index=index):
            problems.append(RowError(index, column, message))

        if extra:
            problem("", _("The row has more cells than the header has columns."))
        for key, limit in TEXT_LIMITS.items():
            if len(values.get(key, "")) > limit:
                problem(key, _("Too long: at most %(n)s characters.") % {"n": limit})
        for column in COLUMNS:
            if column.required and not values.get(column.key):
                problem(column.key, _("Fill this in."))

        role = roles.get(_normalise_header(values.get("role", "")))
        if values.get("role") and role is None:
            problem("role", _("Write “mentor” or “adept”."))
        row.role = role or ""

        email = values.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
        row.user_email = email

        manager_email = values.get("manager_email", "").strip().lower()
        if manager_email:
            try:
                validate_email(manager_email)
            except ValidationError:
                problem(
                    "manager_email",
                    _("“%(value)s” is not an e-mail address.") % {"value": manager_email},
                )
            if is_own_address(manager_email, email):
                problem("manager_email", own_address_message())

        level = ""
        if values.get("manager_level"):
            level = levels.get(_normalise_header(values["manager_level"]))
            if level is None:
                problem(
                    "manager_level",
                    _(
                        "Unknown manager level “%(value)s”. Write first_line, "
                        "manager_of_managers or senior_executive."
                    )
                    % {"value": values["manager_level"]},
                )
                level = ""

        years = None
        if values.get("years_as_manager"):
            years = _number(values["years_as_manager"], low=0, high=60)
            if years is None:
                problem("years_as_manager", _("Write a whole number from 0 to 60."))
        years_in_level = None
        if values.get("years_in_level"):
            years_in_level = _number(values["years_in_level"], low=0, high=60)
            if years_in_level is None:
                problem("years_in_level", _("Write a whole number from 0 to 60."))
            elif years is not None and years_in_level > years:
                problem(
                    "years_in_level",
                    _("The years at the level cannot be more than the years as a manager."),
                )
        reporting = None
        if values.get("managers_reporting"):
            reporting = _number(values["managers_reporting"], low=0, high=1000)
            if reporting is None:
                problem("managers_reporting", _("Write a whole number from 0 to 1000."))
        capacity = 1
        if values.get("capacity") and role == ParticipantRole.MENTOR:
            capacity = _number(values["capacity"], low=1, high=10)
            if capacity is None:
                problem("capacity", _("Write a whole number from 1 to 10."))
                capacity = 1

        name = values.get("organisation", "")
        if name:
            organisation = organisations.get(_casefold(name))
            if organisation is None and not create_organisations:
                problem(
                    "organisation",
                    _(
                        "Unknown organisation “%(name)s”. Add it on the Organisations page "
                        "first, or check the spelling."
                    )
                    % {"name": name},
                )
            row.organisation = organisation
            row.organisation_name = " ".join(name.split())

        row.organisation_kind = Organisation.Kind.OTHER
        if values.get("organisation_kind"):
            kind = kinds.get(_normalise_header(values["organisation_kind"]))
            if kind is None:
                problem(
                    "organisation_kind",
                    _("Unknown kind of organisation “%(value)s”.")
                    % {"value": values["organisation_kind"]},
                )
            else:
                row.organisation_kind = kind

        prefers_other_sector = _yes_no(values.get("prefers_other_sector", ""))
        if prefers_other_sector is None:
            problem("prefers_other_sector", _("Write yes or no (ja or nej)."))

        for theme_name in _split_themes(values.get("themes", "")):
            theme = themes.get(_casefold(theme_name))
            if theme is None and create_themes:
                if len(theme_name) > 120:
                    problem("themes", _("A theme's name is at most 120 characters."))
                elif _casefold(theme_name) not in {_casefold(n) for n in row.new_themes}:
                    row.new_themes.append(" ".join(theme_name.split()))
            elif theme is None:
                problem(
                    "themes", _("The programme has no theme “%(name)s”.") % {"name": theme_name}
                )
            elif theme not in row.themes:
                row.themes.append(theme)

        row.fields = {
            "full_name": " ".join(
                f"{values.get('first_name', '')} {values.get('last_name', '')}".split()
            ),
            "email": email,
            "phone": values.get("phone", ""),
            "job_title": values.get("title", ""),
            "manager_level": level,
            "years_as_manager": years,
            "years_in_level": years_in_level,
            "managers_reporting": reporting,
            "region": values.get("region", ""),
            "capacity": capacity,
            "manager_name": values.get("manager_name", ""),
            "manager_email": manager_email,
            "languages": values.get("languages", "") or "svenska",
            "motivation": values.get("motivation", ""),
            "matching_wishes": values.get("matching_wishes", ""),
            "prefers_other_sector": bool(prefers_other_sector),
            "work_field": values.get("work_field", ""),
            "current_assignment": values.get("current_assignment", ""),
            "education": values.get("education", ""),
            "work_experience": values.get("work_experience", ""),
        }
        errors.extend(problems)
        rows.append(row)

    if not rows and not errors:
        errors.append(RowError(None, "", _("The file has no applications, only the header row.")))
    errors.extend(_duplicates(round_, rows))
    errors.sort(key=lambda e: e.row or 0)
    return rows, errors


def _duplicates(round_, rows):
    errors = []
    first_seen = {}
    for row in rows:
        if not row.user_email or not row.role:
            continue
        key = (row.user_email, row.role)
        if key in first_seen:
            errors.append(
                RowError(
                    row.number,
                    "email",
                    _("The same person and role as on row %(row)s.") % {"row": first_seen[key]},
                )
            )
        else:
            first_seen[key] = row.number
    existing = set(
        Application.objects.filter(
            round=round_, user__email__in={r.user_email for r in rows}
        ).values_list("user__email", "role")
    )
    for row in rows:
        if (row.user_email, row.role) in existing:
            errors.append(
                RowError(
                    row.number,
                    "email",
                    _("%(email)s already has an application as %(role)s in this round.")
                    % {"email": row.user_email, "role": ParticipantRole(row.role).label.lower()},
                )
            )
    return errors


# --- writing ----------------------------------------------------------------------------------


def _nomination_errors(round_, rows, stage):
    """Rows that would wait for, or hold, a nomination the round does not ask of their role."""
    if stage not in (Stage.AWAITING_NOMINATION, Stage.NOMINATED) or not round_.requires_nomination:
        return []
    nominated = round_.step_roles("nomination")
    labels = dict(ParticipantRole.choices)
    return [
        RowError(
            row.number,
            "role",
            _(
                "In this round the organisations do not nominate the role %(role)s; choose "
                "another stage."
            )
            % {"role": str(labels.get(row.role, row.role)).lower()},
        )
        for row in rows
        if row.role not in nominated
    ]


def import_applications(
    *,
    tenant,
    round_,
    actor,
    data,
    filename="",
    stage=Stage.SUBMITTED,
    create_organisations=False,
    create_themes=False,
    actor_label=None,
):
    """Check the whole file, then create every application in one transaction, or none.

    ``actor`` is the coordinator importing (None from the command line). Returns an
    ImportResult; ``result.errors`` lists the problems when nothing was imported.
    """
    if round_.tenant_id != tenant.pk:
        raise PermissionDenied
    if actor is not None and not org_rules.is_coordinator(
        Membership.objects.filter(tenant=tenant, user=actor).first()
    ):
        raise PermissionDenied
    if stage not in IMPORT_STAGES:
        raise ValueError(f"An import cannot start applications at the stage {stage!r}.")
    result = ImportResult()
    try:
        table = read_table(data)
        rows, errors = check_rows(
            tenant=tenant,
            round_=round_,
            table=table,
            create_organisations=create_organisations,
            create_themes=create_themes,
        )
    except ImportFileError as exc:
        result.errors = [RowError(None, "", str(exc))]
        return result
    result.rows_read = len(rows)
    errors += _nomination_errors(round_, rows, stage)
    if errors:
        result.errors = errors
        return result
    try:
        with transaction.atomic():
            _write(
                result,
                tenant=tenant,
                round_=round_,
                actor=actor,
                rows=rows,
                stage=stage,
                filename=filename,
                actor_label=actor_label,
            )
    except IntegrityError:
        result.created = []
        result.organisations_created = []
        result.themes_created = []
        result.errors = [
            RowError(
                None,
                "",
                _(
                    "Somebody changed the round's applications at the same moment. Nothing was "
                    "imported; try again."
                ),
            )
        ]
    return result


def _write(result, *, tenant, round_, actor, rows, stage, filename, actor_label):
    User = get_user_model()
    now = timezone.now()
    if actor_label is None:
        actor_label = (actor.full_name or actor.email) if actor else _("Import")
    reason = _("Imported from %(file)s") % {"file": filename} if filename else _("Imported")

    new_organisations = {}
    for row in rows:
        if row.organisation is None:
            key = _casefold(row.organisation_name)
            if key not in new_organisations:
                new_organisations[key] = save_organisation(
                    tenant=tenant,
                    actor=actor,
                    organisation=Organisation(
                        tenant=tenant,
                        name=row.organisation_name,
                        kind=row.organisation_kind,
                        region=row.fields["region"],
                    ),
                )
                result.organisations_created.append(new_organisations[key])
            row.organisation = new_organisations[key]

    new_themes = {}
    for row in rows:
        for name in row.new_themes:
            key = _casefold(name)
            if key not in new_themes:
                new_themes[key] = Theme(tenant=tenant, programme=round_.programme, name=name)
            row.themes.append(new_themes[key])
    if new_themes:
        start = (
            Theme.objects.filter(tenant=tenant, programme=round_.programme).aggregate(
                top=Max("position")
            )["top"]
            or 0
        )
        for offset, theme in enumerate(new_themes.values(), start=1):
            theme.position = start + offset
        Theme.objects.bulk_create(new_themes.values())
        result.themes_created = list(new_themes.values())

    users = {u.email: u for u in User.objects.filter(email__in={r.user_email for r in rows})}
    new_users = {}
    for row in rows:
        if row.user_email not in users and row.user_email not in new_users:
            # What User.objects.create_user(email, password=None) makes, in one query for all:
            # a lower-case address and no usable password (they choose one with "Forgot your
            # password?"). One create_user per person made a 5 000-row import take seconds.
            user = User(
                email=User.objects.normalize_email(row.user_email).lower(),
                full_name=row.fields["full_name"],
                phone=row.fields["phone"],
            )
            user.set_unusable_password()
            new_users[row.user_email] = user
    User.objects.bulk_create(new_users.values())
    users.update(new_users)

    applications = []
    for row in rows:
        fields = dict(row.fields)
        fields["region"] = fields["region"] or row.organisation.region
        applications.append(
            Application(
                tenant=tenant,
                round=round_,
                user=users[row.user_email],
                role=row.role,
                stage=stage,
                organisation=row.organisation,
                submitted_at=now,
                **fields,
            )
        )
    Application.objects.bulk_create(applications)

    Through = Application.themes.through
    Through.objects.bulk_create(
        [
            Through(application_id=application.pk, theme_id=theme.pk)
            for application, row in zip(applications, rows, strict=True)
            for theme in row.themes
        ]
    )
    # Their first history rows; accepted people take part in the round (as decide() does).
    change_stages_bulk(
        applications=applications,
        to_stage=stage,
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        created=True,
    )
    # One entry per application, as log_activity() writes it, in one query.
    content_type = ContentType.objects.get_for_model(Application)
    ActivityLog.objects.bulk_create(
        [
            ActivityLog(
                tenant=tenant,
                actor=actor,
                action="application.imported",
                content_type=content_type,
                object_id=str(application.pk),
                object_repr=str(application)[:300],
                data={"file": filename, "row": row.number, "after": {"stage": stage}},
            )
            for application, row in zip(applications, rows, strict=True)
        ]
    )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="applications.imported",
        obj=round_,
        data={
            "file": filename,
            "count": len(applications),
            "stage": stage,
            "organisations_created": [o.name for o in result.organisations_created],
            "themes_created": [t.name for t in result.themes_created],
        },
    )
    result.created = applications
