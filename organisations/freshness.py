"""Caching what every page of a tenant shows and what changes only when the tenant's data does:
the header's own links ("Ditt utkast", "Ditt par", "3 ansökningar väntar") and the "Att göra"
lists.

Each tenant has a *generation*, a token in the cache that moves on whenever something of the
tenant is saved or deleted (any model with a ``tenant`` key, so every service's activity log
entry too, which also covers the services' bulk ``update()``s) once the transaction commits.
A cached value is stored under the tenant's current generation, so a change makes every older
value unreachable at once; nothing has to know which values a change touches. The key also
holds the tenant's and the person's creation times, so a cache that outlives its database
(Redis kept, database rebuilt with the same ids) never answers for other people, the
language, and the tenant's date (an item such as "a shared day within 7 days" changes at
midnight); values expire after ``WORKSPACE_CACHE_SECONDS`` (0 turns the cache off, as the
test settings do so that tests which change rows with ``update()`` read fresh pages; the
tests of this module turn it on).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

_GENERATION = "tenant-generation:{}"
# A generation older than this is dropped; the next read starts a new one (a miss, never stale).
_GENERATION_SECONDS = 7 * 24 * 3600


def seconds():
    return getattr(settings, "WORKSPACE_CACHE_SECONDS", 300)


def generation(tenant_id):
    key = _GENERATION.format(tenant_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, _GENERATION_SECONDS)
        value = cache.get(key)
    return value


def changed(tenant_id):
    """The tenant's data changed: after the commit, every cached value of it is stale."""
    if tenant_id is None or not seconds():
        return
    key = _GENERATION.format(tenant_id)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, _GENERATION_SECONDS))


def cached(*, tenant, user, name, parts, compute):
    """``compute()`` for this tenant and person, from the cache while the tenant's data is
    unchanged. ``parts``: what else the value depends on (a round, a role)."""
    ttl = seconds()
    if not ttl:
        return compute()
    today = timezone.localdate(timezone=_zone(tenant))
    raw = ":".join(
        str(p)
        for p in (
            name,
            tenant.pk,
            _stamp(getattr(tenant, "created_at", None)),
            generation(tenant.pk),
            getattr(user, "pk", ""),
            _stamp(getattr(user, "date_joined", None)),
            translation.get_language(),
            today.isoformat(),
            *parts,
        )
    )
    key = "workspace:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    return value


def _stamp(moment):
    return moment.timestamp() if moment else ""


def _zone(tenant):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(tenant.timezone)
    except (AttributeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None


def _on_change(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loading fixtures
        return
    tenant_id = getattr(instance, "tenant_id", None)
    if tenant_id is None and sender._meta.label == "organisations.Tenant":
        tenant_id = instance.pk
    if tenant_id is not None:
        changed(tenant_id)


def connect():
    post_save.connect(_on_change, dispatch_uid="workspace-freshness-save")
    post_delete.connect(_on_change, dispatch_uid="workspace-freshness-delete")
