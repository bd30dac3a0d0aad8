"""The benchmark cases. Later issues add theirs to ALL."""

from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from organisations.models import Membership, Organisation, Tenant
from programmes.models import MeetingResponse, Participant, Programme, Round, SharedMeeting


def _tenant_with_round(n_participants, tag):
    User = get_user_model()
    tenant = Tenant.objects.create(slug=f"bench-{tag}", name=f"Bench {tag}", contact_email="b@x.example")
    coordinator = User.objects.create_user(email=f"coord-{tag}@x.example", password="bench-password-1")
    Membership.objects.create(tenant=tenant, user=coordinator, is_coordinator=True)
    orgs = Organisation.objects.bulk_create(
        [Organisation(tenant=tenant, name=f"Org {i}") for i in range(20)])
    programme = Programme.objects.create(tenant=tenant, name="Bench", slug="bench")
    round_ = Round.objects.create(
        tenant=tenant, programme=programme, name="Omgång 1", status=Round.Status.RUNNING,
        starts_on=date.today(), ends_on=date.today() + timedelta(days=365), max_pairs=n_participants)
    users = User.objects.bulk_create(
        [User(email=f"p{i}-{tag}@x.example", full_name=f"Person {i}") for i in range(n_participants)])
    participants = Participant.objects.bulk_create([
        Participant(tenant=tenant, round=round_, user=u, role="mentor" if i % 2 else "adept",
                    organisation=orgs[i % len(orgs)]) for i, u in enumerate(users)])
    meetings = [SharedMeeting.objects.create(
        tenant=tenant, round=round_, title=f"Dag {k}", date=timezone.localdate() + timedelta(days=30 * k),
        starts_at=time(9), ends_at=time(15)) for k in range(1, 5)]
    MeetingResponse.objects.bulk_create([
        MeetingResponse(tenant=tenant, meeting=m, participant=p, attending=bool(i % 3))
        for m in meetings for i, p in enumerate(participants)])
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


ALL = [round_dashboard]
