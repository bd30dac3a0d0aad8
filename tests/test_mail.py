"""Plain-text mail is rendered without HTML escaping, in the recipient's language."""

from mentorship.mail import render_mail


class _Programme:
    name = "Chefer & ledare"


class _Round:
    programme = _Programme()
    name = "Omgång 1"
    requires_endorsement = False
    requires_nomination = False


class _Application:
    full_name = "Siobhán O'Brien"

    def get_role_display(self):
        return "Adept"


def test_plain_text_is_not_html_escaped():
    subject, body, _html = render_mail(
        purpose="application_submitted",
        language="en",
        context={"round": _Round(), "application": _Application()},
    )
    assert "Chefer & ledare" in subject
    assert "Siobhán O'Brien" in body
    assert "&amp;" not in body and "&#x27;" not in body


def test_rendered_in_the_language_asked_for():
    context = {"round": _Round(), "application": _Application()}
    english, _body, _html = render_mail(
        purpose="application_submitted", language="en", context=context
    )
    swedish, _body, _html = render_mail(
        purpose="application_submitted", language="sv", context=context
    )
    assert english.startswith("Your application")
    assert swedish != english
