"""TLS of an MX as IT staff need to see it: what went wrong in a handshake, and the certificate's
subject, issuer, validity and names (read with ``cryptography`` when installed)."""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from typing import Any

from maildaemon.deliverability.results import TlsInfo


def tls_context(verify: bool, ca_file: str | None = None) -> ssl.SSLContext:
    """A client context; unverified only to show a failed certificate's details, never to send mail."""
    if verify:
        return ssl.create_default_context(cafile=ca_file)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


_VERIFY_PROBLEMS = {10: "expired", 18: "self-signed", 19: "self-signed", 20: "untrusted", 21: "untrusted",
                    2: "untrusted", 62: "name-mismatch", 9: "expired"}  # fmt: skip


def tls_problem(exc: ssl.SSLError) -> tuple[str, str]:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _VERIFY_PROBLEMS.get(exc.verify_code, "untrusted"), exc.verify_message or str(exc)
    return "handshake", exc.reason or str(exc)


def names_match(hostname: str, names: Sequence[str]) -> bool:
    host = hostname.lower().rstrip(".")
    for name in names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def describe_cert(der: bytes | None, hostname: str) -> dict[str, Any]:
    """Subject, issuer, validity and names of a DER certificate (needs ``cryptography``; {} without)."""
    if not der:
        return {}
    try:
        from cryptography import x509
    except ImportError:  # optional: details are a nicety, the verdict comes from OpenSSL
        return {}
    try:
        cert = x509.load_der_x509_certificate(der)
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            names = tuple(san.value.get_values_for_type(x509.DNSName))
        except x509.ExtensionNotFound:
            names = ()
        return {
            "subject": cert.subject.rfc4514_string(),
            "issuer": cert.issuer.rfc4514_string(),
            "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(),
            "names": names,
            "name_match": names_match(hostname, names),
        }
    except ValueError:
        return {}


def tls_info(obj: ssl.SSLObject | None, hostname: str, verified: bool) -> TlsInfo:
    if obj is None:
        return TlsInfo(verified=verified)
    cipher = obj.cipher()
    details = describe_cert(obj.getpeercert(binary_form=True), hostname)
    return TlsInfo(
        protocol=obj.version() or "",
        cipher=cipher[0] if cipher else "",
        bits=cipher[2] if cipher else None,
        verified=verified,
        **details,
    )
