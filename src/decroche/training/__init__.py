"""Training programmes, sessions, attendance, certificates and their evaluation (issue 13, SPEC §8)."""
