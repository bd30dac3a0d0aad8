"""The pair's own page: agreement drafted by one and confirmed by both (a change needs both
again), meetings with validation and a private note only its author ever reads, checklists
shown at the right time with answers private to the person; only the pair's two people."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.models import ActivityLog
from pairs import checklists
from pairs import services as pairwork
from pairs.models import ChecklistItemAnswer, PairAgreement, PairMeeting, PrivateNote
from tests.factories.organisations import MembershipFactory, TenantFactory
from tests.matching.test_partner import make_pair, make_round

pytestmark = pytest.mark.django_db

NOTE = "Hemlig anteckning om mötet 4711"


def url(pair, name="pair", **kw):
    return reverse(
        f"matching_pairwork:{name}", kwargs={"tenant": pair.tenant.slug, "pk": pair.pk, **kw}
    )


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world(tenant):
    round_ = make_round(tenant)
    round_.min_pair_meetings = 6
    round_.ends_on = timezone.localdate() + timedelta(days=300)
    round_.save()
    checklists.start_from_template(
        tenant=tenant, actor=None, programme=round_.programme, round_=round_, template="routine"
    )
    pair = make_pair(round_, started_at=timezone.now() - timedelta(days=60))
    other_pair = make_pair(round_)
    # The texts below are checked in English, whatever the Swedish catalogue says.
    for person in (
        pair.adept_user,
        pair.mentor_user,
        other_pair.adept_user,
        other_pair.mentor_user,
    ):
        person.language = "en"
        person.save(update_fields=["language"])
    return {"round": round_, "pair": pair, "other_pair": other_pair}


AGREEMENT = {
    "how_often": "En gång i månaden, två timmar",
    "where": "Neutral plats",
    "cancelling": "Senast dagen före",
    "confidentiality": "Tystnadsplikt",
    "personal_not_private": "Personligt men inte privat",
}


def meeting_data(**kw):
    data = {
        "date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "minutes": "90",
        "mode": "in_person",
        "place": "Café",
        "note": "",
    }
    data.update(kw)
    return data


# --- the agreement ------------------------------------------------------------------------


def test_agreement_drafted_by_one_confirmed_by_both_and_a_change_needs_both_again(world):
    pair = world["pair"]
    adept, mentor = client_for(pair.adept_user), client_for(pair.mentor_user)
    assert adept.post(url(pair, "agreement"), AGREEMENT).status_code == 302
    agreement = PairAgreement.objects.get(pair=pair)
    assert agreement.version == 1 and agreement.drafted_by == pair.adept_user
    assert agreement.adept_confirmed_at and not agreement.mentor_confirmed_at

    page = mentor.get(url(pair)).content.decode()
    assert "Neutral plats" in page and 'id="confirm-agreement"' in page
    mentor.post(url(pair, "confirm"), {"version": "1"})
    agreement.refresh_from_db()
    assert agreement.confirmed_by_both
    assert 'id="agreement-confirmed"' in adept.get(url(pair)).content.decode()

    # The mentor changes it: only the mentor's confirmation stays.
    mentor.post(url(pair, "agreement"), {**AGREEMENT, "where": "Adeptens arbetsplats ibland"})
    agreement.refresh_from_db()
    assert agreement.version == 2 and agreement.drafted_by == pair.mentor_user
    assert agreement.mentor_confirmed_at and agreement.adept_confirmed_at is None
    # An old confirmation (of version 1) does not count.
    adept.post(url(pair, "confirm"), {"version": "1"})
    agreement.refresh_from_db()
    assert agreement.adept_confirmed_at is None
    adept.post(url(pair, "confirm"), {"version": "2"})
    agreement.refresh_from_db()
    assert agreement.confirmed_by_both
    assert ActivityLog.objects.filter(action="matching.agreement_confirmed").count() == 2


def test_saving_the_same_agreement_again_keeps_the_confirmations(world):
    pair = world["pair"]
    pairwork.save_agreement(tenant=pair.tenant, actor=pair.adept_user, pair=pair, data=AGREEMENT)
    pairwork.confirm_agreement(tenant=pair.tenant, actor=pair.mentor_user, pair=pair)
    _a, changed = pairwork.save_agreement(
        tenant=pair.tenant, actor=pair.mentor_user, pair=pair, data=AGREEMENT
    )
    assert not changed
    assert PairAgreement.objects.get(pair=pair).confirmed_by_both


def test_an_empty_agreement_is_refused(world):
    pair = world["pair"]
    response = client_for(pair.adept_user).post(url(pair, "agreement"), {})
    assert response.status_code == 400
    assert "Write at least one of the ground rules." in response.content.decode()
    assert not PairAgreement.objects.exists()


# --- meetings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": (date.today() + timedelta(days=2)).isoformat()}, "cannot be in the future"),
        ({"date": (date.today() - timedelta(days=400)).isoformat()}, "before the pair started"),
        ({"minutes": "5"}, "between 10 and 600 minutes"),
        ({"minutes": "601"}, "between 10 and 600 minutes"),
        ({"note": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_meeting_validation_errors(world, data, message):
    pair = world["pair"]
    response = client_for(pair.mentor_user).post(url(pair, "meeting"), meeting_data(**data))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'class="error-summary"' in content
    assert not PairMeeting.objects.exists() and not PrivateNote.objects.exists()


def test_either_partner_logs_a_meeting_and_the_progress_counts(world):
    pair = world["pair"]
    response = client_for(pair.adept_user).post(url(pair, "meeting"), meeting_data())
    assert response.status_code == 302
    client_for(pair.mentor_user).post(url(pair, "meeting"), meeting_data(mode="online"))
    assert PairMeeting.objects.filter(pair=pair).count() == 2
    page = client_for(pair.adept_user).get(url(pair)).content.decode()
    assert "2 of at least 6 meetings" in page


def test_the_private_note_is_read_by_its_author_only(world, coordinator, tenant):
    pair = world["pair"]
    client_for(pair.adept_user).post(url(pair, "meeting"), meeting_data(note=NOTE))
    assert PrivateNote.objects.get().author == pair.adept_user
    assert NOTE in client_for(pair.adept_user).get(url(pair)).content.decode()
    assert NOTE not in client_for(pair.mentor_user).get(url(pair)).content.decode()
    # Not in the activity log either.
    for entry in ActivityLog.objects.all():
        assert NOTE not in str(entry.data)
    # Not on any coordinator page.
    coord = client_for(coordinator)
    round_ = world["round"]
    for page in (
        reverse("matching:pairs", args=[tenant.slug, round_.pk]),
        reverse("programmes:round_dashboard", args=[tenant.slug, round_.pk]),
    ):
        response = coord.get(page)
        assert response.status_code == 200
        assert NOTE not in response.content.decode()


# --- checklists ---------------------------------------------------------------------------


def _due(pair, count):
    role = "adept"
    return [
        c.template_key for c in checklists.due_checklists(pair=pair, role=role, meeting_count=count)
    ]


def test_checklists_are_shown_at_the_right_time(world):
    pair = world["pair"]
    round_ = pair.round
    assert _due(pair, 0) == ["first"]
    assert _due(pair, 1) == []
    assert _due(pair, 3) == ["third"]
    assert _due(pair, 5) == ["third", "last"]  # min 6, one short
    round_.ends_on = timezone.localdate() + timedelta(days=30)
    assert _due(pair, 1) == ["last"]
    first = round_.checklists.get(template_key="first")
    third = round_.checklists.get(template_key="third")
    page = client_for(pair.adept_user).get(url(pair)).content.decode()
    assert f'id="checklist-{first.pk}-title"' in page
    assert f'id="checklist-{third.pk}-title"' not in page


def test_checklist_answers_are_private_to_the_person(world):
    pair = world["pair"]
    first = pair.round.checklists.get(template_key="first")
    values = first.items.get(template_key="values")
    secret = "Mina värderingar: ärlighet 9931"
    response = client_for(pair.adept_user).post(
        url(pair, "checklist", checklist_pk=first.pk), {f"c{first.pk}-item_{values.pk}": secret}
    )
    assert response.status_code == 302
    answer = ChecklistItemAnswer.objects.get(pair=pair, user=pair.adept_user)
    assert (answer.item, answer.text) == (values, secret)
    assert secret in client_for(pair.adept_user).get(url(pair)).content.decode()
    assert secret not in client_for(pair.mentor_user).get(url(pair)).content.decode()
    for entry in ActivityLog.objects.all():
        assert secret not in str(entry.data)


def test_an_unknown_checklist_is_404(world):
    pair = world["pair"]
    response = client_for(pair.adept_user).post(url(pair, "checklist", checklist_pk=999999), {})
    assert response.status_code == 404


# --- isolation ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(world):
    response = Client().get(url(world["pair"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_third_participant_coordinator_and_other_tenant_get_404(world, coordinator):
    pair, other = world["pair"], world["other_pair"]
    for user in (other.adept_user, other.mentor_user, coordinator):
        c = client_for(user)
        assert c.get(url(pair)).status_code == 404
        assert c.post(url(pair, "meeting"), meeting_data()).status_code == 404
        assert c.post(url(pair, "agreement"), AGREEMENT).status_code == 404
    # The pair's own person, under another tenant's address.
    stranger = TenantFactory(name="Annat nätverk")
    MembershipFactory(tenant=stranger, user=pair.adept_user, is_coordinator=True)
    wrong = reverse("matching_pairwork:pair", args=[stranger.slug, pair.pk])
    assert client_for(pair.adept_user).get(wrong).status_code == 404
    assert not PairMeeting.objects.exists() and not PairAgreement.objects.exists()


def test_the_partner_card_links_to_the_pair_page(world):
    pair = world["pair"]
    home = reverse("programmes:participant_home", args=[pair.tenant.slug])
    assert url(pair) in client_for(pair.adept_user).get(home).content.decode()


def test_query_count_is_the_same_for_1_and_10_meetings(world):
    pair = world["pair"]
    c = client_for(pair.adept_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url(pair)).status_code == 200
        return len(ctx.captured_queries)

    def log(n):
        for i in range(n):
            m = PairMeeting.objects.create(
                tenant=pair.tenant,
                pair=pair,
                date=timezone.localdate() - timedelta(days=i),
                minutes=60,
                logged_by=pair.adept_user if i % 2 else pair.mentor_user,
            )
            PrivateNote.objects.create(
                tenant=pair.tenant, meeting=m, author=pair.adept_user, text=f"n{i}"
            )

    log(1)
    one = count()
    log(9)
    assert count() == one


def test_the_pairs_texts_go_when_the_round_is_anonymised(world, tenant):
    from applications import services as application_services
    from programmes.models import Round

    pair = world["pair"]
    client_for(pair.adept_user).post(url(pair, "agreement"), AGREEMENT)
    client_for(pair.adept_user).post(url(pair, "meeting"), meeting_data(note=NOTE))
    assert PrivateNote.objects.filter(meeting__pair=pair).exists()
    round_ = world["round"]
    round_.status = Round.Status.CLOSED
    round_.save()
    application_services.anonymise_round(tenant=tenant, round_=round_)
    assert not PrivateNote.objects.filter(meeting__pair=pair).exists()
    assert PairAgreement.objects.get(pair=pair).how_often == ""
    assert PairMeeting.objects.filter(pair=pair).count() == 1  # the count stays for reports


def _token_on_the_page(client, pair):
    import re

    page = client.get(url(pair)).content.decode()
    match = re.search(r'name="token" value="([0-9a-f-]{36})"', page)
    assert match, "the log form carries a one-time key"
    return match.group(1)


def test_the_same_meeting_form_sent_twice_logs_one_meeting(world):
    """A double click (or a reload of the POST): the second shows the meeting already logged."""
    pair = world["pair"]
    client = client_for(pair.adept_user)
    data = meeting_data(note=NOTE, token=_token_on_the_page(client, pair))
    first = client.post(url(pair, "meeting"), data, follow=True)
    assert "The meeting is logged." in first.content.decode()
    second = client.post(url(pair, "meeting"), data, follow=True)
    assert second.redirect_chain[-1][1] == 302
    content = second.content.decode()
    assert "This meeting was already logged" in content
    assert "The meeting is logged." not in content
    assert PairMeeting.objects.filter(pair=pair).count() == 1
    assert PrivateNote.objects.count() == 1
    assert ActivityLog.objects.filter(action="matching.pair_meeting_logged").count() == 1
    # A new page has a new key: the next meeting is logged as usual.
    again = meeting_data(token=_token_on_the_page(client, pair))
    client.post(url(pair, "meeting"), again)
    assert PairMeeting.objects.filter(pair=pair).count() == 2


def test_a_form_key_of_another_pair_logs_nothing(world):
    pair, other = world["pair"], world["other_pair"]
    token = _token_on_the_page(client_for(other.adept_user), other)
    today = timezone.localdate().isoformat()
    logged = client_for(other.adept_user).post(
        url(other, "meeting"), meeting_data(token=token, date=today)
    )
    assert logged.status_code == 302
    response = client_for(pair.adept_user).post(url(pair, "meeting"), meeting_data(token=token))
    assert response.status_code == 400
    assert "This form has already been used." in response.content.decode()
    assert not PairMeeting.objects.filter(pair=pair).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_meeting_form_sent_twice_at_once_logs_one_meeting(transactional_db):
    """Two requests racing with the same key, on real PostgreSQL connections: the unique key
    decides, the second returns the first one's meeting."""
    import threading
    import uuid

    from django.db import connections
    from django_scopes import scopes_disabled

    with scopes_disabled():
        tenant = TenantFactory()
        pair = make_pair(make_round(tenant), started_at=timezone.now() - timedelta(days=60))
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            with scopes_disabled():
                barrier.wait(timeout=10)
                _meeting, created = pairwork.log_meeting(
                    tenant=tenant,
                    actor=pair.adept_user,
                    pair=pair,
                    date=timezone.localdate() - timedelta(days=1),
                    minutes=60,
                    mode="online",
                    token=token,
                )
            outcomes.append(created)
        except Exception as error:  # pragma: no cover - reported by the assert below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes, key=str) == [False, True], outcomes
    with scopes_disabled():
        assert PairMeeting.objects.filter(pair=pair).count() == 1
    connection.close()
