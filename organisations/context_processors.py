from . import rules


def tenant(request):
    membership = getattr(request, "membership", None)
    return {
        "tenant": getattr(request, "tenant", None),
        "membership": membership,
        "is_coordinator": rules.is_coordinator(membership),
        "is_hr_contact": rules.is_hr_contact(membership),
    }
