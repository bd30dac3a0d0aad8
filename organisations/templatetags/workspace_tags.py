"""The workspace's template tags: "Att göra" and a person's own links."""

from django import template

from organisations import attention, freshness, personal

register = template.Library()


@register.simple_tag(takes_context=True)
def attention_items(context, tenant, round=None, audience=""):  # noqa: A002 - template name
    """The open "Att göra" items of the page: the coordinators' (overview, a round's page)
    or, with ``audience="hr"``, the HR contact's of the request."""
    membership = None
    if audience == "hr":
        membership = context.get("membership")
        if not getattr(membership, "is_hr_contact", False):
            return []
    round_ = round or None
    # The coordinators' items are the same for every coordinator; an HR contact's are theirs.
    return freshness.cached(
        tenant=tenant,
        user=membership.user if membership else None,
        name="attention",
        parts=(getattr(round_, "pk", ""), getattr(membership, "pk", "")),
        compute=lambda: attention.items_for(tenant=tenant, round_=round_, membership=membership),
    )


@register.simple_tag(takes_context=True)
def my_links(context, tenant=None):
    """The signed-in person's own links in ``tenant`` (the header), computed once a request."""
    request = context.get("request")
    user = context.get("user")
    if not tenant or not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(request, "_personal_links", None) if request is not None else None
    if cache is not None and cache[0] == tenant.pk:
        return cache[1]
    links = freshness.cached(
        tenant=tenant,
        user=user,
        name="links",
        parts=(),
        compute=lambda: _header_links(user, tenant),
    )
    if request is not None:
        request._personal_links = (tenant.pk, links)
    return links


def _header_links(user, tenant):
    links, seen = [], set()
    for link in personal.links_for(user=user, tenant=tenant):
        label = link.short or link.text
        if label not in seen:  # two drafts: one "Your draft" in the header
            seen.add(label)
            links.append(link)
    return links
