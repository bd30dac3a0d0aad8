"""Survey mails (organisations.reminders): when a survey opens, everyone it asks who has not
answered gets one mail; three days before it closes, those who still have not answered get
one reminder. Dedupe keys name the survey, the kind of mail and the person (the closing key
also the closing date, so a survey that is extended reminds once more for its new date).
Nothing here knows, or could tell, what anybody answered."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from mentorship.mail import recipient_language
from mentorship.web import site_url
from organisations import reminders

from .models import Survey
from .selectors import non_respondents

CLOSING_DAYS = 3


def _open_surveys(now):
    return (
        Survey.objects.filter(
            status=Survey.Status.PUBLISHED,
            tenant__is_active=True,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .select_related("tenant", "round", "round__programme")
        .order_by("id")
    )


def _mail(survey, participant, *, purpose, key):
    tenant = survey.tenant
    user = participant.user
    url = site_url() + reverse("evaluation:answer", kwargs={"tenant": tenant.slug, "pk": survey.pk})
    with timezone.override(tenant.timezone):
        return reminders.queue_once(
            purpose=purpose,
            to=user.email,
            language=recipient_language(user=user, tenant=tenant),
            context={
                "tenant": tenant,
                "survey": survey,
                "round": survey.round,
                "closes_at": timezone.localtime(survey.closes_at),
                "url": url,
            },
            tenant=tenant,
            dedupe_key=key,
        )


def remind_survey_open(now):
    queued = 0
    for survey in _open_surveys(now):
        for participant in non_respondents(survey=survey):
            queued += _mail(
                survey,
                participant,
                purpose="survey_open",
                key=f"survey:{survey.pk}:open:{participant.user_id}",
            )
    return queued


def remind_survey_closing(now):
    queued = 0
    for survey in _open_surveys(now).filter(
        closes_at__lte=now + timedelta(days=CLOSING_DAYS),
        # A survey open for only a few days gets its opening mail, not a reminder at once.
        opens_at__lte=now - timedelta(days=1),
    ):
        closing = timezone.localtime(survey.closes_at, ZoneInfo(survey.tenant.timezone))
        for participant in non_respondents(survey=survey):
            queued += _mail(
                survey,
                participant,
                purpose="survey_closing",
                key=f"survey:{survey.pk}:closing:{closing.date().isoformat()}:{participant.user_id}",
            )
    return queued
