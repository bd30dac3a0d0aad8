"""Lists that scale: one helper for every long list (paging, sorting, search, counts).

A view builds a ``Listing`` from the request and its items (a queryset, or a list that is
already in memory) and hands it to the template, which includes ``includes/list_fields.html``
(search and sort fields, inside the list's own GET form), ``includes/list_count.html``
("Visar 1–50 av 1 000") and ``includes/pagination.html``. Every link keeps the current query
(filters, search, sort) through Django's ``{% querystring %}``; only ``page`` changes.

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

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import formats

PAGE_SIZE = 50
MAX_SEARCH = 100


def search_text(request):
    return request.GET.get("q", "")[:MAX_SEARCH].strip()


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


@dataclass(frozen=True)
class SortChoice:
    value: str
    label: str
    selected: bool


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
    ):
        """``searched``: the items are already narrowed by ``?q=`` (the view's own selector
        searched); the list still shows its search field."""
        self.request = request
        self.sorts = sorts or {}
        self.q = search_text(request) if (search or searched) else ""
        self.searchable = bool(search or searched)
        if self.q and search:
            items = self._search(items, search, self.q)
        self.sort = self._sort_key(request.GET.get("sort", ""), default_sort)
        items = self._sorted(items)
        self.items = items
        self.paginator = Paginator(items, page_size)
        self.page = self.paginator.get_page(request.GET.get("page"))

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
        """Each sort key in both directions, for the sort field."""
        from django.utils.translation import gettext as _

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
    def page_links(self):
        """Page numbers around the current one, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        if self.paginator.num_pages <= 1:
            return []
        return list(self.paginator.get_elided_page_range(self.page.number, on_each_side=2))

    @property
    def ellipsis(self):
        return Paginator.ELLIPSIS
