"""Template filters over `decroche.core.formatting`: the one French formatting layer of the
pages, exports and documents (`{% load decroche_format %}`, `{{ amount|euros }}`)."""

from django import template

from decroche.core import formatting

register = template.Library()


@register.filter
def fr_number(value, places=0):
    return formatting.number(value, int(places))


@register.filter
def euros(value):
    return formatting.euros(value)


@register.filter
def percent(value, places=1):
    return formatting.percent(value, int(places))


@register.filter
def duration(value):
    return formatting.duration(value)


@register.filter
def long_date(value):
    return formatting.long_date(value)


@register.filter
def short_date(value):
    return formatting.short_date(value)


@register.filter
def by_unit(value, unit):
    """A value by its unit (`rate`, `seconds`, `count`, `euros`, a score)."""
    return formatting.value(value, unit)


@register.filter
def objective(target, unit):
    """A target as people write it: `>= 0.90` → `≥ 90 %` (`formatting.written_target`)."""
    return formatting.written_target(target, unit)
