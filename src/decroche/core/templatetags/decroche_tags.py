from django import template

from decroche.core.navigation import destinations_for

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_destinations(context) -> list[dict[str, str]]:
    """Header menu of the current user, built from their permissions."""
    request = context.get("request")
    if request is None:
        return []
    return destinations_for(request.user, menu_only=True)
