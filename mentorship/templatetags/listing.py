"""``{% stripindent %}…{% endstripindent %}``: the rendered block without the indentation at
the start of its lines (the templates' own, repeated in every row of a long list: about
two thirds of a list page's bytes). Each line break stays, so words and inline elements keep
their spaces. Not for a block holding a ``<pre>`` or a ``<textarea>``."""

import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_INDENT = re.compile(r"\n[ \t]+")
_BLANK = re.compile(r"\n{2,}")


class StripIndentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        text = self.nodelist.render(context)
        return mark_safe(_BLANK.sub("\n", _INDENT.sub("\n", text)))


@register.tag
def stripindent(parser, token):
    nodelist = parser.parse(("endstripindent",))
    parser.delete_first_token()
    return StripIndentNode(nodelist)
