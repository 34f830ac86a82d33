"""Template loading and rendering: both languages, strictness, escaping, error locations, packaging."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maildaemon.core.campaign import Campaign
from maildaemon.errors import TemplateError
from maildaemon.outbound.compose import Composer, Recipient
from maildaemon.outbound.templates import (
    KINDS,
    PARTS,
    Rendered,
    TemplateSet,
    format_deadline,
    resolve_honorific,
    resolve_root,
)

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def make_campaign(**changes: object) -> Campaign:
    values: dict[str, object] = dict(
        name="par2026-khanhhoa",
        title="Khảo sát Chỉ số CCHC năm 2026",
        survey_kind="PAR",
        survey_url="https://khaosat.example.vn/s/{token}",
        opens=datetime(2026, 11, 1, 8, tzinfo=TZ),
        closes=datetime(2026, 12, 15, 17, tzinfo=TZ),
        sender_name="Sở Nội vụ tỉnh Khánh Hòa",
        sender_address="khaosat@snv.khanhhoa.gov.vn",
        bounce_domain="mail.snv.khanhhoa.gov.vn",
        organization="Sở Nội vụ tỉnh Khánh Hòa",
        contact="Phòng Cải cách hành chính, ĐT 0258 3822 123",
    )
    values.update(changes)
    return Campaign(**values)  # type: ignore[arg-type]


PERSON = Recipient(
    token="tokABC123",
    email="an.nguyen@sotuphap.khanhhoa.gov.vn",
    full_name="Nguyễn Văn An",
    honorific="ông",
    title="Chánh Văn phòng",
    agency_name="Sở Tư pháp tỉnh Khánh Hòa",
)


def render(
    language: str, kind: str, recipient: Recipient = PERSON, number: int = 0, **campaign: object
) -> Rendered:
    templates = TemplateSet.load(language)
    composer = Composer(make_campaign(language=language, **campaign), templates)
    return templates.render(kind, composer.context(recipient, kind, number))


@pytest.fixture
def template_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped templates, for breaking them on purpose."""
    root = tmp_path / "tpl"
    shutil.copytree(TEMPLATES, root)
    return root


def test_default_root_is_the_repo_templates() -> None:
    assert resolve_root() == TEMPLATES.resolve()


def test_explicit_template_dir_wins(template_copy: Path) -> None:
    assert resolve_root(template_copy) == template_copy.resolve()
    assert TemplateSet.load("vi", template_copy).directory == template_copy.resolve() / "vi"


def test_missing_template_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="not a directory"):
        resolve_root(tmp_path / "nowhere")
    with pytest.raises(TemplateError, match="'fr'"):
        TemplateSet(TEMPLATES, "fr")
    with pytest.raises(TemplateError, match="not a language tag"):
        TemplateSet(TEMPLATES, "../templates/vi")


def test_load_compiles_once_per_root_and_language(template_copy: Path) -> None:
    first = TemplateSet.load("vi", template_copy)
    assert TemplateSet.load("vi", template_copy) is first
    assert TemplateSet.load("en", template_copy) is not first


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_kind_and_part_exists_and_is_nfc(language: str) -> None:
    for kind in KINDS:
        for part in PARTS:
            text = (TEMPLATES / language / f"{kind}.{part}").read_text(encoding="utf-8")
            assert unicodedata.is_normalized("NFC", text), f"{language}/{kind}.{part}"


def test_vietnamese_invitation_reads_as_an_official_letter() -> None:
    mail = render("vi", "invitation")
    assert mail.subject.strip() == "Khảo sát Chỉ số CCHC năm 2026: Thư mời tham gia khảo sát"
    for body in (mail.text, mail.html):
        assert "Kính gửi ông" in body and "Nguyễn Văn An" in body
        assert "Chánh Văn phòng, Sở Tư pháp tỉnh Khánh Hòa" in body
        assert "trước 17 giờ 00 ngày 15/12/2026" in body
        assert "Chỉ số cải cách hành chính (PAR Index)" in body
        assert "https://khaosat.example.vn/s/tokABC123" in body
        assert "không chuyển tiếp thư này" in body
        assert "Phòng Cải cách hành chính, ĐT 0258 3822 123" in body
        assert body.rstrip().endswith(("Sở Nội vụ tỉnh Khánh Hòa", "</html>"))
    assert mail.text.startswith("Kính gửi ông Nguyễn Văn An,\n")


def test_vietnamese_reminders_say_not_yet_received_and_final_says_last() -> None:
    reminder = render("vi", "reminder", number=2)
    assert "Thư nhắc lần 2" in reminder.subject
    assert "chưa nhận được phiếu trả lời" in reminder.text
    assert "chưa nhận được phiếu trả lời" in reminder.html
    final = render("vi", "final")
    assert "lần cuối" in final.subject
    assert "thư nhắc cuối cùng" in final.text
    assert "thư nhắc cuối cùng" in final.html


def test_sipas_is_explained() -> None:
    mail = render("vi", "invitation", survey_kind="sipas")
    assert "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)" in mail.text


@pytest.mark.parametrize(
    ("raw", "vi", "en"),
    [
        ("ông", "ông", "Mr"),
        ("Bà", "bà", "Ms"),
        ("Mr.", "ông", "Mr"),
        ("", "ông/bà", ""),
        ("TS.", "ông/bà", ""),
    ],
)
def test_honorific(raw: str, vi: str, en: str) -> None:
    assert resolve_honorific(raw, "vi") == vi
    assert resolve_honorific(raw, "en") == en


def test_unknown_honorific_uses_the_neutral_form() -> None:
    person = Recipient(token="t1", email="a@example.vn", full_name="Trần Thị Bích Ngọc")
    vi = render("vi", "invitation", person)
    assert vi.text.startswith("Kính gửi ông/bà Trần Thị Bích Ngọc,\n\n")
    assert "Ông/bà vui lòng" in vi.text  # capitalised at the start of a sentence
    en = render("en", "invitation", person)
    assert en.text.startswith("Dear Trần Thị Bích Ngọc,\n\n")


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_name_the_salutation_stays_correct(kind: str) -> None:
    person = Recipient(token="t1", email="a@example.vn")
    vi = render("vi", kind, person, number=1)
    assert vi.text.startswith("Kính gửi ông/bà,\n\n")
    assert "Kính gửi ông/bà,\n" in vi.html
    en = render("en", kind, person, number=1)
    assert en.text.startswith("Dear Sir or Madam,\n\n")
    for body in (vi.text, en.text):
        assert "  " not in body.replace("\n    http", "") and " ," not in body and "\n\n\n" not in body


@pytest.mark.parametrize("kind", KINDS)
def test_english_set_renders(kind: str) -> None:
    mail = render("en", kind, number=1 if kind == "reminder" else 0)
    assert "Dear Mr Nguyễn Văn An," in mail.text
    assert "before 17:00 on 15 December 2026" in mail.text + mail.subject
    assert "https://khaosat.example.vn/s/tokABC123" in mail.html
    assert 'lang="en"' in mail.html
    if kind == "final":
        assert "final reminder" in mail.text


def test_html_escapes_roster_markup_and_text_keeps_it() -> None:
    person = Recipient(
        token="t1", email="a@example.vn", full_name="An", agency_name='UBND <script>alert("x")</script>'
    )
    mail = render("vi", "invitation", person)
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in mail.html
    assert 'UBND <script>alert("x")</script>' in mail.text


def test_deadline_names_the_offset_outside_vietnam() -> None:
    closes = datetime(2026, 12, 15, 10, tzinfo=ZoneInfo("UTC"))
    assert format_deadline(closes, "Asia/Ho_Chi_Minh", "vi") == ("17 giờ 00 ngày 15/12/2026", "15/12/2026")
    assert format_deadline(closes, "Europe/Paris", "en") == (
        "11:00 on 15 December 2026 (UTC+01:00)",
        "15 December 2026",
    )


def test_templates_saved_decomposed_still_render_nfc(template_copy: Path) -> None:
    for path in (template_copy / "vi").iterdir():
        path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    templates = TemplateSet(template_copy.resolve(), "vi")
    mail = templates.render(
        "invitation", Composer(make_campaign(), templates).context(PERSON, "invitation", 0)
    )
    for part in (mail.subject, mail.text, mail.html):
        assert unicodedata.is_normalized("NFC", part)
    assert "Kính gửi ông Nguyễn Văn An," in mail.text


def test_undefined_variable_names_file_and_line(template_copy: Path) -> None:
    path = template_copy / "vi" / "reminder.txt"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "{{ respondent.phone_number }}\n")
    path.write_text("".join(lines), encoding="utf-8")
    templates = TemplateSet(template_copy.resolve(), "vi")
    composer = Composer(make_campaign(), templates)
    with pytest.raises(TemplateError) as caught:
        composer.compose(PERSON, "reminder-1")
    assert f"{path.resolve()}:3" in str(caught.value)
    assert "phone_number" in str(caught.value)


def test_undefined_top_level_variable_in_html(template_copy: Path) -> None:
    path = template_copy / "en" / "final.html"
    path.write_text(path.read_text(encoding="utf-8") + "{{ deadline }}\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n")
    templates = TemplateSet(template_copy.resolve(), "en")
    with pytest.raises(TemplateError, match=rf"final\.html:{line}: UndefinedError: 'deadline' is undefined"):
        Composer(make_campaign(language="en"), templates).check()


def test_syntax_error_names_file_and_line_at_load(template_copy: Path) -> None:
    path = template_copy / "vi" / "invitation.html"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = "{% if campaign.title %}\n"  # never closed
    lines[6] = "{{ campaign.title }\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"invitation\.html:7: "):
        TemplateSet(template_copy.resolve(), "vi")


def test_missing_template_file_is_named(template_copy: Path) -> None:
    (template_copy / "en" / "reminder.subject.txt").unlink()
    with pytest.raises(TemplateError, match=r"reminder\.subject\.txt: template missing"):
        TemplateSet(template_copy.resolve(), "en")


def test_check_renders_every_kind(template_copy: Path) -> None:
    templates = TemplateSet(template_copy.resolve(), "vi")
    Composer(make_campaign(), templates).check()  # the shipped set is valid
    (template_copy / "vi" / "final.subject.txt").write_text("{{ kind }} {{ survey_url }\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"final\.subject\.txt:1"):
        TemplateSet(template_copy.resolve(), "vi")


def test_empty_subject_fails_the_check(template_copy: Path) -> None:
    (template_copy / "vi" / "reminder.subject.txt").write_text("{# nothing #}\n", encoding="utf-8")
    templates = TemplateSet(template_copy.resolve(), "vi")
    with pytest.raises(TemplateError, match="subject renders empty"):
        Composer(make_campaign(), templates).check()


def test_personal_subject_is_detected(template_copy: Path) -> None:
    assert all(TemplateSet.load("vi").subject_is_constant(kind) for kind in KINDS)
    (template_copy / "vi" / "reminder.subject.txt").write_text("{{ full_name }}: nhắc\n", encoding="utf-8")
    templates = TemplateSet(template_copy.resolve(), "vi")
    assert not templates.subject_is_constant("reminder")
    assert templates.subject_is_constant("invitation")


def test_the_packaged_copy_is_the_repo_templates() -> None:
    """An installed wheel carries ``maildaemon/data/templates``; it must say what the checkout says."""
    packaged = REPO / "maildaemon" / "data" / "templates"
    files = sorted(p.relative_to(TEMPLATES) for p in TEMPLATES.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(packaged) for p in packaged.rglob("*") if p.is_file())
    for rel in files:
        assert (TEMPLATES / rel).read_bytes() == (packaged / rel).read_bytes(), rel


def test_a_campaigns_template_set_picks_its_own_wording(template_copy: Path) -> None:
    sipas = template_copy / "sipas"
    shutil.copytree(template_copy / "vi", sipas / "vi")
    (sipas / "vi" / "invitation.subject.txt").write_text("Mời tham gia khảo sát SIPAS\n", encoding="utf-8")
    default = make_campaign()
    named = make_campaign(template_set="sipas")
    for campaign, subject in (
        (default, "Khảo sát Chỉ số CCHC năm 2026: Thư mời tham gia khảo sát\n"),
        (named, "Mời tham gia khảo sát SIPAS\n"),
    ):
        templates = TemplateSet.for_campaign(campaign, template_copy)
        context = Composer(campaign, templates).context(PERSON, "invitation", 0)
        assert templates.render("invitation", context).subject == subject
    assert TemplateSet.for_campaign(named, template_copy).directory == sipas.resolve() / "vi"


@pytest.mark.parametrize("name", ["khong-co", "../vi", "."])
def test_an_unknown_or_unsafe_template_set_is_an_error(template_copy: Path, name: str) -> None:
    with pytest.raises(TemplateError, match="template_set"):
        TemplateSet.for_campaign(make_campaign(template_set=name), template_copy)
