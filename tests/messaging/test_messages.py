"""Messages from a coordinator to a round's people.

Services: who is in each audience (mentors, adepts, HR contacts, everyone, one organisation),
nobody twice, each in their own language; sending records the message, its recipients and one
outbox mail each in one go, with the coordinator as Reply-To, and the form's one-time token
makes a second send (sequential or racing) return the first message. Views: the preview sends
nothing, a double POST sends once, bad input is answered next to the field with nothing saved,
tenants are isolated and the list and detail pages ask the database a fixed number of times.
"""

import json
import threading
import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from applications.models import Application
from messaging import services as messaging
from messaging.models import MessageAudience, RoundMessage, RoundMessageRecipient
from organisations.models import ActivityLog, OutgoingMail
from programmes.models import ParticipantRole, Round
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import (
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory, RoundFactory

A = MessageAudience
SUBJECT = "Inför gemensam träff i maj"
BODY = "Hej alla!\n\nVi ses den 12 maj på Kajen.\nTa med <b>kalendern</b> & frågor."


def build(tenant=None, *, extra_participants=0):
    """A running round with two organisations' mentors and adepts, HR contacts of four
    organisations (one with only an application in the round, one with nothing in it) and a
    person who is both a mentor and an HR contact."""
    tenant = tenant or TenantFactory(name="Västnätet")
    coordinator = MembershipFactory(
        tenant=tenant,
        is_coordinator=True,
        user__language="en",
        user__full_name="Karin Koordinator",
        user__email=f"karin@{tenant.slug}.example",
    ).user
    alvby = OrganisationFactory(tenant=tenant, name="Alvby kommun")
    bergby = OrganisationFactory(tenant=tenant, name="Bergby kommun")
    cederby = OrganisationFactory(tenant=tenant, name="Cederby region")
    dalby = OrganisationFactory(tenant=tenant, name="Dalby kommun")
    programme = ProgrammeFactory(tenant=tenant, name="Mentorprogrammet")
    round_ = RoundFactory(programme=programme, name="Omgång 15", status=Round.Status.RUNNING)

    def person(name, language="sv", **kwargs):
        return UserFactory(full_name=name, language=language, **kwargs)

    mentor_a = ParticipantFactory(
        round=round_,
        user=person("Anna Mentorsson", "en"),
        role=ParticipantRole.MENTOR,
        organisation=alvby,
    ).user
    adept_a = ParticipantFactory(
        round=round_, user=person("Albin Adeptsson"), role=ParticipantRole.ADEPT, organisation=alvby
    ).user
    adept_b = ParticipantFactory(
        round=round_,
        user=person("Berit Adeptsdotter", ""),  # no language of her own: the tenant's
        role=ParticipantRole.ADEPT,
        organisation=bergby,
    ).user
    # Both a mentor (for Alvby) and Bergby's HR contact: one mail, not two.
    both = person("Bo Båda")
    ParticipantFactory(round=round_, user=both, role=ParticipantRole.MENTOR, organisation=alvby)
    MembershipFactory(
        tenant=tenant, user=both, is_coordinator=False, is_hr_contact=True, organisations=[bergby]
    )
    hr_alvby = MembershipFactory(
        tenant=tenant,
        user=person("Hanna HR-Alvby"),
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[alvby, dalby],
    ).user
    # Cederby takes part through a submitted application only.
    ApplicationFactory(round=round_, organisation=cederby)
    hr_cederby = MembershipFactory(
        tenant=tenant,
        user=person("Henrik HR-Cederby"),
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[cederby],
    ).user
    # Dalby has nothing in the round but a draft: its HR contact is not in the audience.
    ApplicationFactory(round=round_, organisation=dalby, stage=Application.Stage.DRAFT)
    hr_dalby = MembershipFactory(
        tenant=tenant,
        user=person("Hugo HR-Dalby"),
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[dalby],
    ).user
    # Not in the audience: somebody who left (inactive), a participant of another round.
    ParticipantFactory(
        round=round_, user=person("Inaktiv Person", is_active=False), organisation=alvby
    )
    other_round = RoundFactory(programme=programme, name="Omgång 14")
    outsider = ParticipantFactory(round=other_round, user=person("Olle Annanomgång")).user
    extra = [
        ParticipantFactory(
            round=round_,
            role=ParticipantRole.MENTOR if i % 2 else ParticipantRole.ADEPT,
            organisation=alvby if i % 3 else bergby,
        ).user
        for i in range(extra_participants)
    ]
    return SimpleNamespace(
        tenant=tenant,
        coordinator=coordinator,
        round=round_,
        other_round=other_round,
        alvby=alvby,
        bergby=bergby,
        cederby=cederby,
        dalby=dalby,
        mentor_a=mentor_a,
        adept_a=adept_a,
        adept_b=adept_b,
        both=both,
        hr_alvby=hr_alvby,
        hr_cederby=hr_cederby,
        hr_dalby=hr_dalby,
        outsider=outsider,
        extra=extra,
    )


@pytest.fixture
def world(db):
    return build()


def emails(recipients):
    return sorted(r.email for r in recipients)


def addresses(*users):
    return sorted(u.email for u in users)


def recipients(world, audience, organisation=None):
    return messaging.recipients_for(
        tenant=world.tenant, round_=world.round, audience=audience, organisation=organisation
    )


def send(world, *, token=None, audience=A.EVERYONE, organisation=None, **kwargs):
    return messaging.send_message(
        tenant=world.tenant,
        actor=world.coordinator,
        round_=world.round,
        audience=audience,
        organisation=organisation,
        subject=kwargs.get("subject", SUBJECT),
        body=kwargs.get("body", BODY),
        token=token or uuid.uuid4(),
    )


# --- who gets it ------------------------------------------------------------------------------


def test_everyone_is_participants_and_the_round_organisations_hr_contacts(world):
    got = recipients(world, A.EVERYONE)
    assert emails(got) == addresses(
        world.mentor_a, world.adept_a, world.adept_b, world.both, world.hr_alvby, world.hr_cederby
    )
    # Nobody twice; not Dalby's HR contact (a draft only), the inactive person, another round.
    assert len({r.email for r in got}) == len(got)
    assert world.hr_dalby.email not in emails(got)
    assert world.outsider.email not in emails(got)


def test_mentors_adepts_and_hr_contacts_alone(world):
    assert emails(recipients(world, A.MENTORS)) == addresses(world.mentor_a, world.both)
    assert emails(recipients(world, A.ADEPTS)) == addresses(world.adept_a, world.adept_b)
    assert emails(recipients(world, A.HR_CONTACTS)) == addresses(
        world.both, world.hr_alvby, world.hr_cederby
    )


def test_one_organisation_narrows_every_audience(world):
    assert emails(recipients(world, A.EVERYONE, world.alvby)) == addresses(
        world.mentor_a, world.adept_a, world.both, world.hr_alvby
    )
    assert emails(recipients(world, A.MENTORS, world.alvby)) == addresses(
        world.mentor_a, world.both
    )
    assert emails(recipients(world, A.ADEPTS, world.bergby)) == addresses(world.adept_b)
    assert emails(recipients(world, A.HR_CONTACTS, world.bergby)) == addresses(world.both)
    # Chosen explicitly, an organisation's HR contacts are reached even with nobody in the round.
    assert emails(recipients(world, A.EVERYONE, world.dalby)) == addresses(
        world.hr_alvby, world.hr_dalby
    )
    assert recipients(world, A.MENTORS, world.cederby) == []


def test_somebody_in_the_audience_in_two_ways_is_listed_once_with_both(world):
    [entry] = [r for r in recipients(world, A.EVERYONE) if r.user == world.both]
    assert entry.roles == ["Mentor", "HR contact"] or entry.roles == ["Mentor", "HR-kontakt"]
    assert entry.organisations == ["Alvby kommun", "Bergby kommun"]
    [hanna] = [r for r in recipients(world, A.EVERYONE) if r.user == world.hr_alvby]
    assert hanna.organisations == ["Alvby kommun"]  # not Dalby: it is not in the round


def test_each_recipient_in_their_own_language(world):
    world.tenant.default_language = "en"
    world.tenant.save()
    by_email = {r.email: r for r in recipients(world, A.EVERYONE)}
    assert by_email[world.mentor_a.email].language == "en"
    assert by_email[world.adept_a.email].language == "sv"
    assert by_email[world.adept_b.email].language == "en"  # the tenant's
    user, email, language = by_email[world.adept_a.email]  # unpacks as (user, email, language)
    assert (user, email, language) == (world.adept_a, world.adept_a.email, "sv")


def test_another_tenants_organisation_is_refused(world, other_tenant):
    foreign = other_tenant.organisations.get()
    with pytest.raises(ValidationError) as exc:
        recipients(world, A.EVERYONE, foreign)
    assert "organisation" in exc.value.error_dict


def test_the_recipients_take_a_fixed_number_of_queries(db):
    small, large = build(), build(extra_participants=30)
    counts = []
    for w in (small, large):
        with CaptureQueriesContext(connection) as queries:
            got = recipients(w, A.EVERYONE)
        counts.append(len(queries))
    assert len(got) == 6 + 30
    assert counts[0] == counts[1]


# --- sending ----------------------------------------------------------------------------------


def test_send_records_message_recipients_and_one_mail_each(
    world, django_capture_on_commit_callbacks
):
    world.tenant.default_language = "en"
    world.tenant.save()
    with django_capture_on_commit_callbacks(execute=True):
        message, created = send(world)
    assert created
    assert (message.subject, message.body, message.audience) == (SUBJECT, BODY, A.EVERYONE)
    assert message.sent_by == world.coordinator and message.recipient_count == 6
    rows = list(RoundMessageRecipient.objects.filter(message=message).select_related("user"))
    assert sorted(r.email for r in rows) == emails(recipients(world, A.EVERYONE))
    assert all(r.tenant == world.tenant and r.outgoing_mail_id for r in rows)
    mails = {m.to: m for m in OutgoingMail.objects.filter(tenant=world.tenant)}
    assert len(mails) == 6
    assert mails[world.mentor_a.email].language == "en"
    assert mails[world.adept_a.email].language == "sv"
    assert mails[world.adept_b.email].language == "en"
    for m in mails.values():
        assert m.purpose == "round_message" and m.reply_to == [world.coordinator.email]
        assert m.status == OutgoingMail.Status.SENT
    # The mail server got them: plain text as written, no escaping, and the footer.
    assert len(mail.outbox) == 6
    sent = {m.to[0]: m for m in mail.outbox}
    anna = sent[world.mentor_a.email]
    assert anna.subject == SUBJECT
    assert anna.reply_to == [world.coordinator.email]
    assert anna.body.startswith(BODY + "\n")
    assert "<b>kalendern</b> & frågor" in anna.body
    assert "Sent by Karin Koordinator for Västnätet (Mentorprogrammet, Omgång 15)." in anna.body
    assert "Reply to this mail to reach the coordinator." in anna.body


def test_the_same_token_sends_once(world, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, created = send(world, token=token)
    assert created
    with django_capture_on_commit_callbacks(execute=True):
        again, created_again = send(world, token=token, subject="Något annat")
    assert not created_again and again == first
    assert RoundMessage.objects.count() == 1
    assert OutgoingMail.objects.count() == 6 and len(mail.outbox) == 6


def test_sending_is_logged_with_counts_and_no_addresses(world):
    message, _ = send(world, audience=A.MENTORS, organisation=world.alvby)
    entry = ActivityLog.objects.get(tenant=world.tenant, action="round_message.sent")
    assert entry.actor == world.coordinator and entry.object_id == str(message.pk)
    assert entry.data == {
        "round": world.round.pk,
        "audience": "mentors",
        "organisation": world.alvby.pk,
        "recipients": 2,
        "languages": {"en": 1, "sv": 1},
    }
    assert "@" not in json.dumps(entry.data)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"subject": "   "}, "subject"),
        ({"body": " \n "}, "body"),
        ({"body": "x" * 10001}, "body"),
        ({"subject": "y" * 201}, "subject"),
    ],
)
def test_bad_text_is_refused_and_nothing_saved(world, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        send(world, **kwargs)
    assert field in exc.value.error_dict
    assert not RoundMessage.objects.exists() and not OutgoingMail.objects.exists()


def test_a_body_of_exactly_the_maximum_is_fine_and_line_breaks_count_once(world):
    body = ("x" * 99 + "\r\n") * 100  # 10,100 sent, 10,000 once CR LF is one line break
    message, created = send(world, body=body)
    assert created and len(message.body) == 9999  # the last line break is trimmed
    assert "\r" not in message.body


def test_an_audience_with_nobody_in_it_saves_nothing(world):
    with pytest.raises(ValidationError) as exc:
        send(world, audience=A.MENTORS, organisation=world.cederby)
    assert exc.value.code == "no_recipients"
    assert not RoundMessage.objects.exists() and not OutgoingMail.objects.exists()
    assert not ActivityLog.objects.filter(action="round_message.sent").exists()


def test_preview_renders_in_the_given_language_and_saves_nothing(world):
    shown = messaging.preview(
        tenant=world.tenant,
        round_=world.round,
        sender=world.coordinator,
        audience=A.EVERYONE,
        subject=SUBJECT,
        body=BODY,
        language="en",
    )
    assert shown["subject"] == SUBJECT and shown["body"].startswith(BODY)
    assert "Reply to this mail to reach the coordinator." in shown["body"]
    assert shown["reply_to"] == world.coordinator.email
    assert len(shown["recipients"]) == 6 and shown["sample"] == shown["recipients"][0]
    assert not RoundMessage.objects.exists() and not OutgoingMail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_racing_sends_with_one_token_send_once():
    """Two requests with the same form at the same moment (a double click reaching two
    workers): the unique key lets one through; the other gets the same message back."""
    with scopes_disabled():
        world = build()
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with scopes_disabled():
                barrier.wait()
                results.append(send(world, token=token))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    with scopes_disabled():
        assert RoundMessage.objects.count() == 1
        assert RoundMessageRecipient.objects.count() == 6
        assert OutgoingMail.objects.filter(purpose="round_message").count() == 6


# --- pages ------------------------------------------------------------------------------------


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def list_url(world, round_=None):
    return reverse(
        "round_messages:list",
        kwargs={"tenant": world.tenant.slug, "round_pk": (round_ or world.round).pk},
    )


def compose_url(world, round_=None):
    return reverse(
        "round_messages:compose",
        kwargs={"tenant": world.tenant.slug, "round_pk": (round_ or world.round).pk},
    )


def detail_url(world, message, round_=None):
    return reverse(
        "round_messages:detail",
        kwargs={
            "tenant": world.tenant.slug,
            "round_pk": (round_ or world.round).pk,
            "pk": message.pk,
        },
    )


def form_data(action, token=None, **overrides):
    data = {
        "audience": A.EVERYONE,
        "organisation": "",
        "subject": SUBJECT,
        "body": BODY,
        "token": str(token or uuid.uuid4()),
        "action": action,
    }
    data.update(overrides)
    return data


def test_compose_form_has_a_one_time_token_and_the_tenants_organisations(world, other_tenant):
    client = client_for(world.coordinator)
    first = client.get(compose_url(world)).content.decode()
    second = client.get(compose_url(world)).content.decode()
    token = first.split('name="token" value="')[1].split('"')[0]
    assert uuid.UUID(token) and token not in second
    for org in ("Alvby kommun", "Bergby kommun", "Cederby region", "Dalby kommun"):
        assert org in first
    assert "Främmande kommun" not in first
    assert 'type="radio" name="audience"' in first


def test_preview_shows_the_mail_and_the_recipients_and_sends_nothing(world):
    response = client_for(world.coordinator).post(compose_url(world), form_data("preview"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "It will go to 6 people." in content and "Send to 6 people" in content
    for user in (world.mentor_a, world.adept_b, world.both, world.hr_cederby):
        assert user.full_name in content
    assert "Cederby region" in content  # the HR contact's organisation
    assert world.hr_dalby.full_name not in content
    # The body is plain text: escaped, never HTML.
    assert "&lt;b&gt;kalendern&lt;/b&gt; &amp; frågor" in content
    assert "<b>kalendern</b>" not in content
    assert "Reply to this mail to reach the coordinator." in content
    assert world.coordinator.email in content
    # The send form carries the same message and token.
    assert 'name="action" value="send"' in content
    assert not RoundMessage.objects.exists() and not OutgoingMail.objects.exists()
    assert mail.outbox == []


def test_change_returns_to_the_filled_in_form(world):
    response = client_for(world.coordinator).post(compose_url(world), form_data("edit"))
    content = response.content.decode()
    assert "<textarea" in content and "Vi ses den 12 maj" in content
    assert not RoundMessage.objects.exists()


def test_send_sends_once_even_when_posted_twice(world, django_capture_on_commit_callbacks):
    client = client_for(world.coordinator)
    data = form_data("send")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(compose_url(world), data)
    message = RoundMessage.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(world, message)
    assert len(mail.outbox) == 6
    assert {m.reply_to[0] for m in mail.outbox} == {world.coordinator.email}
    assert all(m.extra_headers.get("Reply-To") is None for m in mail.outbox)
    assert mail.outbox[0].message()["Reply-To"] == world.coordinator.email
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(compose_url(world), data, follow=True)
    assert again.redirect_chain[-1][0] == detail_url(world, message)
    assert "This message had already been sent; it was not sent again." in again.content.decode()
    assert RoundMessage.objects.count() == 1 and len(mail.outbox) == 6
    assert OutgoingMail.objects.count() == 6


def test_detail_lists_recipients_with_the_state_of_each_mail(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = send(world)
    failed = RoundMessageRecipient.objects.get(message=message, user=world.adept_b)
    OutgoingMail.objects.filter(pk=failed.outgoing_mail_id).update(
        status=OutgoingMail.Status.FAILED
    )
    waiting = RoundMessageRecipient.objects.get(message=message, user=world.hr_cederby)
    OutgoingMail.objects.filter(pk=waiting.outgoing_mail_id).update(
        status=OutgoingMail.Status.WAITING
    )
    client = client_for(world.coordinator)
    content = client.get(detail_url(world, message)).content.decode()
    assert SUBJECT in content and "&lt;b&gt;kalendern&lt;/b&gt;" in content
    for user in (world.mentor_a, world.adept_b, world.hr_cederby):
        assert user.full_name in content and user.email in content
    assert content.count('class="badge badge--sent"') == 4
    assert content.count('class="badge badge--failed"') == 1
    assert content.count('class="badge badge--waiting"') == 1
    outbox = reverse("organisations:outbox", kwargs={"tenant": world.tenant.slug})
    assert f"{outbox}?status=failed" in content
    listing = client.get(list_url(world)).content.decode()
    assert SUBJECT in listing and "Karin Koordinator" in listing
    row = listing.split(SUBJECT)[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")[-5:-1]]
    assert cells == ["6", "4", "1", "1"]  # recipients, delivered, waiting, failed
    dashboard = client.get(
        reverse(
            "programmes:round_dashboard", kwargs={"tenant": world.tenant.slug, "pk": world.round.pk}
        )
    ).content.decode()
    assert 'id="messages-title"' in dashboard and SUBJECT in dashboard
    assert detail_url(world, message) in dashboard


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"subject": ""}, "This field is required."),
        ({"body": ""}, "This field is required."),
        ({"body": "x" * 10001}, "Ensure this value has at most 10000 characters (it has 10001)."),
        ({"audience": "everybody"}, "Select a valid choice."),
        ({"token": "not-a-token"}, "Enter a valid UUID."),
    ],
)
@pytest.mark.parametrize("action", ["preview", "send"])
def test_bad_input_is_answered_next_to_the_field(world, overrides, error, action):
    response = client_for(world.coordinator).post(
        compose_url(world), form_data(action, **overrides)
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary"' in content and error in content
    assert not RoundMessage.objects.exists() and not OutgoingMail.objects.exists()


@pytest.mark.parametrize("action", ["preview", "send"])
def test_an_audience_with_nobody_is_a_clear_error(world, action):
    response = client_for(world.coordinator).post(
        compose_url(world),
        form_data(action, audience=A.MENTORS, organisation=str(world.cederby.pk)),
    )
    content = response.content.decode()
    assert "Nobody in this round belongs to the audience you chose" in content
    assert not RoundMessage.objects.exists() and not OutgoingMail.objects.exists()


@pytest.mark.parametrize("action", ["preview", "send"])
def test_another_tenants_organisation_is_refused_in_the_form(world, other_tenant, action):
    foreign = other_tenant.organisations.get()
    response = client_for(world.coordinator).post(
        compose_url(world), form_data(action, organisation=str(foreign.pk))
    )
    assert "Select a valid choice." in response.content.decode()
    assert not RoundMessage.objects.exists() and not OutgoingMail.objects.exists()


# --- who may see the pages --------------------------------------------------------------------


def all_urls(world, message):
    return [list_url(world), compose_url(world), detail_url(world, message)]


def test_anonymous_visitors_are_sent_to_sign_in(world):
    message, _ = send(world)
    for url in all_urls(world, message):
        response = Client().get(url)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("account_login")
    assert Client().post(compose_url(world), form_data("send")).status_code == 302
    assert RoundMessage.objects.count() == 1


def test_hr_contacts_get_403_and_participants_and_strangers_404(world, other_member):
    message, _ = send(world)
    for user, status in (
        (world.hr_alvby, 403),
        (world.both, 403),  # HR contact and mentor: still not a coordinator
        (world.adept_a, 404),  # a participant is not a member of the team
        (other_member, 404),  # a coordinator of another tenant
    ):
        client = client_for(user)
        for url in all_urls(world, message):
            assert client.get(url).status_code == status, (user, url)
        assert client.post(compose_url(world), form_data("send")).status_code == status
    assert RoundMessage.objects.count() == 1


def test_another_tenants_round_and_message_are_404(world, other_tenant):
    theirs = build(other_tenant)
    their_message, _ = send(theirs, subject="Främmande meddelande")
    client = client_for(world.coordinator)
    # Their round and their message under our tenant's address.
    for url in (
        reverse(
            "round_messages:list",
            kwargs={"tenant": world.tenant.slug, "round_pk": theirs.round.pk},
        ),
        reverse(
            "round_messages:compose",
            kwargs={"tenant": world.tenant.slug, "round_pk": theirs.round.pk},
        ),
        reverse(
            "round_messages:detail",
            kwargs={
                "tenant": world.tenant.slug,
                "round_pk": theirs.round.pk,
                "pk": their_message.pk,
            },
        ),
        detail_url(world, their_message),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse(
            "round_messages:compose",
            kwargs={"tenant": world.tenant.slug, "round_pk": theirs.round.pk},
        ),
        form_data("send"),
    )
    assert response.status_code == 404
    # Their pages under their own address are not ours either.
    assert client.get(list_url(theirs)).status_code == 404
    # Our list shows none of theirs.
    send(world)
    listing = client.get(list_url(world)).content.decode()
    assert SUBJECT in listing and "Främmande meddelande" not in listing
    assert RoundMessage.objects.filter(tenant=world.tenant).count() == 1


def test_a_message_of_another_round_is_404_under_this_round(world):
    message, _ = send(world)
    url = detail_url(world, message, round_=world.other_round)
    assert client_for(world.coordinator).get(url).status_code == 404


def test_a_token_used_in_another_tenant_does_not_return_its_message(world, other_tenant):
    """The one-time key is the tenant's: the same key elsewhere is a new message."""
    theirs = build(other_tenant)
    token = uuid.uuid4()
    _, created_theirs = send(theirs, token=token)
    mine, created_mine = send(world, token=token)
    assert created_theirs and created_mine and mine.tenant == world.tenant


# --- a fixed number of queries ----------------------------------------------------------------


def grown(size):
    world = build(extra_participants=size)
    for i in range(max(1, size // 3)):
        send(world, subject=f"Meddelande {i}")
    return world


def count_queries(world, url, expected):
    client = client_for(world.coordinator)
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page", ["list", "detail", "dashboard"])
def test_pages_take_a_fixed_number_of_queries(db, page):
    small, large = grown(3), grown(30)
    assert RoundMessage.objects.filter(tenant=large.tenant).count() == 10

    def target(world):
        latest = RoundMessage.objects.filter(tenant=world.tenant).order_by("-sent_at", "-id")[0]
        if page == "list":
            return list_url(world), "Meddelande 0"
        if page == "detail":
            return detail_url(world, latest), world.extra[-1].email
        return (
            reverse(
                "programmes:round_dashboard",
                kwargs={"tenant": world.tenant.slug, "pk": world.round.pk},
            ),
            latest.subject,
        )

    small_queries = count_queries(small, *target(small))
    large_queries = count_queries(large, *target(large))
    assert len(small_queries) == len(large_queries), "\n".join(
        ["small:", *small_queries, "", "large:", *large_queries]
    )
