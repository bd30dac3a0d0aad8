"""The built-in questionnaires, after the analysis frame of seed 002 (relevance, implementation,
goal fulfilment). Every question has a stable ``key`` so that rounds compare, whatever the
language the survey was created in and however the coordinator reworded it."""

from django.utils.translation import gettext_lazy as _

from .models import Criterion, QuestionAudience, Survey, SurveyQuestion

SCALE = SurveyQuestion.Kind.SCALE
SINGLE = SurveyQuestion.Kind.SINGLE
MULTIPLE = SurveyQuestion.Kind.MULTIPLE
TEXT = SurveyQuestion.Kind.TEXT
BOTH, MENTOR, ADEPT = QuestionAudience.BOTH, QuestionAudience.MENTOR, QuestionAudience.ADEPT
REL, IMP, GOAL, OTHER = (
    Criterion.RELEVANCE,
    Criterion.IMPLEMENTATION,
    Criterion.GOAL_FULFILMENT,
    Criterion.OTHER,
)

# (key, criterion, kind, audience, required, text, help text, choices)
FINAL = [
    (
        "relevance-need",
        REL,
        SCALE,
        BOTH,
        True,
        _("The programme answered a real need I had as a manager."),
        "",
        [],
    ),
    (
        "relevance-expectations",
        REL,
        SCALE,
        BOTH,
        True,
        _("The programme lived up to my expectations."),
        "",
        [],
    ),
    (
        "relevance-sought-adept",
        REL,
        MULTIPLE,
        ADEPT,
        False,
        _("What were you looking for when you applied?"),
        _("Choose all that apply."),
        [
            _("Support, advice and a mirror from an experienced manager"),
            _("Tools for self-knowledge and for handling demands"),
            _("Structure for personal and professional development"),
            _("Leadership that lasts over time"),
            _("A wider network of managers"),
        ],
    ),
    (
        "relevance-sought-mentor",
        REL,
        MULTIPLE,
        MENTOR,
        False,
        _("Why did you take part as a mentor?"),
        _("Choose all that apply."),
        [
            _("To share experience and support new managers"),
            _("To get new energy and time for reflection"),
            _("To learn by coaching someone else"),
        ],
    ),
    (
        "implementation-shared-days",
        IMP,
        SCALE,
        BOTH,
        True,
        _("The shared meetings (themes, lectures, exercises) were valuable."),
        "",
        [],
    ),
    (
        "implementation-matching",
        IMP,
        SCALE,
        BOTH,
        True,
        _("The matching gave me a partner who suited me."),
        "",
        [],
    ),
    (
        "implementation-material",
        IMP,
        SCALE,
        BOTH,
        False,
        _("The material and the models we worked with were useful."),
        _("For example the core quadrants, shadowing, coaching models."),
        [],
    ),
    (
        "implementation-organisation",
        IMP,
        SCALE,
        BOTH,
        False,
        _("The programme was well organised: information, planning and dates."),
        "",
        [],
    ),
    (
        "implementation-frequency",
        IMP,
        SINGLE,
        BOTH,
        False,
        _("How often did you and your partner meet?"),
        "",
        [
            _("More than once a month"),
            _("About once a month"),
            _("Every other month"),
            _("Less often"),
        ],
    ),
    (
        "implementation-improve",
        IMP,
        TEXT,
        BOTH,
        False,
        _("What should we change or improve in how the programme is run?"),
        "",
        [],
    ),
    (
        "goal-reflection",
        GOAL,
        SCALE,
        BOTH,
        True,
        _("The programme gave me time and room to reflect on management and leadership."),
        "",
        [],
    ),
    (
        "goal-development",
        GOAL,
        SCALE,
        BOTH,
        True,
        _("I have developed personally and professionally."),
        "",
        [],
    ),
    (
        "goal-sustainable",
        GOAL,
        SCALE,
        BOTH,
        True,
        _("I have better conditions for sustainable, long-term leadership."),
        "",
        [],
    ),
    (
        "goal-network",
        GOAL,
        SCALE,
        BOTH,
        True,
        _("I have a wider network of managers to turn to."),
        "",
        [],
    ),
    (
        "goal-changes",
        GOAL,
        MULTIPLE,
        BOTH,
        False,
        _("What do you do differently now?"),
        _("Choose all that apply."),
        [
            _("I delegate more"),
            _("I reflect more"),
            _("I plan meetings more carefully"),
            _("I book time for reflection in my calendar and keep it"),
            _("I set clearer limits and make room for recovery"),
            _("I lead with more confidence and courage"),
        ],
    ),
    (
        "goal-own-words",
        GOAL,
        TEXT,
        BOTH,
        False,
        _("In your own words: what has the year meant to you?"),
        _("We may quote you in the report, without your name."),
        [],
    ),
    (
        "other-recommend",
        OTHER,
        SCALE,
        BOTH,
        False,
        _("I would recommend the programme to a colleague."),
        "",
        [],
    ),
    (
        "other-comments",
        OTHER,
        TEXT,
        BOTH,
        False,
        _("Is there anything else you want to tell us?"),
        "",
        [],
    ),
]

MIDTERM = [
    (
        "mid-needs",
        REL,
        SCALE,
        BOTH,
        True,
        _("So far the programme meets my needs."),
        "",
        [],
    ),
    (
        "mid-pair",
        IMP,
        SCALE,
        BOTH,
        True,
        _("My partner and I have found a good way of working together."),
        "",
        [],
    ),
    (
        "mid-meetings",
        IMP,
        SINGLE,
        BOTH,
        True,
        _("How many pair meetings have you had so far?"),
        "",
        [_("None yet"), _("1–2"), _("3–4"), _("5 or more")],
    ),
    (
        "mid-shared-days",
        IMP,
        SCALE,
        BOTH,
        False,
        _("The shared meetings so far have been valuable."),
        "",
        [],
    ),
    (
        "mid-progress",
        GOAL,
        SCALE,
        BOTH,
        True,
        _("I am making progress towards my goals for the year."),
        "",
        [],
    ),
    (
        "mid-good",
        OTHER,
        TEXT,
        BOTH,
        False,
        _("What has been good so far?"),
        "",
        [],
    ),
    (
        "mid-develop",
        OTHER,
        TEXT,
        BOTH,
        False,
        _("What needs to develop for the rest of the year?"),
        "",
        [],
    ),
]

TEMPLATES = {Survey.Kind.FINAL: FINAL, Survey.Kind.MIDTERM: MIDTERM}

TITLES = {
    Survey.Kind.FINAL: _("Final evaluation"),
    Survey.Kind.MIDTERM: _("Mid-term check-in"),
}

INTROS = {
    Survey.Kind.FINAL: _(
        "Thank you for this year! Your answers help us develop the programme. The survey is "
        "anonymous: your answers are stored without your name, and results are shown only for "
        "groups of at least three people. It takes about ten minutes."
    ),
    Survey.Kind.MIDTERM: _(
        "Halfway through the year (after about three pair meetings): how is it going? The "
        "survey is anonymous and takes about five minutes."
    ),
}


def key_order(kind=Survey.Kind.FINAL):
    return [row[0] for row in TEMPLATES[kind]]
