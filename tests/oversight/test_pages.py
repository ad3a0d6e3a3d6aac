"""Oversight pages by role: who sees which force's figures, that no page or export carries a
name or a protected detail, on-screen disclosure control for viewers outside the force, the
JSON behind the charts, and exports (read back with openpyxl and odfpy, and logged)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.test import Client

from safeguard.access.models import AuditEvent, Role
from safeguard.oversight.opendata import SHIPPED_DIR
from safeguard.oversight.services import load_file
from safeguard.people.models import DetailKind, Person, ProtectedDetail

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2021-01-01", "date_to": "2021-06-30", "by": "quarter"}
CANARY_ADDRESS = "7 Canary Wharf Close, Hiddenham HX9 9ZZ"
PERSONAL = re.compile(r"Canary|Zenobia|Quentin|Hiddenham|R1\b|NOR-SPO")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_data():
    for name in (
        "spo-bbc-sdu-2021/spo_foi_by_force_2020-2021.csv",
        "spo-bbc-sdu-2021/stalking_offences_by_force_2015-2021.csv",
    ):
        load_file(SHIPPED_DIR / name)


@pytest.fixture
def canaries(dataset):
    for person in Person.objects.all():
        ProtectedDetail.objects.create(
            person=person, kind=DetailKind.HOME_ADDRESS, value=CANARY_ADDRESS, postcode="HX9 9ZZ"
        )
    return dataset


@pytest.fixture
def client_for(sign_in, make_user, force):
    def make(role: str, user_force=force) -> Client:
        client = Client()
        sign_in(client, make_user(role, user_force))
        return client

    return make


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.SUPERVISOR, Role.ANALYST, Role.COORDINATOR, Role.FORCE_ADMIN]
)
def test_force_roles_see_their_own_force(client_for, canaries, public_data, role):
    client = client_for(role)
    response = client.get("/oversight/", PERIOD)
    assert response.status_code == 200
    page = text(response)
    assert "Stalking Protection Orders in Norfolk" in page
    assert "Jan to Mar 2021" in page
    assert "Apr to Jun 2021" in page
    assert not PERSONAL.search(page)
    assert "[c]" not in page  # the force's own staff: no suppression on screen
    # The charts' data, with the table alternatives on the page drawn from the same figures.
    data = client.get("/oversight/data.json", PERIOD).json()
    assert [c["id"] for c in data["charts"]] == [
        "reports",
        "spo-trend",
        "funnel",
        "families",
        "notifications",
        "national",
    ]
    reports = data["charts"][0]
    assert reports["labels"] == ["Jan to Mar 2021", "Apr to Jun 2021"]
    assert reports["series"][0]["data"] == [3, 2]
    funnel = data["charts"][2]
    assert funnel["series"][0]["data"] == [4, 4, 1, 2]
    national = data["charts"][-1]
    assert national["labels"][0].startswith("Norfolk: Safeguard records")
    assert 0 in national["highlight"]
    assert any(label == "Norfolk" for label in national["labels"])
    assert not PERSONAL.search(response.content.decode() + str(data))


def test_another_forces_figures_are_not_found(client_for, dataset):
    client = client_for(Role.ANALYST)
    assert client.get("/oversight/", {"force": "suffolk"}).status_code == 404
    assert client.get("/oversight/", {"force": "norfolk"}).status_code == 200


def test_a_start_too_long_before_the_default_end_shows_the_default_period(client_for, dataset):
    client = client_for(Role.ANALYST)
    for url in ("/oversight/", "/oversight/data.json"):
        assert client.get(url, {"date_from": "1990-02-03"}).status_code == 200, url


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADVOCATE, Role.LEGAL])
def test_roles_without_oversight_are_refused(client_for, dataset, role):
    client = client_for(role)
    for url in ("/oversight/", "/oversight/data.json", "/oversight/export/"):
        assert client.get(url).status_code == 403, url
    # The league table is public data: every signed-in user may read it.
    assert client.get("/oversight/national/").status_code == 200


def test_signed_out_users_are_sent_to_sign_in(dataset):
    for url in ("/oversight/", "/oversight/national/", "/oversight/data.json"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]


def test_national_administrator_chooses_a_force_and_sees_controlled_figures(
    client_for, canaries, public_data
):
    client = client_for(Role.NATIONAL_ADMIN, None)
    chooser = client.get("/oversight/")
    assert chooser.status_code == 200
    assert "Choose a force" in text(chooser)
    response = client.get("/oversight/", {"force": "norfolk", **PERIOD})
    page = text(response)
    assert response.status_code == 200
    assert "Small numbers are controlled" in page
    assert "[c]" in page
    assert not PERSONAL.search(page)
    data = client.get("/oversight/data.json", {"force": "norfolk", **PERIOD}).json()
    reports = data["charts"][0]
    assert reports["series"][0]["data"] == [None, None]  # 3 and 2 stalking reports: suppressed
    assert data["disclosure_control"].startswith("Counts from 1 to 4 are suppressed")


def test_pcc_staff_see_their_force_under_disclosure_control(client_for, dataset):
    client = client_for("pcc")
    response = client.get("/oversight/", PERIOD)
    assert response.status_code == 200
    assert "[c]" in text(response)


def test_league_page_highlights_the_users_force_and_shows_non_answers(
    client_for, public_data, dataset
):
    response = client_for(Role.SUPERVISOR).get("/oversight/national/")
    page = text(response)
    assert response.status_code == 200
    assert "Your force" in page
    assert "Norfolk is ranked 23 of 39" in page
    assert page.count("Did not answer") >= 2
    assert "Not in the FOI data" in page
    assert "427" in page
    assert "294" in page
    data = client_for(Role.ANALYST).get("/oversight/national/data.json").json()
    assert len(data["forces"]) == 43
    assert data["charts"][0]["id"] == "league"
    sorted_page = text(client_for(Role.ANALYST).get("/oversight/national/", {"sort": "-applied"}))
    sorted_page = sorted_page[sorted_page.index('id="table-heading"') :]
    assert sorted_page.index("Metropolitan Police") < sorted_page.index("Sussex")


def test_league_without_data_says_how_to_load_it(client_for, dataset):
    page = text(client_for(Role.ANALYST).get("/oversight/national/"))
    assert "safeguard oversight load-open-data" in page


def test_definitions_page_lists_every_metric(client_for, dataset):
    from safeguard.oversight.metrics import METRICS

    page = text(client_for(Role.ANALYST).get("/oversight/definitions/"))
    for metric in METRICS:
        assert metric.key in page


def _export(client, fmt: str, part: str = "", purpose: str = "FOI 2021/123"):
    return client.post(
        "/oversight/export/", {**PERIOD, "fmt": fmt, "part": part, "purpose": purpose}
    )


def test_export_needs_a_purpose(client_for, dataset):
    response = _export(client_for(Role.ANALYST), "csv", purpose="")
    assert response.status_code == 200
    assert "Enter why you are exporting these figures" in text(response)


def test_csv_export_is_suppressed_logged_and_free_of_personal_data(client_for, canaries):
    client = client_for(Role.ANALYST)
    before = AuditEvent.objects.filter(kind="export").count()
    response = _export(client, "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="safeguard-norfolk-20210101-20210630-quarter.csv"'
        in response["Content-Disposition"]
    )
    body = response.content.decode()
    assert not PERSONAL.search(body)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["Period"] for r in rows] == ["Jan to Mar 2021", "Apr to Jun 2021", "Total"]
    assert rows[2]["Stalking and harassment reports"] == "8"
    assert rows[0]["Stalking reports (8Q)"] == "[c]"  # 3
    assert rows[2]["SPO applications"] == "[c]"  # 4
    events = AuditEvent.objects.filter(kind="export").order_by("id")
    assert events.count() == before + 1
    event = events.last()
    assert event.purpose == "FOI 2021/123"
    assert event.object_id == "metrics:norfolk"
    assert event.changes["suppressed_cells"] > 0
    assert event.changes["format"] == "csv"
    metadata = _export(client, "csv", part="metadata").content.decode()
    fields = dict(csv.reader(io.StringIO(metadata)))
    assert fields["Period"] == "1 January 2021 to 30 June 2021"
    assert "Counts from 1 to 4 are suppressed" in fields["Disclosure control"]
    assert "Date produced" in fields
    assert "Source" in fields
    assert "Stalking reports (8Q) [stalking_reports]" in fields


def test_xlsx_export_opens_with_data_and_metadata_sheets(client_for, dataset):
    from openpyxl import load_workbook

    response = _export(client_for(Role.SUPERVISOR), "xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Data", "Metadata"]
    data = list(workbook["Data"].iter_rows(values_only=True))
    assert data[0][:4] == ("Period", "From", "To", "Stalking reports (8Q)")
    assert data[-1][0] == "Total"
    assert data[-1][5] == 8
    meta = dict(workbook["Metadata"].iter_rows(min_row=2, values_only=True))
    assert meta["Force"] == "Norfolk"


def test_ods_export_opens_with_data_and_metadata_sheets(client_for, dataset):
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    response = _export(client_for(Role.SUPERVISOR), "ods")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    document = load(io.BytesIO(response.content))
    tables = document.spreadsheet.getElementsByType(Table)
    assert [t.getAttribute("name") for t in tables] == ["Data", "Metadata"]

    def cells(row):
        return [
            "".join(str(p) for p in c.getElementsByType(P))
            for c in row.getElementsByType(TableCell)
        ]

    rows = [cells(r) for r in tables[0].getElementsByType(TableRow)]
    assert rows[0][0] == "Period"
    assert rows[-1][0] == "Total"
    assert rows[-1][5] == "8"
    total = tables[0].getElementsByType(TableRow)[-1].getElementsByType(TableCell)[5]
    assert total.getAttribute("valuetype") == "float"


def test_league_exports_reproduce_the_foi_figures(client_for, public_data):
    from openpyxl import load_workbook

    client = client_for(Role.ANALYST)
    response = client.get("/oversight/national/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Data"].iter_rows(values_only=True))
    header = rows[0]
    norfolk = dict(zip(header, next(r for r in rows if r[0] == "Norfolk"), strict=True))
    assert (norfolk["SPOs applied for"], norfolk["SPOs granted"]) == (4, 2)
    total = dict(zip(header, rows[-1], strict=True))
    assert (total["SPOs applied for"], total["SPOs granted"], total["SPOs rejected"]) == (
        427,
        294,
        22,
    )
    lincs = dict(zip(header, next(r for r in rows if r[0] == "Lincolnshire"), strict=True))
    assert lincs["FOI answer"] == "Did not answer"
    assert lincs["SPOs applied for"] == "[z]"
    assert client.get("/oversight/national/export.csv").status_code == 200
    assert client.get("/oversight/national/export.ods").status_code == 200
    assert client.get("/oversight/national/export.pdf").status_code == 404
    assert AuditEvent.objects.filter(kind="export", object_id="league").count() == 3


def test_dashboard_default_period_ends_with_the_latest_report(client_for, dataset):
    page = text(client_for(Role.ANALYST).get("/oversight/"))
    # The latest report is 1 July 2021 (00:30 BST): the 12 months August 2020 to July 2021.
    assert "1 August 2020 to 31 July 2021" in page


def test_a_bad_period_is_explained(client_for, dataset):
    response = client_for(Role.ANALYST).get(
        "/oversight/", {"date_from": "2021-06-30", "date_to": "2021-01-01"}
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in text(response)


def test_dashboard_query_budget(client_for, dataset, django_assert_max_num_queries):
    client = client_for(Role.ANALYST)
    with django_assert_max_num_queries(40):
        client.get("/oversight/", PERIOD)
