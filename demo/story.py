"""The frame every demo tenant's story follows, told through the services.

A tenant module (``demo.vastnatet`` and the others) gives its own steps:
``build_programme``, ``build_applications`` and ``build_pairs`` (each returning the logins to
print), and optionally ``build_more_applications`` (more applications in the same history
batch), ``ENDS_CLOSED_ROUNDS`` (the closed rounds' pairs have had their year: ended through
``end_pair``) and ``build_surveys``. ``tell`` runs them in this order, with every mail the
services queue kept in the outbox.
"""

from django.utils import timezone

from demo import activity, history, pairing
from demo.common import mail_kept_in_outbox


def tell(module, *, tenant, organisations):
    """Build ``module``'s tenant story; returns the logins to print."""
    spec, logins = module.SPEC, []
    with mail_kept_in_outbox(tenant):
        logins += module.build_programme(
            tenant=tenant, spec=spec, orgs=organisations, today=timezone.localdate()
        )
        batch = history._Batch()
        logins += module.build_applications(
            tenant=tenant,
            spec=spec,
            organisations=organisations,
            rng=history._rng(spec["slug"]),
            times=history._rng(spec["slug"], "times"),
            now=timezone.now(),
            batch=batch,
        )
        if hasattr(module, "build_more_applications"):
            module.build_more_applications(
                tenant=tenant,
                spec=spec,
                organisations=organisations,
                now=timezone.now(),
                batch=batch,
            )
        batch.flush()
        logins += module.build_pairs(
            tenant=tenant, spec=spec, organisations=organisations, now=timezone.now()
        )
        activity.build_activity(tenant=tenant, spec=spec, organisations=organisations)
        if getattr(module, "ENDS_CLOSED_ROUNDS", False):
            pairing.end_pairs_of_closed_rounds(tenant)
        if hasattr(module, "build_surveys"):
            module.build_surveys(
                tenant=tenant, spec=spec, organisations=organisations, now=timezone.now()
            )
    return logins
