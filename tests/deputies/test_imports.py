"""Excel import of a roster is all-or-nothing with a row-by-row report (SECURITY S23)."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from deputies.models import Deputy, RosterJob
from tests.factories.deputies import DeputyFactory, id_number

HEADER = ["姓名", "性别", "ID number", "Mobile phone", "Sector", "Standing committee member"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _in_ui_language(message) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def validate_id_number_message():
    return gettext_lazy("Invalid resident ID number (check digit does not match).")


def _xlsx(rows, header=HEADER, name="roster.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def _good(serial, name=None):
    return [name or f"导入代表{serial}", "男" if serial % 2 else "female", id_number(serial), f"139{serial:08d}",
            "farmers", "否"]


def _upload(client, term, upload):
    return client.post(reverse("console:deputies:roster_import"), {"term": term.pk, "file": upload})


@pytest.fixture
def term(district_body):
    return district_body.terms.get(is_current=True)


def test_one_bad_row_imports_nothing_and_is_reported_then_the_fixed_file_imports(
    client, login, staff_clerk, term
):
    login(client, staff_clerk)
    wrong_id = id_number(3)[:17] + ("0" if id_number(3)[17] != "0" else "1")
    rows = [_good(1), _good(2), [*_good(3)[:2], wrong_id, *_good(3)[3:]], _good(4)]

    response = _upload(client, term, _xlsx(rows))

    job = RosterJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:deputies:job_detail", args=[job.pk])
    assert not Deputy.objects.exists()
    assert [item["row"] for item in job.row_errors] == [4]
    assert _in_ui_language(validate_id_number_message()) in " ".join(job.row_errors[0]["errors"])
    page = client.get(response["Location"]).content.decode()
    assert "导入代表3" in page and _in_ui_language(validate_id_number_message()) in page

    rows[2] = _good(3)
    _upload(client, term, _xlsx(rows))

    assert Deputy.objects.filter(term=term).count() == 4
    imported = Deputy.objects.get(name="导入代表1")
    assert (imported.gender, imported.sector, imported.phone) == ("male", "farmers", "13900000001")
    assert RosterJob.objects.latest("pk").created_count == 4


def test_every_kind_of_bad_row_is_reported_with_its_row_number(client, login, staff_clerk, district_body, term):
    DeputyFactory(body=district_body, term=term, id_number=id_number(20))
    login(client, staff_clerk)
    rows = [
        _good(10),
        ["", "男", id_number(11), "", "", ""],                     # row 3: no name
        ["缺号", "男", "", "", "", ""],                              # row 4: no ID number
        [*_good(12)[:3], "12345", *_good(12)[4:]],                 # row 5: bad phone
        [*_good(13)[:4], "astronauts", "否"],                       # row 6: unknown sector
        _good(10, name="同号"),                                     # row 7: same ID as row 2
        _good(20),                                                 # row 8: already on the roster
    ]

    _upload(client, term, _xlsx(rows))

    report = {item["row"]: " ".join(item["errors"]) for item in RosterJob.objects.get().row_errors}
    assert set(report) == {3, 4, 5, 6, 7, 8}
    assert _in_ui_language(gettext_lazy("Same ID number as row %(row)s.")) % {"row": 2} in report[7]
    assert Deputy.objects.count() == 1


def test_a_file_without_the_required_columns_or_not_a_workbook_is_refused(client, login, staff_clerk, term):
    login(client, staff_clerk)

    missing = _upload(client, term, _xlsx([["张三"]], header=["姓名"]))
    not_excel = _upload(client, term, SimpleUploadedFile("roster.xlsx", b"=cmd|' /C calc'!A0"))

    for response in (missing, not_excel):
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assert not RosterJob.objects.exists() and not Deputy.objects.exists()


def test_township_officer_cannot_import_into_the_district_congress(client, login, township_officer_a, term):
    login(client, township_officer_a)

    response = _upload(client, term, _xlsx([_good(1)]))

    assert response.status_code == 200 and "term" in response.context["form"].errors
    assert not Deputy.objects.exists()


def test_a_large_file_runs_in_celery_with_progress(
    client, login, staff_clerk, term, settings, caplog, django_capture_on_commit_callbacks
):
    settings.DEPUTIES_INLINE_JOB_ROWS = 5
    login(client, staff_clerk)
    security = logging.getLogger("tongxin.security")
    security.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="tongxin.security")

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, term, _xlsx([_good(serial) for serial in range(1, 31)]))
    security.removeHandler(caplog.handler)

    job = RosterJob.objects.get()
    # The eager task ran when the request's transaction committed.
    assert (job.state, job.total, job.processed, job.created_count) == (RosterJob.State.DONE, 30, 30, 30)
    assert Deputy.objects.count() == 30
    progress = client.get(reverse("console:deputies:job_progress", args=[job.pk]))
    assert "hx-trigger" not in progress.content.decode()  # finished: the page stops polling
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "tongxin.security"]
    assert [line["created"] for line in lines if line["event"] == "import"] == [30]
    assert response.status_code == 302


def test_a_running_job_page_polls_every_two_seconds(client, login, staff_clerk, term):
    job = RosterJob.objects.create(
        kind=RosterJob.Kind.IMPORT, created_by=staff_clerk, body=term.body, term=term, total=400, processed=100,
        state=RosterJob.State.RUNNING,
    )
    login(client, staff_clerk)

    content = client.get(reverse("console:deputies:job_detail", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 2s"' in content and 'value="25"' in content


def test_another_persons_job_is_a_404(client, login, staff_clerk, staff_admin, term):
    job = RosterJob.objects.create(kind=RosterJob.Kind.IMPORT, created_by=staff_admin, body=term.body, term=term)
    login(client, staff_clerk)

    assert client.get(reverse("console:deputies:job_detail", args=[job.pk])).status_code == 404
