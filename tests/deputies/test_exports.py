"""Excel export of a filtered roster: a permission, a security-log line, masked unless unmasking is
allowed and asked for with a reason, formula-safe cells, and a Celery job for large lists."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deputies import exports
from deputies.models import RosterJob
from tests.factories.deputies import DeputyFactory

EXPORT = reverse("console:deputies:roster_export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sheet(content):
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    return rows[0], rows[1:]


def _column(header, rows, label):
    index = header.index(label)
    return [row[index] for row in rows]


def test_export_is_masked_and_logged(client, login, staff_clerk, district_deputy_a, district_deputy_b, security_lines):
    login(client, staff_clerk)

    response = client.post(EXPORT, {"status": "serving"})

    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPE
    header, rows = _sheet(response.content)
    ids = _column(header, rows, str(exports.COLUMNS[2][1]))
    assert sorted(ids) == sorted([district_deputy_a.masked_id_number, district_deputy_b.masked_id_number])
    assert district_deputy_a.phone not in str(rows)
    (line,) = security_lines("export")
    assert (line["username"], line["rows"], line["unmasked"]) == ("staff_clerk", 2, 0)


def test_export_follows_the_filters_and_the_scope(
    client, login, township_officer_a, district_deputy_a, district_deputy_b, township_deputy_a, township_deputy_b
):
    login(client, township_officer_a)

    everything = _sheet(client.post(EXPORT, {}).content)[1]
    district_only = _sheet(client.post(EXPORT, {"body": district_deputy_a.body_id}).content)[1]

    assert sorted(row[0] for row in everything) == sorted(["陈区代表", "王镇代表"])
    assert [row[0] for row in district_only] == ["陈区代表"]


def test_cells_that_would_be_formulas_are_neutralised(client, login, staff_clerk, district_body):
    for index, text in enumerate(["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)"]):
        DeputyFactory(body=district_body, name=f"代表{index}", employer=text, occupation="\tcmd")
    login(client, staff_clerk)

    header, rows = _sheet(client.post(EXPORT, {}).content)

    employers = _column(header, rows, str(exports.COLUMNS[9][1]))
    assert sorted(employers) == sorted(["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2", "'@SUM(A1)"])
    assert set(_column(header, rows, str(exports.COLUMNS[8][1]))) == {"'\tcmd"}


def test_staff_admin_exports_full_values_with_a_reason_and_it_is_logged(
    client, login, staff_admin, district_deputy_a, security_lines
):
    login(client, staff_admin)

    refused = client.post(EXPORT, {"unmask": "on", "reason": ""})
    assert refused.status_code == 302 and not security_lines("export")

    response = client.post(EXPORT, {"unmask": "on", "reason": "换届选举核对"})

    header, rows = _sheet(response.content)
    assert _column(header, rows, str(exports.COLUMNS[2][1])) == [district_deputy_a.id_number]
    assert _column(header, rows, str(exports.COLUMNS[3][1])) == [district_deputy_a.phone]
    (unmask,) = security_lines("unmask")
    assert (unmask["reason"], unmask["rows"], unmask["via"]) == ("换届选举核对", 1, "export")


def test_a_clerk_asking_for_full_values_still_gets_them_masked(client, login, staff_clerk, district_deputy_a):
    login(client, staff_clerk)

    header, rows = _sheet(client.post(EXPORT, {"unmask": "on", "reason": "想看"}).content)

    assert _column(header, rows, str(exports.COLUMNS[2][1])) == [district_deputy_a.masked_id_number]


def test_export_needs_the_permission(client, login, auditor, station_keeper, district_deputy_a, security_lines):
    for user in (auditor, station_keeper):
        login(client, user)
        assert client.post(EXPORT, {}).status_code == 403
    assert not security_lines("export")


def test_a_large_export_runs_in_celery_and_only_its_exporter_downloads_it(
    client, login, staff_clerk, staff_admin, district_body, settings, django_capture_on_commit_callbacks,
    security_lines,
):
    settings.DEPUTIES_INLINE_JOB_ROWS = 10
    DeputyFactory.create_batch(25, body=district_body)
    login(client, staff_clerk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, {})

    job = RosterJob.objects.get()
    assert response["Location"] == reverse("console:deputies:job_detail", args=[job.pk])
    assert (job.kind, job.state, job.total, job.processed) == (RosterJob.Kind.EXPORT, RosterJob.State.DONE, 25, 25)
    page = client.get(response["Location"]).content.decode()
    assert reverse("console:deputies:job_download", args=[job.pk]) in page and "hx-trigger" not in page
    download = client.get(reverse("console:deputies:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == exports.CONTENT_TYPE and download["X-Content-Type-Options"] == "nosniff"
    assert len(_sheet(b"".join(download.streaming_content))[1]) == 25
    assert [line["job"] for line in security_lines("export")] == [job.pk]

    login(client, staff_admin)
    assert client.get(reverse("console:deputies:job_download", args=[job.pk])).status_code == 404
