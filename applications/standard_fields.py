"""Which standard fields each role's application form asks, per programme (issue 14, part 2).

A programme keeps its choice in one ``FieldSettings`` row (``applications.models``); a
programme without one asks what every programme asked before: the ``DEFAULTS`` below. Rounds
read their programme's settings (they are not copied): a standing round of a continuous
programme follows a change at once, and a cohort's next round needs nothing copied.

Each field is ``off`` (not on the form), ``optional`` or ``required`` (checked on submit by
``services.missing_for_submit``). Three rules sit over the coordinator's choice, in
``services.field_states``: a field the round's eligibility needs is asked and required (and
``ELIGIBILITY_ONLY`` fields are asked only then); the
manager's name and e-mail are asked and required where the round asks for the manager's
support; and a person who has retired or recently left gets no manager question at all.

Pure data and functions: no models are imported here.
"""

from django.utils.translation import gettext_lazy as _

OFF, OPTIONAL, REQUIRED = "off", "optional", "required"
STATES = [
    (OFF, _("Not asked")),
    (OPTIONAL, _("Asked")),
    (REQUIRED, _("Required")),
]

MENTOR, ADEPT = "mentor", "adept"
ROLES = (MENTOR, ADEPT)

# Always on the form and required: they are how the applicant is reached and identified.
ALWAYS_REQUIRED = ("full_name", "email")

# The fields the coordinator chooses for, in the form's order.
CONFIGURABLE = (
    "phone",
    "career_status",
    "organisation",
    "place",
    "region",
    "job_title",
    "current_assignment",
    "manager_level",
    "years_as_manager",
    "managers_reporting",
    "education",
    "work_experience",
    "motivation",
    "themes",
    "capacity",
    "matching_wishes",
    "prefers_other_sector",
    "languages",
    "available_for_shared_days",
    "discussed_with_manager",
    "manager_name",
    "manager_email",
)
MENTOR_ONLY = ("capacity",)
# Asked only where the round's eligibility needs them (``services.field_states``), never a
# choice of the coordinator's: years at the manager level the rule names.
ELIGIBILITY_ONLY = ("years_in_level",)
MANAGER_FIELDS = ("discussed_with_manager", "manager_name", "manager_email")
ENDORSEMENT_FIELDS = ("manager_name", "manager_email")

# Statuses whose holder has no manager to ask (a retired or former chief executive).
NO_MANAGER_STATUSES = ("recently_left", "retired")

# What every programme asked before the settings existed.
_DEFAULT = {
    "phone": OPTIONAL,
    "career_status": OFF,
    "organisation": REQUIRED,
    "place": OFF,
    "region": OPTIONAL,
    "job_title": REQUIRED,
    "current_assignment": OPTIONAL,
    "manager_level": REQUIRED,
    "years_as_manager": REQUIRED,
    "managers_reporting": OPTIONAL,
    "education": OPTIONAL,
    "work_experience": OPTIONAL,
    "motivation": REQUIRED,
    "themes": OPTIONAL,
    "capacity": REQUIRED,
    "matching_wishes": OPTIONAL,
    "prefers_other_sector": OPTIONAL,
    "languages": OPTIONAL,
    "available_for_shared_days": OPTIONAL,
    "discussed_with_manager": REQUIRED,
    "manager_name": OPTIONAL,
    "manager_email": OPTIONAL,
}


def configurable(role):
    return [name for name in CONFIGURABLE if role == MENTOR or name not in MENTOR_ONLY]


def defaults(role):
    return {name: _DEFAULT[name] for name in configurable(role)}


DEFAULTS = {role: defaults(role) for role in ROLES}

# What the adept may see on a mentor's card (the adept-chooses list), in the card's order.
CARD_FIELDS = (
    ("career_status", _("Status (active, recently left, retired)")),
    ("job_title", _("Job title")),
    ("organisation", _("Organisation")),
    ("place", _("Place or municipality")),
    ("region", _("Region")),
    ("experience", _("Experience as a manager")),
    ("themes", _("Themes")),
    ("phone", _("Phone")),
    ("email", _("E-mail address")),
    ("work_experience", _("Work experience")),
    ("motivation", _("What the mentor wants to give")),
)
CARD_KEYS = tuple(key for key, _label in CARD_FIELDS)
DEFAULT_CARD = (
    "job_title",
    "organisation",
    "region",
    "experience",
    "themes",
    "work_experience",
    "motivation",
)


def _with(role, **changes):
    return {**defaults(role), **{k: v for k, v in changes.items() if k in defaults(role)}}


# "Start from a template": drawn from the seed programmes.
_ASSOCIATION = {
    "phone": REQUIRED,
    "career_status": REQUIRED,
    "organisation": REQUIRED,
    "place": REQUIRED,
    "manager_level": OPTIONAL,
    "years_as_manager": OPTIONAL,
    "job_title": OPTIONAL,
    "manager_name": OFF,
    "manager_email": OFF,
}
PRESETS = {
    "as_before": {
        "label": _("As the form has always been (municipal and regional cohorts)"),
        "fields": {role: defaults(role) for role in ROLES},
        "card": list(DEFAULT_CARD),
        "records_pair_cost": False,
    },
    "association": {
        "label": _(
            "An association of chief executives: phone and municipality required, "
            "active, recently left or retired asked, no manager questions for former chiefs"
        ),
        "fields": {
            MENTOR: _with(MENTOR, **_ASSOCIATION),
            ADEPT: _with(ADEPT, **{**_ASSOCIATION, "career_status": OFF}),
        },
        "card": [
            "career_status",
            "job_title",
            "organisation",
            "place",
            "experience",
            "phone",
            "email",
            "work_experience",
            "motivation",
        ],
        "records_pair_cost": False,
    },
    "hospital_bank": {
        "label": _(
            "A hospital group's mentor bank: retired mentors welcome, who bears the costs "
            "recorded per pair"
        ),
        "fields": {
            MENTOR: _with(MENTOR, career_status=REQUIRED, phone=REQUIRED, region=OFF),
            ADEPT: _with(ADEPT, region=OFF),
        },
        "card": [
            "career_status",
            "job_title",
            "organisation",
            "experience",
            "themes",
            "work_experience",
            "motivation",
        ],
        "records_pair_cost": True,
    },
}


def merged(saved, role):
    """The role's states: the defaults, with the programme's saved choices over them (a field
    added later starts at its default; unknown names and states are ignored)."""
    states = defaults(role)
    for name, state in ((saved or {}).get(role) or {}).items():
        if name in states and state in (OFF, OPTIONAL, REQUIRED):
            states[name] = state
    return states


def card_fields(saved):
    """The card's fields in the card's order (``None``: as before)."""
    chosen = DEFAULT_CARD if saved is None else saved
    return [key for key in CARD_KEYS if key in chosen]
