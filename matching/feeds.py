"""The pair's planned meetings in each partner's personal calendar feed
(mentorship.hooks.PERSON_FEED_EXTRAS). Cancelled meetings leave the feed, so calendar apps
drop them; a planned meeting of an ended pair is cancelled when the pair ends."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Event

from pairs.models import Pair, PlannedMeeting

HISTORY = timedelta(days=365)


def planned_meeting_events(*, request, tenant, user, tz, now):
    rows = (
        PlannedMeeting.objects.filter(
            tenant=tenant,
            cancelled_at__isnull=True,
            starts_at__gte=now - HISTORY,
            pair__status__in=[Pair.Status.ACTIVE, Pair.Status.ENDED],
        )
        .filter(Q(pair__mentor_user=user) | Q(pair__adept_user=user))
        .select_related("pair", "pair__mentor", "pair__adept", "pair__round__programme")
    )
    events = []
    for planned in rows:
        pair = planned.pair
        partner = pair.adept if pair.mentor_user_id == user.pk else pair.mentor
        event = Event()
        event.add("uid", f"pair-meeting-{planned.pk}@{tenant.slug}.mentorprogram")
        event.add("sequence", planned.sequence)
        event.add("dtstamp", now)
        event.add("summary", _("Mentoring meeting with %(name)s") % {"name": partner.full_name})
        start = planned.starts_at.astimezone(tz)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=planned.minutes))
        location = ", ".join(x for x in (str(planned.get_mode_display()), planned.place) if x)
        event.add("location", location)
        event.add("description", pair.round.programme.name)
        event.add("status", "CONFIRMED")
        event.add(
            "url",
            request.build_absolute_uri(
                reverse("matching_pairwork:pair", kwargs={"tenant": tenant.slug, "pk": pair.pk})
            ),
        )
        events.append(event)
    return events
