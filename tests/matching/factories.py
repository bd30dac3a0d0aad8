"""Factories for the matching app (kept next to its tests; they follow tests/factories/ in style:
each object's tenant follows the object it belongs to)."""

import factory
from django.utils import timezone

from applications.models import Application
from matching.models import MatchingSettings, PairConstraint
from pairs.models import Pair
from programmes.models import ManagerLevel, ParticipantRole
from tests.factories.applications import ApplicationFactory
from tests.factories.programmes import RoundFactory


class AcceptedAdeptFactory(ApplicationFactory):
    stage = Application.Stage.ACCEPTED
    role = ParticipantRole.ADEPT


class AcceptedMentorFactory(ApplicationFactory):
    stage = Application.Stage.ACCEPTED
    role = ParticipantRole.MENTOR
    job_title = "Förvaltningschef"
    manager_level = ManagerLevel.MANAGER_OF_MANAGERS
    years_as_manager = 12


class MatchingSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchingSettings

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pair

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    mentor = factory.SubFactory(
        AcceptedMentorFactory,
        round=factory.SelfAttribute("..round"),
        stage=Application.Stage.MATCHED,
    )
    adept = factory.SubFactory(
        AcceptedAdeptFactory,
        round=factory.SelfAttribute("..round"),
        stage=Application.Stage.MATCHED,
    )
    mentor_user = factory.SelfAttribute("mentor.user")
    adept_user = factory.SelfAttribute("adept.user")
    status = Pair.Status.ACTIVE
    started_at = factory.LazyFunction(timezone.now)


class PairConstraintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PairConstraint

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    mentor = factory.SubFactory(AcceptedMentorFactory, round=factory.SelfAttribute("..round"))
    adept = factory.SubFactory(AcceptedAdeptFactory, round=factory.SelfAttribute("..round"))
    kind = PairConstraint.Kind.PIN
