"""Console passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106 low-memory profile), and a
dummy check for unknown accounts so that a wrong name costs as long as a wrong password."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from maildaemon.errors import InputError

_HASHER = PasswordHasher()  # argon2id
MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 would take anything; a megabyte of form field is an attack, not a password


@cache
def dummy_hash() -> str:
    """The hash an unknown account's password is checked against. Made once, on first use, not at import:
    hashing costs about 0.2 s, which every CLI command would pay; the console makes it when it is built, so a
    sign-in never pays it either."""
    return _HASHER.hash("maildaemon: no such account")


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise InputError(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(f"the password must have at most {MAX_LENGTH} characters")
    return _HASHER.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; with no hash (unknown account) the same work is done, then False."""
    if len(password) > MAX_LENGTH:
        password = password[:MAX_LENGTH]
    try:
        return _HASHER.verify(password_hash or dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
