from django import template

from ogp_portal.markdown import markdown_html

register = template.Library()
register.filter("markdown", markdown_html, is_safe=True)
