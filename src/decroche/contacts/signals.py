"""Signals of the contacts app: what other apps may react to without contacts knowing them."""

from django.dispatch import Signal

# Sent once an import has completed. Arguments: `batch_id` (the ImportBatch whose rows were
# added) and `changed_days` ({model class: set of local days} of older rows the import
# changed, e.g. calls whose repeat delay moved). The indicators' daily summary listens.
contacts_imported = Signal()
