"""The library of reply templates and call scripts per contact reason (SPEC §1: forms are
answered from template replies; SPEC §8: scripts are updated when the product changes)."""
