"""Each criterion on its own: its score, its reason, and that the array form (used for every
candidate pair at once) agrees with the one-pair form (used for the explanations).

No database: the criteria work on plain ``Person`` records; the settings are an unsaved model.
"""

import random

import numpy as np
import pytest

from matching import criteria
from matching.models import MatchingSettings
from matching.regions import are_neighbours, region_key
from programmes.models import ManagerLevel

FIRST, MOM, SENIOR = (
    ManagerLevel.FIRST_LINE,
    ManagerLevel.MANAGER_OF_MANAGERS,
    ManagerLevel.SENIOR_EXECUTIVE,
)


def person(n, **kw):
    kw.setdefault("name", f"Person {n}")
    kw.setdefault("email", f"p{n}@example.se")
    return criteria.person(application_id=n, user_id=n, **kw)


def pool(adepts, mentors, **kw):
    return criteria.Pool(adepts=list(adepts), mentors=list(mentors), **kw)


def settings(**kw):
    return MatchingSettings(**kw)


def one(preference, adept, mentor, **pool_kw):
    """(array score, explained score, reason) for a single pair."""
    p = pool([adept], [mentor], **pool_kw)
    array = preference.scores(p)
    assert array.shape == (1, 1)
    score, reason = preference.explain(p, adept, mentor)
    assert array[0, 0] == pytest.approx(score)
    return score, reason


# --- geography --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Västra Götaland", "västra götaland"),
        ("Västra Götalands län", "västra götaland"),
        ("Region Västra Götaland", "västra götaland"),
        ("Västra Götalandsregionen", "västra götaland"),
        ("Region Halland", "halland"),
        ("Hallands län", "halland"),
        ("Jönköpings län", "jönköping"),
        ("Dalsland", "fyrbodal"),
        ("Göteborgsregionen", "göteborgsregionen"),
        ("  ", None),
        ("Kvarnådalen", "kvarnådalen"),
    ],
)
def test_region_keys(text, key):
    assert region_key(text) == key


def test_neighbouring_regions_table():
    for a, b in [
        ("västra götaland", "halland"),
        ("västra götaland", "värmland"),
        ("västra götaland", "jönköping"),
        ("fyrbodal", "värmland"),
        ("halland", "skåne"),
        ("stockholm", "uppsala"),
    ]:
        assert are_neighbours(a, b) and are_neighbours(b, a)
    assert not are_neighbours("skåne", "norrbotten")
    assert not are_neighbours("gotland", "stockholm")
    assert not are_neighbours(None, "halland")


@pytest.mark.parametrize(
    ("adept", "mentor", "score", "reason"),
    [
        (
            {"region": "Västra Götaland", "place": "Borås"},
            {"region": "Västra Götalands län", "place": "Borås"},
            1.0,
            "Both work in Borås.",
        ),
        (
            {"region": "Västra Götaland", "place": "Borås"},
            {"region": "Västra Götalandsregionen", "place": "Göteborg"},
            0.7,
            "Both work in Västra Götaland.",
        ),
        (
            {"region": "Halland"},
            {"region": "Västra Götaland"},
            0.4,
            "Halland and Västra Götaland are neighbouring regions.",
        ),
        (
            {"region": "Dalsland"},
            {"region": "Värmlands län"},
            0.4,
            "Dalsland and Värmlands län are neighbouring regions.",
        ),
        (
            {"region": "Skåne"},
            {"region": "Norrbotten"},
            0.0,
            "Far apart: the adept works in Skåne, the mentor in Norrbotten.",
        ),
        ({"region": ""}, {"region": "Halland"}, 0.0, "Where one of them works is not stated."),
    ],
)
def test_geography(adept, mentor, score, reason):
    got, text = one(criteria.Geography(), person(1, **adept), person(2, **mentor))
    assert got == pytest.approx(score)
    assert text == reason


# --- experience and level -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("adept", "mentor", "score", "words"),
    [
        ((FIRST, 3), (SENIOR, 15), 1.0, ["a level above the adept", "12 more years"]),
        ((FIRST, 3), (MOM, 8), 0.75, ["a level above", "5 more years"]),
        ((MOM, 4), (MOM, 9), 0.55, ["same level", "5 more years"]),
        ((MOM, 10), (FIRST, 4), 0.0, ["lower level", "no more years"]),
        (("", None), (SENIOR, 20), 0.0, ["not stated"]),
    ],
)
def test_experience(adept, mentor, score, words):
    got, text = one(
        criteria.Experience(),
        person(1, manager_level=adept[0], years=adept[1]),
        person(2, manager_level=mentor[0], years=mentor[1]),
    )
    assert got == pytest.approx(score)
    for word in words:
        assert word in text


# --- sector ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "m", "score", "reason"),
    [
        (
            "municipality",
            "region",
            1.0,
            "Different sectors: the adept works in a municipality, the mentor in a region.",
        ),
        ("municipality", "municipality", 0.0, "Same sector (municipality)."),
        ("", "region", 0.0, "The organisation of one of them is not stated."),
    ],
)
def test_sector(a, m, score, reason):
    got, text = one(
        criteria.Sector(), person(1, organisation_kind=a), person(2, organisation_kind=m)
    )
    assert got == score
    assert text == reason


# --- another area, another field of work ------------------------------------------------------


def test_another_area_scores_two_units_and_says_which():
    def at(n, org_id, name, root_id=10, root="Sjukhusgruppen"):
        return person(
            n,
            organisation_id=org_id,
            organisation_name=name,
            root_id=root_id,
            root_name=root,
        )

    area = criteria.OtherArea()
    assert one(area, at(1, 1, "Medicin"), at(2, 2, "Kirurgi")) == (
        1.0,
        "Different areas of Sjukhusgruppen: the adept works in Medicin, the mentor in Kirurgi.",
    )
    assert one(area, at(1, 1, "Medicin"), at(2, 1, "Medicin")) == (
        0.0,
        "Same area or unit (Medicin).",
    )
    assert one(area, at(1, 1, "Alvby", 1, "Alvby"), at(2, 5, "Borby", 5, "Borby")) == (
        1.0,
        "Different organisations: the adept works at Alvby, the mentor at Borby.",
    )
    assert one(area, person(1), at(2, 1, "Medicin"))[0] == 0.0


@pytest.mark.parametrize(
    ("a", "m", "score"),
    [
        ("Skola", "skolan", 0.0),  # the same word, by stem
        ("Äldreomsorg", "Skola och fritids", 1.0),
        ("Omvårdnad", "Vård", 1.0),  # not a substring match
        ("", "Skola", 0.0),
        ("Teknisk förvaltning, gata", "Gata och park", 0.0),
    ],
)
def test_another_field_of_work_compares_words(a, m, score):
    got, text = one(criteria.OtherField(), person(1, work_field=a), person(2, work_field=m))
    assert got == score
    if not a:
        assert text == "The field of work of one of them is not stated."
    elif score:
        assert text == f"Different fields of work: the adept in {a}, the mentor in {m}."
    else:
        assert text.startswith("Same field of work")


def test_education_compares_whole_words():
    education = criteria.Education()
    assert one(
        education,
        person(1, education="Socionomexamen, ledarskap"),
        person(2, education="Socionomexamen och ekonomi"),
    ) == (0.5, "Both name “socionomexamen” in their education.")
    assert one(education, person(1, education="Vård"), person(2, education="Omvårdnad")) == (
        0.0,
        "Their education has no words in common.",
    )
    assert one(education, person(1), person(2, education="Jurist"))[1] == (
        "The education of one of them is not stated."
    )


def test_described_experience_finds_the_adepts_goals_in_the_mentors_experience():
    adept = person(1, motivation="Jag vill bli bättre på budget och rekrytering")
    mentor = person(
        2,
        work_experience="Ekonomichef; ansvarat för budgeten i tio år",
        current_assignment="Leder rekryteringen av nya chefer",
    )
    score, reason = one(criteria.DescribedExperience(), adept, mentor)
    assert score == 1.0
    assert reason == (
        "The adept's goals name “budget”, “rekrytering”, which the mentor's experience also names."
    )
    assert one(criteria.DescribedExperience(), adept, person(3, work_experience="Skola"))[0] == 0
    assert one(criteria.DescribedExperience(), person(4), mentor)[1] == (
        "The adept described no goals or wishes."
    )


def test_the_new_preferences_weigh_nothing_unless_a_round_asks():
    adept = person(1, organisation_id=1, organisation_name="A", work_field="Skola")
    mentor = person(2, organisation_id=2, organisation_name="B", work_field="Vård")
    p = pool([adept], [mentor])
    points, explanation = criteria.explain_pair(p, settings(), adept, mentor)
    assert explanation["other_area"]["points"] == 0
    assert explanation["other_field"]["points"] == 0
    points, explanation = criteria.explain_pair(
        p, settings(weight_other_area=4, weight_other_field=3), adept, mentor
    )
    assert explanation["other_area"]["points"] == 4
    assert explanation["other_field"]["points"] == 3


# --- themes ------------------------------------------------------------------------------------------


def test_themes_overlap_is_the_share_of_the_adepts_themes():
    names = {1: "Att leda chefer", 2: "Förändring", 3: "Arbetsmiljö", 4: "Budget"}
    got, text = one(
        criteria.Themes(),
        person(1, themes=frozenset({1, 2, 3})),
        person(2, themes=frozenset({2, 3, 4})),
        theme_names=names,
    )
    assert got == pytest.approx(2 / 3)
    assert text == "Shares 2 of the adept's 3 themes: Arbetsmiljö, Förändring."
    assert (
        one(criteria.Themes(), person(1, themes=frozenset({1})), person(2, themes=frozenset({4})))[
            0
        ]
        == 0
    )
    assert one(criteria.Themes(), person(1), person(2, themes=frozenset({4}))) == (
        0.0,
        "The adept chose no themes.",
    )


# --- the adept's wishes ----------------------------------------------------------------------------


def test_keywords_skip_small_words_and_stem():
    assert criteria.keywords("Jag vill ha en mentor inom skolan, gärna i Göteborg") == {
        "skol": "skolan",
        "göteborg": "göteborg",
    }


def test_wish_for_another_sector():
    adept = person(1, organisation_kind="municipality", prefers_other_sector=True)
    assert one(criteria.Wishes(), adept, person(2, organisation_kind="region")) == (
        1.0,
        "The adept wished for another sector, and the mentor is in one.",
    )
    assert one(criteria.Wishes(), adept, person(3, organisation_kind="municipality"))[0] == 0.0


def test_wished_words_are_found_in_the_mentors_title_organisation_and_region():
    adept = person(1, matching_wishes="Någon som leder skola, helst i Göteborgsregionen")
    both = person(
        2,
        job_title="Grundskolechef",
        organisation_name="Kungälvs kommun",
        region="Göteborgsregionen",
    )
    one_word = person(3, job_title="Grundskolechef", region="Halland")
    none = person(4, job_title="Socialchef", region="Skåne")
    score, text = one(criteria.Wishes(), adept, both)
    assert score == 1.0
    assert "“leder”" not in text and "skola" in text and "göteborgsregionen" in text
    assert one(criteria.Wishes(), adept, one_word)[0] == 0.5
    score, text = one(criteria.Wishes(), adept, none)
    assert score == 0.0 and "none of the wished words" in text


def test_words_for_the_parts_of_an_organisation_are_not_wished_words():
    """Seed 004: "gärna någon från ett annat område" matched "område" in every area's name and
    gave every hospital mentor half the wish's points; another area is a preference of its own."""
    assert criteria.keywords("Gärna någon från ett annat område.") == {}
    assert criteria.keywords("En mindre kommun, helst avdelningen för kirurgi") == {
        "mindr": "mindre",
        "kirurgi": "kirurgi",
    }
    adept = person(1, matching_wishes="Gärna någon från ett annat område.")
    for n, area in enumerate(("Område Kirurgi", "Område Psykiatri"), start=2):
        mentor = person(n, organisation_name=area, job_title="Områdeschef")
        assert one(criteria.Wishes(), adept, mentor) == (
            0.0,
            "The adept's wish has no words to look for in the mentor's title, organisation or "
            "region (another area or sector is weighed on its own).",
        )


def test_both_kinds_of_wish_count_equally():
    adept = person(
        1, organisation_kind="municipality", prefers_other_sector=True, matching_wishes="sjukvård"
    )
    mentor = person(
        2,
        organisation_kind="region",
        job_title="Verksamhetschef",
        organisation_name="Skaraborgs sjukhus",
    )
    assert one(criteria.Wishes(), adept, mentor)[0] == pytest.approx(0.5)
    assert one(criteria.Wishes(), person(3), mentor) == (0.0, "The adept stated no wishes.")


# --- language --------------------------------------------------------------------------------------


def test_language():
    assert criteria.languages("Svenska och English; arabiska") == {
        "svenska",
        "engelska",
        "arabiska",
    }
    assert one(
        criteria.Language(),
        person(1, languages_text="svenska, engelska"),
        person(2, languages_text="English"),
    ) == (1.0, "Shared language: English.")
    score, text = one(
        criteria.Language(), person(1, languages_text="finska"), person(2, languages_text="svenska")
    )
    assert score == 0.0 and text == "No shared language (adept: Finnish; mentor: Swedish)."


# --- arrays and explanations agree on a mixed pool ---------------------------------------------------


def test_array_scores_match_the_explanations_for_every_pair():
    rng = random.Random(7)
    regions = ["Västra Götaland", "Halland", "Värmland", "Skåne", "Dalsland", "", "Sjuhärad"]
    kinds = ["municipality", "region", "agency", ""]
    levels = [FIRST, MOM, SENIOR, ""]
    words = ["skola", "sjukvård", "Borås", "förvaltningschef", "regionen", "ekonomi", ""]

    def random_person(n):
        return person(
            n,
            region=rng.choice(regions),
            place=rng.choice(["Borås", "Alingsås", ""]),
            organisation_kind=rng.choice(kinds),
            organisation_name=rng.choice(["Borås Stad", "Region Halland", "Skolverket"]),
            manager_level=rng.choice(levels),
            years=rng.choice([None, 1, 4, 9, 20]),
            job_title=rng.choice(["Skolchef", "Verksamhetschef sjukvård", "Enhetschef"]),
            themes=frozenset(rng.sample(range(6), rng.randint(0, 3))),
            matching_wishes=" ".join(rng.sample(words, 2)),
            prefers_other_sector=rng.random() < 0.4,
            languages_text=rng.choice(["svenska", "svenska, engelska", "English", "finska"]),
            organisation_id=rng.choice([None, 1, 2, 3]),
            work_field=rng.choice(["Skola", "skolan och fritids", "Äldreomsorg", "", "Teknik"]),
            education=rng.choice(["Socionom", "Civilekonom, ekonomi", "Lärare", ""]),
            work_experience=rng.choice(["Ekonomichef i tio år", "Rektor, skolan", ""]),
            motivation=rng.choice(["Vill utvecklas inom ekonomi och skolan", "Budget", ""]),
        )

    p = pool([random_person(i) for i in range(12)], [random_person(100 + j) for j in range(9)])
    s = settings()
    total = criteria.score_matrix(p, s)
    for preference in criteria.PREFERENCES:
        array = preference.scores(p)
        assert array.shape == (12, 9)
        assert (array >= 0).all() and (array <= 1).all()
        for i, a in enumerate(p.adepts):
            for j, m in enumerate(p.mentors):
                assert array[i, j] == pytest.approx(preference.explain(p, a, m)[0]), (
                    preference.key,
                    i,
                    j,
                )
    for i, a in enumerate(p.adepts):
        for j, m in enumerate(p.mentors):
            points, explanation = criteria.explain_pair(p, s, a, m)
            assert total[i, j] == pytest.approx(points)
            assert set(explanation) == {c.key for c in criteria.PREFERENCES}
            assert sum(e["points"] for e in explanation.values()) == pytest.approx(points, abs=0.05)


def test_a_runs_explanations_are_the_same_as_one_pair_at_a_time():
    """Within a matching run the reasons are worked out once per distinct answer and shared;
    every pair still reads as ``explain_pair`` words it on its own, weights 0 included."""
    rng = random.Random(7)
    regions = ["Västra Götaland", "Halland", "Värmland", "Skåne", "Dalsland", "", "Sjuhärad"]
    kinds = ["municipality", "region", "agency", ""]
    levels = [FIRST, MOM, SENIOR, ""]
    words = ["skola", "sjukvård", "Borås", "förvaltningschef", "regionen", "ekonomi", ""]

    def random_person(n):
        return person(
            n,
            region=rng.choice(regions),
            place=rng.choice(["Borås", "Alingsås", ""]),
            organisation_kind=rng.choice(kinds),
            organisation_name=rng.choice(["Borås Stad", "Region Halland", "Skolverket"]),
            manager_level=rng.choice(levels),
            years=rng.choice([None, 1, 4, 9, 20]),
            job_title=rng.choice(["Skolchef", "Verksamhetschef sjukvård", "Enhetschef"]),
            themes=frozenset(rng.sample(range(6), rng.randint(0, 3))),
            matching_wishes=" ".join(rng.sample(words, 2)),
            prefers_other_sector=rng.random() < 0.4,
            languages_text=rng.choice(["svenska", "svenska, engelska", "English", "finska"]),
            organisation_id=rng.choice([None, 1, 2, 3]),
            work_field=rng.choice(["Skola", "skolan och fritids", "Äldreomsorg", "", "Teknik"]),
            education=rng.choice(["Socionom", "Civilekonom, ekonomi", "Lärare", ""]),
            work_experience=rng.choice(["Ekonomichef i tio år", "Rektor, skolan", ""]),
            motivation=rng.choice(["Vill utvecklas inom ekonomi och skolan", "Budget", ""]),
        )

    p = pool([random_person(i) for i in range(12)], [random_person(100 + j) for j in range(9)])
    s = settings(weight_other_field=0, weight_education=4)
    pairs = [(i, j) for i in range(12) for j in range(9)]
    one_at_a_time = [criteria.explain_pair(p, s, p.adepts[i], p.mentors[j]) for i, j in pairs]
    with criteria.fixed_language():
        together = criteria.explain_pairs(p, s, pairs)
    assert len(together) == len(one_at_a_time)
    for (total, explanation), (total_1, explanation_1) in zip(together, one_at_a_time, strict=True):
        assert total == pytest.approx(total_1)
        assert explanation == explanation_1
        assert list(explanation) == list(explanation_1)


def test_weights_scale_the_points():
    adept, mentor = (
        person(1, region="Halland", place="Varberg"),
        person(2, region="Halland", place="Varberg"),
    )
    p = pool([adept], [mentor])
    points, explanation = criteria.explain_pair(p, settings(weight_geography=10), adept, mentor)
    assert explanation["geography"] == {"points": 10.0, "reason": "Both work in Varberg."}
    _points, explanation = criteria.explain_pair(p, settings(weight_geography=0), adept, mentor)
    assert explanation["geography"]["points"] == 0
    assert explanation["geography"]["reason"].startswith("Not weighed this round.")


# --- hard rules, each on and off ----------------------------------------------------------------------


def masks(p, **kw):
    return criteria.blocked_masks(p, settings(**kw))


def test_same_organisation_rule_and_its_switch():
    adept = person(1, organisation_id=10, organisation_name="Borås Stad")
    same = person(2, organisation_id=10, organisation_name="Borås Stad")
    other = person(3, organisation_id=11, organisation_name="Alingsås kommun")
    p = pool([adept], [same, other])
    assert masks(p)["different_organisation"].tolist() == [[True, False]]
    assert criteria.DifferentOrganisation().breach(p, settings(), adept, same) == (
        "Both work at Borås Stad."
    )
    assert "different_organisation" not in masks(p, require_different_organisation=False)
    assert criteria.allowed_matrix(masks(p, require_different_organisation=False), p.shape).all()


def test_areas_of_one_organisation_are_different_only_if_the_round_says_so():
    adept = person(
        1,
        organisation_id=21,
        organisation_name="Medicinområdet",
        root_id=20,
        root_name="Sjukhusgruppen",
    )
    area = person(
        2,
        organisation_id=22,
        organisation_name="Kirurgiområdet",
        root_id=20,
        root_name="Sjukhusgruppen",
    )
    p = pool([adept], [area])
    assert masks(p)["different_organisation"][0, 0]
    reason = criteria.DifferentOrganisation().breach(p, settings(), adept, area)
    assert "Both belong to Sjukhusgruppen (Medicinområdet and Kirurgiområdet)" in reason
    assert not masks(p, allow_different_area=True)["different_organisation"][0, 0]
    assert (
        criteria.DifferentOrganisation().breach(p, settings(allow_different_area=True), adept, area)
        is None
    )


def test_the_same_person_is_never_their_own_mentor():
    adept = criteria.person(application_id=1, user_id=5, name="Eva")
    mentor = criteria.person(application_id=2, user_id=5, name="Eva")
    p = pool([adept], [mentor])
    every_switch_off = {
        "require_different_organisation": False,
        "require_outside_manager_line": False,
        "require_eligibility": False,
        "exclude_earlier_pairs": False,
    }
    assert masks(p, **every_switch_off)["same_person"][0, 0]


def fetch_from(directory):
    """A ``fetch`` for manager_lines from {email: manager email}, one call per level."""
    calls = []

    def fetch(emails):
        calls.append(set(emails))
        return {e: ({e}, {directory[e]} if directory.get(e) else set()) for e in emails}

    fetch.calls = calls
    return fetch


def test_manager_line_is_followed_through_three_levels_with_cycle_protection():
    directory = {
        "boss1@x.se": "boss2@x.se",
        "boss2@x.se": "boss3@x.se",
        "boss3@x.se": "adept@x.se",
    }  # a loop back to the adept
    fetch = fetch_from(directory)
    lines = criteria.manager_lines({"adept": ({"adept@x.se"}, ["Boss1@x.se"])}, fetch)
    assert lines["adept"] == {"boss1@x.se": 1, "boss2@x.se": 2, "boss3@x.se": 3}
    assert len(fetch.calls) == 3  # one per level, then the loop stops


def test_manager_line_rule_and_its_switch():
    adept = person(1, email="adept@x.se", name="Adam Adept")
    adept.line_above = {"boss1@x.se": 1, "boss2@x.se": 2, "boss3@x.se": 3}
    direct = person(2, email="boss1@x.se", name="Bea Chef")
    top = person(3, email="BOSS3@x.se", name="Dan Direktör")
    outsider = person(4, email="other@y.se")
    below = person(5, email="under@x.se", name="Ulla Under")
    below.line_above = {"adept@x.se": 1}
    p = pool([adept], [direct, top, outsider, below])
    assert masks(p)["manager_line"].tolist() == [[True, True, False, True]]
    rule, s = criteria.ManagerLine(), settings()
    assert rule.breach(p, s, adept, direct) == "Bea Chef is Adam Adept's manager."
    assert rule.breach(p, s, adept, top) == (
        "Dan Direktör is 3 levels above Adam Adept in their line of managers."
    )
    assert rule.breach(p, s, adept, below) == (
        "Adam Adept is above Ulla Under in the mentor's line of managers."
    )
    assert rule.breach(p, s, adept, outsider) is None
    assert "manager_line" not in masks(p, require_outside_manager_line=False)


def test_eligibility_rule_and_its_switch():
    rule = {"manager_levels": [MOM], "min_years_as_manager": 1}
    problems = criteria.eligibility_problems(
        role_label="Adepts", manager_level=FIRST, years=0, rule=rule
    )
    assert problems == (
        "Adepts must be: manager of managers; this person is “first-line manager”.",
        "Adepts need at least 1 years as a manager; this person has 0.",
    )
    adept = person(1, eligibility_problems=problems)
    p = pool([adept, person(2)], [person(3)])
    assert masks(p)["eligibility"].tolist() == [[True], [False]]
    assert (
        criteria.Eligibility()
        .breach(p, settings(), adept, p.mentors[0])
        .startswith("Adepts must be")
    )
    assert "eligibility" not in masks(p, require_eligibility=False)


def test_earlier_pair_rule_and_its_switch():
    adept, mentor, other = person(1, name="Ada"), person(2, name="Mats"), person(3)
    p = pool([adept], [mentor, other], earlier_pairs={(2, 1): "Omgång 14"})
    assert masks(p)["earlier_pair"].tolist() == [[True, False]]
    assert criteria.EarlierPair().breach(p, settings(), adept, mentor) == (
        "Mats and Ada were a pair before (Omgång 14)."
    )
    assert "earlier_pair" not in masks(p, exclude_earlier_pairs=False)


def test_forbidden_pairs_cannot_be_switched_off():
    adept, mentor = person(1), person(2)
    p = pool([adept], [mentor], forbidden={(2, 1): "Känner varandra privat"})
    m = masks(
        p,
        require_different_organisation=False,
        require_outside_manager_line=False,
        require_eligibility=False,
        exclude_earlier_pairs=False,
    )
    assert m["forbidden"][0, 0]
    assert criteria.Forbidden().breach(p, settings(), adept, mentor) == (
        "The coordinator forbade this pair: Känner varandra privat"
    )


def test_capacity_breach_and_its_switch():
    assert (
        criteria.capacity_breach(settings=settings(), mentor_name="Mats", capacity=2, taken=1)
        is None
    )
    assert criteria.capacity_breach(
        settings=settings(), mentor_name="Mats", capacity=2, taken=2
    ) == ("Mats has room for 2 adepts, and all places are taken.")
    assert (
        criteria.capacity_breach(
            settings=settings(enforce_capacity=False), mentor_name="Mats", capacity=1, taken=5
        )
        is None
    )


def test_allowed_matrix_combines_every_rule():
    a1 = person(1, organisation_id=1)
    a2 = person(2, organisation_id=2)
    m1 = person(3, organisation_id=1)
    m2 = person(4, organisation_id=3)
    p = pool([a1, a2], [m1, m2], forbidden={(4, 2): ""})
    allowed = criteria.allowed_matrix(masks(p), p.shape)
    assert allowed.tolist() == [[False, True], [True, False]]
    assert isinstance(allowed, np.ndarray)
