"""Import the member organisations from a CSV or Excel (.xlsx) file, all or nothing.

``preview_organisations`` reads and checks the file and says what would be created or
changed, writing nothing; ``import_organisations`` checks it again and writes every row in one
transaction, or none. The columns: name, kind, region, place, parent, hr_contacts (Swedish
names too: namn, typ, län, ort, del_av, hr_kontakter). A sample in the Swedish Excel format is
docs/sample-organisations.csv.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.spreadsheets import SpreadsheetError, cell_text, normalise_header, read_table

from . import rules
from .models import Membership, Organisation, Role
from .services import already_has_role, invite, log_activity, save_organisation

MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024
MAX_ERRORS_SHOWN = 200

Kind = Organisation.Kind


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    required: bool = False
    aliases: tuple = ()
    help: object = ""


COLUMNS = [
    Column(
        "name",
        gettext_lazy("Name"),
        True,
        ("namn", "organisation", "organisationens_namn"),
        gettext_lazy("Unique within the file. An organisation already in the list is updated."),
    ),
    Column(
        "kind",
        gettext_lazy("Kind"),
        False,
        ("typ", "sort", "slag"),
        gettext_lazy(
            "Municipality, region, state agency, university, area or department, municipal "
            "company, association or other (in Swedish or English). Empty: area or department "
            "when the row has a parent, otherwise other."
        ),
    ),
    Column("region", gettext_lazy("County or region"), False, ("lan", "county", "region_lan")),
    Column("place", gettext_lazy("Place"), False, ("ort", "plats", "kommun")),
    Column(
        "parent",
        gettext_lazy("Part of"),
        False,
        ("del_av", "ingar_i", "overordnad", "tillhor"),
        gettext_lazy(
            "For an area or unit: the name of the organisation it belongs to, in the file or "
            "already in the list."
        ),
    ),
    Column(
        "hr_contacts",
        gettext_lazy("HR contacts"),
        False,
        ("hr_kontakter", "hr_kontakt", "hr", "hr_contact", "hr_e_post"),
        gettext_lazy(
            "E-mail addresses, separated by commas, semicolons or spaces. Each gets an "
            "invitation as HR contact for the organisation."
        ),
    ),
]


def _header_map():
    out = {}
    for column in COLUMNS:
        out[normalise_header(column.key)] = column.key
        for alias in column.aliases:
            out[normalise_header(alias)] = column.key
    return out


HEADERS = _header_map()
TEXT_LIMITS = {"name": 200, "region": 100, "place": 100, "parent": 200}

# Words people write for a kind, besides the labels in both languages.
KIND_WORDS = {
    "kommun": Kind.MUNICIPALITY,
    "region": Kind.REGION,
    "landsting": Kind.REGION,
    "myndighet": Kind.AGENCY,
    "statlig_myndighet": Kind.AGENCY,
    "universitet": Kind.UNIVERSITY,
    "hogskola": Kind.UNIVERSITY,
    "omrade": Kind.AREA,
    "forvaltning": Kind.AREA,
    "enhet": Kind.AREA,
    "avdelning": Kind.AREA,
    "bolag": Kind.COMPANY,
    "kommunalt_bolag": Kind.COMPANY,
    "forening": Kind.ASSOCIATION,
    "annat": Kind.OTHER,
    "ovrigt": Kind.OTHER,
}


def _kinds():
    out = dict(KIND_WORDS)
    for kind in Kind:
        out[normalise_header(kind.value)] = kind.value
        for language in ("sv", "en"):
            with translation.override(language):
                out[normalise_header(str(kind.label))] = kind.value
    return out


@dataclass
class RowError:
    row: int | None  # the spreadsheet's row number (the header is row 1); None: the whole file
    column: str
    message: str


@dataclass
class PlannedRow:
    """One organisation of the file, as it will be written."""

    number: int
    name: str
    kind: str
    region: str
    place: str
    parent_name: str
    hr_contacts: list
    existing: Organisation | None = None
    changed_fields: list = field(default_factory=list)  # for an update: the fields that differ

    @property
    def action(self):
        return "update" if self.existing else "create"

    @property
    def changes(self):
        labels = {"parent": gettext_lazy("Part of")}
        return [
            str(labels.get(name) or Organisation._meta.get_field(name).verbose_name)
            for name in self.changed_fields
        ]

    @property
    def kind_label(self):
        return Kind(self.kind).label


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    invitations: list = field(default_factory=list)  # (e-mail, [organisation names])
    skipped_contacts: list = field(default_factory=list)  # e-mails already HR contact there

    @property
    def ok(self):
        return not self.errors

    @property
    def created(self):
        return [r for r in self.rows if r.action == "create"]

    @property
    def updated(self):
        return [r for r in self.rows if r.action == "update"]


def _casefold(text):
    return " ".join(text.split()).casefold()


def _split_addresses(text):
    return [part for part in re.split(r"[,;\s]+", text) if part]


def _too_many_rows():
    return _(
        "The file has more than %(max)s rows. Import at most %(max)s organisations at a time: "
        "split the file into smaller ones."
    ) % {"max": f"{MAX_ROWS:,}".replace(",", " ")}


def _map_header(header_row):
    keys, errors, seen = [], [], {}
    for position, raw in enumerate(header_row):
        name = cell_text(raw)
        if not name:
            keys.append(None)
            continue
        key = HEADERS.get(normalise_header(name))
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
    if "name" not in seen and not errors:
        errors.append(
            RowError(1, "name", _("The column “%(name)s” is missing.") % {"name": "name"})
        )
    elif "name" not in seen:
        errors.insert(
            0,
            RowError(
                1,
                "",
                _(
                    "This does not look like a list of organisations: the first row must hold "
                    "the column names (at least “name”)."
                ),
            ),
        )
    return keys, errors


def _check(*, tenant, table, update_existing):
    plan = ImportPlan()
    if not table or not table[0]:
        plan.errors.append(RowError(None, "", _("The first row must hold the column names.")))
        return plan
    keys, errors = _map_header(table[0])
    if errors:
        plan.errors = errors
        return plan
    kinds = _kinds()
    existing = {_casefold(o.name): o for o in Organisation.objects.filter(tenant=tenant)}
    first_seen = {}
    for number, raw in enumerate(table[1:], start=2):
        if not raw:
            continue
        values = {
            key: cell_text(raw[pos]) if pos < len(raw) else ""
            for pos, key in enumerate(keys)
            if key
        }

        def problem(column, message, number=number):
            plan.errors.append(RowError(number, column, message))

        if any(cell_text(v) for pos, v in enumerate(raw) if pos >= len(keys)):
            problem("", _("The row has more cells than the header has columns."))
        for key, limit in TEXT_LIMITS.items():
            if len(values.get(key, "")) > limit:
                problem(key, _("Too long: at most %(n)s characters.") % {"n": limit})
        name = " ".join(values.get("name", "").split())
        parent_name = " ".join(values.get("parent", "").split())
        if not name:
            problem("name", _("Fill this in."))
        else:
            key = _casefold(name)
            if key in first_seen:
                problem(
                    "name",
                    _("“%(name)s” is already on row %(row)s.")
                    % {"name": name, "row": first_seen[key]},
                )
            else:
                first_seen[key] = number
            if key in existing and not update_existing:
                problem(
                    "name",
                    _(
                        "There is already an organisation called “%(name)s”. Tick “Update the "
                        "organisations that are already in the list” to change it, or rename it."
                    )
                    % {"name": existing[key].name},
                )
            if parent_name and _casefold(parent_name) == key:
                problem("parent", _("An organisation cannot be part of itself."))
        kind_text = values.get("kind", "")
        if kind_text:
            kind = kinds.get(normalise_header(kind_text))
            if kind is None:
                problem(
                    "kind",
                    _("Unknown kind “%(value)s”. Write one of: %(kinds)s.")
                    % {"value": kind_text, "kinds": ", ".join(str(k.label) for k in Kind)},
                )
                kind = Kind.OTHER
        else:
            kind = Kind.AREA if parent_name else Kind.OTHER
        contacts = []
        for address in _split_addresses(values.get("hr_contacts", "")):
            address = address.lower()
            try:
                validate_email(address)
            except ValidationError:
                problem(
                    "hr_contacts",
                    _("“%(value)s” is not an e-mail address.") % {"value": address},
                )
                continue
            if address not in contacts:
                contacts.append(address)
        plan.rows.append(
            PlannedRow(
                number=number,
                name=name,
                kind=kind,
                region=values.get("region", ""),
                place=values.get("place", ""),
                parent_name=parent_name,
                hr_contacts=contacts,
                existing=existing.get(_casefold(name)) if name else None,
            )
        )
    if not plan.rows and not plan.errors:
        plan.errors.append(
            RowError(None, "", _("The file has no organisations, only the header row."))
        )
    _check_parents(plan, existing)
    _describe_changes(plan)
    _plan_invitations(plan, tenant)
    plan.errors.sort(key=lambda e: e.row or 0)
    return plan


def _check_parents(plan, existing):
    """Every parent is in the file or in the list, and no chain of parents goes round."""
    in_file = {_casefold(r.name): r for r in plan.rows if r.name}
    # Who is part of whom after the import: the list as it is, with the file's rows on top.
    parent_of = {
        key: _casefold(o.parent.name) for key, o in existing.items() if o.parent_id is not None
    }
    for row in plan.rows:
        if not row.name:
            continue
        key = _casefold(row.name)
        parent_key = _casefold(row.parent_name)
        if row.parent_name and parent_key not in in_file and parent_key not in existing:
            plan.errors.append(
                RowError(
                    row.number,
                    "parent",
                    _(
                        "Unknown organisation “%(name)s”: it is neither in the file nor in the "
                        "list of organisations."
                    )
                    % {"name": row.parent_name},
                )
            )
        if row.parent_name:
            parent_of[key] = parent_key
        else:
            parent_of.pop(key, None)
    for row in plan.rows:
        if not row.name or not row.parent_name:
            continue
        start = _casefold(row.name)
        node, steps = parent_of.get(start), 0
        while node is not None and steps <= len(parent_of):
            if node == start:
                if _casefold(row.parent_name) != start:  # "part of itself" is said already
                    plan.errors.append(
                        RowError(
                            row.number,
                            "parent",
                            _(
                                "“%(name)s” would end up part of itself through “%(parent)s”: "
                                "the organisations' parents go round in a loop."
                            )
                            % {"name": row.name, "parent": row.parent_name},
                        )
                    )
                break
            node, steps = parent_of.get(node), steps + 1


def _describe_changes(plan):
    for row in plan.rows:
        organisation = row.existing
        if organisation is None:
            continue
        current_parent = organisation.parent.name if organisation.parent_id else ""
        for name, old, new in (
            ("kind", organisation.kind, row.kind),
            ("region", organisation.region, row.region),
            ("place", organisation.place, row.place),
            ("parent", _casefold(current_parent), _casefold(row.parent_name)),
        ):
            if old != new:
                row.changed_fields.append(name)


def _plan_invitations(plan, tenant):
    wanted = {}
    for row in plan.rows:
        for address in row.hr_contacts:
            wanted.setdefault(address, []).append(row)
    for address, rows in wanted.items():
        organisations = [r.existing for r in rows if r.existing is not None]
        if len(organisations) == len(rows) and already_has_role(
            tenant=tenant, email=address, role=Role.HR_CONTACT, organisations=organisations
        ):
            plan.skipped_contacts.append(address)
        else:
            plan.invitations.append((address, [r.name for r in rows]))


def _read(data):
    try:
        return read_table(
            data, max_rows=MAX_ROWS, max_bytes=MAX_BYTES, too_many_rows=_too_many_rows()
        ), None
    except SpreadsheetError as exc:
        return None, RowError(None, "", str(exc))


def _may_import(tenant, actor):
    if actor is not None and not rules.is_coordinator(
        Membership.objects.filter(tenant=tenant, user=actor).first()
    ):
        raise PermissionDenied


def preview_organisations(*, tenant, actor, data, update_existing=False):
    """What the file would create, change and whom it would invite; nothing is written."""
    _may_import(tenant, actor)
    table, error = _read(data)
    if error is not None:
        return ImportPlan(errors=[error])
    return _check(tenant=tenant, table=table, update_existing=update_existing)


def import_organisations(*, tenant, actor, data, filename="", update_existing=False, base_url=""):
    """Check the file again and write all of it in one transaction, or nothing.

    Organisations are created or updated (through save_organisation, each logged), parents
    set once every row exists, and the HR contacts invited through ``invite`` (their mails go
    out when the transaction commits). Returns the ImportPlan; ``plan.errors`` lists the
    problems when nothing was written.
    """
    _may_import(tenant, actor)
    plan = preview_organisations(
        tenant=tenant, actor=actor, data=data, update_existing=update_existing
    )
    if not plan.ok:
        return plan
    try:
        with transaction.atomic():
            _write(plan, tenant=tenant, actor=actor, filename=filename, base_url=base_url)
    except (IntegrityError, ValidationError):
        plan.errors = [
            RowError(
                None,
                "",
                _(
                    "Somebody changed the organisations at the same moment. Nothing was "
                    "imported; try again."
                ),
            )
        ]
    return plan


def _write(plan, *, tenant, actor, filename, base_url):
    by_name = {_casefold(o.name): o for o in Organisation.objects.filter(tenant=tenant)}
    saved = {}
    for row in plan.rows:
        organisation = by_name.get(_casefold(row.name)) or Organisation(tenant=tenant)
        organisation.name = row.name if organisation.pk is None else organisation.name
        organisation.kind = row.kind
        organisation.region = row.region
        organisation.place = row.place
        if not row.parent_name:
            organisation.parent = None
        saved[_casefold(row.name)] = save_organisation(
            tenant=tenant, actor=actor, organisation=organisation
        )
    by_name.update(saved)
    for row in plan.rows:
        if not row.parent_name:
            continue
        organisation = saved[_casefold(row.name)]
        parent = by_name[_casefold(row.parent_name)]
        if organisation.parent_id != parent.pk:
            organisation.parent = parent
            save_organisation(tenant=tenant, actor=actor, organisation=organisation)
    for address, names in plan.invitations:
        invite(
            tenant=tenant,
            actor=actor,
            email=address,
            role=Role.HR_CONTACT,
            organisations=[saved[_casefold(n)] for n in names],
            base_url=base_url,
        )
    log_activity(
        tenant=tenant,
        actor=actor,
        action="organisations.imported",
        obj=tenant,
        data={
            "file": filename,
            "created": [r.name for r in plan.created],
            "updated": [r.name for r in plan.updated],
            "invited": [address for address, _names in plan.invitations],
        },
    )
