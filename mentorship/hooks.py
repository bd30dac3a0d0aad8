"""The hook points: where one app calls code of the apps that build on it, all in one place.

An earlier app (programmes, applications, organisations) cannot import a later one (matching,
evaluation, reporting, messaging) without tangling the layers, yet the round dashboard shows the
pairs and the surveys, anonymising a round must clear the pairs' notes too, and the core's
export jobs are made by the feature apps' tasks. Each such place is a hook point declared
here once, with what it is for, the signature of the functions it takes, what they return
and the order they run in, and with its implementations listed here explicitly,
by dotted path and in that order. Nothing is appended in an app's ``ready()``: the order
never depends on ``INSTALLED_APPS``, and reading this module tells you everything that runs.

The paths are strings, imported on first use (``import_string``) and cached, so this module
imports no feature app (``tests/test_import_graph.py``) and can be imported from anywhere.
``tests/test_hooks.py`` checks that every path imports and is callable and that the order is
the declared one.

A call site iterates the hook point: ``for extension in hooks.NEXT_STEPS: ...``. A
keyed hook point (``REMINDERS``) is a read-only mapping from key to function instead. A test
that needs another set of implementations replaces ``implementations`` with
``monkeypatch.setattr``; the cache follows the tuple it was loaded from.

Adding an implementation: write the function with the documented signature, add its dotted
path to the hook point's list at the place where it must run, and that is all.
"""

from collections.abc import Mapping

from django.utils.module_loading import import_string


class HookPoint:
    """A named list of functions, called in the order of ``implementations``."""

    def __init__(self, name, *, doc, implementations):
        self.name = name
        self.__doc__ = doc
        self.implementations = tuple(implementations)
        self._loaded_from = None
        self._loaded = ()

    def _load(self, paths):
        return tuple(import_string(path) for path in paths)

    def load(self):
        """The implementations, imported once (again only if ``implementations`` changed)."""
        paths = self.implementations
        if self._loaded_from is not paths:
            loaded = self._load(paths)
            self._loaded, self._loaded_from = loaded, paths
        return self._loaded

    def __iter__(self):
        return iter(self.load())

    def __len__(self):
        return len(self.implementations)

    def __repr__(self):
        return f"<{type(self).__name__} {self.name}: {len(self)} implementations>"


class KeyedHookPoint(HookPoint, Mapping):
    """A hook point whose implementations are ``(key, dotted path)`` pairs: a read-only
    mapping from key to function, iterated (keys, ``items()``) in the declared order."""

    def _load(self, pairs):
        keys = [key for key, _path in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError(f"hook point {self.name}: a key is declared twice")
        return {key: import_string(path) for key, path in pairs}

    def __iter__(self):
        return iter(self.load())

    def __getitem__(self, key):
        return self.load()[key]


PERSON_FEED_EXTRAS = HookPoint(
    "person_feed_extras",
    doc="""More events in a person's own calendar feed (``programmes.feeds``), after the
    shared meeting days.

    Called as ``f(*, request, tenant, user, tz, now)``; returns an iterable of
    ``icalendar.Event``, added to the feed in the order given. Runs in the declared order.""",
    implementations=[
        "matching.feeds.planned_meeting_events",
    ],
)

MATCHED_PAIR_COUNTERS = HookPoint(
    "matched_pair_counters",
    doc="""The number of matched pairs of a round (``programmes.services.matched_pair_count``),
    which the programmes app cannot count itself.

    Called as ``f(round_)``; returns an int. The results are added up, so the order does not
    change the result; they run in the declared order.""",
    implementations=[
        "matching.selectors.active_pair_count",
    ],
)

ROUND_COPY_HOOKS = HookPoint(
    "round_copy_hooks",
    doc="""What the later apps copy when a round is copied (``programmes.services.copy_round``),
    after the round, its eligibility and its shared meeting days are copied.

    Called as ``f(*, source, target)`` (two Rounds, in the caller's transaction); the return
    value is ignored. Runs in the declared order.""",
    implementations=[
        "applications.services.copy_form",
    ],
)

ROUND_CREATED = HookPoint(
    "round_created",
    doc="""What the later apps give a new round from its programme's content, when a round is
    created (``programmes.services.save_round``) or copied from an earlier one
    (``programmes.services.copy_round``, before ``ROUND_COPY_HOOKS``): the round's own copy of
    the programme's checklists.

    Called as ``f(*, round_)`` (the saved Round, in the caller's transaction); the return
    value is ignored. Runs in the declared order.""",
    implementations=[
        "pairs.checklists.copy_to_round",
    ],
)

DASHBOARD_SECTIONS = HookPoint(
    "dashboard_sections",
    doc="""The sections of the round dashboard (``programmes.selectors.round_dashboard``), below
    the programmes app's own figures.

    Called as ``f(*, tenant, round_)``; returns a dict with a ``template`` (rendered with the
    dict as ``data``) and whatever that template shows, in a fixed number of queries
    whatever the size of the round. Shown in the declared order: the latest messages, the
    applications by stage, the surveys, then the round report.""",
    implementations=[
        "messaging.selectors.dashboard_section",
        "applications.selectors.dashboard_section",
        "evaluation.selectors.dashboard_section",
        "reporting.reports.dashboard_section",
    ],
)

NEXT_STEPS = HookPoint(
    "next_steps",
    doc=""""What to do next" on a participant's home (``programmes.selectors.next_steps_for``),
    besides answering the coming shared days.

    Called as ``f(*, tenant, user, now)``; returns a list of
    ``programmes.selectors.NextStep``. Called in the declared order; the steps are then
    sorted by their ``order`` field, so the order here only breaks ties.""",
    implementations=[
        "matching.selectors.pair_next_steps",
        "bank.selectors.bank_next_steps",
    ],
)

ON_ANONYMISE = HookPoint(
    "on_anonymise",
    doc="""The later apps' own personal texts, cleared when applications are anonymised
    (``applications.services.anonymise_applications``, in its transaction, before the
    applications themselves are cleared: a hook may read their names and addresses).

    Called as ``f(*, application_ids)``; clears the texts tied to those applications (the
    mentor requests, the pairs' notes; the addresses of the message recipients of their
    rounds) and returns the texts it removed (a list of str, or None), so that their copies
    in the outbox and the activity log can be scrubbed too. Runs in the declared order.""",
    implementations=[
        "choosing.services.anonymise",
        "pairs.services.anonymise",
        "messaging.services.anonymise",
    ],
)

REMINDERS = KeyedHookPoint(
    "reminders",
    doc="""The reminder mails, run by ``organisations.reminders.run_reminders`` (Celery beat
    every 15 minutes, or ``manage.py send_reminders NAME...``), keyed by the name that the
    command takes and reports.

    Called as ``f(now)`` (an aware datetime) with scopes disabled; queues the mails due at
    ``now`` with ``organisations.reminders.queue_once`` and returns how many it queued
    (already recorded ones do not count). One failing reminder does not stop the others.
    Run and reported in the declared order, which is alphabetical by name.""",
    implementations=[
        ("application-deadline", "applications.reminders.remind_deadline"),
        ("quiet-pairs", "matching.reminders.remind_quiet_pairs"),
        ("shared-day", "programmes.reminders.remind_shared_days"),
        ("survey-closing", "evaluation.reminders.remind_survey_closing"),
        ("survey-open", "evaluation.reminders.remind_survey_open"),
    ],
)

EXPORT_JOBS = KeyedHookPoint(
    "export_jobs",
    doc="""The Celery task that makes each kind of export job (``organisations.jobs``: the
    shared life cycle of ``organisations.models.ExportJob``), keyed by ``ExportJob.Kind``.

    Called as ``f.apply_async(kwargs={"job_id": ...})`` (a Celery task taking ``job_id``)
    by ``organisations.jobs.dispatch``, after the request's transaction commits and again by
    the drain; the task loads the job with ``organisations.jobs.run_export_job`` and makes
    its file with ``organisations.jobs.run_pdf_job``. One task per kind; the order does not
    matter and is the kinds' declared order.""",
    implementations=[
        ("dossier", "applications.tasks.make_dossier"),
        ("report", "reporting.tasks.make_round_report"),
    ],
)

ATTENTION_ITEMS = HookPoint(
    "attention_items",
    doc=""""Att göra" (what needs attention now) on the coordinator's overview, on a round's
    dashboard and on the HR contact's home, collected by ``organisations.attention.items_for``.

    Called as ``f(*, tenant, round_, membership, now)``: ``round_`` is one Round (its
    dashboard) or None (every live round of the tenant: open, review, matching, running);
    ``membership`` is None for the coordinators' view, or the HR contact's Membership for the
    HR home, where only what that HR contact can act on is returned (their organisations).
    Returns a list of ``organisations.attention.AttentionItem``: only what is not done (an
    item with nothing left to do is not returned), in a fixed number of queries whatever the
    amount of data. The items are sorted by their ``order``, then by round; the declared
    order only breaks ties.""",
    implementations=[
        "applications.attention.attention_items",
        "matching.attention.attention_items",
        "programmes.attention.attention_items",
        "evaluation.attention.attention_items",
        "organisations.attention.outbox_items",
        "privacy.attention.attention_items",
    ],
)

PERSONAL_LINKS = HookPoint(
    "personal_links",
    doc="""A signed-in person's own direct links ("Fortsätt med ditt utkast", "Ditt par"), on
    their start page (every tenant) and in the header (the tenant of the page), collected by
    ``organisations.personal.links_for``.

    Called as ``f(*, user, tenant)``: ``tenant`` is one Tenant, or None for every active
    tenant (then the call runs with scopes disabled and returns only the person's own data).
    Returns a list of ``organisations.personal.PersonalLink``, in a fixed number of queries.
    Sorted by ``order`` within a tenant; the declared order only breaks ties.""",
    implementations=[
        "applications.personal.personal_links",
        "programmes.personal.personal_links",
        "matching.personal.personal_links",
    ],
)

ON_PARTICIPANT_ADDED = HookPoint(
    "on_participant_added",
    doc="""A coordinator added a person to a round by hand
    (``programmes.services.add_participant``, in its transaction, before the welcome mail).

    Called as ``f(*, participant, actor)``: the later apps record what an applicant of the
    round would have (an accepted application, so the person appears wherever applicants
    do). Returns nothing. Runs in the declared order.""",
    implementations=[
        "bank.services.participant_added_by_hand",
    ],
)

HOOK_POINTS = (
    PERSON_FEED_EXTRAS,
    MATCHED_PAIR_COUNTERS,
    ROUND_COPY_HOOKS,
    ROUND_CREATED,
    DASHBOARD_SECTIONS,
    NEXT_STEPS,
    ON_ANONYMISE,
    REMINDERS,
    EXPORT_JOBS,
    ATTENTION_ITEMS,
    PERSONAL_LINKS,
    ON_PARTICIPANT_ADDED,
)
