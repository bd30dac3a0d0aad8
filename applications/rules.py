"""Who may see which application."""

from organisations import rules as org_rules


def can_review(membership):
    """Coordinators see every application of their tenant, with interview notes."""
    return org_rules.is_coordinator(membership)


def visible_organisation_ids(membership):
    """An HR contact sees only applicants from their own organisations."""
    return org_rules.hr_organisation_ids(membership)


def can_see_application(membership, application):
    if org_rules.is_coordinator(membership):
        return True
    # A draft is the applicant's own until they submit it.
    if application.stage == "draft":
        return False
    round_ = application.round
    if round_.requires_nomination and not round_.has_step("nomination", application.role):
        # The round's organisations nominate the other role only: not the HR contact's part.
        return False
    return application.organisation_id in visible_organisation_ids(membership)
