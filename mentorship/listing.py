"""Lists that scale: one helper for every long list (paging, sorting, search, counts).

A view builds a ``Listing`` from the request and its items (a queryset, or a list that is
already in memory) and hands it to the template, which includes ``includes/list_fields.html``
(the search field and the current sort, inside the list's own GET form),
``includes/list_count.html`` ("Visar 1–50 av 1 000"), ``includes/sort_th.html`` for each
sortable column header and ``includes/pagination.html``. Every link keeps the current query
(filters, search, sort); a page link changes only the page, a header link only the sort (and
goes back to the first page).

- Column headers: ``listing.headers.<key>`` is a ``SortHeader`` (its link, ``aria-sort`` and
  the words a screen reader hears). A header's link sorts ascending, or the other way round
  when the list is already sorted by that column. Works without JavaScript.
- ``prefix``: two lists on one page read ``<prefix>q``, ``<prefix>sort`` and ``<prefix>page``
  so that each keeps the other's place; ``anchor`` is added to its links (``#...``).

- ``sorts``: the allowed sort keys, ``{key: (label, fields[, descending label])}``;
  ``fields`` are ``order_by``
  arguments for a queryset, or a key function for a list. ``?sort=key`` sorts ascending,
  ``?sort=-key`` descending; anything else falls back to ``default_sort``.
- ``search``: field lookups matched with ``icontains`` against ``?q=`` (a queryset), or a
  function ``(item, text) -> bool`` (a list).

The page and the count take two queries on a queryset, whatever the number of rows.
"""

import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

PAGE_SIZE = 50
MAX_SEARCH = 100


def search_text(request, prefix=""):
    return request.GET.get(f"{prefix}q", "")[:MAX_SEARCH].strip()


def ids_digest(ids):
    """A short fingerprint of a set of ids: "the set the person confirmed" is still the set."""
    text = ",".join(str(i) for i in sorted(ids))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def apply_search(items, search, text):
    """``items`` whose ``search`` fields contain ``text`` (any case); a function for a list."""
    if callable(search):
        low = text.casefold()
        return [item for item in items if search(item, low)]
    condition = Q()
    for field in search:
        condition |= Q(**{f"{field}__icontains": text})
    return items.filter(condition)


def with_labels(rows, **choices):
    """``rows`` with ``<field>_label`` set from ``choices`` (``field=Model.Choices.choices``):
    each label is translated once per list, not once per row as ``get_<field>_display``."""
    rows = list(rows)
    for field, pairs in choices.items():
        labels = {value: str(label) for value, label in pairs}
        name = f"{field}_label"
        for row in rows:
            value = getattr(row, field)
            setattr(row, name, labels.get(value, value or ""))
    return rows


@dataclass(frozen=True)
class SortChoice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class SortHeader:
    """A sortable column header: ``url`` sorts by it (the other way round when it is the
    current sort), ``aria_sort`` is "ascending"/"descending" on the current column only."""

    key: str
    label: str
    url: str
    aria_sort: str
    state: str  # the words after the label for a screen reader

    @property
    def arrow(self):
        return {"ascending": "▲", "descending": "▼"}.get(self.aria_sort, "")


@dataclass(frozen=True)
class PageLink:
    number: object
    url: str
    current: bool
    gap: bool


def _descending(field):
    return field[1:] if field.startswith("-") else f"-{field}"


class Listing:
    def __init__(
        self,
        request,
        items,
        *,
        sorts=None,
        default_sort=None,
        search=None,
        searched=False,
        page_size=PAGE_SIZE,
        prefix="",
        anchor="",
    ):
        """``searched``: the items are already narrowed by ``?q=`` (the view's own selector
        searched); the list still shows its search field."""
        self.request = request
        self.sorts = sorts or {}
        self.prefix = prefix
        self.anchor = f"#{anchor}" if anchor else ""
        self.q_param, self.sort_param, self.page_param = (
            f"{prefix}q",
            f"{prefix}sort",
            f"{prefix}page",
        )
        self.q = search_text(request, prefix) if (search or searched) else ""
        self.searchable = bool(search or searched)
        if self.q and search:
            items = self._search(items, search, self.q)
        self.default_sort = default_sort or ""
        self.asked_sort = request.GET.get(self.sort_param, "")
        self.sort = self._sort_key(self.asked_sort, default_sort)
        items = self._sorted(items)
        self.items = items
        self.paginator = Paginator(items, page_size)
        self.page = self.paginator.get_page(request.GET.get(self.page_param))

    # --- building ------------------------------------------------------------------------

    def _sort_key(self, asked, default):
        key = asked[1:] if asked.startswith("-") else asked
        if key in self.sorts:
            return asked
        return default or ""

    @staticmethod
    def _search(items, search, text):
        return apply_search(items, search, text)

    def _sorted(self, items):
        if not self.sort:
            return items
        descending = self.sort.startswith("-")
        how = self.sorts[self.sort.removeprefix("-")][1]
        if callable(how):
            return sorted(items, key=how, reverse=descending)
        fields = [_descending(f) if descending else f for f in how]
        return items.order_by(*fields)

    # --- for the template ----------------------------------------------------------------

    @property
    def rows(self):
        return self.page.object_list

    @property
    def count(self):
        return self.paginator.count

    @property
    def count_display(self):
        return formats.number_format(self.count, force_grouping=True)

    @property
    def start_display(self):
        return formats.number_format(
            self.page.start_index() if self.count else 0, force_grouping=True
        )

    @property
    def end_display(self):
        return formats.number_format(self.page.end_index(), force_grouping=True)

    @property
    def sort_choices(self):
        """Each sort key in both directions (for a sort field, where a list wants one)."""
        choices = []
        for key, entry in self.sorts.items():
            label = entry[0]
            if len(entry) > 2:
                up, down = label, entry[2]
            else:
                up, down = label, _("%(label)s, descending") % {"label": label}
            choices.append(SortChoice(key, str(up), key == self.sort))
            choices.append(SortChoice(f"-{key}", str(down), f"-{key}" == self.sort))
        return choices

    @property
    def kept_sort(self):
        """The sort to carry in the list's form (a valid one the person chose), or ""."""
        return self.sort if self.asked_sort and self.sort == self.asked_sort else ""

    def url(self, **changes):
        """The current address's query with ``changes`` (None removes a parameter)."""
        query = self.request.GET.copy()
        for name, value in changes.items():
            if value is None:
                query.pop(name, None)
            else:
                query[name] = value
        encoded = query.urlencode()
        return f"?{encoded}{self.anchor}" if encoded else f"{self.request.path}{self.anchor}"

    @cached_property
    def headers(self):
        """{sort key: SortHeader} for the column headers."""
        current = self.sort.removeprefix("-")
        descending = self.sort.startswith("-")
        out = {}
        for key, entry in self.sorts.items():
            label = str(entry[0])
            if key == current:
                aria = "descending" if descending else "ascending"
                target = key if descending else f"-{key}"
                state = (
                    _("sorted descending, select to sort ascending")
                    if descending
                    else _("sorted ascending, select to sort descending")
                )
            else:
                aria, target, state = "", key, _("select to sort ascending")
            out[key] = SortHeader(
                key=key,
                label=label,
                url=self.url(**{self.sort_param: target, self.page_param: None}),
                aria_sort=aria,
                state=state,
            )
        return out

    @cached_property
    def page_links(self):
        """Page links around the current one, with gaps: 1 … 4 5 [6] 7 8 … 20."""
        if self.paginator.num_pages <= 1:
            return []
        links = []
        for n in self.paginator.get_elided_page_range(self.page.number, on_each_side=2):
            if n == Paginator.ELLIPSIS:
                links.append(PageLink(n, "", False, True))
            else:
                links.append(
                    PageLink(n, self.url(**{self.page_param: n}), n == self.page.number, False)
                )
        return links

    @property
    def previous_url(self):
        if self.page.has_previous():
            return self.url(**{self.page_param: self.page.previous_page_number()})
        return ""

    @property
    def next_url(self):
        if self.page.has_next():
            return self.url(**{self.page_param: self.page.next_page_number()})
        return ""

    @property
    def ellipsis(self):
        return Paginator.ELLIPSIS
