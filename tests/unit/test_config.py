"""Config loading: unknown keys and wrong types name the file and key; secrets never print."""

from pathlib import Path

import pytest

from maildaemon.config import Secret, load_config, redacted
from maildaemon.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "maildaemon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    cfg = load_config(None, env={})
    assert cfg.smtp.port == 25
    assert cfg.database_url.startswith("sqlite+aiosqlite:///")


def test_relative_state_dir_is_relative_to_the_file(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, '[daemon]\nstate_dir = "state"\n'), env={})
    assert cfg.daemon.state_dir == str(tmp_path / "state")
    assert cfg.database_url == f"sqlite+aiosqlite:///{tmp_path / 'state' / 'maildaemon.db'}"


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[smtp]\nhots = 'x'\n")
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert str(path) in str(err.value) and "smtp.hots" in str(err.value) and "host" in str(err.value)


def test_unknown_section(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown key 'smtpp'"):
        load_config(write(tmp_path, "[smtpp]\nhost = 'x'\n"), env={})


def test_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"smtp\.port': expected an integer, got str '25'"):
        load_config(write(tmp_path, "[smtp]\nport = '25'\n"), env={})


def test_bool_is_not_an_integer(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="smtp.connections"):
        load_config(write(tmp_path, "[smtp]\nconnections = true\n"), env={})


def test_choice_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="smtp.security' must be one of starttls, tls, none"):
        load_config(write(tmp_path, "[smtp]\nsecurity = 'ssl'\n"), env={})


@pytest.mark.parametrize("text", ["[smtp]\nlease_s = 0\n", "[loops]\nsender_interval_s = -5.0\n"])
def test_a_duration_must_be_above_zero(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(
        ConfigError,
        match=r"maildaemon\.toml: key '(smtp\.lease_s|loops\.sender_interval_s)' must be greater than 0",
    ):
        load_config(path, env={})


def test_a_zero_gap_between_probes_is_allowed(tmp_path: Path) -> None:
    assert (
        load_config(write(tmp_path, "[checker]\nper_mx_min_gap_s = 0.0\n"), env={}).checker.per_mx_min_gap_s
        == 0.0
    )


def test_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[smtp\n"), env={})


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_password_in_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MAILDAEMON_SMTP_PASSWORD"):
        load_config(write(tmp_path, "[smtp]\npassword = 'hunter2'\n"), env={})


def test_secrets_from_env_and_file_are_redacted(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('imap_password = "imap-s3cret"\ndatabase_password = "db-s3cret"\n')
    path = write(
        tmp_path,
        f'[daemon]\nsecrets_file = "{secrets}"\ndatabase_url = "postgresql://md@127.0.0.1/md"\n',
    )
    cfg = load_config(path, env={"MAILDAEMON_SMTP_PASSWORD": "smtp-s3cret"})
    assert cfg.smtp.password.reveal() == "smtp-s3cret"
    assert cfg.imap.password.reveal() == "imap-s3cret"
    shown = repr(cfg) + str(redacted(cfg))
    for secret in ("smtp-s3cret", "imap-s3cret", "db-s3cret"):
        assert secret not in shown
    assert "db-s3cret" in cfg.database_url  # the engine still gets it


def test_secrets_file_unknown_key(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('smtp_pasword = "x"\n')
    with pytest.raises(ConfigError, match="smtp_pasword"):
        load_config(write(tmp_path, f'[daemon]\nsecrets_file = "{secrets}"\n'), env={})


def test_secret_repr() -> None:
    assert "abc" not in repr(Secret("abc")) and "abc" not in str(Secret("abc"))
    assert Secret("abc").reveal() == "abc"


def test_example_config_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[2] / "config" / "maildaemon.example.toml"
    cfg = load_config(example, env={})
    assert cfg.source == str(example)


def test_a_removed_key_says_what_to_write_instead(tmp_path: Path) -> None:
    path = tmp_path / "md.toml"
    path.write_text("[loops]\nwatcher_interval_s = 60.0\n")
    with pytest.raises(
        ConfigError, match=r"'loops.watcher_interval_s' is no longer read: .*imap.poll_interval_s"
    ):
        load_config(path, env={})
