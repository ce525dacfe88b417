"""Excel import of a roster: every row checked, and nothing imported unless every row is good.

A file goes through two passes (SECURITY S23). The first reads and checks every row — required
fields, the ID number's check character, the phone, the choices, duplicates within the file and
against the term's roster — without writing, and collects each bad row with its row number and
reasons. Only a file without a bad row reaches the second pass, which adds every deputy through
`deputies.services.deputy_create` in one transaction; should a row still fail there (someone
added the same person meanwhile), the whole transaction rolls back and that row is reported.

Small files run in the request; larger ones (see `inline_limit()`) in Celery, the job row
carrying the progress that the console polls.
"""

import datetime
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from congress import security_log
from congress.fields import blind_index
from congress.models import Term
from deputies import permissions, services
from deputies.models import (
    Constituency,
    Delegation,
    Deputy,
    Education,
    Gender,
    Party,
    RosterJob,
    Sector,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
PROGRESS_EVERY = 25

# (field, header label, required). The labels are the model's verbose names, so an exported file
# (deputies.exports) has the same headers and can be imported again.
COLUMNS = (
    ("name", gettext_lazy("Name"), True),
    ("gender", gettext_lazy("Gender"), True),
    ("id_number", gettext_lazy("ID number"), True),
    ("phone", gettext_lazy("Mobile phone"), False),
    ("ethnicity", gettext_lazy("Ethnicity"), False),
    ("birth_date", gettext_lazy("Date of birth"), False),
    ("party", gettext_lazy("Political affiliation"), False),
    ("education", gettext_lazy("Education"), False),
    ("occupation", gettext_lazy("Occupation"), False),
    ("employer", gettext_lazy("Employer"), False),
    ("sector", gettext_lazy("Sector"), False),
    ("constituency", gettext_lazy("Constituency"), False),
    ("delegation", gettext_lazy("Delegation"), False),
    ("is_standing_committee_member", gettext_lazy("Standing committee member"), False),
    ("is_district_leader", gettext_lazy("District-level leader"), False),
)
CHOICES = {"gender": Gender, "party": Party, "education": Education, "sector": Sector}
BOOLEANS = frozenset({"is_standing_committee_member", "is_district_leader"})
_TRUE = {"1", "true", "yes", "y", "是", "√", "✓"}
_FALSE = {"", "0", "false", "no", "n", "否"}
LANGUAGES = ("zh-hans", "en")
# Headers and values as the district's existing rosters write them, whatever the UI catalog says.
HEADER_ALIASES = {
    "姓名": "name", "性别": "gender", "身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number",
    "手机": "phone", "手机号": "phone", "手机号码": "phone", "联系电话": "phone", "民族": "ethnicity",
    "出生日期": "birth_date", "政治面貌": "party", "党派": "party", "学历": "education", "职业": "occupation",
    "职务": "occupation", "工作单位": "employer", "单位": "employer", "代表构成": "sector", "界别": "sector",
    "选区": "constituency", "代表团": "delegation", "常委会组成人员": "is_standing_committee_member",
    "区领导": "is_district_leader",
}
VALUE_ALIASES = {
    "gender": {"男": "male", "女": "female"},
    "party": {
        "中共党员": "cpc", "中国共产党": "cpc", "群众": "masses", "无党派": "non_party", "无党派人士": "non_party",
    },
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header, too many rows)."""


def inline_limit() -> int:
    """Up to this many rows an import or export runs in the request; beyond it in Celery."""
    return settings.DEPUTIES_INLINE_JOB_ROWS


def _normal(text) -> str:
    return "".join(str(text).split()).lower() if text is not None else ""


def _in_every_language(label) -> set[str]:
    keys = set()
    for language in LANGUAGES:
        with translation.override(language):
            keys.add(_normal(label))
    return keys


def header_map() -> dict[str, str]:
    """Normalised header text (field name, or its label in any UI language) → field name."""
    mapping = {_normal(alias): field for alias, field in HEADER_ALIASES.items()}
    for field, label, _required in COLUMNS:
        mapping[_normal(field)] = field
        for key in _in_every_language(label):
            mapping[key] = field
    return mapping


def _choice_map(choices, aliases=None) -> dict[str, str]:
    mapping = {_normal(alias): value for alias, value in (aliases or {}).items()}
    for value, label in choices.choices:
        mapping[_normal(value)] = value
        for key in _in_every_language(label):
            mapping[key] = value
    return mapping


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_upload(upload) -> None:
    """Size and type of an uploaded file (SECURITY S16): an .xlsx is a zip with a workbook in it."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(_("Upload an Excel workbook (.xlsx)."))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ValidationError(_("Upload an Excel workbook (.xlsx)."))
    except zipfile.BadZipFile as error:
        raise ValidationError(_("Upload an Excel workbook (.xlsx).")) from error
    finally:
        upload.seek(0)


def read_rows(fileobj) -> list[tuple[int, dict[str, str]]]:
    """(Excel row number, {field: text}) for every non-empty data row under the header row."""
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise ImportFileError(_("The file is not a readable Excel workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The sheet is empty."))
        mapping = header_map()
        columns = {index: mapping.get(_normal(text)) for index, text in enumerate(header)}
        missing = [
            str(label) for field, label, required in COLUMNS if required and field not in columns.values()
        ]
        if missing:
            raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        result = []
        for number, values in enumerate(rows, start=2):
            row = {}
            for index, value in enumerate(values):
                field = columns.get(index)
                if field:
                    row[field] = value
            if not any(_cell_text(value) for value in row.values()):
                continue
            result.append((number, row))
            if len(result) > MAX_ROWS:
                raise ImportFileError(_("A file may hold at most %(max)s deputies.") % {"max": MAX_ROWS})
        return result
    finally:
        workbook.close()


class RowChecker:
    """Turns one row's cells into deputy fields, or a list of reasons why it cannot."""

    def __init__(self, term: Term):
        self.term = term
        self.body = term.body
        self.choices = {
            field: _choice_map(choices, VALUE_ALIASES.get(field)) for field, choices in CHOICES.items()
        }
        self.constituencies = {}
        for constituency in Constituency.objects.filter(term=term):
            self.constituencies[_normal(constituency.number)] = constituency
            self.constituencies[_normal(constituency.name)] = constituency
        self.delegations = {_normal(delegation.name): delegation for delegation in Delegation.objects.filter(term=term)}

    def check(self, row: dict) -> tuple[dict, list[str]]:
        fields, errors = {}, []
        for field, label, required in COLUMNS:
            raw = row.get(field)
            text = _cell_text(raw)
            if not text:
                if required:
                    errors.append(_("%(column)s is required.") % {"column": label})
                continue
            try:
                fields[field] = self._parse(field, raw, text)
            except ValidationError as error:
                errors.extend(f"{label}: {message}" for message in error.messages)
        if not errors:
            errors.extend(self._validate(fields))
        return fields, errors

    def _parse(self, field, raw, text):
        if field in CHOICES:
            value = self.choices[field].get(_normal(text))
            if value is None:
                raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": text})
            return value
        if field in BOOLEANS:
            key = _normal(text)
            if key in _TRUE:
                return True
            if key in _FALSE:
                return False
            raise ValidationError(_("Write yes or no."))
        if field == "birth_date":
            if isinstance(raw, datetime.datetime):
                return raw.date()
            if isinstance(raw, datetime.date):
                return raw
            try:
                return datetime.date.fromisoformat(text.replace("/", "-"))
            except ValueError as error:
                raise ValidationError(_("Write the date as YYYY-MM-DD.")) from error
        if field == "constituency":
            found = self.constituencies.get(_normal(text))
            if found is None:
                raise ValidationError(_("No constituency “%(value)s” in this term.") % {"value": text})
            return found
        if field == "delegation":
            found = self.delegations.get(_normal(text))
            if found is None:
                raise ValidationError(_("No delegation “%(value)s” in this term.") % {"value": text})
            return found
        if field == "id_number":
            return text.upper()
        if field == "phone":
            return "".join(text.split())
        return text

    def _validate(self, fields) -> list[str]:
        """The model's own field checks (ID check character, phone, lengths) without the database."""
        deputy = Deputy(body=self.body, term=self.term, **fields)
        try:
            # Related rows come from this term's own look-ups; checking them again costs a query each.
            deputy.full_clean(
                exclude=["body", "term", "constituency", "delegation", "user", "linked_mandate"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            return [
                f"{Deputy._meta.get_field(name).verbose_name}: {message}" if name != "__all__" else message
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return []


def _set_progress(job: RosterJob, processed: int) -> None:
    RosterJob.objects.filter(pk=job.pk).update(processed=processed, updated_at=timezone.now())


def _finish(job: RosterJob, **fields) -> RosterJob:
    fields.setdefault("state", RosterJob.State.DONE)
    for name, value in {**fields, "finished_at": timezone.now()}.items():
        setattr(job, name, value)
    job.save()
    return job


def check_rows(job: RosterJob, rows) -> tuple[list[tuple[int, dict]], list[dict]]:
    """First pass: parse and check every row; returns the good rows and the bad rows' report."""
    checker = RowChecker(job.term)
    good, bad = [], []
    first_row_of = {}
    for position, (number, row) in enumerate(rows, start=1):
        fields, errors = checker.check(row)
        id_number = fields.get("id_number")
        if id_number:
            if id_number in first_row_of:
                errors.append(_("Same ID number as row %(row)s.") % {"row": first_row_of[id_number]})
            else:
                first_row_of[id_number] = number
        if errors:
            bad.append({"row": number, "name": _cell_text(row.get("name")), "errors": errors})
        else:
            good.append((number, fields))
        if position % PROGRESS_EVERY == 0:
            _set_progress(job, position)
    # Against the roster: one query for the whole file, by the ID numbers' blind index.
    index_to_row = {blind_index(fields["id_number"]): number for number, fields in good}
    taken = set(
        Deputy.objects.filter(term=job.term, id_number_index__in=index_to_row).values_list(
            "id_number_index", flat=True
        )
    )
    if taken:
        names = {number: fields["name"] for number, fields in good}
        for index in taken:
            number = index_to_row[index]
            message = _("This person is already on the roster of this term.")
            bad.append({"row": number, "name": names[number], "errors": [message]})
        good = [(number, fields) for number, fields in good if blind_index(fields["id_number"]) not in taken]
    bad.sort(key=lambda item: item["row"])
    return good, bad


def _write(job: RosterJob, good) -> tuple[int, list[dict]]:
    """Second pass: every deputy in one transaction, or none."""
    created = 0
    with transaction.atomic():
        for number, fields in good:
            fields = dict(fields)
            try:
                with transaction.atomic():
                    services.deputy_create(
                        actor=job.created_by, body=job.body, term=job.term,
                        name=fields.pop("name"), gender=fields.pop("gender"), **fields,
                    )
            except ValidationError as error:
                transaction.set_rollback(True)
                return 0, [{"row": number, "name": "", "errors": error.messages}]
            created += 1
    return created, []


def run_import(job_id: int) -> RosterJob:
    """Run a queued import job to its end; a job already started or finished is left alone."""
    claimed = RosterJob.objects.filter(
        pk=job_id, kind=RosterJob.Kind.IMPORT, state=RosterJob.State.QUEUED
    ).update(state=RosterJob.State.RUNNING, updated_at=timezone.now())
    job = RosterJob.objects.select_related("body__region", "term__body", "created_by").get(pk=job_id)
    if not claimed:
        return job
    if not (job.created_by.is_active and permissions.can_manage_deputies(job.created_by, job.body)):
        return _finish(job, state=RosterJob.State.FAILED, error=_("You may no longer keep this roster."))
    try:
        with job.source_file.open("rb") as fileobj:
            rows = read_rows(fileobj)
    except ImportFileError as error:
        return _finish(job, state=RosterJob.State.FAILED, error=str(error))
    RosterJob.objects.filter(pk=job.pk).update(total=len(rows))
    job.total = len(rows)
    good, bad = check_rows(job, rows)
    _set_progress(job, len(rows))
    created = 0
    if not bad:
        created, bad = _write(job, good)
    security_log.log(
        "import", username=job.created_by.get_username(), object=f"deputies.rosterjob:{job.pk}",
        rows=len(rows), created=created, bad_rows=len(bad),
    )
    return _finish(job, processed=len(rows), created_count=created, row_errors=bad)


def start_import(*, actor, term: Term, upload) -> RosterJob:
    """Store the upload as a job; run it now if it is small, otherwise queue it for Celery."""
    from deputies import tasks

    if not permissions.can_manage_deputies(actor, term.body):
        raise PermissionDenied
    check_upload(upload)
    try:
        rows = len(read_rows(upload))
    except ImportFileError as error:
        raise ValidationError(str(error)) from error
    upload.seek(0)
    job = RosterJob.objects.create(
        kind=RosterJob.Kind.IMPORT, created_by=actor, body=term.body, term=term, total=rows, source_file=upload,
    )
    if rows <= inline_limit():
        return run_import(job.pk)
    transaction.on_commit(lambda: tasks.run_roster_import.delay(job.pk))
    return job
