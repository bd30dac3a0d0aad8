"""Which Swedish counties and regions are neighbours, for the geography preference.

Keys are lower-case county names without "län"/"region"; ``region_key`` turns what people type
("Västra Götalands län", "Region Halland", "Västra Götalandsregionen") into a key. The four
sub-regions of Västra Götaland that networks in the west use (Göteborgsregionen, Sjuhärad,
Skaraborg, Fyrbodal with Dalsland and Bohuslän) are keys of their own, neighbouring their county
and what lies next to them. Land borders only, roughly; an unknown name still matches itself.
"""

import re
from functools import lru_cache

COUNTIES = (
    "stockholm",
    "uppsala",
    "södermanland",
    "östergötland",
    "jönköping",
    "kronoberg",
    "kalmar",
    "gotland",
    "blekinge",
    "skåne",
    "halland",
    "västra götaland",
    "värmland",
    "örebro",
    "västmanland",
    "dalarna",
    "gävleborg",
    "västernorrland",
    "jämtland",
    "västerbotten",
    "norrbotten",
)
SUBREGIONS = ("göteborgsregionen", "sjuhärad", "skaraborg", "fyrbodal")

_EDGES = {
    "stockholm": ("uppsala", "södermanland"),
    "uppsala": ("västmanland", "gävleborg", "dalarna"),
    "södermanland": ("östergötland", "örebro", "västmanland"),
    "östergötland": ("jönköping", "kalmar", "örebro"),
    "jönköping": ("kronoberg", "kalmar", "halland", "västra götaland", "sjuhärad", "skaraborg"),
    "kronoberg": ("kalmar", "blekinge", "skåne", "halland"),
    "kalmar": ("blekinge",),
    "blekinge": ("skåne",),
    "skåne": ("halland",),
    "halland": ("västra götaland", "göteborgsregionen", "sjuhärad"),
    "västra götaland": (
        "värmland",
        "örebro",
        "göteborgsregionen",
        "sjuhärad",
        "skaraborg",
        "fyrbodal",
    ),
    "värmland": ("örebro", "dalarna", "fyrbodal"),
    "örebro": ("västmanland", "dalarna", "skaraborg"),
    "västmanland": ("dalarna",),
    "dalarna": ("gävleborg", "jämtland"),
    "gävleborg": ("jämtland", "västernorrland"),
    "västernorrland": ("jämtland", "västerbotten"),
    "jämtland": ("västerbotten",),
    "västerbotten": ("norrbotten",),
    "göteborgsregionen": ("sjuhärad", "fyrbodal"),
    "sjuhärad": ("skaraborg",),
    "skaraborg": ("fyrbodal",),
}

NEIGHBOURS: dict[str, frozenset[str]] = {}
for _a, _bs in _EDGES.items():
    for _b in _bs:
        NEIGHBOURS.setdefault(_a, set()).add(_b)
        NEIGHBOURS.setdefault(_b, set()).add(_a)
NEIGHBOURS = {k: frozenset(v) for k, v in NEIGHBOURS.items()}

ALIASES = {
    "vg": "västra götaland",
    "vgr": "västra götaland",
    "västsverige": "västra götaland",
    "göteborg": "göteborgsregionen",
    "gr": "göteborgsregionen",
    "storgöteborg": "göteborgsregionen",
    "göteborgs stad": "göteborgsregionen",
    "borås": "sjuhärad",
    "boråsregionen": "sjuhärad",
    "dalsland": "fyrbodal",
    "bohuslän": "fyrbodal",
    "norra bohuslän": "fyrbodal",
    "scania": "skåne",
    "sörmland": "södermanland",
}
KNOWN = frozenset(COUNTIES) | frozenset(SUBREGIONS)

_PREFIXES = ("region ", "landstinget ", "länsstyrelsen i ")
_SUFFIXES = (" län", " county", "regionen", " region", " landsting")


@lru_cache(maxsize=4096)
def region_key(text):
    """A comparable key for a county or region as people write it, or None when empty."""
    t = re.sub(r"[\s\-–]+", " ", (text or "").lower()).strip()
    if not t:
        return None
    if t in ALIASES or t in KNOWN:
        return ALIASES.get(t, t)
    for prefix in _PREFIXES:
        if t.startswith(prefix):
            t = t[len(prefix) :].strip()
    for suffix in _SUFFIXES:
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)].strip()
    if t in ALIASES:
        return ALIASES[t]
    if t not in KNOWN and t.endswith("s") and t[:-1] in KNOWN:
        t = t[:-1]
    return t


def are_neighbours(a, b):
    return a is not None and b is not None and b in NEIGHBOURS.get(a, ())
