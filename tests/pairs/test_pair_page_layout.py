"""The pair page's look: a menu of its sections, meetings listed without a stray space before
the comma, and the coordinator's pair list with dates in the dense-table format."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import User
from pairs.models import PairMeeting
from tests.factories.organisations import MembershipFactory
from tests.pairs.test_pairwork import client_for, url, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_pair_page_has_a_section_menu_and_clean_meeting_lines(world):  # noqa: F811
    pair = world["pair"]
    PairMeeting.objects.create(
        tenant=pair.tenant,
        pair=pair,
        date=timezone.localdate() - timedelta(days=2),
        minutes=105,
        mode=PairMeeting.Mode.IN_PERSON,
        logged_by=pair.adept_user,
    )
    content = html.unescape(client_for(pair.adept_user).get(url(pair)).content.decode())
    toc = re.search(r'<nav class="page-toc".*?</nav>', content, re.S).group(0)
    assert re.findall(r'href="(#[\w-]+)"', toc)[:1] == ["#agreement"]
    for anchor in ("#plan", "#log", "#end"):
        assert f'href="{anchor}"' in toc
        assert f'id="{anchor[1:]}"' in content
    meeting_list = re.search(r'<ul class="plain-list" id="meeting-list">.*?</ul>', content, re.S)
    line = " ".join(meeting_list.group(0).split())
    assert "105 minutes, In person" in line
    assert " ," not in line


def test_the_pair_list_shows_dates_as_in_a_dense_table(world):  # noqa: F811
    pair = world["pair"]
    coordinator = MembershipFactory(tenant=pair.tenant, is_coordinator=True).user
    User.objects.filter(pk=coordinator.pk).update(language="en")
    started = timezone.localtime(pair.started_at).date()
    response = client_for(coordinator).get(
        reverse("matching:pairs", args=[pair.tenant.slug, pair.round.pk])
    )
    content = response.content.decode()
    assert f"<td>{started:%Y-%m-%d}</td>" in content
    assert not re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b", content)  # no "6 Mar 2026"
