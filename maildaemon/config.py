"""Typed daemon configuration from one TOML file, secrets from the environment or a secrets file.

Every key is declared by a dataclass field below; an unknown key or a wrong type is a ConfigError
that names the file, the key and what was expected. Secrets are `Secret` objects whose repr and
str never show the value.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maildaemon.errors import ConfigError

ENV_CONFIG = "MAILDAEMON_CONFIG"
DEFAULT_CONFIG_PATHS = (Path("/etc/maildaemon/maildaemon.toml"),)


class Secret:
    """A password: printable anywhere because it never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class DaemonConfig:
    state_dir: str = "./maildaemon-state"  # relative paths are relative to the config file
    database_url: str = ""  # empty: SQLite file <state_dir>/maildaemon.db
    instance_name: str = ""  # empty: <hostname>-<pid>
    log_format: str = "text"  # text | json | journal
    log_level: str = "INFO"
    template_dir: str = ""  # empty: the packaged templates
    language: str = "vi"  # operator-facing reports: vi | en
    secrets_file: str = ""  # TOML with smtp_password, imap_password, database_password
    allow_test_domains: bool = False  # accept *.test roster addresses (demo and tests)
    database_password: Secret = field(default_factory=lambda: Secret(""))


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "starttls"  # starttls | tls | none
    tls_verify: bool = True
    ca_file: str = ""
    username: str = ""
    password: Secret = field(default_factory=lambda: Secret(""))
    helo_name: str = ""
    timeout_s: float = 30.0
    connections: int = 4  # pooled connections = global concurrency
    per_domain_concurrency: int = 2
    per_domain_rate_per_min: float = 0.0  # 0: unlimited
    messages_per_connection: int = 100
    batch_size: int = 200
    record_every: int = 20  # relay answers recorded per transaction while a batch is sent
    lease_s: float = 300.0
    retry_base_s: float = 120.0
    retry_max_delay_s: float = 7200.0
    retry_max_age_h: float = 0.0  # 0: retry a 4xx until the campaign closes; > 0: give up sooner


@dataclass(frozen=True)
class ImapFolders:
    bounces: str = "maildaemon/bounces"
    autoreplies: str = "maildaemon/auto-replies"
    replies: str = "maildaemon/replies"
    unattributed: str = "maildaemon/unattributed"


@dataclass(frozen=True)
class ImapConfig:
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 993
    security: str = "tls"  # tls | starttls | none
    tls_verify: bool = True
    ca_file: str = ""
    username: str = ""
    password: Secret = field(default_factory=lambda: Secret(""))
    folder: str = "INBOX"
    poll_interval_s: float = 60.0
    idle: bool = True
    move: bool = True
    fetch_batch: int = 200
    classify_workers: int = 1  # processes that classify large fetch batches; 0: in the daemon's process
    folders: ImapFolders = field(default_factory=ImapFolders)


@dataclass(frozen=True)
class BounceConfig:
    transient_threshold: int = 3  # transient failures within the period that make a bounce permanent
    transient_period_days: float = 7.0


@dataclass(frozen=True)
class CheckerConfig:
    nameservers: tuple[str, ...] = ()  # "host" or "host:port"; empty: the system resolver
    smtp_port: int = 25
    helo_name: str = ""
    connect_timeout_s: float = 10.0
    command_timeout_s: float = 20.0
    per_mx_concurrency: int = 2
    per_mx_min_gap_s: float = 0.5
    catch_all_check: bool = True
    cache_ttl_h: float = 24.0
    tls_verify: bool = True
    ca_file: str = ""


@dataclass(frozen=True)
class LoopsConfig:
    """How often the scheduler wakes the planner and the sender. The watcher is not woken: it serves the
    mailbox itself, in IDLE where offered, else polling every ``imap.poll_interval_s``."""

    planner_interval_s: float = 30.0
    sender_interval_s: float = 5.0


@dataclass(frozen=True)
class HttpConfig:
    enabled: bool = False
    listen: str = "127.0.0.1:8025"
    completion_secret: Secret = field(default_factory=lambda: Secret(""))


@dataclass(frozen=True)
class WebConfig:
    """The operator console (maildaemon.web): served by the daemon when enabled, or by `maildaemon web`."""

    enabled: bool = False
    listen: str = "127.0.0.1:8026"  # behind a TLS reverse proxy on this host in production
    session_minutes: float = 480.0  # a sign-in lasts this long (server-side; logout ends it at once)
    secure_cookies: bool = False  # true: the cookie is sent over HTTPS only (set it behind TLS)
    lockout_after: int = 5  # wrong passwords in a row that lock an account (and per address: 4x this)
    lockout_minutes: float = 15.0  # how long the lock lasts
    public_url: str = (
        ""  # the console as people outside reach it (e.g. https://khaosat.example.gov.vn): digest links
    )


@dataclass(frozen=True)
class Config:
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    imap: ImapConfig = field(default_factory=ImapConfig)
    bounce: BounceConfig = field(default_factory=BounceConfig)
    checker: CheckerConfig = field(default_factory=CheckerConfig)
    loops: LoopsConfig = field(default_factory=LoopsConfig)
    http: HttpConfig = field(default_factory=HttpConfig)
    web: WebConfig = field(default_factory=WebConfig)
    source: str = "<defaults>"  # the file it came from, for messages

    @property
    def state_path(self) -> Path:
        return Path(self.daemon.state_dir)

    @property
    def database_url(self) -> str:
        """The URL the engine gets, with the password from the environment or secrets file."""
        if self.daemon.database_url:
            if self.daemon.database_password:
                return _insert_db_password(self.daemon.database_url, self.daemon.database_password.reveal())
            return self.daemon.database_url
        return f"sqlite+aiosqlite:///{(self.state_path / 'maildaemon.db').resolve()}"


CHOICES: dict[str, tuple[str, ...]] = {
    "daemon.log_format": ("text", "json", "journal"),
    "daemon.log_level": ("DEBUG", "INFO", "WARNING", "ERROR"),
    "daemon.language": ("vi", "en"),
    "smtp.security": ("starttls", "tls", "none"),
    "imap.security": ("tls", "starttls", "none"),
}
# Durations that must be above zero: a zero lease lets a live send be claimed again by any round, a zero
# timeout or interval makes a loop spin.
POSITIVE: frozenset[str] = frozenset(
    {
        "smtp.timeout_s",
        "smtp.lease_s",
        "smtp.retry_base_s",
        "smtp.retry_max_delay_s",
        "imap.poll_interval_s",
        "checker.connect_timeout_s",
        "checker.command_timeout_s",
        "loops.planner_interval_s",
        "loops.sender_interval_s",
    }
)

# Keys that were documented once and are gone, with what to write instead: a clear error, not "unknown key".
REMOVED = {
    "loops.watcher_interval_s": "the watcher waits in IDLE, else polls every imap.poll_interval_s; remove the key",
}

# Keys whose values are secrets: they may only come from the environment or the secrets file.
SECRET_ENV = {
    "daemon.database_password": "MAILDAEMON_DATABASE_PASSWORD",
    "smtp.password": "MAILDAEMON_SMTP_PASSWORD",
    "imap.password": "MAILDAEMON_IMAP_PASSWORD",
    "http.completion_secret": "MAILDAEMON_COMPLETION_SECRET",
}
SECRET_FILE_KEYS = {
    "daemon.database_password": "database_password",
    "smtp.password": "smtp_password",
    "imap.password": "imap_password",
    "http.completion_secret": "completion_secret",
}


def _type_name(tp: Any) -> str:
    names = {int: "an integer", float: "a number", bool: "true or false", str: "a string"}
    if tp in names:
        return names[tp]
    if typing.get_origin(tp) is tuple:
        return "a list of strings"
    return getattr(tp, "__name__", str(tp))


def _convert(value: Any, tp: Any, where: str) -> Any:
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    elif typing.get_origin(tp) is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
    shown = f"{type(value).__name__} {value!r}"
    raise ConfigError(f"{where}: expected {_type_name(tp)}, got {shown}")


def _build(cls: type, data: dict[str, Any], source: str, prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if dotted in REMOVED:
            raise ConfigError(f"{source}: key '{dotted}' is no longer read: {REMOVED[dotted]}")
        if key not in known:
            expected = ", ".join(sorted(known))
            raise ConfigError(f"{source}: unknown key '{dotted}' (known keys here: {expected})")
        tp = hints[key]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: key '{dotted}' must be a table [{dotted}]")
            kwargs[key] = _build(tp, value, source, f"{dotted}.")
        elif tp is Secret:
            raise ConfigError(
                f"{source}: key '{dotted}' is a secret and may not be written in the config file; "
                f"set {SECRET_ENV.get(dotted, 'it')} or put {SECRET_FILE_KEYS.get(dotted, key)} "
                "in the file named by daemon.secrets_file"
            )
        else:
            kwargs[key] = _convert(value, tp, f"{source}: key '{dotted}'")
            if dotted in POSITIVE and not kwargs[key] > 0:
                raise ConfigError(f"{source}: key '{dotted}' must be greater than 0, got {value!r}")
            choices = CHOICES.get(dotted)
            if choices and kwargs[key] not in choices:
                raise ConfigError(
                    f"{source}: key '{dotted}' must be one of {', '.join(choices)}, got {value!r}"
                )
    return cls(**kwargs)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def _with_secrets(cfg: Config, env: typing.Mapping[str, str]) -> Config:
    file_values: dict[str, Any] = {}
    secrets_file = env.get("MAILDAEMON_SECRETS_FILE") or cfg.daemon.secrets_file  # systemd credentials
    if secrets_file:
        secrets_path = Path(secrets_file)
        file_values = _read_toml(secrets_path)
        allowed = set(SECRET_FILE_KEYS.values())
        for key, value in file_values.items():
            if key not in allowed:
                raise ConfigError(
                    f"{secrets_path}: unknown key '{key}' (known: {', '.join(sorted(allowed))})"
                )
            if not isinstance(value, str):
                raise ConfigError(f"{secrets_path}: key '{key}' must be a string")
    changes: dict[str, dict[str, Secret]] = {}
    for dotted, env_name in SECRET_ENV.items():
        value = env.get(env_name) or file_values.get(SECRET_FILE_KEYS[dotted], "")
        if value:
            section, key = dotted.split(".")
            changes.setdefault(section, {})[key] = Secret(value)
    replaced = {sec: dataclasses.replace(getattr(cfg, sec), **vals) for sec, vals in changes.items()}
    return dataclasses.replace(cfg, **replaced)


def _insert_db_password(url: str, password: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def load_config(path: Path | None = None, env: typing.Mapping[str, str] | None = None) -> Config:
    """Load the config: explicit path, else $MAILDAEMON_CONFIG, else /etc/maildaemon, else defaults."""
    env = os.environ if env is None else env
    if path is None and env.get(ENV_CONFIG):
        path = Path(env[ENV_CONFIG])
    if path is None:
        path = next((p for p in DEFAULT_CONFIG_PATHS if p.exists()), None)
    if path is None:
        return _with_secrets(Config(), env)
    data = _read_toml(path)
    cfg: Config = _build(Config, data, str(path), "")
    base = path.resolve().parent
    daemon = cfg.daemon
    fixes: dict[str, Any] = {}
    for key in ("state_dir", "template_dir", "secrets_file"):
        value = getattr(daemon, key)
        if value and not Path(value).is_absolute():
            fixes[key] = str(base / value)
    cfg = dataclasses.replace(cfg, daemon=dataclasses.replace(daemon, **fixes), source=str(path))
    for section, key in (("smtp", "ca_file"), ("imap", "ca_file"), ("checker", "ca_file")):
        value = getattr(getattr(cfg, section), key)
        if value and not Path(value).is_absolute():
            cfg = dataclasses.replace(
                cfg, **{section: dataclasses.replace(getattr(cfg, section), **{key: str(base / value)})}
            )
    return _with_secrets(cfg, env)


def redacted(cfg: Config) -> dict[str, Any]:
    """The effective config as plain data with secrets replaced, for `config check`."""

    def walk(obj: Any) -> Any:
        if isinstance(obj, Secret):
            return "***" if obj else ""
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {f.name: walk(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, tuple):
            return list(obj)
        return obj

    out = walk(cfg)
    from sqlalchemy.engine import make_url

    url = out["daemon"]["database_url"]
    if url:
        try:
            out["daemon"]["database_url"] = make_url(url).render_as_string(hide_password=True)
        except Exception:  # an unparsable URL is reported by the store; here just hide it
            out["daemon"]["database_url"] = "<unparsable URL>"
    out["effective_database_url"] = _hide(cfg.database_url)
    return typing.cast(dict[str, Any], out)


def _hide(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable URL>"
