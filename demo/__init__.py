"""The demo: five invented tenants, one module each, every story told through the services.

``manage.py seed_demo`` calls :func:`seed`. Each tenant module has its ``SPEC`` (the tenant,
its organisations, coordinator and HR contacts) and its own steps (programmes,
applications, pairs and, where it has them, surveys), which :func:`demo.story.tell` runs in
one fixed order. Shared helpers (people, dates, the outbox, ``backdate``) are in :mod:`demo.common`.

- ``vastnatet`` (seed 000): a network of public employers; round 15 open, round 14 closed.
- ``storvik`` (seed 001): a city's programme for first-line managers, a round running.
- ``kvarnadalen`` (seed 002): a regional programme with two closed rounds.
- ``kommundirektorer`` (seed 003): an association; adepts choose their mentor.
- ``sjukhusgruppen`` (seed 004): a hospital group's standing programme with a mentor bank.

Invented people only; dates relative to today (Europe/Stockholm); idempotent: running it
again changes nothing.
"""

from importlib import import_module

from django_scopes import scope

from . import story
from .common import DEMO_DOMAIN, DEMO_PASSWORD, build_tenant

TENANT_MODULES = ["vastnatet", "storvik", "kvarnadalen", "kommundirektorer", "sjukhusgruppen"]

__all__ = ["DEMO_DOMAIN", "DEMO_PASSWORD", "TENANT_MODULES", "seed", "tenant_specs"]


def _modules():
    return [import_module(f"{__name__}.{name}") for name in TENANT_MODULES]


def tenant_specs():
    """The five tenants' specs, in seeding order."""
    return [module.SPEC for module in _modules()]


def seed():
    """Build (or bring up to date) every demo tenant; returns [(tenant, logins)]."""
    results = []
    for module in _modules():
        tenant, organisations, logins = build_tenant(module.SPEC)
        with scope(tenant=tenant):
            logins += story.tell(module, tenant=tenant, organisations=organisations)
        results.append((tenant, logins))
    return results
