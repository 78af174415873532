"""Reading the measures of the engine on the Django database (SPEC §3).

`tables` compiles measures to the ORM and reads the contact tables, `summary` reads the
daily summary, `source` is the engine's query source that chooses between them.
"""
