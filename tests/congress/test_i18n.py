"""The interface speaks Simplified Chinese through Django's i18n, with English msgids.

The catalog `locale/zh_Hans/LC_MESSAGES/django.po` is read with a small parser below (no extra
dependency); the compiled `.mo` is committed, so a machine without GNU gettext still serves Chinese.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from congress.models import Region
from congress.models.accounts import Role
from congress.workflow import IllegalTransition

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def is_chinese_msgid(text: str) -> bool:
    """Chinese with no English words; an English msgid may gloss a term, as in "Letters and visits (信访)"."""
    return bool(CJK.search(text)) and not re.search(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", text))


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse_po(path: Path) -> tuple[dict, list[dict]]:
    """Return (header entry, other entries); each entry has ctxt, id, id_plural, strs, flags."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "id" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):  # obsolete entries are not served
            continue
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"ctxt": None, "id_plural": None, "strs": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "strs":
                entry["strs"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            keyword, _space, value = line.partition(" ")
            if keyword == "msgctxt":
                field = ("ctxt",)
            elif keyword == "msgid":
                field = ("id",)
            elif keyword == "msgid_plural":
                field = ("id_plural",)
            elif keyword == "msgstr":
                field = ("strs", 0)
            elif keyword.startswith("msgstr["):
                field = ("strs", int(keyword[7:-1]))
            else:
                raise AssertionError(f"unexpected line in {path}: {raw}")
            if field[0] == "strs":
                entry["strs"][field[1]] = _unquote(value)
            else:
                entry[field[0]] = _unquote(value)
    finish()
    header = next(e for e in entries if e["id"] == "" and e["ctxt"] is None)
    return header, [e for e in entries if e is not header]


@pytest.fixture(scope="module")
def catalog():
    return parse_po(PO_FILE)


def _label(entry) -> str:
    return f"{entry['ctxt'] + ' | ' if entry['ctxt'] else ''}{entry['id']!r}"


# ---- the catalog -----------------------------------------------------------------------------


def test_the_catalog_declares_simplified_chinese_with_one_plural_form(catalog):
    header, _entries = catalog
    fields = dict(line.split(": ", 1) for line in header["strs"][0].splitlines() if ": " in line)

    assert fields["Language"] == "zh_Hans"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in header["flags"]


def test_every_msgid_is_translated_and_none_is_fuzzy(catalog):
    _header, entries = catalog
    assert len(entries) > 500

    fuzzy = [_label(e) for e in entries if "fuzzy" in e["flags"]]
    untranslated = [_label(e) for e in entries if not all(s.strip() for s in e["strs"].values())]
    plural_forms = [_label(e) for e in entries if e["id_plural"] is not None and sorted(e["strs"]) != [0]]

    assert fuzzy == []
    assert untranslated == []
    assert plural_forms == []


def test_msgids_are_english_and_msgstrs_are_chinese(catalog):
    _header, entries = catalog

    chinese_msgids = [_label(e) for e in entries if is_chinese_msgid(e["id"])]
    not_chinese = [_label(e) for e in entries if not CJK.search(e["strs"][0])]

    assert chinese_msgids == []
    assert not_chinese == []


def test_translations_keep_the_placeholders_of_their_msgid(catalog):
    _header, entries = catalog
    broken = []
    for entry in entries:
        # With one plural form, msgstr[0] serves every count, so it follows the plural msgid.
        source = entry["id_plural"] if entry["id_plural"] is not None else entry["id"]
        if "%" not in source and "%" not in entry["strs"][0]:
            continue
        expected = sorted(PLACEHOLDER.findall(source))
        for text in entry["strs"].values():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                broken.append(f"{_label(entry)} -> {text!r}")
    assert broken == []


def test_the_compiled_catalog_matches_the_po_file(catalog):
    _header, entries = catalog
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = []
    for entry in entries:
        if entry["id_plural"] is not None:
            got = compiled.npgettext(entry["ctxt"], entry["id"], entry["id_plural"], 1) if entry["ctxt"] \
                else compiled.ngettext(entry["id"], entry["id_plural"], 1)
        elif entry["ctxt"]:
            got = compiled.pgettext(entry["ctxt"], entry["id"])
        else:
            got = compiled.gettext(entry["id"])
        if got != entry["strs"][0]:
            stale.append(_label(entry))
    assert stale == [], "run `manage.py compilemessages -l zh_Hans` (see docs/i18n.md)"


def test_no_chinese_msgid_is_left_in_the_code():
    base = Path(settings.BASE_DIR)
    python_call = re.compile(
        r"""\b(?:_|gettext(?:_lazy)?|pgettext(?:_lazy)?|ngettext(?:_lazy)?)\(\s*(?:"[^"]*"\s*,\s*)?"([^"]*)\""""
    )
    translate_tag = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")
    block = re.compile(r"\{%\s*(?:blocktranslate|blocktrans)\b.*?%\}(.*?)\{%\s*end(?:blocktranslate|blocktrans)", re.S)
    offenders = []
    for app in ("congress", "deputies", "suggestions", "supervision", "contact_stations"):
        for path in (base / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found = python_call.findall(path.read_text(encoding="utf-8"))
                offenders += [f"{path.relative_to(base)}: {m}" for m in found if is_chinese_msgid(m)]
    for path in (base / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found = [a or b for a, b in translate_tag.findall(text)] + block.findall(text)
        offenders += [f"{path.relative_to(base)}: {m}" for m in found if is_chinese_msgid(m)]
    assert offenders == []


# ---- at run time -----------------------------------------------------------------------------


def test_the_interface_defaults_to_simplified_chinese_with_english_available():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert dict(settings.LANGUAGES) == {"zh-hans": "简体中文", "en": "English"}


def test_model_labels_and_workflow_messages_are_chinese_by_default_and_english_on_request():
    with translation.override("zh-hans"):
        assert str(Region._meta.verbose_name) == "行政区划"
        assert str(Role.DEPUTY.label) == "人大代表"
        assert str(Role.TOWNSHIP_OFFICER.label) == "乡镇（街道）人大工作人员"
        assert str(IllegalTransition().message) == "当前状态下不能进行此操作。"
    with translation.override("en"):
        assert str(Region._meta.verbose_name) == "Administrative region"
        assert str(Role.DEPUTY.label) == "Deputy"
        assert str(IllegalTransition().message) == "This action is not allowed in the current state."


def test_plural_messages_use_the_single_chinese_form():
    with translation.override("zh-hans"):
        text = translation.ngettext(
            "Tongxin: %(count)d new notification", "Tongxin: %(count)d new notifications", 3
        ) % {"count": 3}
    assert text == "同心：3 条新通知"


def test_the_login_page_is_in_chinese(client, db):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>登录 · 同心</title>" in page
    assert "连续五次登录失败后" in page
    assert "Log in" not in page


def test_a_browser_asking_for_english_still_gets_the_chinese_platform(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")

    assert "<title>登录 · 同心</title>" in response.content.decode()


def test_the_login_page_is_in_english_when_the_person_chooses_it(client, db):
    switched = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert switched.status_code == 302
    response = client.get(reverse("accounts:login"))

    page = response.content.decode()
    assert "<title>Log in · 同心</title>" in page
    assert "After five failed attempts" in page
    assert "登录" not in page


def test_the_console_home_is_in_chinese(client, login, staff_admin):
    login(client, staff_admin)

    response = client.get(reverse("console:home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "管理后台" in page
    assert "行政区划" in page  # sidebar
    assert "承办单位" in page
    assert "退出登录" in page
    for english in ("Log out", "Handling units", "Console navigation"):
        assert english not in page
