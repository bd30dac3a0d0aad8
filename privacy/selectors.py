"""Reads for retention and for the person's rights.

Retention (``retention_schedule``): when each of a tenant's not yet anonymised applications is
anonymised, by the kind of programme:

- a **cohort** round with an end date: the whole round, the tenant's retention period after
  the round's end, once the round is closed or archived;
- a **continuous** programme (the bank, the association's mentor list), or any round without
  an end date: each application on its own, the retention period after its *last end*: the
  end of its last pair when it was in pairs (never while one of its pairs is active), or its
  last change (the application's, or its bank entry's) when it never became a pair.

The register extract (``personal_data``): everything the tenant holds about one person, as
plain data (str, numbers, lists and dicts) that the JSON file writes as is and the PDF
shows. What is left out, on purpose:

- the private notes the *partner* wrote after their meetings: they are the partner's own
  notes (PrivateNote is visible to its author only), about the partner's reflections, and
  handing them over would expose the partner; the person gets the notes *they* wrote;
- the coordinators' and HR contacts' own accounts and the other applicants of a round.
The keys (section and field names) are in the requester's language, as the PDF shows them;
dates are ISO 8601 in the tenant's time zone.

The interview notes about an application, the nomination's motivation and the manager's
comment are included: they are about the person and were written to decide on them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, PutForward
from applications.services import retention_due_date
from bank.models import BankMentor
from choosing.models import MentorRequest
from messaging.models import RoundMessageRecipient
from organisations import activity
from organisations.models import ActivityLog, Membership, OutgoingMail
from pairs.models import ChecklistItemAnswer, Pair, PairMeeting, PlannedMeeting, PrivateNote
from programmes.models import MeetingResponse, Participant, Programme, Round

from .models import ErasureRequest

# --- retention ------------------------------------------------------------------------------


@dataclass
class RetentionItem:
    """What will be anonymised on ``due``: a cohort round (``round``, ``count``
    applications), or one application of a continuous programme (``application``)."""

    due: datetime
    round: Round
    count: int
    application: Application | None = None
    reason: str = ""

    @property
    def is_due(self):
        return self.due <= timezone.now()


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, datetime.min.time()))


def _is_cohort(round_):
    return round_.programme.kind == Programme.Kind.COHORT and round_.ends_on is not None


def retention_schedule(*, tenant, now=None):
    """(items, waiting): every RetentionItem of the tenant sorted by when it is due, and how
    many applications wait for a pair that is still active (no date yet). In a fixed number
    of queries."""
    now = now or timezone.now()
    open_apps = Application.objects.filter(tenant=tenant, anonymised_at__isnull=True)
    rounds = {
        r.pk: r
        for r in Round.objects.filter(
            tenant=tenant, pk__in=open_apps.values("round_id")
        ).select_related("programme")
    }
    items = []
    counts = {}
    for round_id in open_apps.values_list("round_id", flat=True):
        counts[round_id] = counts.get(round_id, 0) + 1
    for round_ in rounds.values():
        if not _is_cohort(round_):
            continue
        closed = round_.status in (Round.Status.CLOSED, Round.Status.ARCHIVED)
        items.append(
            RetentionItem(
                due=_as_datetime(retention_due_date(tenant=tenant, ended=round_.ends_on)),
                round=round_,
                count=counts.get(round_.pk, 0),
                reason=_("the round's end")
                if closed
                else _("the round's end (once the round is closed)"),
            )
        )
    per_application = [pk for pk, r in rounds.items() if not _is_cohort(r)]
    waiting = 0
    if per_application:
        pairs = Pair.objects.filter(tenant=tenant).exclude(status=Pair.Status.PROPOSED)
        mine = pairs.filter(Q(mentor_id=OuterRef("pk")) | Q(adept_id=OuterRef("pk")))
        rows = (
            open_apps.filter(round_id__in=per_application)
            .annotate(
                last_pair_end=Subquery(
                    mine.order_by().values("tenant").annotate(m=Max("ended_at")).values("m")[:1]
                ),
                active_pair=Subquery(mine.filter(status=Pair.Status.ACTIVE).values("pk")[:1]),
                bank_changed=Subquery(
                    BankMentor.objects.filter(application_id=OuterRef("pk")).values("updated_at")[
                        :1
                    ]
                ),
            )
            .order_by("pk")
        )
        for application in rows:
            if application.active_pair:
                waiting += 1
                continue
            if application.last_pair_end:
                ended, reason = application.last_pair_end, _("the end of the last pair")
            else:
                ended = max(d for d in (application.updated_at, application.bank_changed) if d)
                reason = _("the last change (never in a pair)")
            items.append(
                RetentionItem(
                    due=retention_due_date(tenant=tenant, ended=ended),
                    round=rounds[application.round_id],
                    count=1,
                    application=application,
                    reason=reason,
                )
            )
    items.sort(key=lambda item: (item.due, item.round.pk, item.application and item.application.pk))
    return items, waiting


def due_items(*, tenant, now=None):
    """The RetentionItems due at ``now``: cohort rounds only when closed or archived."""
    now = now or timezone.now()
    items, _waiting = retention_schedule(tenant=tenant, now=now)
    return [
        item
        for item in items
        if item.due <= now
        and (
            item.application is not None
            or item.round.status in (Round.Status.CLOSED, Round.Status.ARCHIVED)
        )
    ]


# --- the person's data ----------------------------------------------------------------------


def _when(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _choice(model, field, value):
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value)) if value else ""


def _application(application):
    questions = {str(q.pk): q.label for q in application.round.questions.all()}
    answers = {
        questions.get(str(key), str(key)): value
        for key, value in (application.answers or {}).items()
    }
    endorsement = [
        {
            _("Manager"): e.manager_name,
            _("Manager's e-mail"): e.manager_email,
            _("Asked"): _when(e.sent_at),
            _("Supports"): e.supports,
            _("Comment"): e.comment,
        }
        for e in application.endorsements.all()
    ]
    nominations = [
        {
            _("Nominated"): n.nominated,
            _("Motivation"): n.motivation,
            _("Decided"): _when(n.decided_at),
        }
        for n in application.nominations.all()
    ]
    interview = getattr(application, "interview", None)
    return {
        _("Round"): str(application.round),
        _("Role"): _choice(Application, "role", application.role),
        _("Stage"): _choice(Application, "stage", application.stage),
        _("Name"): application.full_name,
        _("E-mail"): application.email,
        _("Phone"): application.phone,
        _("Organisation"): str(application.organisation or ""),
        _("Job title"): application.job_title,
        _("Current assignment"): application.current_assignment,
        _("Place"): application.place,
        _("Region"): application.region,
        _("Education"): application.education,
        _("Work experience"): application.work_experience,
        _("Motivation"): application.motivation,
        _("Wishes for the matching"): application.matching_wishes,
        _("Languages"): application.languages,
        _("Years as a manager"): application.years_as_manager,
        _("Manager's name"): application.manager_name,
        _("Manager's e-mail"): application.manager_email,
        _("Themes"): [t.name for t in application.themes.all()],
        _("Answers"): answers,
        _("Consent given"): _when(application.consent_given_at),
        _("Submitted"): _when(application.submitted_at),
        _("Last changed"): _when(application.updated_at),
        _("Anonymised"): _when(application.anonymised_at),
        _("Endorsements"): endorsement,
        _("Nominations"): nominations,
        _("Interview notes"): interview.notes if interview else "",
        _("History"): [
            {
                _("When"): _when(c.created_at),
                _("From"): _choice(Application, "stage", c.from_stage),
                _("To"): _choice(Application, "stage", c.to_stage),
                _("Reason"): c.reason,
            }
            for c in application.history.all()
        ],
    }


def personal_data(*, tenant, user):
    """Everything the tenant holds about ``user``: a dict of sections (each a list of dicts,
    in the language that is active), for the JSON file and the PDF."""
    applications = list(
        Application.objects.filter(tenant=tenant, user=user)
        .select_related("round__programme", "organisation", "interview")
        .prefetch_related("themes", "endorsements", "nominations", "history", "round__questions")
        .order_by("created_at")
    )
    ids = [a.pk for a in applications]
    pairs = list(
        Pair.objects.filter(tenant=tenant)
        .filter(Q(mentor_user=user) | Q(adept_user=user))
        .exclude(status=Pair.Status.PROPOSED)
        .select_related("round", "mentor", "adept")
        .order_by("created_at")
    )
    membership = Membership.objects.filter(tenant=tenant, user=user).first()
    objects = [(Application, a.pk) for a in applications] + [(Pair, p.pk) for p in pairs]
    about = Q(actor=user)
    for model, pk in objects:
        about |= Q(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
    data = {
        _("Person"): [
            {
                _("Name"): user.full_name,
                _("E-mail"): user.email,
                _("Phone"): user.phone,
                _("Language"): user.language,
                _("Roles"): ", ".join(str(r) for r in membership.role_labels) if membership else "",
            }
        ],
        _("Applications"): [_application(a) for a in applications],
        _("Pairs"): [
            {
                _("Round"): str(p.round),
                _("Role"): _("mentor") if p.mentor_user_id == user.pk else _("adept"),
                _("Partner"): (p.adept if p.mentor_user_id == user.pk else p.mentor).full_name,
                _("Status"): _choice(Pair, "status", p.status),
                _("Started"): _when(p.started_at),
                _("Ended"): _when(p.ended_at),
                _("End reason"): _choice(Pair, "end_reason", p.end_reason),
                _("Note"): p.end_note,
                _("Asked to end, why"): p.end_request_reason,
            }
            for p in pairs
        ],
        _("Meetings"): [
            {
                _("Date"): _when(m.date),
                _("Minutes"): m.minutes,
                _("How"): _choice(PairMeeting, "mode", m.mode),
                _("Place"): m.place,
            }
            for m in PairMeeting.objects.filter(tenant=tenant, pair__in=pairs).order_by("date")
        ],
        _("Planned meetings"): [
            {_("Starts"): _when(m.starts_at), _("Minutes"): m.minutes, _("Place"): m.place}
            for m in PlannedMeeting.objects.filter(tenant=tenant, pair__in=pairs).order_by(
                "starts_at"
            )
        ],
        _("Notes you wrote"): [
            {
                _("Meeting"): _when(n.meeting.date),
                _("Note"): n.text,
                _("Written"): _when(n.created_at),
            }
            for n in PrivateNote.objects.filter(tenant=tenant, author=user)
            .select_related("meeting")
            .order_by("created_at")
        ],
        _("Checklist answers"): [
            {
                _("Question"): a.item.text,
                _("Done"): a.done,
                _("Answer"): a.text,
                _("Changed"): _when(a.updated_at),
            }
            for a in ChecklistItemAnswer.objects.filter(tenant=tenant, user=user)
            .select_related("item")
            .order_by("updated_at")
        ],
        _("Mentor requests"): [
            {
                _("Round"): str(r.round),
                _("Adept"): r.adept.full_name,
                _("Mentor"): r.mentor.full_name,
                _("Message"): r.message,
                _("Status"): _choice(MentorRequest, "status", r.status),
                _("Note to the adept"): r.decline_note,
                _("Sent"): _when(r.created_at),
            }
            for r in MentorRequest.objects.filter(tenant=tenant)
            .filter(Q(adept_id__in=ids) | Q(mentor_id__in=ids))
            .select_related("round", "adept", "mentor")
            .order_by("created_at")
        ],
        _("Shared meeting days"): [
            {
                _("Meeting"): r.meeting.title,
                _("Date"): _when(r.meeting.date),
                _("Attending"): r.attending,
                _("Dietary needs"): r.dietary_needs,
            }
            for r in MeetingResponse.objects.filter(tenant=tenant, participant__user=user)
            .select_related("meeting")
            .order_by("meeting__date")
        ],
        _("Participation"): [
            {_("Round"): str(p.round), _("Role"): _choice(Participant, "role", p.role)}
            for p in Participant.objects.filter(tenant=tenant, user=user).select_related("round")
        ],
        _("Messages to you"): [
            {
                _("Sent"): _when(r.message.sent_at),
                _("Subject"): r.message.subject,
                _("Message"): r.message.body,
            }
            for r in RoundMessageRecipient.objects.filter(tenant=tenant)
            .filter(Q(user=user) | Q(email__iexact=user.email))
            .select_related("message")
            .order_by("message__sent_at")
        ],
        _("E-mails to you"): [
            {
                _("Created"): _when(m.created_at),
                _("Subject"): m.subject,
                _("Status"): _choice(OutgoingMail, "status", m.status),
                _("Text"): m.body,
            }
            for m in OutgoingMail.objects.filter(tenant=tenant, to__iexact=user.email).order_by(
                "created_at"
            )
        ],
        _("Activity about you"): [
            {
                _("When"): _when(e.created_at),
                _("What"): str(activity.LABELS.get(e.action, e.action)),
                _("By you"): e.actor_id == user.pk,
            }
            for e in ActivityLog.objects.filter(tenant=tenant).filter(about).order_by("created_at")
        ],
        _("Put forward by an HR contact"): [
            {
                _("Name"): p.full_name,
                _("E-mail"): p.email,
                _("Organisation"): str(p.organisation),
                _("Sent"): _when(p.created_at),
                _("Used"): _when(p.used_at),
            }
            for p in PutForward.objects.filter(tenant=tenant, email__iexact=user.email)
            .select_related("organisation")
            .order_by("created_at")
        ],
        _("Erasure requests"): [
            {
                _("Asked"): _when(r.requested_at),
                _("Status"): _choice(ErasureRequest, "status", r.status),
                _("Handled"): _when(r.handled_at),
            }
            for r in ErasureRequest.objects.filter(tenant=tenant, user=user)
        ],
    }
    return data


def find_person(*, tenant, email):
    """The account with this address that the tenant holds something about, or None."""
    from organisations.models import User

    email = (email or "").strip().lower()
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return None
    holds = (
        Application.objects.filter(tenant=tenant, user=user).exists()
        or Membership.objects.filter(tenant=tenant, user=user).exists()
        or Participant.objects.filter(tenant=tenant, user=user).exists()
    )
    return user if holds else None


def erasure_preview(*, tenant, user):
    """(goes, stays): what carrying out an erasure request removes and what it keeps, as
    lists of (label, count)."""
    applications = Application.objects.filter(tenant=tenant, user=user, anonymised_at__isnull=True)
    ids = list(applications.values_list("pk", flat=True))
    pairs = Pair.objects.filter(tenant=tenant).filter(Q(mentor_user=user) | Q(adept_user=user))
    goes = [
        (_("Applications: names, contact details, texts and answers"), len(ids)),
        (
            _("Private notes written by the person"),
            PrivateNote.objects.filter(tenant=tenant, author=user).count(),
        ),
        (
            _("Private notes in the person's pairs"),
            PrivateNote.objects.filter(tenant=tenant, meeting__pair__in=pairs).count(),
        ),
        (
            _("Checklist answers in the person's pairs"),
            ChecklistItemAnswer.objects.filter(tenant=tenant, pair__in=pairs).count(),
        ),
        (
            _("Mentor requests' texts"),
            MentorRequest.objects.filter(tenant=tenant)
            .filter(Q(adept_id__in=ids) | Q(mentor_id__in=ids))
            .count(),
        ),
        (
            _("Messages to the person (address)"),
            RoundMessageRecipient.objects.filter(tenant=tenant)
            .filter(Q(user=user) | Q(email__iexact=user.email))
            .count(),
        ),
        (
            _("E-mails to the person in the outbox (address and text)"),
            OutgoingMail.objects.filter(tenant=tenant, to__iexact=user.email).count(),
        ),
        (
            _("Answers to shared meeting days (dietary needs)"),
            MeetingResponse.objects.filter(tenant=tenant, participant__user=user).count(),
        ),
        (
            _("Place in rounds as participant"),
            Participant.objects.filter(tenant=tenant, user=user).count(),
        ),
        (
            _("Invitations to apply, put forward by an HR contact"),
            PutForward.objects.filter(tenant=tenant, email__iexact=user.email).count(),
        ),
        (
            _("Role as coordinator or HR contact"),
            Membership.objects.filter(tenant=tenant, user=user).count(),
        ),
    ]
    stays = [
        (
            _("Applications as anonymous rows (role, stage, organisation) for the statistics"),
            len(ids),
        ),
        (_("Pairs and their meeting counts, without texts"), pairs.count()),
        (
            _(
                "The link between the pair's two accounts, so that the two are never proposed as a pair again"
            ),
            pairs.count(),
        ),
        (
            _("Activity log rows (what was done and when), with the names taken out"),
            ActivityLog.objects.filter(tenant=tenant, actor=user).count(),
        ),
    ]
    return goes, stays
