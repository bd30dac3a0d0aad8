"""The built-in checklist templates a coordinator can start from: seed 004's routine (before
the first meeting, after the third, the last meeting) and seed 003's checklist for the
mentor–adept relationship. Their texts are translated (English msgids, Swedish in the
catalogue) and inserted in the coordinator's language as ordinary, editable text
(``pairs.checklists.start_from_template``); after that they belong to the programme.

Each checklist and item has a ``key`` kept on the rows it makes (``template_key``), so the
answers of the old hard-coded checklists could be mapped (migration 0003) and so that
``evaluation.goals`` finds "where I stand and where I want to go" in any round.
"""

from django.utils.translation import gettext_lazy as _

from .models import Audience, Checklist, ChecklistItem

TICK, QUESTION = ChecklistItem.Kind.TICK, ChecklistItem.Kind.QUESTION

# The item whose answer is the person's own focus for the year (evaluation.goals).
FOCUS_ITEM = "where_i_stand"

# seed 004, "Checklista - förberedelse inför första mötet", "Gör en analys efter tredje
# träffen", "Det sista mötet". The keys of the first three are the old ChecklistAnswer keys.
ROUTINE = [
    {
        "key": "first",
        "title": _("Before the first meeting"),
        "intro": _(
            "Make the first meeting a more formal talk with the help of the questions below. "
            "That way you can go into depth in earlier experiences and get to know each other."
        ),
        "timing": Checklist.Timing.BEFORE_FIRST,
        "number": None,
        "items": [
            ("background", QUESTION, _("What does my life look like? My background?")),
            ("work_today", QUESTION, _("What does my working life look like today?")),
            ("strengths", QUESTION, _("What are my strengths and what do I want to develop?")),
            ("values", QUESTION, _("Which personal values are important to me?")),
            (FOCUS_ITEM, QUESTION, _("This is where I stand today and where I want to go.")),
            (
                "from_each_other",
                QUESTION,
                _(
                    "What do I want from you as a mentor, or to give my adept? "
                    "What can each of us contribute?"
                ),
            ),
            (
                "meeting_structure",
                TICK,
                _(
                    "Meeting structure – collaboration contract: we have discussed and agreed "
                    "on our ground rules, for example confidentiality (write them down under "
                    "“Our agreement”)."
                ),
            ),
        ],
    },
    {
        "key": "third",
        "title": _("After the third meeting"),
        "intro": _(
            "After the third meeting: reflect on what has been good and what needs to develop."
        ),
        "timing": Checklist.Timing.AFTER_MEETING,
        "number": 3,
        "items": [
            ("good", QUESTION, _("What has been good so far?")),
            ("develop", QUESTION, _("What do we need to develop?")),
        ],
    },
    {
        "key": "last",
        "title": _("The last meeting"),
        "intro": _(
            "The last meeting: evaluate the relationship, sum up the lessons for both of you "
            "and discuss any further contact."
        ),
        "timing": Checklist.Timing.NEAR_END,
        "number": 6,
        "items": [
            ("relationship", QUESTION, _("How do I evaluate the mentor–adept relationship?")),
            ("lessons", QUESTION, _("My lessons from the mentorship.")),
            ("further_contact", QUESTION, _("Do we want further contact, and how?")),
        ],
    },
]

# seed 003, "Checklista mentor-adeptrelationen".
RELATIONSHIP = [
    {
        "key": "relationship",
        "title": _("The mentor–adept relationship"),
        "intro": _("A checklist for the relationship: open it whenever you want."),
        "timing": Checklist.Timing.ON_REQUEST,
        "number": None,
        "items": [
            (
                "first_contact",
                TICK,
                _("The adept makes the first contact with the person they would like as mentor."),
            ),
            (
                "agree_to_continue",
                TICK,
                _("Mentor and adept meet and agree to continue with a number of talks."),
            ),
            (
                "ground_rules",
                TICK,
                _(
                    "At the first talk, mentor and adept agree on the ground rules of the "
                    "relationship: openness, confidentiality, personal but not private."
                ),
            ),
            (
                "number_of_talks",
                TICK,
                _("A suitable number of talks to agree on at first is 5–8 over a year."),
            ),
            (
                "neutral_place",
                TICK,
                _(
                    "The talks are best held at a neutral place, and can be complemented by "
                    "visits or shadowing at the adept's workplace, if you agree on it."
                ),
            ),
        ],
    },
]

TEMPLATES = {
    "routine": {
        "label": _(
            "The hospital group's routine: before the first meeting, after the third "
            "and the last meeting (three checklists)"
        ),
        "checklists": ROUTINE,
        "audience": Audience.BOTH,
    },
    "relationship": {
        "label": _("The association's checklist for the mentor–adept relationship"),
        "checklists": RELATIONSHIP,
        "audience": Audience.BOTH,
    },
}
