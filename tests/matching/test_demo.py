"""``seed_demo``'s pairs: made the way each seed describes, within the round's hard rules, with
both applications matched (by the coordinator or HR) and both people participants; the network's
open round left for the coordinators to match; twice changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, StageChange
from matching.services import check_pair
from organisations.models import ActivityLog, Membership, OutgoingMail
from pairs.models import Pair
from programmes.models import Participant, Round
from tests.demo_seed import snapshot

pytestmark = pytest.mark.django_db

Stage = Application.Stage
SLUGS = ["vastnatet", "storvik", "kvarnadalen", "kommundirektorer", "sjukhusgruppen"]


def run_seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def pair_rows():
    return sorted(
        Pair.objects.values_list(
            "tenant__slug",
            "round_id",
            "mentor_id",
            "adept_id",
            "status",
            "started_at",
            "created_at",
        )
    )


def stage_rows():
    return (
        sorted(Application.objects.values_list("id", "stage", "version", "phone", "updated_at")),
        StageChange.objects.count(),
        Participant.objects.count(),
    )


@snapshot("matching_pairs")
def after_first():
    return (pair_rows(), stage_rows())


@pytest.fixture
def seeded(demo_seed):
    return {
        "first": demo_seed.first,
        "second": demo_seed.second,
        "after_first": demo_seed.after_first["matching_pairs"],
    }


def pairs_of(slug):
    return list(
        Pair.objects.filter(tenant__slug=slug).select_related(
            "round",
            "round__tenant",
            "mentor",
            "adept",
            "mentor__organisation",
            "adept__organisation",
            "mentor__user",
            "adept__user",
        )
    )


def test_a_second_run_changes_nothing(seeded):
    assert (pair_rows(), stage_rows()) == seeded["after_first"]
    assert seeded["first"] == seeded["second"]
    counts = Counter(Pair.objects.values_list("tenant__slug", flat=True))
    assert counts == {
        "vastnatet": 5,
        "storvik": 3,
        "kvarnadalen": 11,
        "kommundirektorer": 2,
        "sjukhusgruppen": 2,
    }


def test_the_network_is_left_for_the_coordinators_to_match(seeded):
    round_15 = Round.objects.get(tenant__slug="vastnatet", name="Omgång 15")
    assert not Pair.objects.filter(round=round_15).exists()
    assert round_15.status == Round.Status.OPEN
    assert not round_15.applications.filter(stage=Stage.MATCHED).exists()


def test_the_networks_closed_round_14_has_its_history_and_its_pairs_ended(seeded):
    """Issue 13: round 14 shows its year: applications through the manager's support (the
    adepts': seed 000 asks the adept's manager only) and the nomination to the decision, pairs
    ended through end_pair at the round's end, the log and the
    outbox holding what the services wrote."""
    round_14 = Round.objects.get(tenant__slug="vastnatet", name="Omgång 14")
    assert round_14.status == Round.Status.CLOSED
    stages = Counter(round_14.applications.values_list("stage", flat=True))
    assert stages == {
        Stage.MATCHED: 10,
        Stage.DECLINED_BY_ORGANISATION: 1,
        Stage.WITHDRAWN: 1,
    }
    matched = round_14.applications.filter(stage=Stage.MATCHED)
    for application in matched:
        steps = list(application.history.order_by("created_at").values_list("to_stage", flat=True))
        adept = application.role == "adept"
        assert steps == [
            Stage.DRAFT,
            Stage.SUBMITTED,
            *([Stage.AWAITING_ENDORSEMENT] if adept else []),
            Stage.AWAITING_NOMINATION,
            Stage.NOMINATED,
            Stage.ACCEPTED,
            Stage.MATCHED,
        ], application
        assert application.endorsements.filter(supports=True).exists() == adept
        assert application.nominations.filter(nominated=True).exists()
        assert application.submitted_at < round_14.application_closes_at
    pairs = Pair.objects.filter(round=round_14)
    assert pairs.count() == 5
    end = timezone.localtime(pairs[0].ended_at).date()
    for pair in pairs:
        assert pair.status == Pair.Status.ENDED and pair.end_reason == Pair.EndReason.BY_AGREEMENT
        assert timezone.localtime(pair.ended_at).date() == end == round_14.ends_on
        assert pair.mentor.organisation_id != pair.adept.organisation_id
    logs = ActivityLog.objects.filter(tenant=round_14.tenant)
    assert logs.filter(action="matching.pair_ended").count() == 5
    assert logs.filter(action="matching.pair_started").count() == 5
    assert logs.filter(action="application.stage_changed").count() >= 5 * 12
    # end_pair told both people: the mails are in the outbox, sent (never really: the demo
    # marks them sent before its transaction commits), dated at the end.
    ended_mails = OutgoingMail.objects.filter(tenant=round_14.tenant, purpose="pair_ended")
    assert ended_mails.count() == 10
    assert set(ended_mails.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}
    assert {timezone.localtime(m.created_at).date() for m in ended_mails} == {end}
    assert not OutgoingMail.objects.filter(status=OutgoingMail.Status.WAITING).exists()


def test_no_demo_pair_breaks_a_hard_rule(seeded):
    pairs = Pair.objects.filter(tenant__slug__in=SLUGS)
    assert pairs.count() == 23
    for pair in pairs.select_related("round", "round__tenant", "mentor", "adept"):
        closed = pair.round.status == Round.Status.CLOSED
        assert pair.status == (Pair.Status.ENDED if closed else Pair.Status.ACTIVE), pair
        # Availability (the adept is matched now) and capacity (this pair takes a place) are
        # about making the pair; once made they are checked below by counting. An ended pair
        # is its own "earlier pair".
        about_making = {"availability", "capacity"} | ({"earlier_pair"} if closed else set())
        broken = [
            p
            for p in check_pair(round_=pair.round, mentor_app=pair.mentor, adept_app=pair.adept)
            if p["rule"] not in about_making
        ]
        assert broken == [], (pair, broken)
        assert pair.mentor.round_id == pair.adept.round_id == pair.round_id
        assert pair.mentor.role == "mentor" and pair.adept.role == "adept"
        assert (pair.mentor_user_id, pair.adept_user_id) == (
            pair.mentor.user_id,
            pair.adept.user_id,
        )
        assert pair.mentor.organisation_id != pair.adept.organisation_id
    per_mentor = Counter(pairs.values_list("mentor_id", flat=True))
    for mentor in Application.objects.filter(pk__in=per_mentor):
        assert per_mentor[mentor.pk] <= mentor.capacity, mentor
    adepts = list(pairs.values_list("adept_id", flat=True))
    assert len(adepts) == len(set(adepts))


def test_both_applications_are_matched_by_the_coordinator_or_hr(seeded):
    now = timezone.now()
    for pair in Pair.objects.filter(tenant__slug__in=SLUGS).select_related("mentor", "adept"):
        assert pair.started_at <= now
        if pair.round.status == Round.Status.CLOSED:
            # Ended through end_pair at the round's end (issue 13).
            assert timezone.localtime(pair.ended_at).date() == pair.round.ends_on
        else:
            assert pair.ended_at is None
        staff = set(
            Membership.objects.filter(tenant=pair.tenant_id, is_coordinator=True).values_list(
                "user_id", flat=True
            )
        ) | set(
            Membership.objects.filter(
                tenant=pair.tenant_id, is_hr_contact=True, organisations=pair.adept.organisation
            ).values_list("user_id", flat=True)
        )
        for application in (pair.mentor, pair.adept):
            assert application.stage == Stage.MATCHED
            history = list(application.history.order_by("created_at", "id"))
            matched = [c for c in history if c.to_stage == Stage.MATCHED]
            assert len(matched) == 1, application
            change = matched[0]
            assert change.from_stage == Stage.ACCEPTED and change.actor_id in staff
            assert change.reason and history[-1] == change
            assert change.created_at <= now
            assert application.version == len(history)
            assert Participant.objects.filter(
                round=pair.round_id,
                user=application.user_id,
                role=application.role,
                organisation=application.organisation_id,
            ).exists()
            assert application.phone


def test_each_seed_is_paired_its_way(seeded):
    # storvik: every accepted adept of the running round has a mentor from another part of the city.
    storvik = pairs_of("storvik")
    round_ = storvik[0].round
    assert round_.status == Round.Status.RUNNING
    assert not round_.applications.filter(role="adept", stage=Stage.ACCEPTED).exists()

    # kvarnadalen: both closed rounds fully paired, from different municipalities.
    kvarnadalen = pairs_of("kvarnadalen")
    rounds = Round.objects.filter(tenant__slug="kvarnadalen").order_by("number")
    assert [r.status for r in rounds] == [Round.Status.CLOSED, Round.Status.CLOSED]
    for r in rounds:
        assert not r.applications.exclude(stage=Stage.MATCHED).exists()
        assert sum(p.round_id == r.pk for p in kvarnadalen) == r.max_pairs
    for pair in kvarnadalen:
        assert pair.mentor.organisation.kind == pair.adept.organisation.kind == "municipality"

    # kommundirektorer: the adepts chose; one mentor has two adepts, within capacity.
    association = pairs_of("kommundirektorer")
    mentors = Counter(p.mentor_id for p in association)
    ((mentor_id, n),) = mentors.most_common(1)
    assert n == 2
    assert Application.objects.get(pk=mentor_id).capacity >= 2
    under_review = Application.objects.filter(
        tenant__slug="kommundirektorer", stage=Stage.UNDER_REVIEW
    )
    assert under_review.exists()  # the new member still to choose a mentor

    # sjukhusgruppen: HR matched the accepted new managers from the bank, from another area.
    hospital = pairs_of("sjukhusgruppen")
    for pair in hospital:
        assert pair.mentor.organisation.parent_id == pair.adept.organisation.parent_id
        assert pair.mentor.organisation_id != pair.adept.organisation_id
        change = pair.adept.history.get(to_stage=Stage.MATCHED)
        assert Membership.objects.filter(
            tenant=pair.tenant_id, user=change.actor_id, is_hr_contact=True
        ).exists()
    assert not Application.objects.filter(
        tenant__slug="sjukhusgruppen", role="adept", stage=Stage.ACCEPTED
    ).exists()


def test_the_matched_adepts_logins_are_printed(seeded):
    output = seeded["first"]
    for pair in Pair.objects.filter(tenant__slug__in=SLUGS).select_related("adept"):
        assert pair.adept.email in output


def test_a_demo_pair_shows_on_both_participants_home(seeded, client):
    pair = pairs_of("kommundirektorer")[0]
    for me, partner in ((pair.adept, pair.mentor), (pair.mentor, pair.adept)):
        client.force_login(me.user)
        content = client.get(f"/{pair.round.tenant.slug}/my/").content.decode()
        assert partner.full_name in content
        assert f"mailto:{partner.email}" in content
