"""Role-play practice of difficult conversations and two-evaluator competency certification (issue 15, SPEC §8)."""
