"""The contract's long work as background jobs (issue 12 point 8): the monthly statement
and the committee packs in XLSX or PDF, built by the same functions as before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from decroche.core.downloads import PDF, XLSX
from decroche.jobs.registry import register
from decroche.jobs.services import job_finish, job_progress

from .exports import statement_pdf, statement_workbook
from .pack_exports import pack_pdf, pack_workbook
from .packs import committee_pack
from .selectors import monthly_statement

STATEMENT = "contract.statement"
COMMITTEE_PACK = "contract.committee_pack"


@register(STATEMENT)
def statement_export(
    job, *, month: str, invoice_phone: str, invoice_forms: str, format: str, generated_by: str
) -> None:
    """SPEC §5: the statement of `month` on the given invoices (amounts as strings)."""
    day = dt.date.fromisoformat(month)
    job_progress(job, 10, _("Computing the statement…"))
    result = monthly_statement(
        month=day, invoice_phone=Decimal(invoice_phone), invoice_forms=Decimal(invoice_forms)
    )
    job_progress(job, 60, _("Writing the file…"))
    if format == "pdf":
        job_finish(
            job, statement_pdf(result, generated_by=generated_by), f"releve-{day:%Y-%m}.pdf", PDF
        )
    else:
        job_finish(job, statement_workbook(result), f"releve-{day:%Y-%m}.xlsx", XLSX)


@register(COMMITTEE_PACK)
def committee_pack_export(job, *, kind: str, held_on: str, format: str, generated_by: str) -> None:
    """SPEC §6: the pack of a committee of `kind` held on `held_on`."""
    day = dt.date.fromisoformat(held_on)
    job_progress(job, 10, _("Gathering the pack…"))
    pack = committee_pack(kind=kind, held_on=day)
    job_progress(job, 60, _("Writing the file…"))
    name = f"comite-{kind}-{day:%Y-%m-%d}"
    if format == "pdf":
        job_finish(job, pack_pdf(pack, generated_by=generated_by), f"{name}.pdf", PDF)
    else:
        job_finish(job, pack_workbook(pack), f"{name}.xlsx", XLSX)
