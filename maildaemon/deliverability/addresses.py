"""Pure: an address as the probe needs it (its cache key, what goes into RCPT TO, its ASCII domain,
whether it needs SMTPUTF8), or the syntax error that makes probing it pointless."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import email_validator

from maildaemon.deliverability.outcomes import Outcome
from maildaemon.deliverability.results import ProbeResult

_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")


@functools.lru_cache(maxsize=8192)
def _ascii_domain(domain: str, test_environment: bool) -> str:
    """The lower-case ASCII form of a valid mail domain, or "" (email-validator is slow per call)."""
    try:
        v = email_validator.validate_email(
            f"a@{domain}", check_deliverability=False, test_environment=test_environment
        )
    except email_validator.EmailNotValidError:
        return ""
    return str(v.ascii_domain).lower()


class Address(NamedTuple):
    original: str
    key: str  # cache key: local part @ ASCII domain
    rcpt: str  # what goes into RCPT TO
    domain: str
    needs_smtputf8: bool


def parse_address(original: str, test_environment: bool = False) -> Address | ProbeResult:
    """The address to probe, or an ``invalid`` result saying why it is not one."""
    # Fast path for the common plain address: the domain is validated once per domain (cached).
    local, _, domain = original.rpartition("@")
    if len(local) <= 64 and len(original) <= 254 and _DOT_ATOM.match(local):
        ascii_domain = _ascii_domain(domain, test_environment)
        if ascii_domain:
            key = f"{local}@{ascii_domain}"
            return Address(original, key, key, ascii_domain, False)
    try:
        v = email_validator.validate_email(
            original,
            check_deliverability=False,
            allow_smtputf8=True,
            test_environment=test_environment,
        )
    except email_validator.EmailNotValidError as exc:
        return ProbeResult(original, "", Outcome.INVALID, text=str(exc), stage="syntax", detail=str(exc))
    domain = v.ascii_domain.lower()
    local = v.local_part
    return Address(original, f"{local}@{domain}", f"{local}@{domain}", domain, not local.isascii())
