"""``classify(raw) -> Verdict``: standards first (ARF, DSN, RFC 3834), then heuristics for plain-text
bounces, then replies. Pure and total: any input gives a verdict, never an exception."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import partial
from operator import itemgetter
from zoneinfo import ZoneInfo

from maildaemon.core import replies, tokens
from maildaemon.core.reasons import CHALLENGE, is_hard
from maildaemon.inbound.classify import autoreply, dsn, formats, forwarded, handwritten, heuristics, mdn
from maildaemon.inbound.classify.mime import (
    Part,
    decode_header,
    parse,
    parse_headers,
    parse_original_headers,
    split_head_body,
    to_text,
)
from maildaemon.inbound.classify.verdict import RecipientVerdict, Verdict

_MSGID = re.compile(r"<[^<>\s]+>")
_REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv|tl|trả lời|phản hồi)\s*(?:\[\d+\])?\s*:", re.I)
# A mailbox's own filter refusing the message (Sieve reject, RFC 5429), the words re-wrapped where pasted
_AUTO_REJECTED = re.compile(r"automatically\s+rejected", re.I)
_FEEDBACK_RCPT = ("original-rcpt-to", "removal-recipient")
# Fields every message has one of; a text with none has lost its header block (forwarded or pasted).
_MESSAGE_FIELDS = ("from", "subject", "date", "to", "received", "message-id", "return-path", "mime-version")


def classify(raw: bytes) -> Verdict:
    """What an inbound message is and whom it concerns. Never raises: a failure inside gives kind
    ``unknown`` with the error named in ``defects``."""
    try:
        return _classify(raw)
    except Exception as exc:  # the watcher must never stop on one odd message
        return Verdict(kind="unknown", defects=(f"classifier error: {type(exc).__name__}: {exc}"[:300],))


def classify_many(raws: list[bytes]) -> list[tuple[Verdict, str]]:
    """A fetch batch at once, each verdict with its stored form: what a classifier worker process runs
    (one round trip per batch, the JSON made there too)."""
    out = []
    for raw in raws:
        verdict = classify(raw)
        out.append((verdict, verdict.stored()))
    return out


class _Parts:
    """The message's parts sorted by role: reports, returned originals, the human-readable notice."""

    __slots__ = ("attached", "defects", "dispositions", "feedback", "forwarded_reports", "html_parts",
                 "notice_parts", "original_texts", "originals", "reports", "returned")  # fmt: skip

    def __init__(self, root: Part) -> None:
        self.reports: list[Part] = []
        self.feedback: list[Part] = []
        self.dispositions: list[Part] = []
        self.originals: list[dict[str, list[str]]] = []
        self.original_texts: list[str] = []
        self.forwarded_reports: list[str] = []  # returned "originals" that are themselves DSNs
        self.attached: list[tuple[dict[str, list[str]], str]] = []  # message/rfc822 parts: headers, text
        self.notice_parts: list[Part] = []
        self.html_parts: list[Part] = []
        self.defects: list[str] = []
        self.returned: list[str] = []  # returned originals' texts, read only when a verdict lacks a reason
        self._visit(root, 0)

    def _visit(self, part: Part, depth: int) -> None:
        self.defects.extend(part.defects)
        ctype = part.ctype
        if ctype in dsn.DSN_TYPES:
            self.reports.append(part)
        elif ctype == "message/feedback-report":
            self.feedback.append(part)
        elif ctype in mdn.MDN_TYPES:
            self.dispositions.append(part)
        elif ctype in ("message/rfc822", "message/global", "message/partial"):
            self.returned.append(part.body)
            if part.children:
                inner = part.children[0].headers
                self.originals.append(inner)
                self.original_texts.append(part.children[0].body[:4000])
                self.attached.append((inner, part.body))
                if "report-type=delivery-status" in " ".join(inner.get("content-type", ())).lower():
                    self.forwarded_reports.append(part.body[:200_000])
            else:  # base64-wrapped or too deep: read the headers from its decoded text
                self.originals.append(parse_original_headers(split_head_body(part.text())[0]))
        elif ctype in ("text/rfc822-headers", "text/global-headers"):
            self.returned.append(part.body)
            self.originals.append(parse_original_headers(part.text().replace("\r\n", "\n")))
        elif part.children:
            for child in part.children:
                self._visit(child, depth + 1)
        elif (
            ctype.startswith("multipart/")
            or ctype == "text/plain"
            or (ctype.startswith("text/") and ctype != "text/html" and depth == 0)
        ):  # its boundaries were never found: read it as text
            self.notice_parts.append(part)
        elif ctype == "text/html":
            self.html_parts.append(part)

    def notice(self) -> str:
        parts = self.notice_parts or self.html_parts[:1]
        texts = []
        for part in parts[:4]:
            text = part.text()
            if part.ctype == "text/html":
                text = autoreply.strip_html(text)
            texts.append(text)
        return "\n\n".join(texts).replace("\r\n", "\n")


_ADDRESS = itemgetter(1)  # of find_addresses' (position, address): a map in C, no generator per header value


def _addresses(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(map(_ADDRESS, heuristics.find_addresses(decode_header(value))))
    return out


def _first_id(values: list[str]) -> str:
    for value in values:
        match = _MSGID.search(value)
        if match:
            return match.group(0)
        if value.strip():
            return value.strip().split()[0]
    return ""


# Where our respondents are: the day a mail stamped in UTC was written there
_RESPONDENTS_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _sent_date(headers: dict[str, list[str]]) -> date:
    """The day the reply was written, which "tomorrow" and "next Monday" in it count from: the writer's own day
    where the Date header carries their offset ("Mon, 9 Feb 2009 21:16 +0100" is that Monday, though it was
    Tuesday in Hanoi), the day in Vietnam where it says only UTC (+0000, or -0000, "no local time"; servers
    set to UTC stamp a Hanoi morning as the evening before)."""
    value = (headers.get("date") or [""])[0]
    try:
        sent = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return datetime.now(_RESPONDENTS_TZ).date()
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if sent.utcoffset() == timedelta(0):
        return sent.astimezone(_RESPONDENTS_TZ).date()
    return sent.date()


class _Mail:
    """One message read once: its parts by role, the header facts every verdict carries, our tokens."""

    __slots__ = ("from_addr", "from_value", "headers", "in_reply_to", "notice", "notice_full", "parts",
                 "quoted", "references", "root", "subject", "text", "to_addrs", "tokens")  # fmt: skip

    def __init__(self, raw: bytes) -> None:
        self.text = text = to_text(raw)
        self.root = root = parse(text)
        self.headers = headers = root.headers
        self.parts = parts = _Parts(root)
        self.subject = decode_header((headers.get("subject") or [""])[0])
        self.from_value = decode_header((headers.get("from") or [""])[0])
        from_list = _addresses([self.from_value])
        self.from_addr = from_list[0] if from_list else ""
        envelope = _addresses([v for name in tokens.ENVELOPE_HEADERS[:5] for v in headers.get(name, ())])
        self.to_addrs = tuple(dict.fromkeys(envelope))
        self.references = tuple(_MSGID.findall(" ".join(headers.get("references", ()))))
        self.in_reply_to = _first_id(headers.get("in-reply-to", []))

        found = tokens.TokenList()
        tokens.from_headers(headers, tokens.ENVELOPE_HEADERS, found)
        tokens.from_received(headers, found)
        tokens.from_ids(headers.get("in-reply-to", []) + list(self.references), found)
        for original in parts.originals:
            tokens.from_original(original, found)
        self.notice_full = parts.notice()
        self.notice, self.quoted = heuristics.notice_text(self.notice_full)
        if self.quoted:
            tokens.from_text(self.quoted[:20000], found)
        elif not parts.originals:
            tokens.from_text(self.notice_full[:20000], found)
        self.tokens = found.result()

    def verdict(
        self, kind: str, verdicts: Sequence[RecipientVerdict] = (), return_date: date | None = None
    ) -> Verdict:
        return Verdict(
            kind=kind,
            verdicts=tuple(verdicts),
            subject=self.subject,
            message_id=_first_id(self.headers.get("message-id", [])),
            in_reply_to=self.in_reply_to,
            references=self.references,
            from_addr=self.from_addr,
            to_addrs=self.to_addrs,
            tokens=self.tokens,
            return_date=return_date,
            defects=tuple(dict.fromkeys(self.parts.defects)),
        )


def _classify(raw: bytes, nested: bool = False) -> Verdict:
    """The strongest evidence decides: a standard report, then a plain-text bounce, then what people send."""
    mail = _Mail(raw)
    return (
        (None if nested else _by_forward(mail))
        or _by_report(mail, nested)
        or _by_bounce_text(mail)
        or _by_sender(mail)
    )


def _by_report(mail: _Mail, nested: bool) -> Verdict | None:
    """ARF feedback, provider notifications, list-manager notices, DSNs (RFC 3464) and MDNs (RFC 3798)."""
    parts, headers, notice = mail.parts, mail.headers, mail.notice
    if parts.feedback or "feedback-report" in mail.root.params.get("report-type", "").lower():
        return mail.verdict("feedback", _feedback(parts))
    if formats.feedback_variant(headers, mail.subject):
        found_feedback = _feedback(parts)
        if not found_feedback[0].recipient:
            found_feedback = (RecipientVerdict(recipient=mail.from_addr, reason="feedback"),)
        return mail.verdict("feedback", found_feedback)
    if "{" in mail.notice_full[:2000]:
        notification = formats.ses(mail.notice_full)
        if notification is not None and notification[1]:
            return mail.verdict(*notification)
    fml = formats.fml_reason(headers, mail.subject, notice)
    if fml:
        listed = heuristics.candidates(notice, {mail.from_addr.lower()}) or [mail.from_addr]
        diagnostic = " ".join(notice[:300].split())
        failed = [RecipientVerdict(recipient=a, reason=fml, action="failed", diagnostic=diagnostic)
                  for a in listed[:1]]  # fmt: skip
        return mail.verdict("bounce", failed)

    if not parts.reports:
        inline = _inline_report(mail.notice_full) or _fields_only_report(mail)
        if inline is not None:
            parts.reports.append(inline)
    reported: list[RecipientVerdict] = []
    for report in parts.reports:
        reported.extend(dsn.verdicts_from_part(report, notice))
    if reported:
        if not reported[0].remote_mta and any(v.reason in _CHALLENGE_DSN for v in reported):
            # a challenge-response service's notice wrapped in a report about itself (no remote server; Boxbe's:
            # Action failed, 4.7.0): its request that the sender confirm (the mail is held), or its word that
            # the sender is allowed
            said = autoreply.challenge_notice(notice)
            if said:
                reason = CHALLENGE if said == "ask" else "delivered"
                answered = [replace(v, reason=reason, hard=False) for v in reported]
                return mail.verdict("autoreply", _fill_from_notice(answered, notice))
        if (
            any(v.reason in _NO_REASON for v in reported)
            and max(map(_hops, parts.returned), default=0) >= _LOOP_HOPS
        ):
            reported = [_looped(v) for v in reported]
        named = _fill_from_notice(reported, notice, headers.get("x-failed-recipients", []))
        return mail.verdict(_dsn_kind(reported), _fill_remote(named, notice))
    for disposition in parts.dispositions:
        kind, disposed = mdn.verdicts(disposition, notice)
        if kind:
            return mail.verdict(kind, disposed)
    if parts.forwarded_reports and not nested:
        # a relay or filter forwarded the real DSN as an attachment, with a notice that names no one
        inner = _classify(parts.forwarded_reports[0].encode("utf-8", "surrogateescape"), nested=True)
        if inner.kind in ("bounce", "delay") and inner.verdicts:
            return mail.verdict(inner.kind, inner.verdicts)
    return None


_PASSED_ON = ("bounce", "delay")
# The reasons a challenge-response service's report comes out with: a sender not allowed, or none said
_CHALLENGE_DSN = frozenset(
    ("securityerror", "filtered", "rejected", "policyviolation", "undefined", "onhold")
)


def _by_forward(mail: _Mail) -> Verdict | None:
    """A notice a person passed on (an IT colleague's forward, inline or attached, or a reply quoting it):
    the verdict is the inner notice's, its kind, reason and failed recipient, never the person's own."""
    parts = mail.parts
    if parts.reports or parts.feedback or parts.dispositions or heuristics.from_mail_system(mail.from_value):
        return None  # the mail system's own report or notice: read as it is
    for headers, text in parts.attached:
        if _sent_by_mail_system(headers):
            inner = _classify(text.encode("utf-8", "surrogateescape"), nested=True)
            if inner.kind in _PASSED_ON and inner.verdicts:
                return _passed_on(mail, inner)
    text = forwarded.inner_message(mail.notice_full, mail.subject)
    if not text:
        return None
    inner = _classify(text.encode("utf-8", "surrogateescape"), nested=True)
    return _passed_on(mail, inner) if inner.kind in _PASSED_ON and inner.verdicts else None


def _sent_by_mail_system(headers: dict[str, list[str]]) -> bool:
    """An attached message that is a mail system's notice: its From, a null Return-Path, a report type."""
    sender = " ".join(headers.get("from", ()))
    return (
        heuristics.from_mail_system(sender)
        or any(v.strip() == "<>" for v in headers.get("return-path", ()))
        or "multipart/report" in " ".join(headers.get("content-type", ())).lower()
    )


def _passed_on(mail: _Mail, inner: Verdict) -> Verdict:
    """The inner notice's verdict on the outer message (its ids, sender), with the inner's tokens first:
    our token sits in the forwarded notice's To or its quoted original."""
    verdict = mail.verdict(inner.kind, inner.verdicts, inner.return_date)
    return replace(verdict, tokens=tuple(dict.fromkeys(inner.tokens + verdict.tokens)))


def _by_bounce_text(mail: _Mail) -> Verdict | None:
    """A bounce or delay notice in words only (old MTAs, providers, a notice pasted without its headers)."""
    headers, notice = mail.headers, mail.notice
    headerless = headers.keys().isdisjoint(_MESSAGE_FIELDS)
    # a delivery-status part with no per-recipient fields is still a delivery report: its text part names who;
    # so is a multipart/report that says it is one and lost its status part (cut short, or never written)
    reported = bool(mail.parts.reports) or (
        mail.root.ctype == "multipart/report"
        and mail.root.params.get("report-type", "").lower() == "delivery-status"
    )
    if not (
        reported
        or heuristics.is_bounce(mail.from_value, mail.subject, notice, headerless=headerless)
        or (headers.get("x-failed-recipients") and not autoreply.subject_says_auto(mail.subject))
        or (headerless and mail.quoted and _says_mailbox_failure(notice))
        or _pasted_notice(mail)
    ):
        return None
    failed = _plain_bounce(headers, mail.parts, notice, mail.quoted, mail.from_addr)
    if failed and formats.google_groups(headers, notice):
        failed = [replace(v, reason="rejected", hard=False) for v in failed]
    if not failed:
        # A notice from the mail system itself that names no address we can read (its parts lost: "No
        # Message Collected"; a recipient like a@b.c): still a bounce, for whoever our tokens name.
        if not (headerless or reported or heuristics.from_mail_system(mail.from_value)):
            return None
        if headerless and not reported and heuristics.prose_only(notice):
            return None  # "a ticket submitted by an unknown user": a person's words, no address, no code
        failed = [_unnamed(notice, mail.from_addr)]
    temporary = all(v.status.startswith("4") or not v.status for v in failed)
    retrying = heuristics.retrying(notice)
    if (temporary or retrying) and heuristics.is_delay(mail.subject, notice):
        return mail.verdict("delay", [_as_delay(v) for v in failed])
    if retrying:
        failed = [replace(v, hard=False) for v in failed]
    return mail.verdict("bounce", failed)


def _pasted_notice(mail: _Mail) -> bool:
    """A person's new mail (a reply to nothing, no automatic answer) whose text is a bounce notice pasted in,
    headers lost: the notice's own words say so. It stands only where it names a failed address other than
    the sender's."""
    if (
        mail.in_reply_to
        or mail.references
        or autoreply.header_says_auto(mail.headers)
        or autoreply.subject_says_auto(mail.subject)
        or heuristics.from_mail_system(mail.from_value)
    ):
        return False
    notice = mail.notice
    # "automatically rejected": a mailbox's own filter refusing the message (Sieve reject, RFC 5429), where a
    # pasted copy may break the line between the two words (realmta round 15)
    if (
        heuristics.says_undelivered("", notice)
        or _AUTO_REJECTED.search(notice, 0, 3000) is not None
        or _says_mailbox_failure(notice)
    ):
        return True
    # a delay warning's words ("delayed", "will retry") are a person's too: with a reply code or the mail
    # system naming itself they are the relay's
    return (heuristics.retrying(notice) or heuristics.is_delay("", notice)) and bool(
        heuristics.status_and_code(notice[:3000])[1] or heuristics.from_mail_system(notice[:3000])
    )


def _by_sender(mail: _Mail) -> Verdict:
    """What a person's mailbox or the person sent: an automatic reply (RFC 3834, or its words), a reply."""
    headers, subject = mail.headers, mail.subject
    body = mail.notice_full or autoreply.first_text(mail.root)
    if autoreply.says_challenge(subject + "\n" + body):
        # the recipient's filter answers for the person (from their address, or a service's with theirs in
        # Reply-To) and holds our mail until the sender confirms: not delivered, not a reply, not an absence
        person = _addresses(headers.get("reply-to", []))[:1] or [mail.from_addr]
        held = RecipientVerdict(
            recipient=person[0], reason=CHALLENGE, diagnostic=" ".join(body.split())[:300]
        )
        return mail.verdict("autoreply", [held])
    if (
        autoreply.header_says_auto(headers)
        or autoreply.subject_says_auto(subject)
        or (not mail.in_reply_to and (autoreply.body_says_auto(body) or autoreply.says_gone_alone(body)))
    ):
        text = subject + "\n" + body
        unknown = _unknown_address(body, mail.from_addr)
        if unknown is not None:  # an auto-reply that is a rejection: "That's not a valid user here"
            return mail.verdict("bounce", [unknown])
        if autoreply.says_gone(text):
            diagnostic = " ".join(body.split())[:300]
            return mail.verdict("bounce", [RecipientVerdict(recipient=mail.from_addr, reason="suspend",
                                                            diagnostic=diagnostic)])  # fmt: skip
        if autoreply.acknowledges(body) and not autoreply.says_away(subject, body):
            # a helpdesk's or portal's receipt: automatic, the mail arrived, nobody is away
            received = RecipientVerdict(recipient=mail.from_addr, reason="delivered")
            return mail.verdict("autoreply", [received])
        if autoreply.list_notice(headers) and not autoreply.says_away(subject, body):
            # a tracker's or list's notice ("bug marked as pending"): automatic, but no answer and no absence
            return mail.verdict("unknown")
        away = RecipientVerdict(recipient=mail.from_addr, reason="vacation")
        return mail.verdict("autoreply", [away], autoreply.return_date(text, _sent_date(headers)))

    ids = (mail.in_reply_to, *mail.references)
    if (any(tokens.MESSAGE_ID_RE.search(v) for v in ids) or mail.in_reply_to or mail.references
            or _REPLY_SUBJECT.match(subject) or _replied_to_token(mail.to_addrs)):  # fmt: skip
        return mail.verdict("reply")
    if not _carries_reports(mail.parts) and handwritten.written_by_person(
        headers, mail.from_value, mail.from_addr, subject, body
    ):  # a person writing on their own, from any address: still what they say to us
        return mail.verdict("reply")
    return mail.verdict("unknown")


def _carries_reports(parts: _Parts) -> bool:
    """A report part (DSN, MDN, ARF) or a message carried whole: what mail systems send, even where it
    said nothing we could read."""
    return bool(parts.reports or parts.feedback or parts.dispositions or parts.originals)


def _unknown_address(body: str, from_addr: str) -> RecipientVerdict | None:
    """An automatic answer that says the address it was sent to does not exist (Exim's and qmail's
    autoresponders for unknown users send these): the address named in it, userunknown."""
    head = " ".join(body[:1500].lower().split())
    if not replies.phrase_matches("userunknown", head):
        return None
    named = heuristics.candidates(body[:1500], {from_addr.lower()}) or [""]  # ours ties it by tokens
    return RecipientVerdict(recipient=named[0], reason="userunknown", hard=True, action="failed",
                            diagnostic=head[:300])  # fmt: skip


def _replied_to_token(to_addrs: tuple[str, ...]) -> bool:
    return any(a.lower().startswith("reply+") for a in to_addrs)


# A returned message with this many Received: fields was refused as a loop (Sendmail's MaxHopCount is 25,
# Exim's received_headers_max 30, Postfix's hopcount_limit 50): where the notice gives no reason (Exim
# names it only in its log), that is the evidence, "too many Received headers" (contenterror).
_LOOP_HOPS = 25
_NO_REASON = ("undefined", "onhold")
_RECEIVED = re.compile(r"^received:", re.IGNORECASE | re.MULTILINE)


def _hops(text: str) -> int:
    end = text.find("\n\n")
    return len(_RECEIVED.findall(text if end < 0 else text[:end]))


def _looped(v: RecipientVerdict) -> RecipientVerdict:
    if v.reason in _NO_REASON and v.action == "failed":
        return replace(v, reason="contenterror", hard=False)
    return v


def _dsn_kind(verdicts: list[RecipientVerdict]) -> str:
    if all(v.reason == "delivered" for v in verdicts):
        return "delivered"
    failed = [v for v in verdicts if v.reason != "delivered"]
    if all(v.action == "delayed" or (v.status.startswith("4") and v.action != "failed") for v in failed):
        return "delay"
    return "bounce"


def _fill_from_notice(
    verdicts: list[RecipientVerdict], notice: str, failed_header: list[str] | None = None
) -> list[RecipientVerdict]:
    """A report without a recipient address: take the one the notice names; where the report's one entry
    names nobody and the failed-recipients header names one address, that address (the reporter's own
    word on whom the entry is about; several are never paired with entries by position)."""
    if all(v.recipient for v in verdicts):
        return verdicts
    if failed_header and len(verdicts) == 1:
        header = [a for a in dict.fromkeys(_addresses(failed_header)) if not heuristics.is_mta_address(a)]
        if len(header) == 1:
            return [replace(verdicts[0], recipient=header[0])]
    listed = heuristics.candidates(notice, set())
    return [
        replace(v, recipient=listed[i]) if not v.recipient and i < len(listed) else v
        for i, v in enumerate(verdicts)
    ]


def _fill_remote(verdicts: list[RecipientVerdict], notice: str) -> list[RecipientVerdict]:
    """A report with no Remote-MTA field for a remote server's reply (Sendmail leaves it out when the
    server refused at MAIL FROM): the server the notice's own text names ("while talking to mx.x.:",
    "host mx.x[1.2.3.4] said:"), so IT staff see whom to ask."""
    if all(v.remote_mta or not v.reply_code for v in verdicts):
        return verdicts
    hosts = _Once(partial(heuristics.named_hosts, notice, generating=False))
    return [
        v
        if v.remote_mta or not v.reply_code
        else replace(v, remote_mta=heuristics.remote_host(v.diagnostic, hosts))
        for v in verdicts
    ]


def _as_delay(v: RecipientVerdict) -> RecipientVerdict:
    return replace(v, action="delayed", hard=False, status=v.status or "4.0.0")


def _plain_bounce(
    headers: dict[str, list[str]],
    parts: _Parts,
    notice: str,
    quoted: str,
    from_addr: str,
) -> list[RecipientVerdict]:
    original_to = _Once(partial(_original_to, parts, quoted))  # read only where it is needed
    named_hosts = _Once(partial(heuristics.named_hosts, notice))
    exclude = {from_addr.lower()}
    for original in parts.originals:
        senders = _addresses(original.get("from", []) + original.get("return-path", []))
        if senders:  # the original's sender did not fail, unless they wrote to themselves (then named)
            addressed = {a.lower() for a in original_to()}
            exclude.update(a.lower() for a in senders if a.lower() not in addressed)
    exclude.update(a.lower() for a in heuristics.senders_named(notice))
    failed = headers.get("x-failed-recipients", [])
    listed = _addresses(failed) or [a for v in failed for a in heuristics.header_addresses(decode_header(v))]
    if not listed:
        to_header = frozenset(a.lower() for a in _addresses(headers.get("to", [])))
        domain = _reporting_domain(from_addr, parts)
        listed = heuristics.candidates(notice, exclude, to_header, domain)
        if domain:
            listed = [_as_addressed(a, original_to, domain) for a in listed]
    if not listed:
        listed = [a for a in original_to() if a.lower() not in exclude]
    # the mail system's own address (its postmaster, named for help) is no failed recipient, unless the
    # returned message was sent to it
    listed = [
        a
        for a in listed
        if not _reporters_own(a, from_addr) or a.lower() in {b.lower() for b in original_to()}
    ]
    verdicts = []
    whole: tuple[str, str] | None = None
    qmail = _from_qmail(headers, notice)
    for address in dict.fromkeys(listed):
        diagnostic = heuristics.diagnostic_for(notice, address)
        status, code = heuristics.status_and_code(diagnostic)
        if not (status or code):
            # the recipient's entry is a paragraph written for users (Exchange's): the server's own reply,
            # where the notice gives it, is what IT staff read and what says why
            line = heuristics.server_line(notice, address)
            if line:
                diagnostic = line
                status, code = heuristics.status_and_code(line)
        command = replies.Lazy(partial(heuristics.command_for, notice, address, diagnostic))
        # a notice read without its delivery-status part is a failure notice (its verdict says "failed"): the
        # reply map reads it as a DSN's "failed" would be, so a transient last reply there means the relay gave
        # up (realmta round 8: Courier's "<<< Network is down", a greylisting 450, forwarded inline)
        reason = (
            dsn.decide(status, diagnostic, "failed", command, code, "", "", address, qmail=qmail)
            if diagnostic
            else ""
        )
        if not reason or reason in ("undefined", "onhold"):
            if whole is None:  # what the notice as a whole says, worked out once per message
                whole = heuristics.status_and_code(notice)
            status = status or whole[0]
            code = code or whole[1]
            reason = dsn.decide(status, notice[:3000], "failed", command, code, "", "", address, qmail=qmail)
            if not diagnostic:
                diagnostic = " ".join(notice[:600].split())[:300]
        elif not (status and code):
            # the line decided (a localised "address not found"), but IT staff still want the codes the
            # notice gives elsewhere (Exchange puts "550 5.1.10" in its technical part)
            if whole is None:
                whole = heuristics.status_and_code(notice)
            status = status or whole[0]
            code = code or whole[1]
        verdicts.append(
            RecipientVerdict(
                recipient=address,
                original_recipient=heuristics.expanded_from(notice, address),
                reason=reason,
                hard=is_hard(reason, status, code, "failed"),
                status=status,
                action="failed",
                remote_mta=heuristics.remote_host(diagnostic, named_hosts),
                diagnostic=diagnostic,
                reply_code=code,
            )
        )
    return verdicts


class _Once:
    """A value worked out on first use (``functools.cache`` builds a wrapper per message: dearer than
    the one call it saves)."""

    __slots__ = ("_get", "_value")

    def __init__(self, get: Callable[[], list[str]]) -> None:
        self._get = get
        self._value: list[str] | None = None

    def __call__(self) -> list[str]:
        if self._value is None:
            self._value = self._get()
        return self._value


def _original_to(parts: _Parts, quoted: str) -> list[str]:
    """Whom the returned original was addressed to: its To in a returned part, else in the quoted copy."""
    original_to: list[str] = []
    for original in parts.originals:
        original_to.extend(_addresses(original.get("to", [])))
    if not original_to and quoted:
        block = quoted.lstrip()
        if not heuristics.HEADER_START.match(block):
            block = block.partition("\n")[2]
        quoted_headers = parse_headers(split_head_body(block)[0])
        original_to = _addresses(quoted_headers.get("to", []))
    return original_to


_REPORTING_MTA = re.compile(r"^reporting-mta:[ \t]*(?:[\w\-]+[ \t]*;)?[ \t]*([A-Za-z0-9.\-]+)", re.I | re.M)


def _reporting_domain(from_addr: str, parts: _Parts) -> str:
    """The domain of the system that wrote the notice (its From, else the report's Reporting-MTA): where a
    failed mailbox it names by its local part alone lives."""
    host = from_addr.rpartition("@")[2]
    if not host:
        for report in parts.reports:
            match = _REPORTING_MTA.search(report.text())
            if match:
                host = match.group(1)
                break
    return heuristics.organisational_domain(host) if "." in host else ""


def _as_addressed(address: str, original_to: Callable[[], list[str]], domain: str) -> str:
    """A mailbox the notice named by local part (qualified with ``domain``): the original's own recipient
    with that local part where there is one."""
    local, _, at = address.rpartition("@")
    if at != domain:
        return address
    return next((a for a in original_to() if a.rpartition("@")[0].lower() == local.lower()), address)


def _reporters_own(address: str, from_addr: str) -> bool:
    """A role address of the reporting system itself (postmaster@ its domain) or any MTA address."""
    local, _, host = address.lower().rpartition("@")
    if local not in ("postmaster", "mailer-daemon"):
        return heuristics.is_mta_address(address)
    reporter = from_addr.lower().rpartition("@")[2]
    domain = heuristics.organisational_domain
    return bool(reporter) and domain(host) == domain(reporter)


# What a pasted notice that quotes the original may say instead of "could not be delivered".
_MAILBOX_FAILURES = ("userunknown", "mailboxfull", "hostunknown", "suspend", "mesgtoobig")


def _says_mailbox_failure(notice: str) -> bool:
    head = " ".join(notice[:1000].lower().split())
    return any(replies.phrase_matches(reason, head) for reason in _MAILBOX_FAILURES)


def _unnamed(notice: str, from_addr: str) -> RecipientVerdict:
    """The failure a notice reports when it names no recipient: what its text as a whole says."""
    status, code = heuristics.status_and_code(notice)
    reason = dsn.decide(status, notice[:3000], "", "", code, "", "", "")
    diagnostic = " ".join(notice[:600].split())[:300]
    return RecipientVerdict(recipient="", reason=reason, hard=is_hard(reason, status, code), status=status, action="failed",
                            diagnostic=diagnostic, reply_code=code)  # fmt: skip


def _from_qmail(headers: dict[str, list[str]], notice: str) -> bool:
    """qmail (or a clone) wrote the notice: its subject, its greeting, or qmail's own Received line."""
    subject = (headers.get("subject") or [""])[0].strip().lower()
    if subject == "failure notice" or "this is the qmail" in notice[:1000].lower():
        return True
    return any(value.startswith("(qmail ") for value in headers.get("received", ()))


def _feedback(parts: _Parts) -> tuple[RecipientVerdict, ...]:
    recipient = ""
    for report in parts.feedback:
        fields = parse_headers(report.text())
        for name in _FEEDBACK_RCPT:
            found = _addresses(fields.get(name, []))
            if found:
                recipient = found[0]
                break
        if recipient:
            break
    if not recipient:
        for original in parts.originals:
            found = _addresses(original.get("to", []))
            if found:
                recipient = found[0]
                break
    return (RecipientVerdict(recipient=recipient, reason="feedback"),)


_INLINE_REPORT = re.compile(r"^(?:reporting-mta|original-recipient|final-recipient|action):", re.I | re.M)


def _fields_only_report(mail: _Mail) -> Part | None:
    """A text that is nothing but a delivery-status block (a report's fields copied out on their own, no
    message header above them): parsed as a message, its fields are its "header block"."""
    headers = mail.headers
    if "final-recipient" not in headers or not headers.keys().isdisjoint(_MESSAGE_FIELDS):
        return None
    return _inline_report(mail.text.replace("\r\n", "\n"))


def _inline_report(text: str) -> Part | None:
    """Delivery-status fields pasted into a text part (MIME structure lost or never made)."""
    lowered = text.lower()
    if "final-recipient:" not in lowered or "status:" not in lowered:
        return None
    match = _INLINE_REPORT.search(text)
    if match is None:
        return None
    return Part({}, "message/delivery-status", {}, text[match.start() :])
