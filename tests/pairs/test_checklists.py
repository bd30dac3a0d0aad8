"""Checklists as programme content: the coordinator's checklists per programme, copied to each
new round; when each is shown to whom; answers saved by the person only, for items of the
pair's own round; answered items retired, never deleted; the coordinator's pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import ActivityLog
from pairs import checklists
from pairs.models import Checklist, ChecklistItem, ChecklistItemAnswer
from programmes import services as programme_services
from programmes.models import Round
from tests.factories.organisations import MembershipFactory
from tests.matching.test_partner import make_pair, make_round

pytestmark = pytest.mark.django_db

Timing = Checklist.Timing


def client_for(user):
    user.language = "en"
    user.save(update_fields=["language"])
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def coordinator(tenant):
    return MembershipFactory(tenant=tenant, is_coordinator=True).user


@pytest.fixture
def world(tenant):
    round_ = make_round(tenant)
    round_.min_pair_meetings = 6
    round_.ends_on = date(2027, 6, 30)
    round_.save()
    checklists.start_from_template(
        tenant=tenant, actor=None, programme=round_.programme, round_=round_, template="routine"
    )
    return {"round": round_, "pair": make_pair(round_), "other": make_pair(round_)}


# --- timing ----------------------------------------------------------------------------------


def _list(round_, **kw):
    defaults = {"title": "T", "timing": Timing.BEFORE_FIRST, "number": None, "audience": "both"}
    return Checklist(round=round_, **{**defaults, **kw})


def test_after_meeting_n_appears_from_the_nth_meeting_on():
    round_ = Round(ends_on=None, min_pair_meetings=None)
    c = _list(round_, timing=Timing.AFTER_MEETING, number=2)
    due = [
        checklists.is_due(c, role="adept", meeting_count=n, round_=round_, today=date(2027, 1, 1))
        for n in range(4)
    ]
    assert due == [False, False, True, True]


def test_near_end_appears_n_weeks_before_the_end_or_at_the_last_meeting():
    round_ = Round(ends_on=date(2027, 6, 30), min_pair_meetings=6)
    c = _list(round_, timing=Timing.NEAR_END, number=4)

    def due(count, today):
        return checklists.is_due(c, role="mentor", meeting_count=count, round_=round_, today=today)

    assert not due(2, date(2027, 5, 1))  # 8 weeks before
    assert due(2, date(2027, 6, 2))  # exactly 4 weeks before
    assert due(5, date(2027, 1, 1))  # one short of the minimum: the last meeting
    assert not due(0, date(2027, 1, 1))
    # A round with no end date: only the last meeting counts.
    assert not checklists.is_due(
        c, role="mentor", meeting_count=2, round_=Round(), today=date(2027, 6, 29)
    )


def test_on_request_is_always_there_and_before_first_only_until_a_meeting():
    round_ = Round()
    today = date(2027, 1, 1)
    on_request = _list(round_, timing=Timing.ON_REQUEST)
    before = _list(round_, timing=Timing.BEFORE_FIRST)
    for n in (0, 1, 9):
        assert checklists.is_due(
            on_request, role="adept", meeting_count=n, round_=round_, today=today
        )
    assert checklists.is_due(before, role="adept", meeting_count=0, round_=round_, today=today)
    assert not checklists.is_due(before, role="adept", meeting_count=1, round_=round_, today=today)


def test_for_whom_and_retired():
    round_ = Round()
    today = date(2027, 1, 1)
    for_mentors = _list(round_, audience="mentor")
    assert checklists.is_due(
        for_mentors, role="mentor", meeting_count=0, round_=round_, today=today
    )
    assert not checklists.is_due(
        for_mentors, role="adept", meeting_count=0, round_=round_, today=today
    )
    retired = _list(round_, is_retired=True)
    assert not checklists.is_due(retired, role="adept", meeting_count=0, round_=round_, today=today)


# --- content ---------------------------------------------------------------------------------


def test_templates_are_inserted_in_the_coordinators_language(tenant, coordinator):
    programme = make_round(tenant).programme
    (relationship,) = checklists.start_from_template(
        tenant=tenant,
        actor=coordinator,
        programme=programme,
        template="relationship",
        language="en",
    )
    assert relationship.round is None and relationship.timing == Timing.ON_REQUEST
    texts = list(relationship.items.values_list("text", "kind"))
    assert len(texts) == 5 and all(kind == "tick" for _t, kind in texts)
    assert "first contact" in texts[0][0]
    assert "5–8 over a year" in texts[3][0]
    routine = checklists.start_from_template(
        tenant=tenant, actor=coordinator, programme=programme, template="routine", language="en"
    )
    assert [c.template_key for c in routine] == ["first", "third", "last"]
    assert [c.order for c in checklists.checklists_of(tenant=tenant, programme=programme)] == [
        1,
        2,
        3,
        4,
    ]
    # Seed 004's "Mötesstruktur – samarbetskontrakt" is in the first checklist.
    structure = routine[0].items.get(template_key="meeting_structure")
    assert structure.kind == "tick" and "collaboration contract" in structure.text
    with pytest.raises(ValidationError):
        checklists.start_from_template(
            tenant=tenant, actor=coordinator, programme=programme, template="nope"
        )


def test_a_new_or_copied_round_copies_the_programmes_checklists(tenant, coordinator):
    programme = make_round(tenant).programme
    made = checklists.start_from_template(
        tenant=tenant, actor=coordinator, programme=programme, template="routine", language="en"
    )
    checklists.set_item_retired(
        tenant=tenant, actor=coordinator, item=made[0].items.first(), retired=True
    )
    checklists.set_checklist_retired(
        tenant=tenant, actor=coordinator, checklist=made[2], retired=True
    )
    round_ = programme_services.save_round(
        tenant=tenant,
        actor=coordinator,
        round_=Round(tenant=tenant, programme=programme, name="Omgång 8"),
    )
    copies = list(round_.checklists.order_by("order"))
    assert [c.copied_from for c in copies] == [made[0], made[1]]
    assert copies[0].items.count() == made[0].items.count() - 1
    # Editing the round's copy leaves the programme's as it was.
    checklists.update_checklist(
        tenant=tenant, actor=coordinator, checklist=copies[0], data={"title": "Bara omgång 8"}
    )
    made[0].refresh_from_db()
    assert made[0].title == "Before the first meeting"
    copied = programme_services.copy_round(
        tenant=tenant, actor=coordinator, source=round_, name="Omgång 9", offset_days=365
    )
    assert [c.title for c in copied.checklists.all()] == [
        "Before the first meeting",
        "After the third meeting",
    ]


def test_validation_and_order(tenant, coordinator):
    programme = make_round(tenant).programme
    with pytest.raises(ValidationError) as error:
        checklists.create_checklist(
            tenant=tenant,
            actor=coordinator,
            programme=programme,
            data={"title": "", "timing": Timing.AFTER_MEETING, "number": None},
        )
    assert set(error.value.error_dict) == {"title", "number"}
    assert not Checklist.objects.exists()
    a = checklists.create_checklist(
        tenant=tenant, actor=coordinator, programme=programme, data={"title": "A"}
    )
    b = checklists.create_checklist(
        tenant=tenant,
        actor=coordinator,
        programme=programme,
        data={"title": "B", "timing": Timing.NEAR_END, "number": 6, "audience": "mentor"},
    )
    checklists.move_checklist(tenant=tenant, actor=coordinator, checklist=b, direction="up")
    assert [c.title for c in checklists.checklists_of(tenant=tenant, programme=programme)] == [
        "B",
        "A",
    ]
    one = checklists.add_item(tenant=tenant, actor=coordinator, checklist=a, data={"text": "1"})
    two = checklists.add_item(
        tenant=tenant, actor=coordinator, checklist=a, data={"text": "2", "kind": "tick"}
    )
    checklists.move_item(tenant=tenant, actor=coordinator, item=two, direction="up")
    assert list(a.items.all()) == [two, one]
    with pytest.raises(ValidationError):
        checklists.add_item(tenant=tenant, actor=coordinator, checklist=a, data={"text": " "})


def test_answered_items_are_retired_not_deleted(world, coordinator):
    tenant, pair = world["round"].tenant, world["pair"]
    first = world["round"].checklists.get(template_key="first")
    values = first.items.get(template_key="values")
    unanswered = first.items.get(template_key="background")
    checklists.save_answers(
        tenant=tenant,
        actor=pair.adept_user,
        pair=pair,
        checklist_id=first.pk,
        answers={values.pk: {"text": "Ärlighet"}},
    )
    with pytest.raises(ValidationError):
        checklists.delete_item(tenant=tenant, actor=coordinator, item=values)
    with pytest.raises(ValidationError):
        checklists.delete_checklist(tenant=tenant, actor=coordinator, checklist=first)
    with pytest.raises(ValidationError):
        checklists.update_item(
            tenant=tenant, actor=coordinator, item=values, data={"text": "x", "kind": "tick"}
        )
    checklists.set_item_retired(tenant=tenant, actor=coordinator, item=values, retired=True)
    assert ChecklistItemAnswer.objects.filter(item=values).exists()
    due = checklists.due_checklists(pair=pair, role="adept", meeting_count=0)
    assert values not in due[0].live_items
    checklists.delete_item(tenant=tenant, actor=coordinator, item=unanswered)
    assert not ChecklistItem.objects.filter(pk=unanswered.pk).exists()


# --- answers ---------------------------------------------------------------------------------


def test_answers_are_checked_against_the_round_and_the_role(world, coordinator, other_tenant):
    tenant, pair = world["round"].tenant, world["pair"]
    first = world["round"].checklists.get(template_key="first")
    tick = first.items.get(template_key="meeting_structure")
    third = world["round"].checklists.get(template_key="third")
    # An item of another checklist is refused.
    with pytest.raises(Http404):
        checklists.save_answers(
            tenant=tenant,
            actor=pair.adept_user,
            pair=pair,
            checklist_id=first.pk,
            answers={third.items.first().pk: {"text": "x"}},
        )
    # A checklist of another round (the programme's own, here) is refused.
    programme_list = checklists.create_checklist(
        tenant=tenant, actor=coordinator, programme=world["round"].programme, data={"title": "P"}
    )
    with pytest.raises(Http404):
        checklists.save_answers(
            tenant=tenant,
            actor=pair.adept_user,
            pair=pair,
            checklist_id=programme_list.pk,
            answers={},
        )
    # A checklist for mentors only is refused to the adept.
    checklists.update_checklist(
        tenant=tenant, actor=coordinator, checklist=first, data={"title": "F", "audience": "mentor"}
    )
    with pytest.raises(Http404):
        checklists.save_answers(
            tenant=tenant, actor=pair.adept_user, pair=pair, checklist_id=first.pk, answers={}
        )
    # Someone outside the pair is refused.
    with pytest.raises(Http404):
        checklists.save_answers(
            tenant=tenant,
            actor=world["other"].adept_user,
            pair=pair,
            checklist_id=first.pk,
            answers={},
        )
    rows = checklists.save_answers(
        tenant=tenant,
        actor=pair.mentor_user,
        pair=pair,
        checklist_id=first.pk,
        answers={tick.pk: {"done": True, "text": "ignored for a tick"}},
    )
    assert [(r.item, r.done, r.text) for r in rows] == [(tick, True, "")]
    log = ActivityLog.objects.filter(action="matching.checklist_saved").get()
    assert log.data == {"checklist": first.pk}


def test_too_long_an_answer_saves_nothing(world):
    tenant, pair = world["round"].tenant, world["pair"]
    first = world["round"].checklists.get(template_key="first")
    a, b = first.items.all()[:2]
    with pytest.raises(ValidationError):
        checklists.save_answers(
            tenant=tenant,
            actor=pair.adept_user,
            pair=pair,
            checklist_id=first.pk,
            answers={a.pk: {"text": "ok"}, b.pk: {"text": "x" * 4001}},
        )
    assert not ChecklistItemAnswer.objects.exists()


def test_anonymising_removes_the_answers(world):
    from pairs.services import anonymise

    tenant, pair = world["round"].tenant, world["pair"]
    first = world["round"].checklists.get(template_key="first")
    item = first.items.first()
    checklists.save_answers(
        tenant=tenant,
        actor=pair.adept_user,
        pair=pair,
        checklist_id=first.pk,
        answers={item.pk: {"text": "Min bakgrund"}},
    )
    anonymise(application_ids=[pair.adept_id])
    assert not ChecklistItemAnswer.objects.exists()
    assert ChecklistItem.objects.filter(pk=item.pk).exists()


# --- pages -----------------------------------------------------------------------------------


def test_the_coordinator_builds_a_programmes_checklists_in_the_browser(tenant, coordinator):
    programme = make_round(tenant).programme
    c = client_for(coordinator)
    base = reverse("checklists:programme", args=[tenant.slug, programme.pk])
    page = c.get(reverse("programmes:programme_detail", args=[tenant.slug, programme.pk]))
    assert base in page.content.decode()
    response = c.post(
        reverse("checklists:programme_template", args=[tenant.slug, programme.pk]),
        {"template": "relationship"},
    )
    assert response.status_code == 302
    page = c.get(base).content.decode()
    assert "The mentor–adept relationship" in page
    # Bad input: an error, nothing saved.
    response = c.post(base, {"title": "", "timing": "after_meeting", "audience": "both"})
    assert response.status_code == 400
    assert "Give the checklist a title." in response.content.decode() or "required" in (
        response.content.decode()
    )
    assert Checklist.objects.count() == 1
    response = c.post(
        base, {"title": "Halvtid", "timing": "after_meeting", "number": "4", "audience": "adept"}
    )
    halfway = Checklist.objects.get(title="Halvtid")
    assert response.url == reverse("checklists:checklist", args=[tenant.slug, halfway.pk])
    c.post(
        reverse("checklists:item_add", args=[tenant.slug, halfway.pk]),
        {"new-text": "Vad har vi lärt oss?", "new-kind": "question"},
    )
    item = halfway.items.get()
    c.post(
        reverse("checklists:item_edit", args=[tenant.slug, item.pk]),
        {"text": "Vad har vi lärt oss hittills?", "kind": "question"},
    )
    item.refresh_from_db()
    assert item.text == "Vad har vi lärt oss hittills?"
    c.post(reverse("checklists:checklist_up", args=[tenant.slug, halfway.pk]))
    assert checklists.checklists_of(tenant=tenant, programme=programme)[0] == halfway
    c.post(reverse("checklists:item_delete", args=[tenant.slug, item.pk]))
    assert not halfway.items.exists()
    c.post(reverse("checklists:checklist_retire", args=[tenant.slug, halfway.pk]))
    halfway.refresh_from_db()
    assert halfway.is_retired


def test_the_rounds_checklists_are_under_setup_in_its_menu(world, coordinator):
    round_ = world["round"]
    c = client_for(coordinator)
    url = reverse("checklists:round", args=[round_.tenant.slug, round_.pk])
    page = c.get(reverse("programmes:round_dashboard", args=[round_.tenant.slug, round_.pk]))
    assert url in page.content.decode()
    page = c.get(url).content.decode()
    assert 'aria-current="page"' in page
    assert "Before the first meeting" in page and "After the third meeting" in page


def test_a_participant_answers_on_the_pair_page_and_another_pair_is_refused(world):
    pair, other = world["pair"], world["other"]
    first = world["round"].checklists.get(template_key="first")
    tick = first.items.get(template_key="meeting_structure")
    page_url = reverse("matching_pairwork:pair", args=[pair.tenant.slug, pair.pk])
    post_url = reverse(
        "matching_pairwork:checklist",
        kwargs={"tenant": pair.tenant.slug, "pk": pair.pk, "checklist_pk": first.pk},
    )
    adept = client_for(pair.adept_user)
    response = adept.post(post_url, {f"c{first.pk}-item_{tick.pk}": "on"})
    assert response.status_code == 302
    assert ChecklistItemAnswer.objects.get(pair=pair, user=pair.adept_user).done
    page = adept.get(page_url).content.decode()
    assert f'name="c{first.pk}-item_{tick.pk}"' in page and "checked" in page
    # A participant of another pair: 404, nothing saved.
    response = client_for(other.adept_user).post(post_url, {f"c{first.pk}-item_{tick.pk}": "on"})
    assert response.status_code == 404
    assert ChecklistItemAnswer.objects.count() == 1
    # The pair's own page with another pair's checklist id (another round's): 404.
    other_round = make_round(pair.tenant, name="Omgång 8")
    (foreign,) = checklists.start_from_template(
        tenant=pair.tenant,
        actor=None,
        programme=other_round.programme,
        round_=other_round,
        template="relationship",
    )
    response = adept.post(
        reverse(
            "matching_pairwork:checklist",
            kwargs={"tenant": pair.tenant.slug, "pk": pair.pk, "checklist_pk": foreign.pk},
        ),
        {},
    )
    assert response.status_code == 404


def test_the_pairs_due_checklists_follow_the_meetings(world):
    pair = world["pair"]
    pair.round.ends_on = timezone.localdate() + timedelta(days=300)
    assert [
        c.template_key for c in checklists.due_checklists(pair=pair, role="adept", meeting_count=3)
    ] == ["third"]
