"""Template tags: the participant's open surveys and the results' charts (inline SVG)."""

from django import template
from django.utils.translation import gettext as _

from mentorship import charts
from programmes.models import ParticipantRole

from .. import selectors

register = template.Library()


@register.simple_tag
def my_open_surveys(tenant, user):
    """[{survey, role, role_label, answered}] open now for this person (three queries)."""
    if tenant is None:
        return []
    return selectors.open_surveys_for(tenant=tenant, user=user)


@register.simple_tag
def question_chart(q):
    """The distribution of one QuestionResult (scale or choices) over everyone asked."""
    if q.total.withheld or not q.total.options:
        return ""
    return charts.bar_chart_svg(
        labels=[o.label for o in q.total.options],
        values=[o.count for o in q.total.options],
        title=_("Answers to “%(question)s”") % {"question": q.text},
    )


@register.simple_tag
def role_chart(q):
    """Mentors and adepts side by side (nothing when the split is withheld)."""
    if q.split_withheld or len(q.by_role) < 2 or not q.total.options:
        return ""
    labels = dict(ParticipantRole.choices)
    series = [
        (str(labels[role]), [o.count for o in dist.options]) for role, dist in q.by_role.items()
    ]
    return charts.grouped_bar_chart_svg(
        labels=[o.label for o in q.total.options],
        series=series,
        title=_("Mentors and adepts: “%(question)s”") % {"question": q.text},
    )


@register.simple_tag
def comparison_chart(q):
    """The mean of a scale question in this round and earlier rounds."""
    points = [p for p in q.comparison if not p.withheld and p.mean is not None]
    if len(points) < 2:
        return ""
    return charts.bar_chart_svg(
        labels=[p.round_name for p in points],
        values=[round(p.mean, 1) for p in points],
        max_value=5,
        title=_("Mean per round: “%(question)s”") % {"question": q.text},
    )


@register.simple_tag
def goals_chart(goals):
    """Goal fulfilment (reached, partly, not) over everyone who rated their goals."""
    if goals.withheld or not goals.counts:
        return ""
    rows = goals.rows
    return charts.bar_chart_svg(
        labels=[label for _value, label, _count in rows],
        values=[count for _value, _label, count in rows],
        title=_("Own goals reached"),
    )


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
