"""Incivility and aggression register, and support after a difficult event (issue 14, SPEC §8)."""
