"""The matching criteria: hard rules and weighted preferences, each a separate, testable piece.

Everything works on a ``Pool``: the round's adepts and mentors as plain ``Person`` records,
prepared once (``selectors.load_pool`` builds it from the database; tests may build it by hand).

Every criterion answers two ways, and both agree (a test checks):

* for all candidate pairs at once, as NumPy arrays of shape (adepts, mentors) — what the
  solver needs; no Python loop over pairs;
* for one pair, with a reason in words — only for the pairs that are shown.

A preference gives a score between 0 and 1; its points are ``weight × score`` with the round's
weight (0–10). A hard rule says which pairs it excludes and why; each can be switched off per
round, except "not the same person" and the coordinator's forbids.
"""

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from django.utils import translation
from django.utils.translation import gettext_lazy

from programmes.models import ManagerLevel

from .regions import are_neighbours, region_key


def _sparse():
    """scipy.sparse, imported when a matching runs: not in every web process at start-up
    (SciPy is some 50 MB of memory; the apps import this module when they are ready)."""
    from scipy import sparse

    return sparse


# --- translations, looked up once per run -----------------------------------------------------

_fixed = threading.local()


def _(message):
    """``gettext``; inside ``fixed_language()`` each message is translated once, not per pair."""
    cache = getattr(_fixed, "cache", None)
    if cache is None:
        return translation.gettext(message)
    text = cache.get(message)
    if text is None:
        text = cache[message] = translation.gettext(message)
    return text


def ngettext(singular, plural, number):
    cache = getattr(_fixed, "cache", None)
    if cache is None:
        return translation.ngettext(singular, plural, number)
    key = (singular, plural, number)
    text = cache.get(key)
    if text is None:
        text = cache[key] = translation.ngettext(singular, plural, number)
    return text


def _memo(key, compute):
    """``compute()``, kept for the rest of the run inside ``fixed_language()``."""
    cache = getattr(_fixed, "cache", None)
    if cache is None:
        return compute()
    text = cache.get(key)
    if text is None:
        text = cache[key] = compute()
    return text


def level_words(level):
    """A manager level in lower-case words ("first-line manager")."""
    return _memo(("level", level), lambda: str(dict(ManagerLevel.choices)[level]).lower())


@contextmanager
def fixed_language():
    """A block in which the active language does not change (one matching run): every message
    of the criteria is looked up in the catalogue once and then reused for all pairs."""
    outer = getattr(_fixed, "cache", None)
    if outer is None:
        _fixed.cache = {}
    try:
        yield
    finally:
        if outer is None:
            _fixed.cache = None


# --- people ---------------------------------------------------------------------------------

LEVEL_RANK = {
    ManagerLevel.FIRST_LINE: 1,
    ManagerLevel.MANAGER_OF_MANAGERS: 2,
    ManagerLevel.SENIOR_EXECUTIVE: 3,
}

LANGUAGE_ALIASES = {
    "svenska": "svenska",
    "swedish": "svenska",
    "sv": "svenska",
    "svensk": "svenska",
    "engelska": "engelska",
    "english": "engelska",
    "en": "engelska",
    "finska": "finska",
    "finnish": "finska",
    "norska": "norska",
    "norwegian": "norska",
    "danska": "danska",
    "danish": "danska",
    "tyska": "tyska",
    "german": "tyska",
    "franska": "franska",
    "french": "franska",
    "spanska": "spanska",
    "spanish": "spanska",
    "arabiska": "arabiska",
    "arabic": "arabiska",
    "persiska": "persiska",
    "persian": "persiska",
    "farsi": "persiska",
    "somaliska": "somaliska",
    "somali": "somaliska",
    "polska": "polska",
    "polish": "polska",
    "teckenspråk": "teckenspråk",
    "meänkieli": "meänkieli",
    "samiska": "samiska",
    "sami": "samiska",
}
LANGUAGE_LABELS = {
    "svenska": gettext_lazy("Swedish"),
    "engelska": gettext_lazy("English"),
    "finska": gettext_lazy("Finnish"),
    "norska": gettext_lazy("Norwegian"),
    "danska": gettext_lazy("Danish"),
    "tyska": gettext_lazy("German"),
    "franska": gettext_lazy("French"),
    "spanska": gettext_lazy("Spanish"),
    "arabiska": gettext_lazy("Arabic"),
    "persiska": gettext_lazy("Persian"),
    "somaliska": gettext_lazy("Somali"),
    "polska": gettext_lazy("Polish"),
    "teckenspråk": gettext_lazy("Swedish Sign Language"),
    "samiska": gettext_lazy("Sami"),
}
_LANGUAGE_NOISE = {"och", "and", "samt", "eller", "or", "flytande", "fluent", "lite", "some"}

_STOPWORDS_TEXT = """
och att det som en ett är för med till på av den har inte jag vill gärna helst från eller men om
kan ska min mitt mina någon något några annan annat andra inom också mycket gärna bra mer mest
mentor mentorn adept chef chefer chefen erfaren erfarenhet erfarenheter arbetar jobbar helst
skulle kunna vara gärna samma eftersom utan under över efter mellan
with from someone would like mentor manager experience other another that this have prefer
preferably someone who works the and for
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
# Words for the parts of an organisation ("another area", "a smaller municipality"): every
# area's or municipality's name contains one, so as wished words they would match every mentor.
# What they mean is weighed by the preferences for another area or sector, not as words.
_UNIT_WORDS_TEXT = """
område avdelning enhet förvaltning verksamhet kommun region sektor organisation bolag
area department unit division sector organisation organization municipality region company
"""
_STEM_ENDINGS = (
    "heten",
    "orna",
    "arna",
    "erna",
    "ande",
    "ende",
    "het",
    "ens",
    "ets",
    "an",
    "en",
    "et",
    "er",
    "ar",
    "or",
    "na",
    "a",
    "e",
    "s",
)
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=65536)
def stem(word):
    """A crude Swedish stem, kept at least four letters: "skolan" → "skol", "vården" → "vård";
    endings come off until none is left, so "budgeten" and "budget" meet in "budg"."""
    while True:
        for ending in _STEM_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)]
                break
        else:
            return word


UNIT_STEMS = frozenset(stem(word) for word in _UNIT_WORDS_TEXT.split())


def keywords(text):
    """The words of a free-text wish worth matching, as {stem: word as written} (neither small
    words nor the words for an organisation's parts, see ``UNIT_STEMS``)."""
    return dict(_keywords(text or ""))


@lru_cache(maxsize=8192)
def _keywords(text):
    out = {}
    for word in _WORD.findall((text or "").lower()):
        if len(word) >= 4 and word not in STOPWORDS and not word.isdigit():
            stemmed = stem(word)
            if stemmed not in UNIT_STEMS:
                out.setdefault(stemmed, word)
    return tuple(out.items())


@lru_cache(maxsize=8192)
def tokens(*texts):
    return frozenset(w for t in texts for w in _WORD.findall((t or "").lower()) if len(w) >= 3)


@lru_cache(maxsize=4096)
def languages(text):
    out = set()
    for word in re.split(r"[\s,;/&+()]+", (text or "").lower()):
        if word and word not in _LANGUAGE_NOISE:
            out.add(LANGUAGE_ALIASES.get(word, word))
    return frozenset(out)


def language_label(code):
    return _memo(("language", code), lambda: str(LANGUAGE_LABELS.get(code, code)))


@dataclass
class Person:
    """One applicant as the criteria see them. Build with ``person(...)``."""

    application_id: int
    user_id: int
    name: str = ""
    emails: frozenset = frozenset()
    organisation_id: int | None = None
    organisation_name: str = ""
    root_id: int | None = None
    root_name: str = ""
    organisation_kind: str = ""
    kind_label: str = ""
    region: str = ""
    region_key: str | None = None
    place: str = ""
    place_key: str | None = None
    manager_level: str = ""
    years: int | None = None
    job_title: str = ""
    work_field: str = ""
    work_field_keys: frozenset = frozenset()
    # Words (by stem: {stem: word as written}) of the free texts: education; what the person
    # describes of their experience and assignment (and, for a mentor, what they want to give);
    # what the person wants from the programme (their goals and wishes).
    education_words: dict = field(default_factory=dict)
    described_words: dict = field(default_factory=dict)
    goal_words: dict = field(default_factory=dict)
    themes: frozenset = frozenset()
    wishes: str = ""
    keywords: dict = field(default_factory=dict)
    prefers_other_sector: bool = False
    languages: frozenset = frozenset()
    offer_tokens: frozenset = frozenset()
    capacity: int = 1  # places left in this round (capacity minus active pairs)
    eligibility_problems: tuple = ()
    # Emails of the people above this person in their line: {email: levels above (1 = manager)}.
    line_above: dict = field(default_factory=dict)

    @property
    def level_rank(self):
        return LEVEL_RANK.get(self.manager_level, 0)


def person(
    *,
    application_id,
    user_id,
    email="",
    user_email="",
    organisation_id=None,
    organisation_name="",
    root_id=None,
    root_name="",
    organisation_kind="",
    kind_label="",
    region="",
    place="",
    matching_wishes="",
    languages_text="svenska",
    education="",
    work_experience="",
    current_assignment="",
    motivation="",
    **rest,
):
    """A ``Person`` with its derived fields (keys, keywords, tokens) filled in."""
    emails = frozenset(e.strip().lower() for e in (email, user_email) if e and e.strip())
    if organisation_id is not None and root_id is None:
        root_id, root_name = organisation_id, organisation_name
    p = Person(
        application_id=application_id,
        user_id=user_id,
        emails=emails,
        organisation_id=organisation_id,
        organisation_name=organisation_name,
        root_id=root_id,
        root_name=root_name,
        organisation_kind=organisation_kind,
        kind_label=kind_label or organisation_kind,
        region=region,
        region_key=region_key(region),
        place=place,
        place_key=(place or "").strip().lower() or None,
        wishes=matching_wishes,
        keywords=keywords(matching_wishes),
        languages=languages(languages_text),
        **rest,
    )
    p.work_field_keys = frozenset(keywords(p.work_field))
    p.education_words = keywords(education)
    p.described_words = keywords(" ".join((work_experience, current_assignment, motivation)))
    p.goal_words = keywords(" ".join((motivation, matching_wishes)))
    p.offer_tokens = tokens(
        p.job_title,
        p.organisation_name,
        p.root_name,
        p.region,
        p.place,
        p.kind_label,
        p.organisation_kind,
    )
    return p


@dataclass
class Pool:
    """The adepts and mentors of one matching run, and what the rules need to know about them.

    ``earlier_pairs``: {(mentor user id, adept user id): label of the round they were a pair in}.
    ``forbidden``: {(mentor application id, adept application id): the coordinator's reason}.
    ``pins``: [(mentor application id, adept application id, reason)].
    """

    adepts: list
    mentors: list
    theme_names: dict = field(default_factory=dict)
    earlier_pairs: dict = field(default_factory=dict)
    forbidden: dict = field(default_factory=dict)
    pins: list = field(default_factory=list)
    _codes: dict = field(default_factory=dict, repr=False, compare=False)
    _explained: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def shape(self):
        return len(self.adepts), len(self.mentors)

    @cached_property
    def adept_index(self):
        return {p.application_id: i for i, p in enumerate(self.adepts)}

    @cached_property
    def mentor_index(self):
        return {p.application_id: j for j, p in enumerate(self.mentors)}

    def codes(self, attribute):
        """Integer codes for an attribute of both sides (-1 for empty), comparable across sides.
        Computed once per attribute (several criteria compare the same one)."""
        cached = self._codes.get(attribute)
        if cached is None:
            cached = self._codes[attribute] = self._make_codes(attribute)
        return cached

    def _make_codes(self, attribute):
        values = {}

        def code(v):
            return -1 if v in (None, "") else values.setdefault(v, len(values))

        a = np.fromiter(
            (code(getattr(p, attribute)) for p in self.adepts), np.int64, len(self.adepts)
        )
        m = np.fromiter(
            (code(getattr(p, attribute)) for p in self.mentors), np.int64, len(self.mentors)
        )
        return a, m, values

    def lookup(self, attribute, table_of):
        """(adepts × mentors) ``table[code of adept, code of mentor]``: for an attribute with few
        distinct values, the pair-wise answer from a small table of the distinct values instead
        of one comparison per pair. ``table_of(values)`` gets the distinct values in code order
        and returns a (k + 1) × (k + 1) array whose last row and column are for "empty"."""
        a, m, values = self.codes(attribute)
        table = table_of(sorted(values, key=values.get))
        return table[np.ix_(a, m)]  # code -1 (empty) reads the last row and column

    def equal(self, attribute):
        """(adepts × mentors) booleans: both known and equal."""
        a, m, _values = self.codes(attribute)
        return (a[:, None] == m[None, :]) & (a[:, None] >= 0)

    def numbers(self, side, attribute, default=0):
        people = self.adepts if side == "adept" else self.mentors
        return np.array(
            [default if getattr(p, attribute) is None else getattr(p, attribute) for p in people],
            dtype=np.float64,
        )

    def incidence(self, side, sets, vocabulary):
        """A sparse 0/1 matrix: rows are people of a side, columns the vocabulary's items."""
        rows, cols = [], []
        for i, items in enumerate(sets):
            for item in items:
                j = vocabulary.get(item)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        n = len(self.adepts if side == "adept" else self.mentors)
        return _sparse().csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(n, max(len(vocabulary), 1))
        )

    @cached_property
    def manager_line(self):
        """{(adept index, mentor index): (direction, levels)} for people in one line.

        direction "mentor_above": the mentor is the adept's manager or above them;
        "adept_above": the adept is above the mentor in the mentor's line.
        """
        by_email_m, by_email_a = {}, {}
        for j, m in enumerate(self.mentors):
            for e in m.emails:
                by_email_m.setdefault(e, []).append(j)
        for i, a in enumerate(self.adepts):
            for e in a.emails:
                by_email_a.setdefault(e, []).append(i)
        out = {}
        for i, a in enumerate(self.adepts):
            for email, levels in a.line_above.items():
                for j in by_email_m.get(email, ()):
                    if (i, j) not in out or out[(i, j)][1] > levels:
                        out[(i, j)] = ("mentor_above", levels)
        for j, m in enumerate(self.mentors):
            for email, levels in m.line_above.items():
                for i in by_email_a.get(email, ()):
                    out.setdefault((i, j), ("adept_above", levels))
        return out

    def sparse_mask(self, pairs):
        mask = np.zeros(self.shape, dtype=bool)
        if pairs:
            idx = np.array(list(pairs), dtype=np.int64)
            mask[idx[:, 0], idx[:, 1]] = True
        return mask

    @cached_property
    def earlier_index(self):
        """{(adept index, mentor index): round label} for pairs that existed before."""
        if not self.earlier_pairs:
            return {}
        adepts_by_user, mentors_by_user = {}, {}
        for i, a in enumerate(self.adepts):
            adepts_by_user.setdefault(a.user_id, []).append(i)
        for j, m in enumerate(self.mentors):
            mentors_by_user.setdefault(m.user_id, []).append(j)
        out = {}
        for (mentor_user, adept_user), label in self.earlier_pairs.items():
            for i in adepts_by_user.get(adept_user, ()):
                for j in mentors_by_user.get(mentor_user, ()):
                    out[(i, j)] = label
        return out

    @cached_property
    def forbidden_index(self):
        out = {}
        for (mentor_id, adept_id), reason in self.forbidden.items():
            i, j = self.adept_index.get(adept_id), self.mentor_index.get(mentor_id)
            if i is not None and j is not None:
                out[(i, j)] = reason
        return out


def manager_lines(starts, fetch, max_depth=50):
    """Follow manager e-mail addresses upwards, for many people at once.

    ``starts``: {key: (own e-mails, manager e-mails stated on the application)}.
    ``fetch(emails)``: {email: (aliases, manager emails)} for the given addresses, from every
    known applicant (any round, matched on the application's or the user's address). Called once
    per level, for all people together. A cycle (A's manager is B, B's manager is A) stops.
    Returns {key: {email above: levels above (1 = the direct manager)}}.
    """
    known = {}
    lines = {key: {} for key in starts}
    frontier = {}
    for key, (own, managers) in starts.items():
        own = {e.lower() for e in own if e}
        nxt = {e.strip().lower() for e in managers if e and e.strip()} - own
        if nxt:
            frontier[key] = (own, nxt)
    depth = 1
    while frontier and depth <= max_depth:
        wanted = set().union(*(nxt for _own, nxt in frontier.values())) - set(known)
        if wanted:
            fetched = fetch(wanted)
            for email in wanted:
                known[email] = fetched.get(email, ({email}, set()))
        new_frontier = {}
        for key, (own, nxt) in frontier.items():
            line = lines[key]
            following = set()
            for email in nxt:
                aliases, managers = known[email]
                for alias in {email, *aliases}:
                    if alias not in line and alias not in own:
                        line[alias] = depth
                following |= managers
            following = {e for e in following if e not in line and e not in own}
            if following:
                new_frontier[key] = (own, following)
        frontier = new_frontier
        depth += 1
    return lines


# --- eligibility (per person) ---------------------------------------------------------------


def eligibility_problems(*, role_label, manager_level, years, rule, years_in_level=None):
    """The round's criteria this person does not meet, in words for the coordinator."""
    if rule is None:
        return ()
    problems = []
    levels = list(rule.get("manager_levels") or [])
    if levels and manager_level not in levels:
        labels = dict(ManagerLevel.choices)
        problems.append(
            _("%(role)s must be: %(levels)s; this person is “%(yours)s”.")
            % {
                "role": role_label,
                "levels": ", ".join(str(labels.get(v, v)).lower() for v in levels),
                "yours": str(labels.get(manager_level, _("no level stated"))).lower(),
            }
        )
    minimum = rule.get("min_years_as_manager") or 0
    if minimum and (years or 0) < minimum:
        problems.append(
            _("%(role)s need at least %(min)s years as a manager; this person has %(yours)s.")
            % {"role": role_label, "min": minimum, "yours": years or 0}
        )
    minimum = rule.get("min_years_in_level") or 0
    if minimum and (years_in_level or 0) < minimum:
        problems.append(
            _(
                "%(role)s need at least %(min)s years at their manager level; this person has "
                "%(yours)s."
            )
            % {"role": role_label, "min": minimum, "yours": years_in_level or 0}
        )
    return tuple(problems)


# --- preferences ----------------------------------------------------------------------------


class Preference:
    key = ""
    label = ""
    weight_field = ""

    def weight(self, settings):
        return getattr(settings, self.weight_field)

    def scores_nothing(self, pool):
        """True when no pair can score (nobody stated what it compares): the sum skips it."""
        return False

    def scores(self, pool):  # pragma: no cover - interface
        raise NotImplementedError

    def explain(self, pool, adept, mentor):  # pragma: no cover - interface
        """(score between 0 and 1, reason in words) for one pair."""
        raise NotImplementedError

    def memo_key(self, a, m):
        """What ``explain`` depends on for the pair, hashable; None: not worth keeping. Many
        pairs share it (the same two regions, levels, languages), and within one matching run
        (``fixed_language``) the answer is worked out once per key."""
        return None


class Geography(Preference):
    key = "geography"
    label = gettext_lazy("Geography")
    weight_field = "weight_geography"
    SAME_PLACE, SAME_REGION, NEIGHBOUR = 1.0, 0.7, 0.4

    def scores(self, pool):
        def table_of(keys):
            k = len(keys)
            table = np.zeros((k + 1, k + 1))
            for x, kx in enumerate(keys):
                for y in range(k):
                    if x == y:
                        table[x, y] = self.SAME_REGION
                    elif are_neighbours(kx, keys[y]):
                        table[x, y] = self.NEIGHBOUR
            return table

        out = pool.lookup("region_key", table_of)
        a, _m, _values = pool.codes("place_key")
        if (a >= 0).any():
            out[pool.equal("place_key")] = self.SAME_PLACE
        return out

    def memo_key(self, a, m):
        return (a.place_key, a.place, a.region_key, a.region, m.place_key, m.region_key, m.region)

    def explain(self, pool, adept, mentor):
        if adept.place_key and adept.place_key == mentor.place_key:
            return self.SAME_PLACE, _("Both work in %(place)s.") % {"place": adept.place}
        if not adept.region_key or not mentor.region_key:
            return 0.0, _("Where one of them works is not stated.")
        if adept.region_key == mentor.region_key:
            return self.SAME_REGION, _("Both work in %(region)s.") % {"region": adept.region}
        if are_neighbours(adept.region_key, mentor.region_key):
            return self.NEIGHBOUR, _("%(a)s and %(m)s are neighbouring regions.") % {
                "a": adept.region,
                "m": mentor.region,
            }
        return 0.0, _("Far apart: the adept works in %(a)s, the mentor in %(m)s.") % {
            "a": adept.region,
            "m": mentor.region,
        }


class Experience(Preference):
    key = "experience"
    label = gettext_lazy("Mentor's experience and level")
    weight_field = "weight_experience"
    LEVEL_ABOVE, LEVEL_SAME = 0.5, 0.3
    YEARS_PART, YEARS_FULL = 0.5, 10  # the years part is full at ten more years than the adept

    def scores(self, pool):
        # The level part from a table of ranks (0: not stated), the years part in place.
        table = np.zeros((4, 4))
        for x in range(1, 4):
            for y in range(1, 4):
                if y > x:
                    table[x, y] = self.LEVEL_ABOVE
                elif y == x:
                    table[x, y] = self.LEVEL_SAME
        la = np.fromiter((p.level_rank for p in pool.adepts), np.int64, len(pool.adepts))
        lm = np.fromiter((p.level_rank for p in pool.mentors), np.int64, len(pool.mentors))
        ya = np.array([-1 if p.years is None else p.years for p in pool.adepts], dtype=np.float64)
        ym = np.array([-1 if p.years is None else p.years for p in pool.mentors], dtype=np.float64)
        years = np.subtract(ym[None, :], ya[:, None])
        np.divide(years, self.YEARS_FULL, out=years)
        np.clip(years, 0, 1, out=years)
        np.multiply(years, self.YEARS_PART, out=years)
        a_unknown, m_unknown = ya < 0, ym < 0
        if a_unknown.any():
            years[a_unknown] = 0.0
        if m_unknown.any():
            years[:, m_unknown] = 0.0
        years += table[np.ix_(la, lm)]
        return years

    def memo_key(self, a, m):
        return (a.manager_level, m.manager_level, a.years, m.years)

    def explain(self, pool, adept, mentor):
        score, parts = 0.0, []
        if adept.level_rank and mentor.level_rank:
            diff = mentor.level_rank - adept.level_rank
            words = {"m": level_words(mentor.manager_level), "a": level_words(adept.manager_level)}
            if diff > 0:
                score += self.LEVEL_ABOVE
                parts.append(_("the mentor is a %(m)s, a level above the adept (%(a)s)") % words)
            elif diff == 0:
                score += self.LEVEL_SAME
                parts.append(_("both are at the same level (%(m)s)") % words)
            else:
                parts.append(
                    _("the mentor (%(m)s) is at a lower level than the adept (%(a)s)") % words
                )
        else:
            parts.append(_("the manager level of one of them is not stated"))
        if adept.years is not None and mentor.years is not None:
            more = mentor.years - adept.years
            score += min(max(more / self.YEARS_FULL, 0.0), 1.0) * self.YEARS_PART
            if more > 0:
                parts.append(
                    ngettext(
                        "%(n)s more year as a manager (%(m)s against %(a)s)",
                        "%(n)s more years as a manager (%(m)s against %(a)s)",
                        more,
                    )
                    % {"n": more, "m": mentor.years, "a": adept.years}
                )
            else:
                parts.append(
                    _("no more years as a manager than the adept (%(m)s against %(a)s)")
                    % {"m": mentor.years, "a": adept.years}
                )
        else:
            parts.append(_("years as a manager not stated"))
        text = "; ".join(p for p in parts if p)
        return score, text[:1].upper() + text[1:] + "."


class Sector(Preference):
    key = "sector"
    label = gettext_lazy("Different sector")
    weight_field = "weight_sector"

    @staticmethod
    def differs(pool):
        a, m, _values = pool.codes("organisation_kind")
        return (a[:, None] != m[None, :]) & (a[:, None] >= 0) & (m[None, :] >= 0)

    def scores(self, pool):
        return self.differs(pool).astype(np.float64)

    def memo_key(self, a, m):
        return (a.organisation_kind, a.kind_label, m.organisation_kind, m.kind_label)

    def explain(self, pool, adept, mentor):
        if not adept.organisation_kind or not mentor.organisation_kind:
            return 0.0, _("The organisation of one of them is not stated.")
        if adept.organisation_kind != mentor.organisation_kind:
            return 1.0, _(
                "Different sectors: the adept works in a %(a)s, the mentor in a %(m)s."
            ) % {"a": adept.kind_label.lower(), "m": mentor.kind_label.lower()}
        return 0.0, _("Same sector (%(kind)s).") % {"kind": adept.kind_label.lower()}


class Themes(Preference):
    key = "themes"
    label = gettext_lazy("Shared themes")
    weight_field = "weight_themes"

    def scores_nothing(self, pool):
        return not any(p.themes for p in pool.adepts)

    def scores(self, pool):
        vocabulary = {
            t: k for k, t in enumerate(sorted({t for p in pool.adepts for t in p.themes}))
        }
        if not vocabulary or not pool.mentors:
            return np.zeros(pool.shape)
        a = pool.incidence("adept", [p.themes for p in pool.adepts], vocabulary)
        m = pool.incidence("mentor", [p.themes for p in pool.mentors], vocabulary)
        shared = (a @ m.T).toarray()
        counts = np.array([len(p.themes) for p in pool.adepts], dtype=np.float64)
        return np.divide(
            shared, counts[:, None], out=np.zeros(pool.shape), where=counts[:, None] > 0
        )

    def memo_key(self, a, m):
        return (a.themes, m.themes)

    def explain(self, pool, adept, mentor):
        if not adept.themes:
            return 0.0, _("The adept chose no themes.")
        shared = adept.themes & mentor.themes
        names = ", ".join(sorted(pool.theme_names.get(t, str(t)) for t in shared))
        if not shared:
            return 0.0, _("No shared themes.")
        return len(shared) / len(adept.themes), ngettext(
            "Shares %(n)s of the adept's %(total)s themes: %(names)s.",
            "Shares %(n)s of the adept's %(total)s themes: %(names)s.",
            len(shared),
        ) % {"n": len(shared), "total": len(adept.themes), "names": names}


class Wishes(Preference):
    """The adept's own wishes: another sector, and the words of the free-text wish found in what
    the mentor offers (job title, organisation, region, place). Each stated part counts equally;
    for the words, one found word gives half, two or more the whole."""

    key = "wishes"
    label = gettext_lazy("The adept's wishes")
    weight_field = "weight_wishes"
    WORDS_FOR_FULL = 2

    def scores_nothing(self, pool):
        return not any(p.prefers_other_sector or p.keywords for p in pool.adepts)

    @staticmethod
    def _matches(stem_, offer_tokens):
        return any(stem_ in t for t in offer_tokens)

    def scores(self, pool):
        n_a, n_m = pool.shape
        pref = np.array([p.prefers_other_sector for p in pool.adepts], dtype=np.float64)
        has_words = np.array([bool(p.keywords) for p in pool.adepts], dtype=np.float64)
        stems = {s: k for k, s in enumerate(sorted({s for p in pool.adepts for s in p.keywords}))}
        hits = np.zeros((n_a, n_m))
        if stems and n_m:
            # Which mentors offer each stem: every distinct stem against every distinct token.
            holders = {}
            for j, m in enumerate(pool.mentors):
                for t in m.offer_tokens:
                    holders.setdefault(t, []).append(j)
            rows, cols = [], []
            for s, k in stems.items():
                found = set()
                for t, js in holders.items():
                    if s in t:
                        found.update(js)
                cols.extend(found)
                rows.extend([k] * len(found))
            offers = _sparse().csr_matrix(
                (np.ones(len(rows)), (rows, cols)), shape=(len(stems), n_m)
            )
            wanted = pool.incidence("adept", [p.keywords for p in pool.adepts], stems)
            hits = (wanted @ offers).toarray()
        if not stems:  # only "another sector" is wished, where anything is wished
            return (Sector.differs(pool) & (pref > 0)[:, None]).astype(np.float64)
        words = np.minimum(hits, self.WORDS_FOR_FULL) / self.WORDS_FOR_FULL
        numerator = pref[:, None] * Sector.differs(pool) + has_words[:, None] * words
        denominator = pref + has_words
        return np.divide(
            numerator,
            denominator[:, None],
            out=np.zeros((n_a, n_m)),
            where=denominator[:, None] > 0,
        )

    def explain(self, pool, adept, mentor):
        parts, reasons = [], []
        if adept.prefers_other_sector:
            differs = bool(
                adept.organisation_kind
                and mentor.organisation_kind
                and adept.organisation_kind != mentor.organisation_kind
            )
            parts.append(1.0 if differs else 0.0)
            reasons.append(
                _("wished for another sector, and the mentor is in one")
                if differs
                else _("wished for another sector, but the mentor is not in one")
            )
        if adept.keywords:
            found = [w for s, w in adept.keywords.items() if self._matches(s, mentor.offer_tokens)]
            parts.append(min(len(found), self.WORDS_FOR_FULL) / self.WORDS_FOR_FULL)
            if found:
                reasons.append(
                    _(
                        "wished for “%(words)s”, which the mentor's title, organisation "
                        "or region matches"
                    )
                    % {"words": "”, “".join(found)}
                )
            else:
                reasons.append(
                    _("none of the wished words (“%(words)s”) matches the mentor")
                    % {"words": "”, “".join(adept.keywords.values())}
                )
        if not parts and adept.wishes.strip():
            return 0.0, _(
                "The adept's wish has no words to look for in the mentor's title, organisation "
                "or region (another area or sector is weighed on its own)."
            )
        if not parts:
            return 0.0, _("The adept stated no wishes.")
        text = _("The adept %(reasons)s.") % {"reasons": "; ".join(reasons)}
        return sum(parts) / len(parts), text


class Language(Preference):
    key = "language"
    label = gettext_lazy("Shared language")
    weight_field = "weight_language"

    def scores(self, pool):
        # People state few distinct sets of languages: a table of those sets, not every pair.
        def table_of(sets):
            k = len(sets)
            table = np.zeros((k + 1, k + 1))
            for x, sx in enumerate(sets):
                for y, sy in enumerate(sets):
                    table[x, y] = 1.0 if sx & sy else 0.0
            return table

        if not pool.adepts or not pool.mentors:
            return np.zeros(pool.shape)
        return pool.lookup("languages", table_of)

    def memo_key(self, a, m):
        return (a.languages, m.languages)

    def explain(self, pool, adept, mentor):
        shared = adept.languages & mentor.languages
        if shared:
            return 1.0, _("Shared language: %(languages)s.") % {
                "languages": ", ".join(language_label(x) for x in sorted(shared))
            }
        return 0.0, _("No shared language (adept: %(a)s; mentor: %(m)s).") % {
            "a": ", ".join(language_label(x) for x in sorted(adept.languages)) or "–",
            "m": ", ".join(language_label(x) for x in sorted(mentor.languages)) or "–",
        }


class OtherArea(Preference):
    """Seed 004: "usually from another area". A pair from two areas or units (of one
    organisation, or of two) scores; a pair from the same unit does not."""

    key = "other_area"
    label = gettext_lazy("Another area or unit")
    weight_field = "weight_other_area"

    def scores(self, pool):
        a, m, _values = pool.codes("organisation_id")
        known = (a[:, None] >= 0) & (m[None, :] >= 0)
        return (known & (a[:, None] != m[None, :])).astype(np.float64)

    def memo_key(self, a, m):
        return (
            a.organisation_id,
            a.organisation_name,
            a.root_id,
            a.root_name,
            m.organisation_id,
            m.organisation_name,
            m.root_id,
        )

    def explain(self, pool, adept, mentor):
        if adept.organisation_id is None or mentor.organisation_id is None:
            return 0.0, _("The area or unit of one of them is not stated.")
        if adept.organisation_id == mentor.organisation_id:
            return 0.0, _("Same area or unit (%(org)s).") % {"org": adept.organisation_name}
        if adept.root_id is not None and adept.root_id == mentor.root_id:
            return 1.0, _(
                "Different areas of %(root)s: the adept works in %(a)s, the mentor in %(m)s."
            ) % {
                "root": adept.root_name,
                "a": adept.organisation_name,
                "m": mentor.organisation_name,
            }
        return 1.0, _("Different organisations: the adept works at %(a)s, the mentor at %(m)s.") % {
            "a": adept.organisation_name,
            "m": mentor.organisation_name,
        }


class OtherField(Preference):
    """Seed 002: pairs "from different municipalities, fields of work ...". Two fields of work
    count as different when they share no word (compared by stem: "skolan" and "skola" are the
    same word; "vård" is not found inside "omvårdnad")."""

    key = "other_field"
    label = gettext_lazy("Different fields of work")
    weight_field = "weight_other_field"

    def scores(self, pool):
        vocabulary = {}
        for p in (*pool.adepts, *pool.mentors):
            for key in p.work_field_keys:
                vocabulary.setdefault(key, len(vocabulary))
        if not vocabulary or not pool.mentors or not pool.adepts:
            return np.zeros(pool.shape)
        a = pool.incidence("adept", [p.work_field_keys for p in pool.adepts], vocabulary)
        m = pool.incidence("mentor", [p.work_field_keys for p in pool.mentors], vocabulary)
        shared = (a @ m.T).toarray() > 0
        a_known = np.array([bool(p.work_field_keys) for p in pool.adepts], dtype=bool)
        m_known = np.array([bool(p.work_field_keys) for p in pool.mentors], dtype=bool)
        return (a_known[:, None] & m_known[None, :] & ~shared).astype(np.float64)

    def memo_key(self, a, m):
        return (a.work_field, m.work_field)

    def explain(self, pool, adept, mentor):
        if not adept.work_field_keys or not mentor.work_field_keys:
            return 0.0, _("The field of work of one of them is not stated.")
        shared = adept.work_field_keys & mentor.work_field_keys
        if shared:
            return 0.0, _("Same field of work: %(a)s and %(m)s.") % {
                "a": adept.work_field,
                "m": mentor.work_field,
            }
        return 1.0, _("Different fields of work: the adept in %(a)s, the mentor in %(m)s.") % {
            "a": adept.work_field,
            "m": mentor.work_field,
        }


class _SharedWords(Preference):
    """Words of the adept's text found among the words of the mentor's, compared by stem
    (whole words: "skolan" is "skola", but "vård" is not found in "omvårdnad"). One shared word
    gives half the score, two or more the whole."""

    adept_words = mentor_words = ""
    WORDS_FOR_FULL = 2

    def scores(self, pool):
        vocabulary = {}
        for p in pool.adepts:
            for key in getattr(p, self.adept_words):
                vocabulary.setdefault(key, len(vocabulary))
        if not vocabulary or not pool.mentors:
            return np.zeros(pool.shape)
        a = pool.incidence("adept", [getattr(p, self.adept_words) for p in pool.adepts], vocabulary)
        m = pool.incidence(
            "mentor", [getattr(p, self.mentor_words) for p in pool.mentors], vocabulary
        )
        hits = (a @ m.T).toarray()
        return np.minimum(hits, self.WORDS_FOR_FULL) / self.WORDS_FOR_FULL

    def shared(self, adept, mentor):
        wanted, offered = getattr(adept, self.adept_words), getattr(mentor, self.mentor_words)
        words = sorted(wanted[key] for key in wanted.keys() & offered.keys())
        return min(len(words), self.WORDS_FOR_FULL) / self.WORDS_FOR_FULL, words


class Education(_SharedWords):
    """Seed 002 matches on education: the words the two use about their education."""

    key = "education"
    label = gettext_lazy("Education")
    weight_field = "weight_education"
    adept_words = mentor_words = "education_words"

    def explain(self, pool, adept, mentor):
        if not adept.education_words or not mentor.education_words:
            return 0.0, _("The education of one of them is not stated.")
        score, words = self.shared(adept, mentor)
        if not words:
            return 0.0, _("Their education has no words in common.")
        return score, _("Both name “%(words)s” in their education.") % {"words": "”, “".join(words)}


class DescribedExperience(_SharedWords):
    """What the adept wants from the programme (goals, wishes) found in what the mentor
    describes: work experience, current assignment, what they want to give."""

    key = "described_experience"
    label = gettext_lazy("The mentor's described experience")
    weight_field = "weight_described_experience"
    adept_words, mentor_words = "goal_words", "described_words"

    def explain(self, pool, adept, mentor):
        if not adept.goal_words:
            return 0.0, _("The adept described no goals or wishes.")
        if not mentor.described_words:
            return 0.0, _("The mentor described no experience.")
        score, words = self.shared(adept, mentor)
        if not words:
            return 0.0, _("None of the adept's words are in the mentor's experience.")
        return score, _(
            "The adept's goals name “%(words)s”, which the mentor's experience also names."
        ) % {"words": "”, “".join(words)}


PREFERENCES = (
    Geography(),
    Experience(),
    Sector(),
    Themes(),
    Wishes(),
    Language(),
    OtherArea(),
    OtherField(),
    Education(),
    DescribedExperience(),
)


# --- hard rules -----------------------------------------------------------------------------


class HardRule:
    key = ""
    label = ""
    switch_field = None  # None: always applies

    def active(self, settings):
        return self.switch_field is None or bool(getattr(settings, self.switch_field))

    def blocked(self, pool, settings):  # pragma: no cover - interface
        """(adepts × mentors) booleans: True where this rule excludes the pair."""
        raise NotImplementedError

    def breach(self, pool, settings, adept, mentor):  # pragma: no cover - interface
        """The reason this rule excludes the pair, or None."""
        raise NotImplementedError


class SamePerson(HardRule):
    key = "same_person"
    label = gettext_lazy("Not the same person")

    def blocked(self, pool, settings):
        return pool.equal("user_id")

    def breach(self, pool, settings, adept, mentor):
        if adept.user_id == mentor.user_id:
            return _("%(name)s applied both as mentor and as adept.") % {"name": adept.name}
        return None


class DifferentOrganisation(HardRule):
    key = "different_organisation"
    label = gettext_lazy("Different organisations")
    switch_field = "require_different_organisation"

    def blocked(self, pool, settings):
        out = pool.equal("organisation_id")
        if not settings.allow_different_area:
            out |= pool.equal("root_id")
        return out

    def breach(self, pool, settings, adept, mentor):
        if adept.organisation_id is not None and adept.organisation_id == mentor.organisation_id:
            return _("Both work at %(org)s.") % {"org": adept.organisation_name}
        if (
            not settings.allow_different_area
            and adept.root_id is not None
            and adept.root_id == mentor.root_id
        ):
            return _(
                "Both belong to %(root)s (%(a)s and %(m)s), and this round does not count "
                "different areas of one organisation as different."
            ) % {
                "root": adept.root_name,
                "a": adept.organisation_name,
                "m": mentor.organisation_name,
            }
        return None


class ManagerLine(HardRule):
    key = "manager_line"
    label = gettext_lazy("Not in the adept's line of managers")
    switch_field = "require_outside_manager_line"

    def blocked(self, pool, settings):
        return pool.sparse_mask(pool.manager_line.keys())

    def breach(self, pool, settings, adept, mentor):
        found = None
        for email in mentor.emails:
            if email in adept.line_above:
                levels = adept.line_above[email]
                if found is None or levels < found[1]:
                    found = ("mentor_above", levels)
        if found is None:
            for email in adept.emails:
                if email in mentor.line_above:
                    found = ("adept_above", mentor.line_above[email])
                    break
        if found is None:
            return None
        direction, levels = found
        if direction == "mentor_above":
            if levels == 1:
                return _("%(m)s is %(a)s's manager.") % {"m": mentor.name, "a": adept.name}
            return ngettext(
                "%(m)s is %(n)s level above %(a)s in their line of managers.",
                "%(m)s is %(n)s levels above %(a)s in their line of managers.",
                levels,
            ) % {"m": mentor.name, "a": adept.name, "n": levels}
        return _("%(a)s is above %(m)s in the mentor's line of managers.") % {
            "m": mentor.name,
            "a": adept.name,
        }


class Eligibility(HardRule):
    key = "eligibility"
    label = gettext_lazy("Eligibility met")
    switch_field = "require_eligibility"

    def blocked(self, pool, settings):
        a = np.array([bool(p.eligibility_problems) for p in pool.adepts], dtype=bool)
        m = np.array([bool(p.eligibility_problems) for p in pool.mentors], dtype=bool)
        return a[:, None] | m[None, :]

    def breach(self, pool, settings, adept, mentor):
        problems = [*adept.eligibility_problems, *mentor.eligibility_problems]
        return " ".join(problems) or None


class EarlierPair(HardRule):
    key = "earlier_pair"
    label = gettext_lazy("Not a pair before")
    switch_field = "exclude_earlier_pairs"

    def blocked(self, pool, settings):
        return pool.sparse_mask(pool.earlier_index.keys())

    def breach(self, pool, settings, adept, mentor):
        label = pool.earlier_pairs.get((mentor.user_id, adept.user_id))
        if label is None:
            return None
        return _("%(m)s and %(a)s were a pair before (%(when)s).") % {
            "m": mentor.name,
            "a": adept.name,
            "when": label,
        }


class Forbidden(HardRule):
    key = "forbidden"
    label = gettext_lazy("Not forbidden by the coordinator")

    def blocked(self, pool, settings):
        return pool.sparse_mask(pool.forbidden_index.keys())

    def breach(self, pool, settings, adept, mentor):
        if (mentor.application_id, adept.application_id) not in pool.forbidden:
            return None
        reason = pool.forbidden[(mentor.application_id, adept.application_id)]
        return (
            _("The coordinator forbade this pair: %(reason)s") % {"reason": reason}
            if reason
            else _("The coordinator forbade this pair.")
        )


RULES = (
    SamePerson(),
    DifferentOrganisation(),
    ManagerLine(),
    Eligibility(),
    EarlierPair(),
    Forbidden(),
)
# Capacity is the solver's business (mentors' places); its switch lives with the others.
CAPACITY_SWITCH = "enforce_capacity"


def capacity_breach(*, settings, mentor_name, capacity, taken):
    """Whether one more adept would exceed the mentor's places."""
    if not settings.enforce_capacity or taken < capacity:
        return None
    return ngettext(
        "%(m)s has room for %(n)s adept, and the place is taken.",
        "%(m)s has room for %(n)s adepts, and all places are taken.",
        capacity,
    ) % {"m": mentor_name, "n": capacity}


# --- putting them together ------------------------------------------------------------------


def score_matrix(pool, settings):
    """Total points for every candidate pair: Σ weight × score, as one (adepts × mentors) array."""
    total = None
    for preference in PREFERENCES:
        weight = preference.weight(settings)
        if weight and not preference.scores_nothing(pool):
            points = preference.scores(pool)
            points = np.multiply(points, weight, out=points if points.dtype == np.float64 else None)
            if total is None:
                total = points
            else:
                total += points
    return np.zeros(pool.shape) if total is None else total


def blocked_masks(pool, settings):
    """{rule key: (adepts × mentors) booleans} for every rule that applies this round."""
    return {rule.key: rule.blocked(pool, settings) for rule in RULES if rule.active(settings)}


def allowed_matrix(masks, shape):
    allowed = np.ones(shape, dtype=bool)
    for mask in masks.values():
        allowed &= ~mask
    return allowed


def explain_pair(pool, settings, adept, mentor):
    """(total points, {criterion: {"points", "reason"}}) for one pair."""
    return _explain(pool, [(p, p.weight(settings)) for p in PREFERENCES], adept, mentor)


def explain_pairs(pool, settings, pairs):
    """``explain_pair`` for many (adept index, mentor index) pairs, the weights read once.

    Within a matching run (``fixed_language``) one criterion at a time over all the pairs: each
    distinct answer (``memo_key``) is worked out, weighed and worded once, then shared."""
    weighted = [(p, p.weight(settings)) for p in PREFERENCES]
    adepts, mentors = pool.adepts, pool.mentors
    people = [(adepts[i], mentors[j]) for i, j in pairs]
    if getattr(_fixed, "cache", None) is None:
        return [_explain(pool, weighted, a, m) for a, m in people]
    totals = [0.0] * len(people)
    explanations = [{} for _pair in people]
    memo = pool._explained
    for preference, weight in weighted:
        name, key_of, explain = preference.key, preference.memo_key, preference.explain
        items = {}
        for k, (a, m) in enumerate(people):
            key = key_of(a, m)
            if key is None:
                found = explain(pool, a, m)
            else:
                found = memo.get((name, key))
                if found is None:
                    found = memo[(name, key)] = explain(pool, a, m)
            item = items.get(found)
            if item is None:
                score, reason = found
                points = weight * score
                if not weight:
                    reason = _("Not weighed this round. %(reason)s") % {"reason": reason}
                item = items[found] = (points, {"points": round(points, 2), "reason": reason})
            totals[k] += item[0]
            explanations[k][name] = dict(item[1])
    return list(zip(totals, explanations, strict=True))


def _explain(pool, weighted, adept, mentor):
    explanation, total = {}, 0.0
    for preference, weight in weighted:
        score, reason = preference.explain(pool, adept, mentor)
        points = weight * score
        total += points
        if not weight:
            reason = _("Not weighed this round. %(reason)s") % {"reason": reason}
        explanation[preference.key] = {"points": round(points, 2), "reason": reason}
    return total, explanation


def breaches(pool, settings, adept, mentor):
    """[{"rule", "reason"}] for every hard rule the pair breaks this round."""
    out = []
    for rule in RULES:
        if rule.active(settings):
            reason = rule.breach(pool, settings, adept, mentor)
            if reason:
                out.append({"rule": rule.key, "reason": reason})
    return out
