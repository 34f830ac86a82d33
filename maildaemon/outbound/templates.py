"""Mail templates: find the template directory, compile each template once, render a kind.

Templates are Jinja2 files ``<root>/<language>/<kind>.subject.txt``, ``<kind>.txt`` and ``<kind>.html``
for the kinds ``invitation``, ``reminder`` and ``final``; ``StrictUndefined`` turns a misspelt variable
into an error and autoescape is on for ``.html`` only. The root is, in order: ``template_dir`` from the
config, ``<repo>/templates`` next to the package (a checkout), ``maildaemon/data/templates`` (in a checkout
a symlink to ``<repo>/templates``; the sdist and wheel carry the files themselves). A campaign's ``template_set``
other than ``default`` names a subdirectory of the root with its own ``<language>/`` folders, so campaigns of one
daemon can word their mail differently (``<root>/sipas/vi/invitation.txt``).

Variables every template gets (all strings unless said otherwise; never ``None``):

``campaign``  (namespace, same for every respondent of a campaign)
    ``name``         short id, e.g. ``par2026-khanhhoa``
    ``title``        human title, e.g. ``Khảo sát Chỉ số CCHC năm 2026``
    ``survey_kind``  ``PAR``, ``SIPAS``, ... (upper case)
    ``survey_name``  the kind spelled out in the template's language (``Chỉ số cải cách hành chính (PAR Index)``)
    ``organization`` who sends, e.g. ``Sở Nội vụ tỉnh Khánh Hòa``
    ``contact``      whom to ask for help (may be empty)
    ``deadline``     close time in the campaign's time zone and language: ``17 giờ 00 ngày 15/12/2026`` /
                     ``17:00 on 15 December 2026``; templates write ``trước {{ campaign.deadline }}``
    ``deadline_date``  the date alone: ``15/12/2026`` / ``15 December 2026``
``respondent`` (namespace, from the roster, cleaned: NFC, no control characters, single spaces)
    ``full_name``, ``honorific``, ``title`` (job title), ``agency_name``, ``email``
``full_name``, ``honorific``, ``agency_name``, ``email``  the same respondent fields at top level
    (``honorific`` is resolved for the language: ``ông`` / ``bà`` / ``ông/bà``; ``Mr`` / ``Ms`` / empty)
``survey_url``       the campaign's survey URL with ``{token}`` replaced: personal, must not be forwarded
``kind``             ``invitation``, ``reminder`` or ``final``
``reminder_number``  int: 1..n for reminders, 0 otherwise

Roster values are untrusted: HTML escaping is Jinja's job here, header safety is ``compose``'s.
"""

from __future__ import annotations

import re
import types
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import jinja2.meta

from maildaemon.core.campaign import Campaign
from maildaemon.errors import TemplateError

KINDS = ("invitation", "reminder", "final")
PARTS = ("subject.txt", "txt", "html")
LANGUAGES = ("vi", "en")
DEFAULT_SET = "default"  # the template root itself
SET_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")  # one directory name, never a path

# Variables that are the same for every respondent: a subject using only these can be rendered once.
CONSTANT_VARIABLES = frozenset({"campaign", "kind", "reminder_number"})

_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?")
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_REPO_TEMPLATES = _PACKAGE_DIR.parent / "templates"
_PACKAGED_TEMPLATES = _PACKAGE_DIR / "data" / "templates"
# A directory only counts as ours if it has this file, so a stray site-packages/templates is ignored.
_MARKER = Path("vi") / "invitation.subject.txt"

_SURVEY_NAMES = {
    "vi": {
        "PAR": "Chỉ số cải cách hành chính (PAR Index)",
        "SIPAS": "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
    },
    "en": {
        "PAR": "Public Administration Reform Index (PAR Index)",
        "SIPAS": "Satisfaction Index of Public Administrative Services (SIPAS)",
    },
}
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MALE = frozenset({"ông", "ong", "mr", "anh", "nam", "male", "m"})
_FEMALE = frozenset({"bà", "ba", "mrs", "ms", "miss", "chị", "chi", "nữ", "nu", "female", "f"})
_VIETNAM_OFFSET = timedelta(hours=7)


@dataclass(frozen=True, slots=True)
class Rendered:
    """One rendered mail: the subject is raw template output, made header-safe by ``compose``."""

    subject: str
    text: str
    html: str


def resolve_root(template_dir: str | Path | None = None) -> Path:
    """The template root: explicit config, else ``<repo>/templates``, else the copy inside the package."""
    if template_dir is not None and str(template_dir) != "":
        root = Path(template_dir).expanduser()
        if not root.is_dir():
            raise TemplateError(f"template_dir {str(root)!r} is not a directory")
        return root.resolve()
    for root in (_REPO_TEMPLATES, _PACKAGED_TEMPLATES):
        if (root / _MARKER).is_file():
            return root
    raise TemplateError(
        f"no templates found in {str(_REPO_TEMPLATES)!r} or {str(_PACKAGED_TEMPLATES)!r}; "
        "set daemon.template_dir or reinstall maildaemon"
    )


def resolve_honorific(raw: str, language: str) -> str:
    """``ông``/``bà`` (``Mr``/``Ms``) when the roster says so, the neutral form otherwise."""
    key = raw.strip().rstrip(".").casefold()
    if language == "vi":
        return "ông" if key in _MALE else "bà" if key in _FEMALE else "ông/bà"
    return "Mr" if key in _MALE else "Ms" if key in _FEMALE else ""


def format_deadline(when: datetime, timezone: str, language: str) -> tuple[str, str]:
    """(deadline phrase, date alone) in the campaign's time zone; the offset is named unless it is Vietnam's."""
    local = when.astimezone(ZoneInfo(timezone))
    offset = local.utcoffset()
    zone = ""
    if offset is not None and offset != _VIETNAM_OFFSET:
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        zone = f" (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"
    if language == "vi":
        day = f"{local.day:02d}/{local.month:02d}/{local.year}"
        return f"{local.hour} giờ {local.minute:02d} ngày {day}{zone}", day
    day = f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}"
    return f"{local.hour:02d}:{local.minute:02d} on {day}{zone}", day


def campaign_namespace(
    campaign: Campaign, language: str, clean: Callable[[str], str] = str
) -> types.SimpleNamespace:
    """The ``campaign`` template variable; ``clean`` sanitises the free-text fields."""
    kind = clean(campaign.survey_kind).upper()
    deadline, deadline_date = format_deadline(campaign.closes, campaign.timezone, language)
    return types.SimpleNamespace(
        name=clean(campaign.name),
        title=clean(campaign.title),
        survey_kind=kind,
        survey_name=_SURVEY_NAMES.get(language, _SURVEY_NAMES["en"]).get(kind, kind),
        organization=clean(campaign.organization),
        contact=clean(campaign.contact),
        deadline=deadline,
        deadline_date=deadline_date,
    )


def _template_frame(exc: BaseException, directory: Path) -> tuple[str, int] | None:
    """File and line of a render error: Jinja rewrites the traceback so template frames carry both."""
    found = None
    prefix = str(directory)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(prefix):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


class _NFCLoader(jinja2.FileSystemLoader):
    """Template sources in NFC, whatever the editor saved, so rendered mail is NFC without a pass over it."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        return unicodedata.normalize("NFC", source), filename, uptodate


class TemplateSet:
    """The nine compiled templates of one (root, language); build with ``load`` to share instances."""

    _cache: dict[tuple[Path, str], TemplateSet] = {}

    def __init__(self, root: Path, language: str) -> None:
        if not _LANGUAGE_RE.fullmatch(language):
            raise TemplateError(f"template language {language!r} is not a language tag")
        self.root = root
        self.language = language
        self.directory = root / language
        if not self.directory.is_dir():
            raise TemplateError(f"no templates for language {language!r} in {str(root)!r}")
        self._env = jinja2.Environment(
            loader=_NFCLoader(str(self.directory), encoding="utf-8"),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self._templates: dict[str, jinja2.Template] = {}
        self._constant_subject: dict[str, bool] = {}
        for kind in KINDS:
            for part in PARTS:
                self._templates[f"{kind}.{part}"] = self._compile(f"{kind}.{part}")
            source = (self.directory / f"{kind}.subject.txt").read_text(encoding="utf-8")
            used = jinja2.meta.find_undeclared_variables(self._env.parse(source))
            self._constant_subject[kind] = used <= CONSTANT_VARIABLES

    @classmethod
    def load(
        cls, language: str, template_dir: str | Path | None = None, template_set: str = DEFAULT_SET
    ) -> TemplateSet:
        """The shared set for ``language``; files are read and compiled on first use only."""
        root = resolve_root(template_dir)
        if template_set != DEFAULT_SET:
            if not SET_NAME_RE.fullmatch(template_set) or not (root / template_set).is_dir():
                raise TemplateError(
                    f"template_set {template_set!r}: no directory {str(root / template_set)!r}"
                )
            root = root / template_set
        key = (root, language)
        found = cls._cache.get(key)
        if found is None:
            found = cls._cache[key] = cls(root, language)
        return found

    @classmethod
    def for_campaign(cls, campaign: Campaign, template_dir: str | Path | None = None) -> TemplateSet:
        """The campaign's ``template_set`` in its ``language``."""
        return cls.load(campaign.language, template_dir, campaign.template_set)

    @classmethod
    def clear_cache(cls) -> None:
        cls._cache.clear()

    def _compile(self, name: str) -> jinja2.Template:
        path = self.directory / name
        try:
            template = self._env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or path}:{exc.lineno}: {exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"{path}: template missing") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"{path}: cannot read: {exc}") from exc
        # Jinja keeps template globals as a ChainMap that every render copies key by key; a plain dict
        # snapshot (our globals never change after load) makes each render several microseconds cheaper.
        template.globals = dict(template.globals)
        return template

    def subject_is_constant(self, kind: str) -> bool:
        """True when the subject uses no respondent data, so a composer may render it once per campaign."""
        return self._constant_subject[kind]

    def render_part(self, kind: str, part: str, context: Mapping[str, Any]) -> str:
        template = self._templates.get(f"{kind}.{part}")
        if template is None:
            raise TemplateError(f"unknown template kind {kind!r} (expected one of {', '.join(KINDS)})")
        try:
            return template.render(context)
        except Exception as exc:  # templates are operator code: whatever fails in them is a template error
            frame = _template_frame(exc, self.directory)
            where = f"{frame[0]}:{frame[1]}" if frame else str(self.directory / f"{kind}.{part}")
            message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
            raise TemplateError(f"{where}: {type(exc).__name__}: {message}") from exc

    def render(self, kind: str, context: Mapping[str, Any]) -> Rendered:
        return Rendered(
            subject=self.render_part(kind, "subject.txt", context),
            text=self.render_part(kind, "txt", context),
            html=self.render_part(kind, "html", context),
        )

    def check(self, sample: Mapping[str, Any]) -> None:
        """Render every kind once with ``sample`` (``kind``/``reminder_number`` set per kind): raises TemplateError."""
        for kind in KINDS:
            context = {**sample, "kind": kind, "reminder_number": 1 if kind == "reminder" else 0}
            rendered = self.render(kind, context)
            if not rendered.subject.strip():
                raise TemplateError(f"{self.directory / (kind + '.subject.txt')}: subject renders empty")
