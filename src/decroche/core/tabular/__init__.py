"""Reading tabular import files, for every app that imports (contacts, orders, roster).

Pure modules (no Django import): `source` (CSV with its encoding and delimiter detected,
XLSX), `errors` (whole-file and row errors), `rejects` (the rejects file). Each app maps
the rows to its own records and writes them; `decroche.core.imports` names the kinds.
"""
