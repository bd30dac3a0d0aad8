"""Factories for the applications app. As elsewhere, each object's tenant follows the object it
belongs to (``ApplicationFactory(round=r).tenant == r.tenant``), and a bare call makes a fresh
tenant through the round's programme."""

import factory
from django.utils import timezone

from applications.models import (
    Application,
    Endorsement,
    InterviewNote,
    Nomination,
    Question,
    StageChange,
    Theme,
)
from organisations.models import ExportJob
from programmes.models import ManagerLevel, ParticipantRole
from tests.factories.organisations import OrganisationFactory, UserFactory
from tests.factories.programmes import ProgrammeFactory, RoundFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    tenant = factory.SelfAttribute("programme.tenant")
    name = factory.Sequence(lambda n: f"Tema {n}")
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    label = factory.Sequence(lambda n: f"Fråga {n}: vad vill du utveckla?")
    kind = Question.Kind.SHORT_TEXT
    position = factory.Sequence(lambda n: n)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted adept application from an organisation of the round's tenant.

    ``themes=[...]`` sets the themes; ``stage=Application.Stage.ACCEPTED`` etc.
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    user = factory.SubFactory(UserFactory)
    role = ParticipantRole.ADEPT
    stage = Application.Stage.SUBMITTED
    full_name = factory.SelfAttribute("user.full_name")
    email = factory.SelfAttribute("user.email")
    organisation = factory.SubFactory(OrganisationFactory, tenant=factory.SelfAttribute("..tenant"))
    job_title = "Enhetschef"
    manager_level = ManagerLevel.FIRST_LINE
    years_as_manager = 3
    region = "Västra Götaland"
    motivation = "Jag vill utvecklas i mitt ledarskap."
    capacity = 1
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    application = factory.SubFactory(ApplicationFactory)
    tenant = factory.SelfAttribute("application.tenant")
    from_stage = ""
    to_stage = factory.SelfAttribute("application.stage")


class InterviewNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewNote

    application = factory.SubFactory(ApplicationFactory)
    tenant = factory.SelfAttribute("application.tenant")
    booking = "Tisdag 10:00, Teams"
    notes = "Tydlig bild av vad hen vill utveckla."


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    application = factory.SubFactory(ApplicationFactory)
    tenant = factory.SelfAttribute("application.tenant")
    nominated = True
    motivation = "En självklar kandidat."


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    application = factory.SubFactory(ApplicationFactory)
    tenant = factory.SelfAttribute("application.tenant")
    manager_name = "Chefen Chefsson"
    manager_email = factory.Sequence(lambda n: f"chef{n}@example.se")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=21))


class ExportJobFactory(factory.django.DjangoModelFactory):
    """An export job (organisations.models.ExportJob), a dossier unless ``kind`` says else."""

    class Meta:
        model = ExportJob

    round = factory.SubFactory(RoundFactory)
    tenant = factory.SelfAttribute("round.tenant")
    kind = ExportJob.Kind.DOSSIER
    requested_by = factory.SubFactory(UserFactory)
