"""Contract pages: anonymous → sign-in, a role without the permission → 403, an allowed
role → 200 (or the expected redirect), for every view; plus the writes they perform."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from decroche.contract.choices import CommitteeKind, OrderKind, OrderStatus, WorkUnit
from decroche.contract.models import CommitteeMeeting, Order, ServiceInterruption
from decroche.contract.services import monthly_invoice_record, order_issue
from decroche.core.models import AuditEntry
from decroche.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return order_issue(
        period_start=dt.date(2026, 3, 2),
        unit=WorkUnit.PHONE_HOURS,
        kind=OrderKind.FIRM,
        lines=[(dt.date(2026, 3, 2), None, Decimal("8"))],
        issued_on=dt.date.today(),
    )


@pytest.fixture
def meeting():
    return CommitteeMeeting.objects.create(kind=CommitteeKind.WEEKLY, held_on=dt.date(2026, 3, 6))


READ_PAGES = [
    ("contract-order-list", {}),
    ("contract-statement", {}),
    ("contract-proposal-list", {}),
    ("contract-interruption-list", {}),
    ("contract-committee-list", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), READ_PAGES)
def test_read_pages_access(client, users, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 302  # anonymous → sign-in
    assert "/comptes/" in client.get(url)["Location"] or "login" in client.get(url)["Location"]
    client.force_login(users["advisor"])
    assert client.get(url).status_code == 403
    for role in ("client_auditor", "workforce_planner", "site_manager", "administrator"):
        client.force_login(users[role])
        assert client.get(url).status_code == 200, role


def test_detail_pages_access(client, users, order, meeting):
    for url in (
        reverse("contract-order-detail", args=[order.pk]),
        reverse("contract-committee-detail", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 302
        client.force_login(users["advisor"])
        assert client.get(url).status_code == 403
        client.force_login(users["client_auditor"])
        assert client.get(url).status_code == 200
        client.logout()


def test_order_answer(client, users, order):
    url = reverse("contract-order-answer", args=[order.pk])
    assert client.post(url, {"accept": "1"}).status_code == 302
    client.force_login(users["client_auditor"])
    assert client.post(url, {"accept": "1"}).status_code == 403
    client.force_login(users["workforce_planner"])
    page = client.get(reverse("contract-order-detail", args=[order.pk]))
    assert "Envoyer la réponse" in page.content.decode()
    response = client.post(url, {"accept": "1", "note": "ok"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.VALIDATED
    assert order.answered_by == users["workforce_planner"]


def test_statement_table_and_downloads(client, users):
    monthly_invoice_record(
        month=dt.date(2026, 3, 1), phone_amount=Decimal("250000"), forms_amount=Decimal("30000")
    )
    client.force_login(users["client_auditor"])
    url = reverse("contract-statement")
    page = client.get(url, {"month": "2026-03"})
    assert page.status_code == 200
    assert page.context["statement"].settlement.cap == Decimal("28000.00")  # 10% × 280 000
    # The files are built as background jobs (issue 12 point 8): the request redirects to
    # the job's progress page; the immediate backend of the tests has run it by then.
    xlsx = _job_file(client, client.get(url, {"month": "2026-03", "format": "xlsx"}))
    assert xlsx["Content-Disposition"].endswith('releve-2026-03.xlsx"')
    assert xlsx.content.startswith(b"PK")  # a zip: the workbook
    pdf = _job_file(client, client.get(url, {"month": "2026-03", "format": "pdf"}))
    assert pdf.content.startswith(b"%PDF")
    job = Job.objects.get(filename="releve-2026-03.pdf")
    assert job.requested_by == users["client_auditor"] and job.kind == "contract.statement"
    missing = client.get(url, {"month": "2026-04"})
    assert missing.context["statement"] is None
    assert "Aucune facture enregistrée" in missing.content.decode()


def test_proposal_create_and_answer_permissions(client, users):
    create = reverse("contract-proposal-create")
    assert client.get(create).status_code == 302
    client.force_login(users["workforce_planner"])
    assert client.get(create).status_code == 403  # the Cnam proposes: administrators only
    client.force_login(users["administrator"])
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {
            "notified_on": dt.date.today().isoformat(),
            "service_level_code": "answer_rate",
            "new_threshold": "0.88",
        },
    )
    assert response.status_code == 302
    from decroche.contract.models import TargetChangeProposal

    proposal = TargetChangeProposal.objects.get()
    answer = reverse("contract-proposal-answer", args=[proposal.pk])
    client.force_login(users["client_auditor"])
    assert client.post(answer, {"accept": "0"}).status_code == 403
    client.force_login(users["site_manager"])
    assert client.post(answer, {"accept": "0"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "refused"


def test_interruption_create(client, users):
    url = reverse("contract-interruption-create")
    assert client.get(url).status_code == 302
    client.force_login(users["client_auditor"])
    assert client.get(url).status_code == 403
    client.force_login(users["site_manager"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"cause": "power", "started_at": "2026-03-02T09:00"})
    assert response.status_code == 302
    assert ServiceInterruption.objects.get().recorded_by == users["site_manager"]


def test_committee_pack_download(client, users):
    url = reverse("contract-committee-list")
    client.force_login(users["client_auditor"])
    pdf = _job_file(
        client, client.get(url, {"kind": "weekly", "date": "2026-03-06", "format": "pdf"})
    )
    assert pdf.content.startswith(b"%PDF")
    xlsx = _job_file(
        client, client.get(url, {"kind": "monthly", "date": "2026-03-06", "format": "xlsx"})
    )
    assert xlsx["Content-Disposition"].endswith('comite-monthly-2026-03-06.xlsx"')
    # Another person does not get the auditor's pack.
    job = Job.objects.get(filename="comite-monthly-2026-03-06.xlsx")
    client.force_login(users["site_manager"])
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404


def _job_file(client, response):
    """Follow a redirect to a job's progress page, check the job is done, download its file."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "<progress" in page.content.decode()
    job = page.context["job"]
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("job-download", args=[job.pk]))
    assert download.status_code == 200
    return download


def test_committee_create_and_minutes(client, users):
    create = reverse("contract-committee-create")
    data = {"kind": "weekly", "held_on": "2026-03-06"}
    assert client.post(create, data).status_code == 302
    assert not CommitteeMeeting.objects.exists()
    client.force_login(users["client_auditor"])
    assert client.post(create, data).status_code == 403
    client.force_login(users["workforce_planner"])
    assert client.post(create, data).status_code == 302
    meeting = CommitteeMeeting.objects.get()
    minutes = reverse("contract-committee-minutes", args=[meeting.pk])
    client.force_login(users["client_auditor"])
    assert client.post(minutes, {"action": "save", "minutes": "x"}).status_code == 403
    client.force_login(users["site_manager"])
    client.post(minutes, {"action": "save", "minutes": "Hours on track."})
    client.post(minutes, {"action": "send"})
    meeting.refresh_from_db()
    assert meeting.minutes == "Hours on track." and meeting.minutes_sent_at is not None
    page = client.get(reverse("contract-committee-detail", args=[meeting.pk]))
    assert page.context["state"] == "sent"
    client.post(minutes, {"action": "amend", "amendment": "Add the forms backlog."})
    meeting.refresh_from_db()
    assert meeting.amendment == "Add the forms backlog."
    listing = client.get(reverse("contract-committee-list"))
    assert "rectifié" in listing.content.decode()


# --- order entry by the contract manager (SPEC §6) --------------------------------------------


def test_order_entry_pages_are_for_the_contract_manager(client, users, order):
    urls = [reverse("contract-order-enter"), reverse("contract-order-amend", args=[order.pk])]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → sign-in
        for role in ("advisor", "client_auditor", "site_manager", "workforce_planner"):
            client.force_login(users[role])
            assert client.get(url).status_code == 403, (url, role)
            assert client.post(url, {}).status_code == 403, (url, role)
        for role in ("contract_manager", "administrator"):
            client.force_login(users[role])
            assert client.get(url).status_code == 200, (url, role)
        client.logout()
    assert order.lines.count() == 1 and not order.amendments.exists()


def test_contract_manager_enters_then_amends_an_order(client, users):
    client.force_login(users["contract_manager"])
    response = client.post(
        reverse("contract-order-enter"),
        {
            "period_start": "2026-03-02",
            "unit": WorkUnit.PHONE_HOURS,
            "kind": OrderKind.FIRM,
            "issued_on": "2026-02-16",
            "lines": "02/03/2026;9;68,5\n02/03/2026;10;70\n03/03/2026;;560\n",
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contract-order-detail", args=[order.pk])
    assert order.issued_by == users["contract_manager"]
    # 68.5 + 70 + 560 = 698.5 ordered
    assert sum(order.lines.values_list("quantity", flat=True)) == Decimal("698.5")
    page = client.get(reverse("contract-order-amend", args=[order.pk]))
    assert "02/03/2026;9;68.50" in page.content.decode()  # the form starts from the lines
    response = client.post(
        reverse("contract-order-amend", args=[order.pk]),
        {"lines": "02/03/2026;9;80\n03/03/2026;;560", "reason": "Avenant Cnam du 18/02"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    amendment = order.amendments.get()
    # history: 698.5 before, 80 + 560 = 640 after; back to the contractor's validation
    assert (amendment.previous_total, amendment.new_total) == (Decimal("698.50"), Decimal("640"))
    assert len(amendment.previous_lines) == 3 and amendment.amended_by == users["contract_manager"]
    assert (order.revision, order.status) == (1, OrderStatus.PROPOSED)
    assert AuditEntry.objects.filter(action="contract.order.amended").count() == 1


def test_order_entry_errors_name_the_line(client, users):
    client.force_login(users["contract_manager"])
    data = {
        "period_start": "2026-03-02",
        "unit": WorkUnit.PHONE_HOURS,
        "kind": OrderKind.FIRM,
        "issued_on": "2026-02-16",
    }
    response = client.post(
        reverse("contract-order-enter"), data | {"lines": "02/03/2026;9;8\nxx;9;8"}
    )
    assert response.status_code == 200 and "xx" in response.content.decode()
    # 7 March 2026 is a Saturday: refused by the service
    response = client.post(reverse("contract-order-enter"), data | {"lines": "07/03/2026;;8"})
    assert response.status_code == 200 and "2026-03-07" in response.content.decode()
    assert not Order.objects.exists()
