from django import template

from decroche.core.navigation import menu_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_section_list(context) -> list[dict]:
    """The header menu grouped by domain (`navigation.menu_sections`)."""
    request = context.get("request")
    if request is None:
        return []
    return menu_sections(request.user, request.path)
