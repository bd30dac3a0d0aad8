"""Small helpers that every app's views share."""


def base_url(request):
    """The site's address as the person sees it, for links in mails."""
    return f"{request.scheme}://{request.get_host()}"


def site_url():
    """The site's address for links in mails that no request triggered (reminders)."""
    from django.conf import settings

    return settings.SITE_URL


def absolute(path, base_url=""):
    """An absolute link for a mail: ``base_url`` (the request's address, see base_url) or,
    where no request triggered the mail, SITE_URL. A page behind sign-in needs nothing more:
    the tenant middleware sends a signed-out reader to the sign-in page and back (``next``)."""
    return f"{base_url or site_url()}{path}"


def set_password_link(user, base_url="", *, next_url=""):
    """For a person created by HR or a coordinator who has never chosen a password: the
    absolute link where they choose one (allauth's reset-from-key page); "" for everyone
    else. Mails add it next to the page link, so the reader can sign in on the way.

    ``next_url`` is the page the mail is about (its path, or the absolute link the mail also
    carries): after choosing the password the person is signed in and lands there, not on the
    start page. allauth keeps ``next`` through its redirect to the key-less form."""
    if user is None or user.has_usable_password():
        return ""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    link = absolute(path, base_url)
    if next_url:
        from urllib.parse import urlencode, urlsplit

        target = urlsplit(next_url)
        local = target.path + (f"?{target.query}" if target.query else "")
        link += "?" + urlencode({"next": local})
    return link


def errors_into_form(form, exc):
    """Show a service's ValidationError next to the fields it names (or at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
