"""Every mail template in templates/emails, rendered in Swedish and English with realistic
data, in each way a programme makes its pairs: no Python in the text (a list, a queryset,
``None``, an object's repr), no HTML in the plain text, no English left in the Swedish, and
a link to where the reader acts.

The templates are found in the directory, so a new mail is covered by itself: its purpose
needs a row in CONTEXTS below (the context its service passes). A mail with no action for
the reader may go without a link only if it is in NO_LINK, with the reason.
"""

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications import reminders as application_reminders
from applications.digest import digest_context
from applications.models import Application, PutForward
from applications.services import _applicant_mail, endorsement_url
from choosing.models import MentorRequest
from evaluation.models import Survey
from mentorship.mail import render_mail
from mentorship.web import absolute, set_password_link
from messaging.services import mail_context
from organisations.models import Role
from organisations.services import invitation_url
from pairs.models import Pair, PlannedMeeting
from pairs.services import pair_url
from programmes import reminders as programme_reminders
from programmes.models import ParticipantRole, Programme, Round
from tests.factories.applications import ApplicationFactory, EndorsementFactory
from tests.factories.organisations import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
)
from tests.factories.programmes import (
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    SharedMeetingFactory,
)

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
PURPOSES = sorted(p.name.removesuffix(".subject.txt") for p in EMAILS.glob("*.subject.txt"))
MODES = list(Programme.MatchingMode.values)
LANGUAGES = ("sv", "en")

# Mails with nothing for the reader to do anywhere, so no link: {purpose: reason}. Keep it
# short; a mail that tells of something the reader can see or act on links to that page.
NO_LINK = {}


# --- a realistic world ------------------------------------------------------------------------


def build_world(mode):
    """A tenant with two member organisations, a coordinator and an HR contact for both, a
    programme making pairs in ``mode``, an open round, a mentor and an adept (accepted), their
    pair, and what mails talk about (an endorsement, invitations, a request, meetings, a
    survey)."""
    tenant = TenantFactory(name="Västra nätverket", slug=f"vastra-{mode.replace('_', '-')}")
    goteborg = OrganisationFactory(tenant=tenant, name="Göteborgs Stad")
    molndal = OrganisationFactory(tenant=tenant, name="Mölndals stad")
    coordinator = MembershipFactory(
        tenant=tenant, is_coordinator=True, user=UserFactory(full_name="Cecilia Samordnare")
    )
    hr = MembershipFactory(
        tenant=tenant,
        is_coordinator=False,
        is_hr_contact=True,
        organisations=[goteborg, molndal],
        user=UserFactory(full_name="Hanna Personal"),
    )
    programme = ProgrammeFactory(
        tenant=tenant, name="Chefer & ledare i väst", matching_mode=mode, slug=f"chefer-{mode}"
    )
    now = timezone.now()
    round_ = RoundFactory(
        programme=programme,
        name="Omgång 2027",
        status=Round.Status.OPEN,
        application_closes_at=now + timedelta(days=10),
        cadence_text="en träff i månaden, ungefär två timmar",
        requires_endorsement=True,
        requires_nomination=True,
    )
    mentor = ApplicationFactory(
        round=round_,
        role=ParticipantRole.MENTOR,
        stage=Application.Stage.ACCEPTED,
        organisation=molndal,
        user=UserFactory(full_name="Karin O'Lind", phone="070-111 22 33"),
        job_title="Förvaltningschef",
        phone="070-111 22 33",
    )
    adept = ApplicationFactory(
        round=round_,
        role=ParticipantRole.ADEPT,
        stage=Application.Stage.ACCEPTED,
        organisation=goteborg,
        user=UserFactory(full_name="Omar Haddad"),
        job_title="Enhetschef",
    )
    pair = Pair.objects.create(
        tenant=tenant,
        round=round_,
        mentor=mentor,
        adept=adept,
        mentor_user=mentor.user,
        adept_user=adept.user,
        status=Pair.Status.ENDED,
        started_at=now - timedelta(days=90),
        ended_at=now,
        end_reason=Pair.EndReason.values[0],
        end_request_reason="Vi har inte hittat tid att ses.",
    )
    return SimpleNamespace(
        tenant=tenant,
        organisations=[goteborg, molndal],
        coordinator=coordinator,
        hr=hr,
        programme=programme,
        round=round_,
        mentor=mentor,
        adept=adept,
        pair=pair,
        endorsement=EndorsementFactory(
            application=adept, comment="Vi behöver dig här i höst.", manager_name="Lena Chef"
        ),
        invitation=InvitationFactory(tenant=tenant, role=Role.HR_CONTACT),
        put_forward=PutForward.objects.create(
            tenant=tenant,
            round=round_,
            organisation=goteborg,
            role=ParticipantRole.ADEPT,
            full_name="Sara Nyberg",
            email="sara.nyberg@goteborg.example",
            invited_by=hr.user,
        ),
        request=MentorRequest.objects.create(
            tenant=tenant,
            round=round_,
            adept=adept,
            mentor=mentor,
            message="Hej! Jag vill gärna lära mig mer om att leda chefer.",
            decline_note="Jag har tyvärr inte tid i vår.",
        ),
        planned=PlannedMeeting.objects.create(
            tenant=tenant,
            pair=pair,
            starts_at=now + timedelta(days=7),
            minutes=90,
            place="Café Husaren, Haga",
            created_by=mentor.user,
        ),
        meeting=SharedMeetingFactory(
            round=round_, title="Startträff", agenda="Välkomna, förväntningar, lunch."
        ),
        participant=ParticipantFactory(
            round=round_, user=adept.user, role=ParticipantRole.ADEPT, organisation=goteborg
        ),
        survey=Survey.objects.create(
            tenant=tenant,
            round=round_,
            title="Halvtidsenkät",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=14),
        ),
        now=now,
    )


# --- what each service passes: {purpose: function(world) -> [context, ...]} -----------------


def _applicant(purpose, **extra):
    """The applicant's mail as applications.services builds it, for the mentor and the adept."""

    def contexts(w):
        return [
            _applicant_mail(app, purpose, **{k: v(w) for k, v in extra.items()})["context"]
            for app in (w.mentor, w.adept)
        ]

    return contexts


def _pair_mail(w, **extra):
    """pairs.services._mail_pair's context, for each of the two."""
    slug = w.tenant.slug
    return [
        {
            "pair": w.pair,
            "recipient": recipient,
            "partner": partner,
            "is_mentor": is_mentor,
            "round": w.round,
            "programme": w.programme,
            "tenant": w.tenant,
            "url": pair_url(w.pair),
            "home_url": absolute(reverse("programmes:participant_home", kwargs={"tenant": slug})),
            "mentors_url": absolute(reverse("matching_requests:mentors", kwargs={"tenant": slug})),
            "set_password_url": set_password_link(recipient.user),
            **extra,
        }
        for recipient, partner, is_mentor in ((w.mentor, w.adept, True), (w.adept, w.mentor, False))
    ]


def _request_mail(w, recipient, partner, **extra):
    """choosing.services._mail's context."""
    return {
        "request": w.request,
        "recipient": recipient,
        "recipient_name": recipient.full_name,
        "partner": partner,
        "partner_name": partner.full_name,
        "round": w.round,
        "programme": w.programme,
        "tenant": w.tenant,
        **extra,
    }


def _planned(w):
    return {
        "pair": w.pair,
        "round": w.round,
        "tenant": w.tenant,
        "author": w.mentor.user,
        "partner": w.adept.user,
        "planned": w.planned,
        "url": pair_url(w.pair),
    }


def _survey(w):
    return {
        "tenant": w.tenant,
        "survey": w.survey,
        "round": w.round,
        "closes_at": timezone.localtime(w.survey.closes_at),
        "url": absolute(
            reverse("evaluation:answer", kwargs={"tenant": w.tenant.slug, "pk": w.survey.pk})
        ),
    }


def _hr_list(w):
    return absolute(
        reverse("applications:hr_list", kwargs={"tenant": w.tenant.slug, "round_pk": w.round.pk})
    )


def _digest(w):
    return [
        digest_context(membership=membership, applications=[w.mentor, w.adept])
        for membership in (w.coordinator, w.hr)
    ]


def _quiet(w):
    return {
        "pair": w.pair,
        "round": w.round,
        "tenant": w.tenant,
        "since": timezone.localdate() - timedelta(days=50),
        "weeks": 7,
    }


CONTEXTS = {
    "application_digest": _digest,
    "application_submitted": _applicant("application_submitted"),
    "bank_assigned": lambda w: [
        _pair_mail(w)[0],
        _pair_mail(w, set_password_url=absolute("/accounts/password/reset/key/1-abc/"))[0],
    ],
    "decision_accepted": _applicant("decision_accepted"),
    "decision_declined": _applicant("decision_declined"),
    "decision_waitlisted": _applicant("decision_waitlisted"),
    "endorsement_given": _applicant("endorsement_given", endorsement=lambda w: w.endorsement),
    "endorsement_refused": _applicant("endorsement_refused", endorsement=lambda w: w.endorsement),
    "endorsement_request": lambda w: [
        {
            "application": w.adept,
            "round": w.round,
            "tenant": w.tenant,
            "endorsement": w.endorsement,
            "url": absolute(endorsement_url(w.endorsement)),
        }
    ],
    "invitation": lambda w: [
        {
            "tenant": w.tenant,
            "invitation": w.invitation,
            "role_label": Role(w.invitation.role).label,
            "organisations": [o.name for o in orgs],
            "inviter": w.coordinator.user.get_full_name(),
            "url": absolute(invitation_url(w.invitation)),
            "expires_at": w.invitation.expires_at,
        }
        for orgs in (w.organisations, w.organisations[:1], [])
    ],
    "invitation_renewal_requested": lambda w: [
        {
            "tenant": w.tenant,
            "invitation": w.invitation,
            "role_label": Role(w.invitation.role).label,
            "url": absolute(
                reverse("organisations:team", kwargs={"tenant": w.tenant.slug})
                + "#renewal-requests"
            ),
        }
    ],
    "mentor_request": lambda w: [
        _request_mail(
            w,
            w.mentor,
            w.adept,
            url=absolute(reverse("matching_requests:incoming", kwargs={"tenant": w.tenant.slug})),
        )
    ],
    "mentor_request_accepted": lambda w: [
        _request_mail(w, w.adept, w.mentor, url=pair_url(w.pair))
    ],
    "mentor_request_declined": lambda w: [
        _request_mail(
            w,
            w.adept,
            w.mentor,
            note=w.request.decline_note,
            url=absolute(reverse("matching_requests:mentors", kwargs={"tenant": w.tenant.slug})),
        )
    ],
    "mentor_request_auto_declined": lambda w: [
        _request_mail(
            w,
            w.adept,
            w.mentor,
            why=why,
            url=absolute(reverse("matching_requests:mentors", kwargs={"tenant": w.tenant.slug})),
        )
        for why in ("full", "paused")
    ],
    "bank_availability": lambda w: [
        {
            "tenant": w.tenant,
            "round": w.round,
            "programme": w.programme,
            "name": w.mentor.full_name,
            "last_answer": None,
            "url": absolute(
                reverse("matching_bank:availability", kwargs={"tenant": w.tenant.slug})
            ),
        }
    ],
    "nominated": _applicant("nominated"),
    "nomination_needed": lambda w: [
        {"application": w.adept, "round": w.round, "tenant": w.tenant, "url": _hr_list(w)}
    ],
    "not_nominated": _applicant("not_nominated"),
    "pair_end_requested": lambda w: [
        {
            "pair": w.pair,
            "round": w.round,
            "tenant": w.tenant,
            "requester": w.adept.user,
            "reason": w.pair.end_request_reason,
            "url": absolute(
                reverse("matching:pairs", kwargs={"tenant": w.tenant.slug, "round_pk": w.round.pk})
            ),
        }
    ],
    "pair_ended": _pair_mail,
    "pair_meeting_cancelled": lambda w: [_planned(w)],
    "pair_meeting_planned": lambda w: [_planned(w)],
    "pair_published": lambda w: [
        *_pair_mail(w),
        # The adept whom HR registered for the bank has no password yet.
        _pair_mail(w, set_password_url=absolute("/accounts/password/reset/key/1-abc/"))[1],
    ],
    "participant_added": lambda w: [
        {
            "participant": w.participant,
            "round": w.round,
            "tenant": w.tenant,
            "set_password_url": set_password,
            "home_url": absolute(
                reverse("programmes:participant_home", kwargs={"tenant": w.tenant.slug})
            ),
        }
        for set_password in ("", absolute("/accounts/password/reset/key/1-abc/"))
    ],
    "put_forward": lambda w: [
        {
            "invitation": w.put_forward,
            "round": w.round,
            "tenant": w.tenant,
            "organisation": w.put_forward.organisation,
            "url": absolute(
                reverse(
                    "applications:put_forward_accept",
                    kwargs={"tenant": w.tenant.slug, "token": w.put_forward.token},
                )
            ),
            "inviter": w.hr.user,
            "expires_at": w.put_forward.expires_at,
        }
    ],
    "reminder_deadline_draft": lambda w: [
        application_reminders._context(
            w.round,
            application=w.adept,
            url=absolute(
                reverse("applications:edit", kwargs={"tenant": w.tenant.slug, "pk": w.adept.pk})
            ),
        )
    ],
    "reminder_deadline_endorsement": lambda w: [
        application_reminders._context(
            w.round,
            application=w.adept,
            endorsement=w.endorsement,
            url=absolute(endorsement_url(w.endorsement)),
        )
    ],
    "reminder_deadline_hr": lambda w: [
        application_reminders._context(w.round, count=n, url=_hr_list(w)) for n in (1, 3)
    ],
    "reminder_quiet_pair": lambda w: [
        {**_quiet(w), "partner": w.adept.user, "url": pair_url(w.pair)}
    ],
    "reminder_quiet_pair_coordinator": lambda w: [
        {
            **_quiet(w),
            "url": absolute(
                reverse("matching:pairs", kwargs={"tenant": w.tenant.slug, "round_pk": w.round.pk})
            ),
        }
    ],
    "reminder_shared_day": lambda w: [programme_reminders._context(w.meeting, w.participant)],
    "round_message": lambda w: [
        mail_context(
            tenant=w.tenant,
            round_=w.round,
            sender=w.coordinator.user,
            subject="Välkommen till startträffen",
            body="Hej alla!\n\nVi ses i Stadshuset den första. Ta med kalendern.",
        )
    ],
    "shared_day_changed": lambda w: [programme_reminders._context(w.meeting, w.participant)],
    "survey_closing": lambda w: [_survey(w)],
    "survey_open": lambda w: [_survey(w)],
}


# --- the checks -------------------------------------------------------------------------------

# Never in a plain-text subject or body: HTML, a Python list or dict, a queryset, None, a
# model's or an object's repr, a template tag left over, HTML escaping.
FORBIDDEN_IN_TEXT = ("<", ">", "[", "]", "{{", "{%", "QuerySet", "None", "object at 0x", "&amp;")
FORBIDDEN_IN_HTML = ("[<", "QuerySet", "None", "object at 0x", "&lt;", "{{", "{%")
LINK = re.compile(r"https?://\S+")
# English words that no Swedish sentence has: one of them in the Swedish version is English
# text whose translation is missing (the data in the world above is Swedish).
ENGLISH = re.compile(
    r"\b(the|you|your|has|have|will|here|with|please|hello|is|are|this|when|where|been|"
    r"application|applications|meeting|mentor's|thank|from|and|of|to)\b",
    re.IGNORECASE,
)


def render_all(purpose, language):
    """(mode, variant number, subject, body, html) for every mode and context of the row."""
    row = CONTEXTS[purpose]
    out = []
    for mode in MODES:
        world = build_world(mode)
        for n, context in enumerate(row(world)):
            subject, body, html = render_mail(purpose=purpose, language=language, context=context)
            out.append((mode, n, str(subject), str(body), html))
    return out


def test_every_template_has_a_row():
    missing = [p for p in PURPOSES if p not in CONTEXTS]
    assert not missing, (
        f"No context for the mail template(s) {missing} in templates/emails: add a row to "
        "CONTEXTS in tests/test_mail_templates.py with the context the service passes "
        "(see the rows there), so the mail is checked in Swedish and English."
    )
    stale = [p for p in [*CONTEXTS, *NO_LINK] if p not in PURPOSES]
    assert not stale, f"Rows for mails that have no template any more: {stale}"
    for purpose in PURPOSES:
        assert (EMAILS / f"{purpose}.txt").exists(), f"emails/{purpose}.txt (the body) is missing"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("purpose", PURPOSES)
def test_mail_renders_as_words_with_a_link(purpose, language):
    if purpose not in CONTEXTS:
        pytest.fail(f"emails/{purpose}: add a row to CONTEXTS in tests/test_mail_templates.py")
    for mode, n, subject, body, html in render_all(purpose, language):
        where = f"emails/{purpose} ({language}, matching_mode={mode}, context {n})"
        assert subject.strip(), f"{where}: empty subject"
        assert body.strip(), f"{where}: empty body"
        for bad in FORBIDDEN_IN_TEXT:
            assert bad not in subject, f"{where}: {bad!r} in the subject: {subject!r}"
            assert bad not in body, f"{where}: {bad!r} in the text:\n{body}"
        for bad in FORBIDDEN_IN_HTML:
            assert not html or bad not in html, f"{where}: {bad!r} in the HTML:\n{html}"
        if purpose not in NO_LINK:
            assert LINK.search(body), (
                f"{where}: no link. Every mail links to the page where the reader acts (pass "
                "the absolute URL in the context, mentorship.web.absolute), or is listed in "
                f"NO_LINK with the reason:\n{body}"
            )
        if html and purpose not in NO_LINK:
            assert 'href="http' in html, f"{where}: the HTML has no link:\n{html}"
        if language == "sv":
            text = LINK.sub("", f"{subject}\n{body}")
            english = sorted({m.group(0) for m in ENGLISH.finditer(text)})
            assert not english, (
                f"{where}: English words {english} in the Swedish mail (a string without a "
                f"Swedish translation?):\n{subject}\n{body}"
            )


@pytest.mark.django_db
def test_the_hr_contacts_invitation_names_the_organisations_in_words():
    world = build_world(Programme.MatchingMode.COORDINATOR)
    sv, en = (
        render_mail(purpose="invitation", language=lang, context=CONTEXTS["invitation"](world)[0])
        for lang in ("sv", "en")
    )
    assert "Organisationer: Göteborgs Stad och Mölndals stad" in sv[1]
    assert "Organisations: Göteborgs Stad and Mölndals stad" in en[1]
    assert "Organisationer: Göteborgs Stad och Mölndals stad" in sv[2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "adept_says", "not_said"),
    [
        ("adept_chooses", "/my/mentors/", "when the matching is done"),
        ("coordinator", "when the matching is done", "/my/mentors/"),
        ("hr_assigns", "from the mentor bank", "when the matching is done"),
    ],
)
def test_acceptance_says_how_pairs_are_made(mode, adept_says, not_said):
    world = build_world(mode)
    mentor_context, adept_context = CONTEXTS["decision_accepted"](world)
    _subject, body, _html = render_mail(
        purpose="decision_accepted", language="en", context=adept_context
    )
    assert adept_says in body and not_said not in body
    _subject, body, _html = render_mail(
        purpose="decision_accepted", language="en", context=mentor_context
    )
    assert "when the matching is done" not in body or mode == "coordinator"
