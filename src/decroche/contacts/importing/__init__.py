"""Imports of contact records from files (SPEC §1: the product imports the telephony's
and the support portal's exports). Format: docs/formats.md.

Pure modules (no Django import): `convert`, `mapping`, `records`, `queue_log` (and its
vocabulary `queue_log_events`); reading the files themselves is `decroche.core.tabular`. The database side is `runner` (batches,
foreign keys, inserts) and `open_states` (the states a queue_log left open, carried to the
next file); the entry point is `contacts.services.contacts_import`.
"""
