"""The benchmark cases. Later issues add theirs to ALL."""

import shutil
import subprocess
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from applications import exports, importing
from applications.models import Application, InterviewNote, Question, Theme
from organisations.models import ExportJob, Membership, Organisation, Tenant
from programmes.models import MeetingResponse, Participant, Programme, Round, SharedMeeting


def _tenant_with_round(n_participants, tag):
    User = get_user_model()
    tenant = Tenant.objects.create(
        slug=f"bench-{tag}", name=f"Bench {tag}", contact_email="b@x.example"
    )
    coordinator = User.objects.create_user(
        email=f"coord-{tag}@x.example", password="bench-password-1"
    )
    Membership.objects.create(tenant=tenant, user=coordinator, is_coordinator=True)
    orgs = Organisation.objects.bulk_create(
        [Organisation(tenant=tenant, name=f"Org {i}") for i in range(20)]
    )
    programme = Programme.objects.create(tenant=tenant, name="Bench", slug="bench")
    round_ = Round.objects.create(
        tenant=tenant,
        programme=programme,
        name="Omgång 1",
        status=Round.Status.RUNNING,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=365),
        max_pairs=n_participants,
    )
    users = User.objects.bulk_create(
        [
            User(email=f"p{i}-{tag}@x.example", full_name=f"Person {i}")
            for i in range(n_participants)
        ]
    )
    participants = Participant.objects.bulk_create(
        [
            Participant(
                tenant=tenant,
                round=round_,
                user=u,
                role="mentor" if i % 2 else "adept",
                organisation=orgs[i % len(orgs)],
            )
            for i, u in enumerate(users)
        ]
    )
    meetings = [
        SharedMeeting.objects.create(
            tenant=tenant,
            round=round_,
            title=f"Dag {k}",
            date=timezone.localdate() + timedelta(days=30 * k),
            starts_at=time(9),
            ends_at=time(15),
        )
        for k in range(1, 5)
    ]
    MeetingResponse.objects.bulk_create(
        [
            MeetingResponse(tenant=tenant, meeting=m, participant=p, attending=bool(i % 3))
            for m in meetings
            for i, p in enumerate(participants)
        ]
    )
    return tenant, coordinator, round_


def round_dashboard(capture, clock):
    """Render the coordinator's round dashboard at growing sizes: time and query count."""
    print("Round dashboard (GET /<tenant>/manage/rounds/<id>/)")
    print(f"{'participants':>14} {'queries':>8} {'median ms':>10}")
    for n in (10, 100, 1000):
        with scopes_disabled():
            tenant, coordinator, round_ = _tenant_with_round(n, f"dash{n}")
        client = Client()
        client.force_login(coordinator)
        url = f"/{tenant.slug}/manage/rounds/{round_.pk}/"
        client.get(url)
        timings = []
        for _ in range(5):
            with capture(connection) as ctx:
                start = clock()
                response = client.get(url)
                timings.append((clock() - start) * 1000)
            assert response.status_code == 200
        timings.sort()
        print(f"{n:>14} {len(ctx.captured_queries):>8} {timings[len(timings) // 2]:>10.1f}")
    print()


def _pdf_pages(data):
    """The page count from poppler's pdfinfo, when it is installed ("?" otherwise)."""
    pdfinfo = shutil.which("pdfinfo")
    if not pdfinfo:
        return "?"
    out = subprocess.run(  # noqa: S603 (a fixed program, our own PDF)
        [pdfinfo, "-"], input=data, capture_output=True, check=False
    ).stdout
    for line in out.decode(errors="replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return "?"


def dossier_50(capture, clock):
    """The matching dossier of a round with 50 accepted applications: time, queries, size."""
    n = 50
    print(f"Matching dossier ({n} accepted applications, PDF made by build_dossier)")
    with scopes_disabled():
        tenant, coordinator, round_ = _tenant_with_round(0, "dossier")
        orgs = list(Organisation.objects.filter(tenant=tenant))
        themes = Theme.objects.bulk_create(
            [
                Theme(tenant=tenant, programme=round_.programme, name=name)
                for name in (
                    "Ledarskap i förändring",
                    "Att leda chefer",
                    "Kommunikation",
                    "Arbetsmiljö",
                    "Strategi",
                )
            ]
        )
        questions = Question.objects.bulk_create(
            [
                Question(tenant=tenant, round=round_, label=f"Fråga {k}: vad vill du utveckla?")
                for k in range(3)
            ]
        )
        users = get_user_model().objects.bulk_create(
            [
                get_user_model()(email=f"d{i}@x.example", full_name=f"Åsa Östling {i}")
                for i in range(n)
            ]
        )
        text = "Jag vill utveckla mitt ledarskap och lära av någon med mer erfarenhet. " * 8
        applications = Application.objects.bulk_create(
            [
                Application(
                    tenant=tenant,
                    round=round_,
                    user=u,
                    role="mentor" if i % 3 == 0 else "adept",
                    stage=Application.Stage.ACCEPTED,
                    full_name=u.full_name,
                    email=u.email,
                    organisation=orgs[i % len(orgs)],
                    job_title="Enhetschef",
                    region="Västra Götaland",
                    manager_level="first_line",
                    years_as_manager=i % 20,
                    motivation=text,
                    work_experience=text,
                    education="Socionom, Göteborgs universitet",
                    answers={str(q.pk): "Att våga delegera och följa upp." for q in questions},
                    submitted_at=timezone.now(),
                )
                for i, u in enumerate(users)
            ]
        )
        Application.themes.through.objects.bulk_create(
            [
                Application.themes.through(application_id=a.pk, theme_id=themes[k].pk)
                for i, a in enumerate(applications)
                for k in range(i % 3 + 1)
            ]
        )
        InterviewNote.objects.bulk_create(
            [InterviewNote(tenant=tenant, application=a, notes=text) for a in applications]
        )
    print(f"{'run':>5} {'seconds':>8} {'queries':>8} {'pages':>6} {'PDF kB':>8}")
    for run in range(1, 4):
        with scopes_disabled():
            job = ExportJob.objects.create(
                tenant=tenant, round=round_, requested_by=coordinator, kind=ExportJob.Kind.DOSSIER
            )
        with scope(tenant=tenant), capture(connection) as ctx:
            start = clock()
            job = exports.build_dossier(job=job)
            seconds = clock() - start
        assert job.status == ExportJob.Status.DONE, job.error
        data = job.file.read()
        job.file.close()
        pages = _pdf_pages(data)
        print(
            f"{run:>5} {seconds:>8.2f} {len(ctx.captured_queries):>8} {pages:>6} "
            f"{len(data) / 1024:>8.0f}"
        )
        job.file.delete(save=False)
    print()


def import_5000(capture, clock):
    """The largest import a coordinator may upload (importing.MAX_ROWS rows): check and write."""
    n = importing.MAX_ROWS
    print(f"Import of applications ({n} rows of CSV, all new people)")
    with scopes_disabled():
        tenant, coordinator, round_ = _tenant_with_round(0, "import")
        org = Organisation.objects.filter(tenant=tenant).first()
        Theme.objects.create(tenant=tenant, programme=round_.programme, name="Att leda chefer")
    header = (
        "role;first_name;last_name;email;organisation;title;manager_level;years_as_manager;themes"
    )
    lines = [header] + [
        f"{'mentor' if i % 3 == 0 else 'adept'};Åsa;Östling {i};imp{i}@x.example;{org.name};"
        f"Enhetschef;first_line;{i % 20};Att leda chefer"
        for i in range(n)
    ]
    data = "\r\n".join(lines).encode("cp1252")
    with scope(tenant=tenant), capture(connection) as ctx:
        start = clock()
        result = importing.import_applications(
            tenant=tenant, round_=round_, actor=coordinator, data=data, filename="bench.csv"
        )
        seconds = clock() - start
    assert result.ok, result.errors[:5]
    print(f"{'rows':>6} {'seconds':>8} {'queries':>8} {'kB':>6}")
    print(f"{n:>6} {seconds:>8.2f} {len(ctx.captured_queries):>8} {len(data) / 1024:>6.0f}")
    print()


def _matching_world(tag, n_adepts, n_mentors, max_capacity, max_pairs, seed=15):
    """A round with accepted mentors and adepts that exercise every rule and preference:
    organisations in neighbouring western regions (some areas of one employer), themes, wishes,
    languages, manager chains through an earlier round, earlier pairs, pins and forbids."""
    import random

    from matching.models import PairConstraint
    from pairs.models import Pair
    from programmes.models import Eligibility

    rng = random.Random(seed)  # noqa: S311 (invented demo data, not secrets)
    User = get_user_model()
    tenant, _coordinator, round_ = _tenant_with_round(0, tag)
    round_.max_pairs = max_pairs
    round_.save(update_fields=["max_pairs"])
    earlier = Round.objects.create(
        tenant=tenant, programme=round_.programme, name="Omgång 14", status=Round.Status.CLOSED
    )
    regions = [
        "Västra Götaland",
        "Halland",
        "Värmland",
        "Jönköpings län",
        "Dalsland",
        "Sjuhärad",
        "Göteborgsregionen",
        "Skaraborg",
        "Örebro län",
    ]
    places = [f"Ort {k}" for k in range(25)]
    kinds = ["municipality", "municipality", "region", "agency", "university", "company"]
    parents = Organisation.objects.bulk_create(
        [
            Organisation(
                tenant=tenant,
                name=f"Arbetsgivare {k}",
                kind=rng.choice(kinds),
                region=rng.choice(regions),
                place=rng.choice(places),
            )
            for k in range(40)
        ]
    )
    areas = Organisation.objects.bulk_create(
        [
            Organisation(
                tenant=tenant,
                name=f"Område {k}",
                kind="area",
                parent=parents[k % 5],
                region=parents[k % 5].region,
                place=parents[k % 5].place,
            )
            for k in range(10)
        ]
    )
    orgs = parents + areas
    themes = Theme.objects.bulk_create(
        [Theme(tenant=tenant, programme=round_.programme, name=f"Tema {k}") for k in range(12)]
    )
    Eligibility.objects.create(tenant=tenant, round=round_, role="mentor", min_years_as_manager=5)
    titles = [
        "Förvaltningschef",
        "Skolchef",
        "Verksamhetschef inom sjukvård",
        "Enhetschef",
        "Avdelningschef ekonomi",
        "HR-chef",
        "Socialchef",
        "Områdeschef äldreomsorg",
    ]
    wishes = [
        "",
        "",
        "Gärna någon inom skola",
        "sjukvård eller äldreomsorg",
        "ekonomi",
        "någon från Göteborgsregionen",
        "erfaren förvaltningschef",
        "HR och arbetsmiljö",
    ]
    # Managers of an earlier round: 40 directors over 200 managers; some directors are mentors.
    n_people = n_adepts + n_mentors + 240
    users = User.objects.bulk_create(
        [User(email=f"{tag}-{k}@x.example", full_name=f"Person {k}") for k in range(n_people)]
    )
    adept_users = users[:n_adepts]
    mentor_users = users[n_adepts : n_adepts + n_mentors]
    directors = users[n_adepts + n_mentors : n_adepts + n_mentors + 40]
    managers = users[n_adepts + n_mentors + 40 :]
    director_emails = [u.email for u in directors[:20]] + [u.email for u in mentor_users[:20]]
    chain = [
        Application(
            tenant=tenant,
            round=earlier,
            user=u,
            role="adept",
            stage=Application.Stage.DECLINED,
            email=u.email,
            full_name=u.full_name,
            manager_email=rng.choice(director_emails),
        )
        for u in managers
    ]
    chain += [
        Application(
            tenant=tenant,
            round=earlier,
            user=u,
            role="adept",
            stage=Application.Stage.DECLINED,
            email=u.email,
            full_name=u.full_name,
            manager_email=rng.choice(director_emails[:10]),
        )
        for u in directors
    ]

    def application(user, role):
        return Application(
            tenant=tenant,
            round=round_,
            user=user,
            role=role,
            stage=Application.Stage.ACCEPTED,
            email=user.email,
            full_name=user.full_name,
            organisation=rng.choice(orgs),
            job_title=rng.choice(titles),
            manager_level=rng.choice(["first_line", "manager_of_managers", "senior_executive"]),
            years_as_manager=rng.randint(1, 25),
            region=rng.choice(regions + [""]),
            matching_wishes=rng.choice(wishes) if role == "adept" else "",
            prefers_other_sector=role == "adept" and rng.random() < 0.3,
            languages=rng.choice(["svenska", "svenska", "svenska, engelska", "English"]),
            capacity=rng.randint(1, max_capacity) if role == "mentor" else 1,
            manager_email=rng.choice(managers).email if rng.random() < 0.8 else "",
            submitted_at=timezone.now(),
        )

    apps = Application.objects.bulk_create(
        [application(u, "adept") for u in adept_users]
        + [application(u, "mentor") for u in mentor_users]
        + chain
    )
    adepts, mentors = apps[:n_adepts], apps[n_adepts : n_adepts + n_mentors]
    Application.themes.through.objects.bulk_create(
        [
            Application.themes.through(application_id=a.pk, theme_id=t.pk)
            for a in adepts + mentors
            for t in rng.sample(themes, rng.randint(0, 3))
        ]
    )
    # Earlier pairs: 5 % of the adepts were paired with some mentor in round 14.
    old = Application.objects.bulk_create(
        [
            Application(
                tenant=tenant,
                round=earlier,
                user=m.user,
                role="mentor",
                stage=Application.Stage.MATCHED,
                email=m.email,
            )
            for m in mentors[: n_adepts // 20]
        ]
        + [
            Application(
                tenant=tenant,
                round=earlier,
                user=a.user,
                role="adept",
                stage=Application.Stage.MATCHED,
                email=a.email,
            )
            for a in adepts[: n_adepts // 20]
        ]
    )
    k = n_adepts // 20
    Pair.objects.bulk_create(
        [
            Pair(
                tenant=tenant,
                round=earlier,
                mentor=old[i],
                adept=old[k + i],
                mentor_user=old[i].user,
                adept_user=old[k + i].user,
                status=Pair.Status.ENDED,
            )
            for i in range(k)
        ]
    )
    PairConstraint.objects.bulk_create(
        [
            PairConstraint(
                tenant=tenant,
                round=round_,
                mentor=mentors[-1 - i],
                adept=adepts[-1 - i],
                kind="pin",
            )
            for i in range(3)
        ]
        + [
            PairConstraint(
                tenant=tenant,
                round=round_,
                mentor=rng.choice(mentors),
                adept=adepts[i],
                kind="forbid",
                reason="Jäv",
            )
            for i in range(10)
        ]
    )
    return tenant, round_


def matching_proposals(capture, clock):
    """run_proposal at three sizes: pure solve time next to end-to-end time (load from the
    database, score every pair, solve, explain the proposed pairs, save the proposal), queries
    and peak memory. Figures only; nothing is asserted about time."""
    import resource
    import tracemalloc

    from matching import services as matching_services

    sizes = [
        ("seed 000 size (60 applicants, max 25 pairs)", "m60", 32, 28, 1, 25),
        ("1,000 people (500 adepts x 500 mentors)", "m1000", 500, 500, 1, None),
        (
            "regional bank (2,000 adepts x 1,000 mentors, capacity 1-3)",
            "m3000",
            2000,
            1000,
            3,
            None,
        ),
    ]
    print("Matching proposals (matching.services.run_proposal)")
    print(
        f"{'case':<60} {'matched':>8} {'load s':>7} {'score s':>8} {'solve s':>8} "
        f"{'explain+save s':>15} {'end-to-end s':>13} {'queries':>8} {'peak MB':>8} "
        f"{'maxrss MB':>10}"
    )
    for label, tag, n_adepts, n_mentors, max_capacity, max_pairs in sizes:
        with scopes_disabled():
            tenant, round_ = _matching_world(tag, n_adepts, n_mentors, max_capacity, max_pairs)
        timings = []
        for _run in range(3):
            with scope(tenant=tenant), capture(connection) as ctx:
                start = clock()
                proposal = matching_services.run_proposal(tenant=tenant, actor=None, round_=round_)
                timings.append((clock() - start, proposal))
        end_to_end, proposal = sorted(timings, key=lambda t: t[0])[1]
        t = proposal.summary["timing"]
        with scope(tenant=tenant):
            tracemalloc.start()
            matching_services.run_proposal(tenant=tenant, actor=None, round_=round_)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{label:<60} {proposal.summary['matched']:>8} {t['load']:>7.3f} "
            f"{t['score']:>8.3f} {t['solve']:>8.3f} {t['explain'] + t['save']:>15.3f} "
            f"{end_to_end:>13.3f} {len(ctx.captured_queries):>8} {peak / 2**20:>8.1f} "
            f"{maxrss:>10.0f}"
        )
    print(
        "(median of 3 runs; peak MB: tracemalloc during a 4th run, Python and NumPy "
        "allocations; maxrss: the whole benchmark process so far)"
    )
    print()


ALL = [round_dashboard, dossier_50, import_5000, matching_proposals]


def reminders_run(capture, clock):
    """run_reminders over a round with N participants (a shared day tomorrow) and N/2 quiet
    pairs: the first run queues every mail, the second finds each one recorded (no mail)."""
    from applications.models import Application
    from organisations import reminders
    from organisations.models import OutgoingMail
    from pairs.models import Pair

    print(
        "Reminders (run_reminders: shared day + quiet pairs; each mail rendered, stored and "
        "handed to the eager task, locmem mail)"
    )
    print(f"{'participants':>14} {'run':>5} {'mails':>7} {'queries':>8} {'seconds':>8}")
    for n in (100, 1000):
        with scopes_disabled():
            tenant, _coordinator, round_ = _tenant_with_round(n, f"rem{n}")
            round_.quiet_pair_weeks = 4
            round_.save(update_fields=["quiet_pair_weeks"])
            SharedMeeting.objects.create(
                tenant=tenant,
                round=round_,
                title="Imorgon",
                date=timezone.localdate() + timedelta(days=1),
                starts_at=time(9),
                ends_at=time(15),
            )
            people = list(
                Participant.objects.filter(round=round_).select_related("user", "organisation")
            )
            mentors = [p for p in people if p.role == "mentor"]
            adepts = [p for p in people if p.role == "adept"]
            started = timezone.now() - timedelta(days=70)
            apps = {}
            for p in people:
                apps[p.pk] = Application.objects.create(
                    tenant=tenant,
                    round=round_,
                    user=p.user,
                    role=p.role,
                    stage=Application.Stage.MATCHED,
                    full_name=p.user.full_name,
                    email=p.user.email,
                    organisation=p.organisation,
                )
            Pair.objects.bulk_create(
                [
                    Pair(
                        tenant=tenant,
                        round=round_,
                        mentor=apps[m.pk],
                        adept=apps[a.pk],
                        mentor_user=m.user,
                        adept_user=a.user,
                        started_at=started,
                    )
                    for m, a in zip(mentors, adepts, strict=False)
                ]
            )
        for run in (1, 2):
            with scopes_disabled():
                before = OutgoingMail.objects.count()
            with capture(connection) as ctx:
                start = clock()
                reminders.run_reminders(names=["shared-day", "quiet-pairs"])
                seconds = clock() - start
            with scopes_disabled():
                mails = OutgoingMail.objects.count() - before
            print(f"{n:>14} {run:>5} {mails:>7} {len(ctx.captured_queries):>8} {seconds:>8.2f}")
    print()


def survey_results(capture, clock):
    """The results page of a final survey (built-in template) at growing numbers of answers:
    the query count stays the same."""
    from evaluation import services as survey_services
    from evaluation.models import SurveyQuestion

    print("Survey results page (GET /<tenant>/manage/surveys/<id>/results/)")
    print(f"{'respondents':>14} {'queries':>8} {'median ms':>10}")
    for n in (10, 100, 400):
        with scopes_disabled():
            tenant, coordinator, round_ = _tenant_with_round(n, f"survey{n}")
        with scope(tenant=tenant):
            survey = survey_services.create_survey(
                tenant=tenant, actor=coordinator, round_=round_, kind="final"
            )
            survey.opens_at = timezone.now() - timedelta(days=1)
            survey.closes_at = timezone.now() + timedelta(days=10)
            survey.ask_goals = False
            survey.save()
            survey_services.publish_survey(tenant=tenant, actor=coordinator, survey=survey)
            people = Participant.objects.filter(round=round_).select_related("user")
            for i, p in enumerate(people):
                answers = {}
                for q in survey_services.questions_for(survey, p.role):
                    if q.kind == SurveyQuestion.Kind.SCALE:
                        answers[q.pk] = str(1 + (i + q.pk) % 5)
                    elif q.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
                        answers[q.pk] = [q.choices[i % len(q.choices)]]
                    else:
                        answers[q.pk] = f"Svar {i} på fråga {q.pk}."
                survey_services.submit_response(
                    tenant=tenant, user=p.user, survey=survey, role=p.role, answers=answers
                )
        client = Client()
        client.force_login(coordinator)
        url = f"/{tenant.slug}/manage/surveys/{survey.pk}/results/"
        assert client.get(url).status_code == 200
        timings = []
        for _ in range(5):
            with capture(connection) as ctx:
                start = clock()
                response = client.get(url)
                timings.append((clock() - start) * 1000)
            assert response.status_code == 200
        timings.sort()
        print(f"{n:>14} {len(ctx.captured_queries):>8} {timings[len(timings) // 2]:>10.1f}")
    print()


ALL += [reminders_run, survey_results]


# --- lists that scale (issue 13) ---------------------------------------------------------------

# The figures issue 13 measured before the lists paged (1,000 applications in one round).
LISTS_BEFORE = {
    "review list": {"kb": 1000, "ms": 1000},
    "proposal": {"kb": 2200},
    "pairs": {"kb": 660},
}


def _lists_world(n, tag, paired_share=0.4):
    """A round with ``n`` applications from 20 organisations (imported through the import
    service), ``paired_share`` of them (40 %) in pairs with meetings, their participants, a
    proposal of those pairs, 10 shared days, and as many outbox mails, log rows and a few
    messages."""
    import uuid

    from matching.models import Proposal, ProposedPair
    from messaging.models import MessageAudience, RoundMessage
    from organisations.models import ActivityLog, OutgoingMail
    from pairs.models import Pair, PairMeeting

    with scopes_disabled():
        tenant, coordinator, round_ = _tenant_with_round(0, tag)
        orgs = list(Organisation.objects.filter(tenant=tenant).order_by("pk"))
        hr = get_user_model().objects.create_user(
            email=f"hr-{tag}@x.example", password="bench-password-1"
        )
        membership = Membership.objects.create(tenant=tenant, user=hr, is_hr_contact=True)
        membership.organisations.set(orgs[:2])
        for k in range(10):
            SharedMeeting.objects.create(
                tenant=tenant,
                round=round_,
                title=f"Dag {k}",
                date=timezone.localdate() + timedelta(days=20 * k - 60),
                starts_at=time(9),
                ends_at=time(15),
            )
    header = "role;first_name;last_name;email;organisation;title;manager_level;years_as_manager"
    lines = [header] + [
        f"{'mentor' if i % 2 else 'adept'};Åsa;Östling {i:04};{tag}-{i}@x.example;"
        f"{orgs[i % len(orgs)].name};Enhetschef;first_line;{i % 20}"
        for i in range(n)
    ]
    with scope(tenant=tenant):
        result = importing.import_applications(
            tenant=tenant,
            round_=round_,
            actor=coordinator,
            data="\r\n".join(lines).encode("utf-8"),
            filename="bench.csv",
            stage=Application.Stage.UNDER_REVIEW,
        )
        assert result.ok, result.errors[:5]
    with scopes_disabled():
        apps = list(Application.objects.filter(round=round_).order_by("pk"))
        paired = int(n * paired_share) // 2
        mentors = [a for a in apps if a.role == "mentor"][:paired]
        adepts = [a for a in apps if a.role == "adept"][:paired]
        Application.objects.filter(pk__in=[a.pk for a in mentors + adepts]).update(
            stage=Application.Stage.MATCHED
        )
        users = {a.pk: a.user_id for a in apps}
        Participant.objects.bulk_create(
            [
                Participant(
                    tenant=tenant,
                    round=round_,
                    user_id=users[a.pk],
                    role=a.role,
                    organisation_id=a.organisation_id,
                )
                for a in mentors + adepts
            ]
        )
        started = timezone.now() - timedelta(days=90)
        pairs = Pair.objects.bulk_create(
            [
                Pair(
                    tenant=tenant,
                    round=round_,
                    mentor=m,
                    adept=a,
                    mentor_user_id=users[m.pk],
                    adept_user_id=users[a.pk],
                    started_at=started,
                )
                for m, a in zip(mentors, adepts, strict=True)
            ]
        )
        PairMeeting.objects.bulk_create(
            [
                PairMeeting(
                    tenant=tenant,
                    pair=p,
                    date=timezone.localdate() - timedelta(days=7 * k),
                    minutes=60,
                )
                for p in pairs
                for k in range(3)
            ]
        )
        paired = {a.pk for a in adepts}
        unmatched = [
            {
                "adept": a.pk,
                "name": a.full_name,
                "kind": "excluded",
                "text": "Alla mentorer utesluts av en regel. Samma organisation: 12 mentorer.",
                "rules": [{"rule": "organisation", "label": "Samma organisation", "count": 12}],
            }
            for a in apps
            if a.role == "adept" and a.pk not in paired
        ]
        proposal = Proposal.objects.create(
            tenant=tenant,
            round=round_,
            name="Förslag",
            summary={"unmatched": len(unmatched), "unmatched_reasons": unmatched},
        )
        ProposedPair.objects.bulk_create(
            [
                ProposedPair(
                    tenant=tenant,
                    proposal=proposal,
                    mentor=p.mentor,
                    adept=p.adept,
                    score=i % 97,
                    explanation={"region": {"points": 3, "reason": "Samma region"}},
                )
                for i, p in enumerate(pairs)
            ]
        )
        OutgoingMail.objects.bulk_create(
            [
                OutgoingMail(
                    tenant=tenant,
                    purpose="bench",
                    to=f"{tag}-{i}@x.example",
                    language="sv",
                    subject=f"Ämne {i}",
                    body="Hej",
                )
                for i in range(n)
            ]
        )
        ActivityLog.objects.bulk_create(
            [
                ActivityLog(
                    tenant=tenant, actor=coordinator, action="bench.done", object_repr=str(i)
                )
                for i in range(n)
            ]
        )
        RoundMessage.objects.bulk_create(
            [
                RoundMessage(
                    tenant=tenant,
                    round=round_,
                    audience=MessageAudience.EVERYONE,
                    subject=f"Meddelande {i}",
                    body="Hej",
                    sent_by=coordinator,
                    idempotency_key=uuid.uuid4(),
                )
                for i in range(n // 10)
            ]
        )
    from django.urls import reverse

    slug, r = tenant.slug, round_.pk
    urls = {
        "review list": (coordinator, reverse("applications:review_list", args=[slug, r])),
        "HR list": (hr, reverse("applications:hr_list", args=[slug, r])),
        "participants": (coordinator, reverse("programmes:participant_list", args=[slug, r])),
        "proposal": (coordinator, reverse("matching:proposal", args=[slug, proposal.pk])),
        "pairs": (coordinator, reverse("matching:pairs", args=[slug, r])),
        "HR pairs": (hr, reverse("matching:hr_pairs", args=[slug])),
        "outbox": (coordinator, reverse("organisations:outbox", args=[slug])),
        "activity log": (coordinator, reverse("organisations:activity", args=[slug])),
        "messages": (coordinator, reverse("round_messages:list", args=[slug, r])),
    }
    return tenant, coordinator, round_, urls


def _measure(capture, clock, user, url, runs=5):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        with capture(connection) as ctx:
            start = clock()
            response = client.get(url)
            timings.append((clock() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return len(response.content) / 1024, timings[len(timings) // 2], len(ctx.captured_queries)


def lists_1000(capture, clock):
    """Every list's first page at 100 and 1,000 applications from 20 organisations: HTML size,
    median server time, queries (the same at both sizes), beside issue 13's figures from before
    the lists paged ("all N that match the filter" is bulk_decision_1000)."""
    print("Lists, first page (1,000 applications from 20 organisations, 400 pairs)")
    worlds = {n: _lists_world(n, f"lists{n}") for n in (100, 1000)}
    print(
        f"{'list':<14} {'KB':>6} {'median ms':>10} {'queries':>8} {'q@100':>6} "
        f"{'KB before':>10} {'ratio':>6} {'ms before':>10} {'ratio':>6}"
    )
    for name in worlds[1000][3]:
        small_q = _measure(capture, clock, *worlds[100][3][name], runs=1)[2]
        kb, ms, queries = _measure(capture, clock, *worlds[1000][3][name])
        before = LISTS_BEFORE.get(name, {})
        kb_before = f"{before['kb']:>10}" if "kb" in before else f"{'–':>10}"
        kb_ratio = f"{kb / before['kb']:>6.2f}" if "kb" in before else f"{'–':>6}"
        ms_before = f"{before['ms']:>10}" if "ms" in before else f"{'–':>10}"
        ms_ratio = f"{ms / before['ms']:>6.2f}" if "ms" in before else f"{'–':>6}"
        print(
            f"{name:<14} {kb:>6.1f} {ms:>10.1f} {queries:>8} {small_q:>6} "
            f"{kb_before} {kb_ratio} {ms_before} {ms_ratio}"
        )
    print()


def bulk_decision_1000(capture, clock):
    """ "All N that match the filter" on the review list: 1,000 applications under review, each
    put on the waiting list under the same rules and row locks as one decision, with its stage
    change, log row and mail. The request is measured as in production: the mails are recorded
    in the outbox and handed to the workers (here an in-memory broker that nobody reads), and
    the sending happens in the worker afterwards (measured on its own below)."""
    from django.urls import reverse

    from mentorship.celery import app as current_app
    from organisations.models import OutgoingMail
    from organisations.outbox import send_outgoing_mails

    tenant, coordinator, round_, _urls = _lists_world(1000, "bulk", paired_share=0)
    client = Client()
    client.force_login(coordinator)
    address = reverse("applications:review_list", args=[tenant.slug, round_.pk])
    data = {"stage": "under_review", "all_matching": "1", "decision": "waitlisted"}
    start = clock()
    response = client.post(address, data)
    ask_ms = (clock() - start) * 1000
    assert response.status_code == 200
    text = response.content.decode()
    count = text.split('name="count" value="')[1].split('"')[0]
    digest = text.split('name="digest" value="')[1].split('"')[0]
    eager, broker = current_app.conf.task_always_eager, current_app.conf.broker_url
    pools = current_app._pool, current_app.amqp._producer_pool
    current_app.conf.task_always_eager, current_app.conf.broker_url = False, "memory://localhost/"
    current_app._pool = current_app.amqp._producer_pool = None
    try:
        with capture(connection) as ctx:
            start = clock()
            response = client.post(
                address, {**data, "confirm": "1", "count": count, "digest": digest}
            )
            seconds = clock() - start
    finally:
        current_app.conf.task_always_eager, current_app.conf.broker_url = eager, broker
        current_app._pool, current_app.amqp._producer_pool = pools
    assert response.status_code == 302
    with scopes_disabled():
        done = Application.objects.filter(round=round_, stage=Application.Stage.WAITLISTED).count()
        waiting = list(
            OutgoingMail.objects.filter(
                tenant=tenant, purpose="decision_waitlisted", status="waiting"
            ).values_list("pk", flat=True)
        )
    start = clock()
    send_outgoing_mails(mail_ids=waiting)
    send_seconds = clock() - start
    print("Select all that match the filter (review list, waiting list for every one)")
    print(
        f"{'matching':>9} {'decided':>8} {'confirm page ms':>16} {'request s':>10} "
        f"{'queries':>8} {'mails':>6} {'worker s':>9} {'s before':>9} {'ratio':>6}"
    )
    print(
        f"{count:>9} {done:>8} {ask_ms:>16.1f} {seconds:>10.2f} {len(ctx.captured_queries):>8} "
        f"{len(waiting):>6} {send_seconds:>9.2f} {BULK_BEFORE_SECONDS * 1000 / 600:>9.1f} "
        f"{seconds / (BULK_BEFORE_SECONDS * 1000 / 600):>6.3f}"
    )
    print(
        "(s before: issue 13's 41 s for 600 applications, scaled to 1,000; the worker sends "
        "through the locmem mail backend)"
    )
    print()


# Issue 13: "all that match" took 41 s for 600 applications (one mail, one publish each).
BULK_BEFORE_SECONDS = 41


ALL += [lists_1000, bulk_decision_1000]


# --- matching side by side (issue 15) --------------------------------------------------------


def matching_compare(capture, clock):
    """Ours end to end, SciPy's bare solve and mentor-match on the same people (100 to 3,000,
    and 2,000 adepts x 1,000 mentors with capacities 1-3): see benchmarks/compare.py."""
    from benchmarks import compare

    compare.matching_compare(capture, clock)


ALL += [matching_compare]
