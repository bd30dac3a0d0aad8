"""Read an iCalendar feed with two independent parsers, icalendar and vobject, the way two
different calendar apps would: each event's start as each parser understands it.

vobject keeps a process-wide registry of time zones by TZID, filled from the first VTIMEZONE
it reads; it is emptied before each reading so that every feed is read from its own
VTIMEZONE (as a calendar app reading only this feed would)."""

import vobject
import vobject.icalendar
from icalendar import Calendar

_REGISTRY = vobject.icalendar.__dict__["__tzidMap"]


def starts_by_uid(content):
    """``{uid: (start read by icalendar, start read by vobject)}``; both aware datetimes."""
    icalendar_starts = {
        str(event["UID"]): event.decoded("DTSTART")
        for event in Calendar.from_ical(content).walk("VEVENT")
    }
    utc = _REGISTRY.get("UTC")
    _REGISTRY.clear()
    if utc is not None:
        _REGISTRY["UTC"] = utc
    parsed = vobject.readOne(content.decode())
    vobject_starts = {
        event.uid.value: event.dtstart.value for event in parsed.contents.get("vevent", [])
    }
    assert set(vobject_starts) == set(icalendar_starts)
    return {uid: (icalendar_starts[uid], vobject_starts[uid]) for uid in icalendar_starts}


def assert_both_read(content, expected):
    """Both parsers read every event at the expected local wall time and the same instant.

    ``expected``: ``{uid: aware datetime in the tenant's time zone}``."""
    starts = starts_by_uid(content)
    for uid, wanted in expected.items():
        by_icalendar, by_vobject = starts[uid]
        for reader, start in (("icalendar", by_icalendar), ("vobject", by_vobject)):
            assert start == wanted, f"{reader} reads {uid} as {start}, not {wanted}"
            assert start.utcoffset() == wanted.utcoffset(), f"{reader}: {uid} at {start}"
            local = start.replace(tzinfo=None)
            assert local == wanted.replace(tzinfo=None), f"{reader}: {uid} at {local}"
