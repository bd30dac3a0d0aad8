"""``seed_demo``: five demo tenants, one per seed document, invented names only, idempotent."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from demo.common import DEMO_DOMAIN, DEMO_PASSWORD
from organisations.models import Membership, Organisation, Tenant
from programmes.models import (
    Audience,
    Eligibility,
    ManagerLevel,
    MeetingPart,
    Participant,
    Programme,
    Round,
    SharedMeeting,
)
from programmes.services import validate_meeting, validate_round
from tests.demo_seed import snapshot as demo_snapshot

pytestmark = pytest.mark.django_db

SLUGS = ["vastnatet", "storvik", "kvarnadalen", "kommundirektorer", "sjukhusgruppen"]
MODELS = [
    Tenant,
    Organisation,
    Membership,
    get_user_model(),
    Programme,
    Round,
    Eligibility,
    Participant,
    SharedMeeting,
    MeetingPart,
]

# Names from the seed documents (organisations, places, people, firms). Words that are also
# ordinary Swedish ("vilja") or parts of words ("senior") are matched in capitals only.
REAL_NAMES_EXACT = [r"\bIOR\b", r"\bVILJA\b", r"\bVETA\b", r"\bNU\b"]
REAL_NAMES_ANY_CASE = [
    "NU-sjukvård",
    "Borås",
    "Boras",
    "Göteborg",
    "Goteborg",
    "Intraservice",
    "Sjuhärad",
    "Sjuharad",
    "Vänersborg",
    "Västra Götalandsregionen",
    "Länsstyrelsen Västra Götaland",
    "Advisor AB",
    r"\bBoel\b",
    r"\bTarja\b",
    "Elmberg",
    "Åkerblom",
    "Winberg",
    r"\bÖberg\b",
    "Edlund",
    "Strandhede",
    r"\bPetersson\b",
    r"\bJohansson\b",
    "Anna-Lena",
]


def run_seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot():
    """Every field of the rows the programmes demo writes, to see that a second run changes none."""
    rows = {}
    for model in (Programme, Round, Eligibility, Participant, SharedMeeting, MeetingPart):
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "updated_at"]
        rows[model.__name__] = sorted(model.objects.values_list(*fields))
    return rows


@demo_snapshot("programmes")
def after_first():
    return (counts(), snapshot())


@pytest.fixture
def seeded(demo_seed):
    """The demo seeded twice; the first run's counts and rows, and both outputs."""
    return {
        "first": demo_seed.first,
        "second": demo_seed.second,
        "after_first": demo_seed.after_first["programmes"],
    }


def programme_of(slug):
    return Programme.objects.get(tenant__slug=slug)


def test_five_tenants_with_their_kinds_of_programme(seeded):
    assert set(Tenant.objects.values_list("slug", flat=True)) >= set(SLUGS)
    expected = {
        "vastnatet": ("cohort", "coordinator"),
        "storvik": ("cohort", "coordinator"),
        "kvarnadalen": ("cohort", "coordinator"),
        "kommundirektorer": ("continuous", "adept_chooses"),
        "sjukhusgruppen": ("continuous", "hr_assigns"),
    }
    for slug, (kind, mode) in expected.items():
        programme = programme_of(slug)
        assert (programme.kind, programme.matching_mode) == (kind, mode), slug


def test_a_second_run_changes_nothing(seeded):
    assert (counts(), snapshot()) == seeded["after_first"]
    assert seeded["first"] == seeded["second"]


def test_the_network_keeps_its_organisations_and_logins(seeded):
    tenant = Tenant.objects.get(slug="vastnatet")
    assert tenant.organisations.count() == 6
    coordinator = tenant.memberships.get(is_coordinator=True).user
    assert coordinator.email == f"karin.koordinator@vastnatet.{DEMO_DOMAIN}"
    hr = sorted(tenant.memberships.filter(is_hr_contact=True).values_list("user__email", flat=True))
    assert hr == sorted(f"{n}.hr@vastnatet.{DEMO_DOMAIN}" for n in ("olle", "sara", "nils", "eva"))


def test_network_round_15_is_open_with_the_documents_settings(seeded):
    today = timezone.localdate()
    programme = programme_of("vastnatet")
    assert programme.name == "Mentorprogram över gränserna"
    round_ = programme.rounds.get(name="Omgång 15")
    assert round_.status == Round.Status.OPEN and round_.accepting_applications()
    assert round_.max_pairs == 25
    assert (round_.requires_endorsement, round_.requires_nomination, round_.requires_interview) == (
        True,
        True,
        False,
    )
    assert (
        today + timedelta(days=14)
        < timezone.localdate(round_.application_closes_at)
        < today + timedelta(days=28)
    )
    assert round_.starts_on > today + timedelta(days=90)
    assert 360 <= (round_.ends_on - round_.starts_on).days <= 400
    assert "Kostnadsfritt" in round_.cost_text
    mentor = round_.eligibility_for("mentor")
    adept = round_.eligibility_for("adept")
    assert set(mentor.manager_levels) == {
        ManagerLevel.MANAGER_OF_MANAGERS,
        ManagerLevel.SENIOR_EXECUTIVE,
    }
    assert adept.manager_levels == [ManagerLevel.MANAGER_OF_MANAGERS]
    assert adept.min_years_as_manager == 1
    # "chef över chefer och har varit det under minst ett år"; only the adept's manager is asked.
    assert adept.min_years_in_level == 1 and mentor.min_years_in_level == 0
    assert round_.step_roles("endorsement") == ("adept",)
    assert round_.step_roles("nomination") == ("mentor", "adept")

    meetings = list(round_.meetings.all())
    assert len(meetings) == 4
    kickoff, visit, inspiration, closing = meetings
    assert kickoff.date == round_.starts_on and kickoff.includes_meal
    parts = {p.title: p.audience for p in kickoff.parts.all()}
    assert parts == {
        "Gemensam start": Audience.EVERYONE,
        "Lunch": Audience.EVERYONE,
        "Workshop i coaching": Audience.MENTORS,
    }
    assert visit.host_organisation is not None and closing.host_organisation is not None
    assert inspiration.includes_meal
    assert closing.date == round_.ends_on

    earlier = programme.rounds.get(name="Omgång 14")
    assert earlier.status == Round.Status.CLOSED
    assert earlier.ends_on < today and earlier.starts_on < round_.starts_on


def test_city_round_is_running_with_nominated_mentors(seeded):
    tenant = Tenant.objects.get(slug="storvik")
    city = tenant.organisations.get(parent__isnull=True)
    assert tenant.organisations.filter(kind="area", parent=city).count() >= 5
    round_ = programme_of("storvik").rounds.get()
    assert round_.status == Round.Status.RUNNING
    assert round_.starts_on <= timezone.localdate()
    assert round_.requires_nomination and round_.pair_meeting_minutes == 90
    assert round_.cadence_text == "cirka 1,5 timme var 3–4:e vecka"
    assert round_.eligibility_for("mentor").min_years_as_manager == 5
    assert round_.eligibility_for("adept").manager_levels == [ManagerLevel.FIRST_LINE]
    meetings = list(round_.meetings.all())
    assert len(meetings) == 4
    assert [m.audience for m in meetings].count(Audience.MENTORS) == 1
    assert meetings[-1].date == round_.ends_on


def test_regional_programme_has_two_rounds_of_12_and_10(seeded):
    programme = programme_of("kvarnadalen")
    assert programme.tenant.organisations.filter(kind="municipality").count() == 7
    rounds = list(programme.rounds.order_by("number"))
    assert [r.participants.count() for r in rounds] == [12, 10]
    assert [r.participants.filter(role="mentor").count() for r in rounds] == [6, 5]
    assert [r.meetings.count() for r in rounds] == [7, 7]
    for round_ in rounds:
        assert round_.requires_interview and not round_.requires_endorsement
        assert round_.eligibility_for("adept").min_years_as_manager == 2
        assert round_.eligibility_for("mentor").min_years_as_manager == 5
        assert round_.ends_on < timezone.localdate() or round_.status == Round.Status.RUNNING
        titles = [m.title for m in round_.meetings.all()]
        assert titles[0] == "Uppstart" and "Kärnkvadranten" in titles
        assert round_.meetings.last().date == round_.ends_on
    assert rounds[0].status == Round.Status.CLOSED


def test_association_is_a_standing_round_of_mentors_to_choose_from(seeded):
    round_ = programme_of("kommundirektorer").rounds.get()
    assert round_.name == "Löpande" and round_.status == Round.Status.RUNNING
    assert round_.application_opens_at is None and round_.application_closes_at is None
    assert round_.min_pair_meetings == 5 and round_.cadence_text == "5–8 samtal under ett år"
    assert round_.eligibility_for("mentor").manager_levels == [ManagerLevel.SENIOR_EXECUTIVE]
    assert "Adepten tar första kontakten" in round_.practical_info
    assert "konfidentialitet" in round_.practical_info
    assert round_.participants.filter(role="mentor").count() >= 3
    assert not round_.meetings.exists()


def test_hospital_has_a_bank_of_mentors_from_its_areas(seeded):
    tenant = Tenant.objects.get(slug="sjukhusgruppen")
    assert set(tenant.organisations.filter(kind="area").values_list("name", flat=True)) >= {
        "Medicinområdet",
        "Kirurgiområdet",
        "Akutområdet",
        "Psykiatriområdet",
        "Område Diagnostik",
    }
    assert tenant.memberships.filter(is_hr_contact=True).count() >= 2
    round_ = programme_of("sjukhusgruppen").rounds.get()
    assert round_.status == Round.Status.RUNNING
    assert (round_.min_pair_meetings, round_.pair_meeting_minutes) == (6, 120)
    assert "beroendeställning" in round_.eligibility_for("mentor").criteria_text
    mentors = round_.participants.filter(role="mentor")
    assert mentors.count() >= 5
    assert mentors.values("organisation").distinct().count() >= 4


def test_every_tenant_prints_its_coordinator_and_hr_logins(seeded):
    output = seeded["first"]
    assert DEMO_PASSWORD in output
    User = get_user_model()
    for slug in SLUGS:
        tenant = Tenant.objects.get(slug=slug)
        assert tenant.name in output
        roles = tenant.memberships.filter(Q(is_coordinator=True) | Q(is_hr_contact=True))
        assert roles.filter(is_coordinator=True).exists()
        for membership in roles:
            assert membership.user.email in output
            assert membership.user.check_password(DEMO_PASSWORD)
    for line in output.splitlines():
        for email in re.findall(r"\S+@\S+", line):
            assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_demo_rows_pass_the_products_own_rules(seeded):
    for round_ in Round.objects.filter(tenant__slug__in=SLUGS):
        round_.full_clean()
        validate_round(round_)
    for meeting in SharedMeeting.objects.filter(tenant__slug__in=SLUGS):
        meeting.full_clean()
        validate_meeting(meeting, list(meeting.parts.all()))
        assert meeting.round.starts_on <= meeting.date <= meeting.round.ends_on


def demo_texts():
    tenants = Tenant.objects.filter(slug__in=SLUGS)
    users = (
        get_user_model()
        .objects.filter(Q(memberships__tenant__in=tenants) | Q(participations__tenant__in=tenants))
        .distinct()
    )
    yield from tenants.values_list("name", "slug", "contact_email")
    yield from Organisation.objects.filter(tenant__in=tenants).values_list("name", "place")
    yield from users.values_list("full_name", "email")
    yield from Programme.objects.filter(tenant__in=tenants).values_list(
        "name", "description", "target_group"
    )
    yield from Round.objects.filter(tenant__in=tenants).values_list(
        "name", "call_text", "practical_info", "cost_text", "cadence_text"
    )
    yield from Eligibility.objects.filter(tenant__in=tenants).values_list("criteria_text")
    yield from SharedMeeting.objects.filter(tenant__in=tenants).values_list(
        "title", "agenda", "place"
    )
    yield from MeetingPart.objects.filter(tenant__in=tenants).values_list("title")


def test_no_real_names_from_the_seed_documents(seeded):
    patterns = [re.compile(p) for p in REAL_NAMES_EXACT]
    patterns += [re.compile(p, re.IGNORECASE) for p in REAL_NAMES_ANY_CASE]
    texts = [text for row in demo_texts() for text in row if text]
    assert len(texts) > 100
    for text in texts:
        for pattern in patterns:
            assert not pattern.search(text), f"{pattern.pattern!r} in {text!r}"
    User = get_user_model()
    for user in User.objects.filter(memberships__tenant__slug__in=SLUGS):
        assert user.email.endswith(f".{DEMO_DOMAIN}")
    for user in User.objects.filter(participations__tenant__slug__in=SLUGS):
        assert user.email.endswith(f".{DEMO_DOMAIN}")
