"""Console passwords (web/passwords.py): argon2id hashes, the same work for an unknown account, and no hashing at
import, which every CLI command would pay."""

from __future__ import annotations

import subprocess
import sys

import pytest

from maildaemon.errors import InputError
from maildaemon.web import passwords


def test_a_password_checks_against_its_hash_and_no_other() -> None:
    made = passwords.hash_password("mật khẩu đủ dài")
    assert passwords.verify(made, "mật khẩu đủ dài")
    assert not passwords.verify(made, "mật khẩu khác hẳn")
    assert not passwords.needs_rehash(made)


def test_an_unknown_account_is_refused_after_the_same_work() -> None:
    assert not passwords.verify(None, "maildaemon: no such account")  # not even the dummy's own password
    assert passwords.dummy_hash().startswith("$argon2id$")


@pytest.mark.parametrize("password", ["short", "x" * (passwords.MAX_LENGTH + 1)])
def test_a_password_too_short_or_too_long_is_refused(password: str) -> None:
    with pytest.raises(InputError, match="characters"):
        passwords.hash_password(password)


def test_importing_hashes_nothing() -> None:
    code = "import maildaemon.web.passwords as p; print(p.dummy_hash.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0"
