"""Permission predicates. Views and templates ask these, never the flags directly."""


def is_member(membership):
    return membership is not None


def is_coordinator(membership):
    return bool(membership and membership.is_coordinator)


def is_hr_contact(membership):
    return bool(membership and membership.is_hr_contact)


def hr_organisation_ids(membership):
    """The member organisations whose applicants this HR contact may see."""
    if not is_hr_contact(membership):
        return set()
    return {org.pk for org in membership.organisations.all()}


def can_manage_tenant(membership):
    return is_coordinator(membership)


def can_see_organisation(membership, organisation):
    if is_coordinator(membership):
        return True
    return organisation.pk in hr_organisation_ids(membership)
