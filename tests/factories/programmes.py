"""Factories for the programmes app. Each creates a fresh tenant by default (through the
programme), and every object's tenant follows the object it belongs to, so the tenant is
always consistent: ``RoundFactory(programme=p).tenant == p.tenant``."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from programmes.models import (
    Audience,
    Eligibility,
    ManagerLevel,
    MeetingPart,
    MeetingResponse,
    Participant,
    ParticipantRole,
    Programme,
    Round,
    SharedMeeting,
)
from tests.factories.organisations import OrganisationFactory, TenantFactory, UserFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Mentorprogram för chefer {n}")
    slug = factory.Sequence(lambda n: f"mentorprogram-{n}")
    description = "Ett år med en erfaren chef som mentor."
    kind = Programme.Kind.COHORT


class RoundFactory(factory.django.DjangoModelFactory):
    """A draft round (the model's default); pass ``status=Round.Status.RUNNING`` etc."""

    class Meta:
        model = Round

    programme = factory.SubFactory(ProgrammeFactory)
    tenant = factory.SelfAttribute("programme.tenant")
    name = factory.Sequence(lambda n: f"Omgång {n}")
    status = Round.Status.DRAFT
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    ends_on = factory.LazyAttribute(
        lambda o: o.starts_on + timedelta(days=365) if o.starts_on else None
    )


class EligibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Eligibility

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    role = ParticipantRole.ADEPT
    manager_levels = factory.LazyFunction(lambda: [ManagerLevel.FIRST_LINE.value])
    min_years_as_manager = 0
    criteria_text = ""


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    user = factory.SubFactory(UserFactory)
    role = ParticipantRole.ADEPT
    organisation = factory.SubFactory(OrganisationFactory, tenant=factory.SelfAttribute("..tenant"))


class SharedMeetingFactory(factory.django.DjangoModelFactory):
    """A whole day for everyone, a month ahead, 09:00–16:00."""

    class Meta:
        model = SharedMeeting

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    title = factory.Sequence(lambda n: f"Gemensam träff {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    starts_at = time(9, 0)
    ends_at = time(16, 0)
    audience = Audience.EVERYONE
    place = "Stadshuset, Storgatan 1"
    agenda = ""


class MeetingPartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingPart

    meeting = factory.SubFactory(SharedMeetingFactory)
    tenant = factory.SelfAttribute("meeting.tenant")
    title = factory.Sequence(lambda n: f"Pass {n}")
    starts_at = time(9, 0)
    ends_at = time(12, 0)
    audience = Audience.EVERYONE


class MeetingResponseFactory(factory.django.DjangoModelFactory):
    """An answer by a participant of the meeting's own round."""

    class Meta:
        model = MeetingResponse

    meeting = factory.SubFactory(SharedMeetingFactory)
    tenant = factory.SelfAttribute("meeting.tenant")
    participant = factory.SubFactory(
        ParticipantFactory, round=factory.SelfAttribute("..meeting.round")
    )
    attending = True
    dietary_needs = ""
