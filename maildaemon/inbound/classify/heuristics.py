"""Non-standard bounces (no delivery-status part): is it a bounce, and which addresses failed why.

Plain-text notices from qmail, Exim, Sendmail, old Exchange, Domino, Gmail, Yahoo and friends all list the
failed address near its reply text before a copy of the original message; we read that shape, not vendors.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from maildaemon.core import replies
from maildaemon.core.replies.index import holds_any

ADDRESS_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,24}\b")
# The characters of an address's local part (as ADDRESS_RE's): the run of them that ends at an "@" is found
# by str.rstrip, one pass in C (a regex searched for a run that ends there restarts at every character).
_LOCAL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~.-"
_DOMAIN_HEAD = re.compile(r"(?:[A-Za-z0-9\-]{1,63}\.){1,10}[A-Za-z]{2,24}\b")


def find_addresses(text: str, limit: int = 100) -> list[tuple[int, str]]:
    """(position, address) of each address in ``text``, found from its ``@`` signs so that long runs of
    address characters cost linear time (a plain regex scan backtracks quadratically on them)."""
    out: list[tuple[int, str]] = []
    at = text.find("@")
    while at >= 0 and len(out) < limit:
        before = text[max(0, at - 64) : at]
        local = len(before) - len(before.rstrip(_LOCAL_CHARS))  # at most 64 characters
        domain = _DOMAIN_HEAD.match(text, at + 1, at + 300) if local else None
        if domain:
            begin = at - local
            out.append((begin, text[begin : domain.end()]))
            at = text.find("@", domain.end())
        else:
            at = text.find("@", at + 1)
    return out


HEADER_START = re.compile(r"[ \t]*[A-Za-z][A-Za-z0-9\-]*:[ \t]")
_URLISH = re.compile(r"(?:https?://|mailto:|www\.)\S*$", re.I)

_SENDER_LOCALS = frozenset(
    {"mailer-daemon", "postmaster", "mailerdaemon", "mail-daemon", "daemon", "noreply", "no-reply", "root"}
)

_BOUNCE_FROM = re.compile(
    r"mailer[- ]?daemon|post_?master|mail ?delivery|delivery ?(?:status|subsystem|system)|"
    r"mail administrator|administrator|mmdf|\bsmtp\b|notification|nobody@|daemon@|bounce",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (?:status|failure|failed|notification|report|problem|has failed)"
    r"|returned mail|return(?:ed)? to sender|failure notice|mail delivery (?:failed|failure|system|error)"
    r"|could not (?:be )?deliver|non[- ]?delivery|delivery (?:fail|error)|mail (?:system )?error"
    r"|not (?:be )?delivered|rejected|warning: could not|delayed mail|delivery delayed|bounce"
    r"|unzustellbar|nicht zustellbar|non remis|no entregado|ошибка|не доставлен|不達|エラー|配信"
    r"|mail could not|message not delivered|error sending|failed delivery|delivery notification|delayed"
    r"|warning: message|cannot send message|returning (?:message )?to sender|mail failed|failed mail"
    r"|delivery warning"
    r"|gửi không thành công|không thể gửi|không gửi được|thư bị trả lại|lỗi gửi thư",
    re.I,
)
_BOUNCE_BODY = re.compile(
    r"could not be delivered|couldn['’]t be delivered|was not delivered|wasn['’]t able to deliver|unable to "
    r"deliver|delivery (?:has )?failed|permanent (?:fatal )?error|following address(?:es)? (?:had|failed)"
    r"|undeliverable|did not reach|delivery to the following recipient|message (?:you sent )?could not"
    r"|failed permanently|returned to sender|not be delivered|delivery status notification|message was not"
    r"|error (?:has )?occurred while|mail delivery failed|deferred|could not deliver|delivery problem"
    r"|attempting to deliver|error delivering|not able to deliver|delivery failure"
    r"|error message below|there was an error delivering"
    r"|delivery incomplete|temporary problem delivering|problem delivering your message|wasn['’]t delivered"
    r"|\*\* address not found \*\*|rejected your message to the following|message (?:was )?rejected by"
    r"|failed recipients?\b|failed addresses|intended recipient|no valid recipients|encountered an error"
    r"|(?:mail|message) (?:has been |was )?returned|returning (?:message )?to sender|error during delivery"
    r"|requested action not taken|not delivered to|has been postponed|no such (?:user|mailbox|address)"
    r"|user unknown|unknown (?:user|recipient)"
    # a relay's delay warning (Exim's "has not yet been delivered to one or more of its recipients"), and its
    # expiry notice (OpenSMTPD's "Envelope expired" beside each recipient)
    r"|has not yet been delivered to|envelope (?:has )?expired"
    # the same notices in the languages Exchange, Zimbra and MDaemon are localised to
    r"|kan niet worden bezorgd|niet (?:worden )?bezorgd|konnte nicht zugestellt werden|nicht zugestellt"
    r"|unzustellbar|n'a pas pu être (?:remis|distribué)|impossible de remettre|non remis|no se (?:ha )?pudo entregar"
    r"|no pudo ser entregado|non è stato (?:possibile )?(?:recapitat|consegnat)|não (?:pôde|foi possível) (?:ser )?entreg"
    r"|не (?:может быть|удалось) доставить|не доставлен|无法送达|未能送达|無法傳遞|配信できません|送信できませんでした"
    r"|không thể gửi|không gửi được|không tồn tại|bị từ chối|hộp thư (?:đã )?đầy|chưa được gửi đến",
)
# Said by a notice whose relay keeps trying, whatever the remote reply it quotes (each phrase holds a key).
_RETRY_KEYS = (
    "retry",
    "retried",
    "incomplete",
    "keep trying",
    "continue",
    "not yet",
    "temporary problem",
    "thử",
)
_RETRYING = re.compile(
    r"delivery incomplete|will (?:retry|keep trying|continue (?:trying|to try))|(?:has )?not yet been delivered"
    # Postfix's delay notice ("It will be retried until it is 5 day(s) old"), whatever reply it quotes
    r"|will be retried"
    r"|temporary problem delivering|sẽ (?:tiếp tục )?thử (?:gửi )?lại"
)
_DELAY_TEXT = re.compile(
    r"delayed|not yet been delivered|will (?:continue|keep) (?:trying|to try)|still (?:trying|retrying)"
    r"|this is (?:only )?a warning|no action is required|temporar(?:y|ily) (?:failure|problem|error)"
    r"|will be retried|retry(?:ing)? (?:for|until)|delivery delayed|delivery incomplete|bị trì hoãn|sẽ (?:tiếp tục )?thử (?:gửi )?lại"
    # Sendmail's warning subject (every version since 8.x), whose "could not" is not a final failure
    r"|warning: could not send message for past",
)
# A final notice's own opening words (Postfix: "I'm sorry to have to inform you that your message could not be
# delivered to one or more recipients"; its delay notice says "could not be delivered for more than N hours"):
# a "temporary" in the reply it quotes is the remote's last answer, not a delay
_FINAL_NOTICE = re.compile(r"inform you that your message could not\s+be delivered to")
_GIVEN_UP = re.compile(
    r"permanent|given up|giving up|gave up|failed|could not|undeliverable|not delivered"
    # Postfix's final notice ("Undelivered Mail Returned to Sender"), whose quoted reply may say "temporary"
    r"|undelivered|returned to sender",
    re.I,
)

# Where the notice ends and the copy of the original begins. The run of dashes is possessive: given back
# one by one to ``.{0,40}`` it cost thousands of steps on every long rule line ("-----...-----").
_CUT = re.compile(
    r"\n[ \t>]*(?=[-*tourmxd])(?:-{2,80}+.{0,40}(?:original|copy of|returned|unsent|headers? of|below this line|message "
    r"follows|included)|(?:the )?original message (?:follows|headers?)|------ ?this is a copy"
    r"|-+ ?original message ?-+|-+ ?forwarded message|--- ?below this line|unsent message follows"
    r"|the header of the original message|original message header|message headers? follow"
    r"|\*\*\* ?original message|(?:return-path|received|x-original-to|delivered-to|dkim-signature):[ \t]?(?=\S))",
    re.I,
)
# The same, without re.I, for an ASCII text lower-cased first (the pattern is lower case): a case-blind
# comparison costs the engine a call per character, on every line the notice has.
_CUT_LOWER = re.compile(_CUT.pattern)
# Searched in "\n" + the notice: a line end as its first character lets the engine skip from one line to the
# next instead of trying the pattern at every character (a match never runs past its own line).
_LIST_LINE = re.compile(
    r"\n[ \t]*(?:rcpt to:|to:|recipient:|address:|addressee:|original-recipient:|final-recipient:|"
    r"failed recipient:|)[ \t]*<?([^<>\s\"'(),;:]+@[^<>\s\"'(),;:]+?)>?[ \t]*(?::|\.\.\.|;|,| on |\(|$)",
    re.I | re.M,
)


def is_bounce(from_value: str, subject: str, notice: str, headerless: bool = False) -> bool:
    """Whether a message without a delivery-status part is still a delivery failure notice. A text with
    no header block at all (a notice forwarded or pasted without its headers) is judged by its words."""
    if headerless:
        return bool(_BOUNCE_BODY.search(notice[:6000].lower())) and not prose_only(notice)
    from_hit = bool(_BOUNCE_FROM.search(from_value))
    subject_hit = bool(_BOUNCE_SUBJECT.search(subject))
    if from_hit and (subject_hit or not subject):
        return True
    if not (from_hit or subject_hit):
        return False
    return bool(_BOUNCE_BODY.search(notice[:6000].lower()))


# Words of the bounce vocabulary that a person's sentence uses too ("a ticket submitted by an unknown user",
# "the intended recipient", "the payment was deferred"): in a text with no header block they tell a notice only
# beside another delivery phrase, an address or a reply code.
_PROSE_WORDS = frozenset(
    ("user unknown", "unknown user", "unknown recipient", "intended recipient", "deferred", "message was not",
     "encountered an error", "not delivered to", "has been postponed")
)  # fmt: skip


def prose_only(text: str) -> bool:
    """A text without its header block whose delivery words are all ones a person also writes
    (``_PROSE_WORDS``), and which names no address and quotes no reply code: a person's sentence, no notice."""
    head = text[:6000].lower()
    found = [m.group(0) for m in _BOUNCE_BODY.finditer(head)]
    if not found or any(word not in _PROSE_WORDS for word in found) or "@" in head:
        return False
    return not any(status_and_code(head))


def retrying(notice: str) -> bool:
    """The notice says its relay will try again: a delay, even where the reply it quotes was a 5xx."""
    head = notice[:3000].lower()
    return holds_any(head, _RETRY_KEYS) and bool(_RETRYING.search(head))


# A "delayed" notice whose text says the message's time ran out: nothing will be retried (OpenSMTPD's expiry
# notice is a "delayed" DSN, status 4.4.7, "Envelope expired"); RFC 3464 2.3.3 calls that "failed".
RAN_OUT = re.compile(r"\b(?:envelope|message|delivery time) (?:has )?expired\b")


def is_delay(subject: str, notice: str) -> bool:
    """A delay notice by its subject or words; one whose text says the message's time ran out is final
    (OpenSMTPD's expiry notice, "Envelope expired" under a "delayed" subject, read without its DSN part)."""
    head = notice[:3000].lower()
    if "expired" in head and RAN_OUT.search(head):
        return False
    if _DELAY_TEXT.search(subject.lower()):
        return True
    return bool(_DELAY_TEXT.search(head)) and not _GIVEN_UP.search(subject) and not _FINAL_NOTICE.search(head)


def notice_text(text: str) -> tuple[str, str]:
    """Split plain-text bounce text into (notice, quoted original)."""
    head = text[:50_000]
    if head.isascii():  # lower-casing keeps every position
        matches = _CUT_LOWER.finditer(head.lower())
    else:
        matches = _CUT.finditer(text, 0, 50_000)
    for match in matches:
        at = match.start() + 1
        if text[:at].strip():
            return text[:at], text[at:]
    return text, ""


_MAIL_SYSTEM = re.compile(r"mailer[- ]?daemon|post_?master|mail ?delivery ?(?:system|subsystem)", re.I)


def from_mail_system(from_value: str) -> bool:
    """The From header (name or address) is the mail system's own: MAILER-DAEMON, postmaster."""
    return bool(_MAIL_SYSTEM.search(from_value))


def says_undelivered(subject: str, text: str) -> bool:
    """The subject or the text uses a bounce notice's words ("undeliverable", "user unknown", "không gửi
    được"), wherever they stand. "intended recipient" alone is a signature's disclaimer, not a notice."""
    if _BOUNCE_SUBJECT.search(subject):
        return True
    return any(m.group(0) != "intended recipient" for m in _BOUNCE_BODY.finditer(text[:6000].lower()))


# A return path's local part: "bounce", "bounces", a VERP's "bounces+tag=..", "bounce-123-..": the word
# alone or before a separator or a digit. A mailbox whose name merely starts with the word ("bouncedemail",
# "bouncer") is a person's or a test's, and may be the one that failed.
_BOUNCE_LOCAL = re.compile(r"bounces?(?:$|[-+_.=\d])")


def is_system_address(address: str) -> bool:
    """An address no person reads mail from: MAILER-DAEMON, postmaster, root, noreply, bounce*, a list
    manager's, a pipe."""
    local = address.lower().partition("@")[0]
    return local in _SENDER_LOCALS or bool(_BOUNCE_LOCAL.match(local)) or is_mta_address(address)


def is_mta_address(address: str) -> bool:
    """An address of the mail system itself, never a failed recipient: MAILER-DAEMON, a list manager's
    ``*-request`` / ``owner-*``, or a pipe to a program. (postmaster@ is skipped while any other address
    is listed: a notice may report a failure for a domain's postmaster itself.)"""
    local = address.lower().partition("@")[0]
    return (
        local.startswith(("|", '"|', "mailer-daemon", "mailerdaemon", "owner-"))
        or local == "mail-daemon"
        or local.endswith("-request")
    )


# Exim's notice to someone other than the sender (an SRS or errors_to address): "A message sent by <x> could not
# be delivered": x sent the mail and did not fail.
_SENT_BY = re.compile(r"\bsent by[ \t]*:?[ \t]*(?:\n[ \t]*){0,3}<([^\s<>@]+@[^\s<>@]+)>", re.I)
# A header whose whole value is addresses (X-Failed-Recipients): any local@dotted.domain is one, even where
# free text would want a longer top-level domain (anonymised "a@b.c").
_HEADER_ADDRESS = re.compile(r"[^\s<>,;\"@()]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


# The "Sender Address:" line of Exchange's and Microsoft 365's message details, beside "Recipient Address:"
_SENDER_LINE = re.compile(
    r"^[ \t]*[Ss]ender [Aa]ddress:[ \t]*<?([^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+?)>?[ \t]*$", re.M
)


def senders_named(notice: str) -> list[str]:
    """Addresses the notice names as the mail's sender: its opening's "A message sent by <x>", a message
    details block's "Sender Address: x"."""
    head = notice[:1500]
    named = [m.group(1) for m in _SENT_BY.finditer(head)] if "sent by" in head.lower() else []
    if "ender Address:" in notice or "ender address:" in notice:
        named.extend(m.group(1) for m in _SENDER_LINE.finditer(notice))
    return named


def header_addresses(value: str) -> list[str]:
    """The addresses of a header that holds only addresses, read without free text's checks."""
    return _HEADER_ADDRESS.findall(value)


def _skip(address: str, exclude: set[str], strict: bool) -> bool:
    lowered = address.lower()
    local = lowered.partition("@")[0]
    if lowered in exclude or _BOUNCE_LOCAL.match(local) or is_mta_address(lowered):
        return True
    return strict and local in _SENDER_LOCALS


# "did not reach the following recipient(s):", "the following addresses had permanent fatal errors":
# what follows lists the failed addresses; what precedes may quote the original's To.
_FOLLOWING = re.compile(
    r"following (?:recipients?|addresses|address\(es\)|recipient\(s\)|destinations?)", re.I
)
# What follows a lead-in's key word when the list follows on lines of its own: "the following recipients",
# "not delivered to the following:", "could not be delivered to:". Keys are found by str.find (a scan of the
# whole notice by one case-blind alternation tried nearly every position).
_AFTER_FOLLOWING = re.compile(
    r" (?:recipients?|addresses|address\(es\)|recipient\(s\)|destinations?)|(?=[ \t]*:)", re.I
)
_AFTER_DELIVERED = re.compile(r"[ \t]*(?=:)")
_NEGATIONS = ("not ", "n't ", "not be ", "n't be ")
# The lead-in's own sentence ends with a colon at the end of its line (it may wrap onto two more lines that
# name no address); the list is the lines after it.
_LEAD_IN_END = re.compile(r"[^\n]{0,300}?(?:\n(?![ \t]*\n)[^\n@]{0,300}?){0,2}:[ \t]*\n(?:[ \t]*\n){0,2}")
# An entry of such a list: an address, or a bare local part (an old MTA's, a screen name) alone on its line
# or followed by its reason in a column of its own (a tab, two spaces).
_ENTRY = re.compile(r"[ \t]*<?([^\s<>\"'(),;:]+)>?(?:[ \t]*$|\t|  )")
_BARE_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+\-]{0,63}")
# Words that put an address in a sentence addressed to the reader or explaining what to do, not in the list
# of failures: a greeting ("Dear x,", "Sorry x."), an example ("e.g.", "such as"), help ("please contact").
_PROSE_CUE = re.compile(
    r"\be\.g\.|\bi\.e\.|\b(?:for (?:example|instance)|such as|try(?:ing)? (?:sending|e-?mailing|mailing|writing)"
    r"|contact(?:ing)?|assistance|finger|formerly|reachable)\b",
    re.I,
)
_GREETING = re.compile(r"^[ \t>]*(?:dear|hello|hi|sorry|greetings),?[ \t]+<?$", re.I)
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)[.!?][ \t\n]+(?=\S)|\n[ \t]*\n")
# Two-letter country domains that register names one level down (example.co.uk, example.ne.jp).
_SECOND_LEVEL = frozenset({"co", "com", "ne", "or", "ac", "ad", "go", "net", "org", "edu", "gov", "gr", "lg"})
_X400_SMTP = re.compile(r"^smtp=", re.I)  # old Exchange: "c=US;...;dda:SMTP=user@example.com;"


def organisational_domain(host: str) -> str:
    """The domain a mail host belongs to, roughly (mx2.its.example.edu -> example.edu): where a mailbox of the
    reporting system lives, as there is no public-suffix list here."""
    labels = host.lower().strip(".").split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


# Where the notice itself says whose mail failed -- Exchange's and Microsoft 365's "Your message to x couldn't
# be delivered." and the "Recipient Address: x" line of their message details -- that address is the failed
# recipient whatever its local part (a mailbox named "bounce" is still a mailbox, not our return path), and
# the "Sender Address:" beside it is not.
# Case-sensitive, so that the engine skips to the literal that opens each (a case-blind pattern is tried at
# every character of the notice).
_SAID_TO = re.compile(
    r"our message to[ \t]+<?([^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+?)>?[ \t]+"
    r"(?:couldn't|could not|can't|cannot|wasn't|was not)[ \t]+be[ \t]+delivered"
)
_RECIPIENT_LINE = re.compile(
    r"^[ \t]*[Rr]ecipient [Aa]ddress:[ \t]*<?([^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+?)>?[ \t]*$", re.M
)


def said_recipients(notice: str, exclude: set[str]) -> list[str]:
    """Addresses the notice names in so many words as the one the message could not be delivered to."""
    found: list[str] = []
    if "our message to " in notice:
        found.extend(m.group(1) for m in _SAID_TO.finditer(notice))
    if "ecipient Address:" in notice or "ecipient address:" in notice:
        found.extend(m.group(1) for m in _RECIPIENT_LINE.finditer(notice))
    return [a for a in dict.fromkeys(found) if ADDRESS_RE.fullmatch(a) and a.lower() not in exclude]


def candidates(
    notice: str, exclude: set[str], loose_exclude: frozenset[str] = frozenset(), domain: str = ""
) -> list[str]:
    """Addresses the notice lists as failed, in order: first those set on a line of their own (the shape
    almost every MTA uses), then any other address mentioned (not ``loose_exclude``, not postmaster, not in
    a greeting or an explanation). Where the notice says "the following recipients" or "could not be
    delivered to:", the list after it is read first; a bare local part there is a mailbox at ``domain``
    (the reporting system's). Where that reading misses an address the notice says in so many words it
    could not deliver to, that address alone is the answer."""
    listed = _listed(notice, exclude, loose_exclude, domain)
    said = said_recipients(notice, exclude)
    if said and not {a.lower() for a in said} <= {a.lower() for a in listed}:
        return said
    return listed


def _listed(notice: str, exclude: set[str], loose_exclude: frozenset[str], domain: str) -> list[str]:
    ends = _lead_ins(notice)
    if ends:
        entries = [e for end in ends for e in _entries_after(notice, end, domain)]
        kept = [a for a in dict.fromkeys(entries) if not _skip(a, exclude, False)]
        if kept:
            return [a for a in kept if a.lower() not in loose_exclude] or kept
    marker = _FOLLOWING.search(notice) if "ollowing" in notice else None
    if marker is not None and marker.start() > 0:
        after = _candidates(notice[marker.end() :], exclude, loose_exclude)
        if after:
            return after
    return _candidates(notice, exclude, loose_exclude)


def _lead_ins(notice: str) -> list[int]:
    """Where each lead-in to a list of failed recipients ends, in order."""
    ends = []
    at = notice.find("ollowing", 2)
    while at >= 0:
        after = _AFTER_FOLLOWING.match(notice, at + 8)
        if after:
            ends.append(after.end())
        at = notice.find("ollowing", at + 8)
    at = notice.find("elivered to", 2)
    while at >= 0:
        before = notice[max(0, at - 8) : at - 1].lower()
        after = _AFTER_DELIVERED.match(notice, at + 11)
        if after and before.endswith(_NEGATIONS):
            ends.append(after.end())
        at = notice.find("elivered to", at + 11)
    return sorted(ends)


def _entries_after(notice: str, start: int, domain: str) -> list[str]:
    """The list that follows a lead-in ending with a colon at the end of its line: its lines up to the first
    that is not an entry (an address first on its line, or a bare local part in the column form)."""
    end = _LEAD_IN_END.match(notice, start)
    if end is None:
        return []
    out: list[str] = []
    for line in notice[end.end() : end.end() + 2000].split("\n")[:20]:
        first = line.split(None, 1)[0].strip("<>.,;:") if line.strip() else ""
        if ADDRESS_RE.fullmatch(first):
            out.append(first)
            continue
        entry = _ENTRY.match(line)
        token = entry.group(1) if entry else ""
        if not (domain and _BARE_LOCAL.fullmatch(token)):
            break
        out.append(f"{token}@{domain}")
    return out


def _has_prose_key(lowered: str) -> bool:
    """A word every text _PROSE_CUE finds holds (lower-cased): an ASCII window without one needs no run of
    that regex, which tries its pattern at every character."""
    return (
        "for " in lowered or "try" in lowered or "contact" in lowered or "e.g." in lowered or "i.e." in lowered
        or "such as" in lowered or "assistance" in lowered or "finger" in lowered or "formerly" in lowered
        or "reachable" in lowered
    )  # fmt: skip


def in_prose(text: str, position: int) -> bool:
    """The address at ``position`` stands in a sentence that greets the reader or explains what to do
    ("Dear x,", "e.g. if x fails, try y", "please contact x"), not in the list of failures."""
    window = text[max(0, position - 160) : position]
    if _GREETING.match(window.rpartition("\n")[2]):
        return True
    if window.isascii() and not _has_prose_key(window.lower()):
        return False
    cue = _PROSE_CUE.search(window)
    if cue is None:
        return False
    start = max((m.end() for m in _SENTENCE_END.finditer(window, cue.start())), default=0)
    return start <= cue.start() or bool(_PROSE_CUE.search(window, start))


def _candidates(notice: str, exclude: set[str], loose_exclude: frozenset[str]) -> list[str]:
    listed: list[str] = []
    seen: set[str] = set()
    ours: list[str] = []  # the bounce's own To: is the sender we are; keep it only as a last resort
    for match in _LIST_LINE.finditer("\n" + notice):
        addr = match.group(1).strip(".")
        if ADDRESS_RE.fullmatch(addr) and not _skip(addr, exclude, False) and addr.lower() not in seen:
            seen.add(addr.lower())
            (ours if addr.lower() in loose_exclude else listed).append(addr)
    if listed:
        return listed
    strict = exclude | loose_exclude
    for position, found in find_addresses(notice):
        addr = _X400_SMTP.sub("", found.strip(".'`"))  # quoted 'like this' in running text
        before = notice[max(0, position - 60) : position]
        if _URLISH.search(before) or _skip(addr, strict, True) or addr.lower() in seen:
            continue
        if in_prose(notice, position):
            continue
        seen.add(addr.lower())
        listed.append(addr)
    if not listed and ours:
        return ours
    if not listed:  # the failed address may itself be a role address (postmaster@...)
        for position, found in find_addresses(notice):
            addr = found.strip(".")
            if in_prose(notice, position):
                continue
            if not _skip(addr, strict - loose_exclude, False) and addr.lower() not in seen:
                seen.add(addr.lower())
                listed.append(addr)
    return listed


# A reply code or status code, not inside a longer number. The look-behind follows the first digit (it looks
# one character further back) so that the pattern starts with a character set the engine skips to.
_REPLY_HINT = re.compile(r"[245](?<![\d.][245])(?:\d\d(?![\d.])|\.\d{1,3}\.\d{1,3}(?![\d.]))")
_OTHER_ADDRESS_LINE = re.compile(
    r"\n[ \t]*(?:[245]\d\d[ \-])?<?[^\s<>@]+@[^\s<>]+>?(?:[ \t:]|\.\.\.|$)", re.M
)


_NEXT_ENTRY = re.compile(r"\n(?:[245]\d\d[ \-]|while talking to |>>> |<<< )", re.I)


def _indent(text: str, at: int) -> int:
    """How many blanks open the line that starts at ``at``."""
    return len(text[at : at + 40]) - len(text[at : at + 40].lstrip(" \t"))


def diagnostic_for(notice: str, address: str) -> str:
    """The reply text that belongs to ``address``: from its first mention to the next blank line or the
    next line that starts with another address; when that says no reply code (the address alone, or "there
    was an error delivering your mail to ..."), the next paragraphs are read too."""
    lowered = notice.lower()
    at = lowered.find(address.lower())
    if at < 0:
        return ""
    start = lowered.rfind("\n", 0, at) + 1
    end = lowered.find("\n\n", at)
    stop = end if end >= 0 else min(len(notice), at + 600)
    line_end = notice.find("\n", at)
    if 0 <= line_end < stop:
        other = _OTHER_ADDRESS_LINE.search(notice, line_end, stop)
        # a line indented deeper than the entry's own carries on its reply, whatever address it opens with
        # (Postfix wraps "said: 554 5.7.1" onto "    <sender>: Sender address rejected: ..."): not another entry
        depth = _indent(notice, start)
        while other and _indent(notice, other.start() + 1) > depth:
            other = _OTHER_ADDRESS_LINE.search(notice, other.end() - 1, stop)
        if other and address.lower() not in other.group(0).lower():
            stop = other.start()
        if _REPLY_HINT.search(notice, start, line_end):
            # a transcript line "554 <addr>... why" is whole: the next reply line is another entry
            entry = _NEXT_ENTRY.search(notice, line_end, stop)
            if entry:
                stop = end = entry.start()
            previous = notice.rfind("\n", 0, max(0, start - 1)) + 1
            if notice.startswith("<<< ", previous):  # the remote reply this entry reports
                start = previous
    block = notice[start:stop]
    for _ in range(3):
        if _REPLY_HINT.search(block) or end < 0:
            break
        nxt = notice.find("\n\n", end + 2)
        paragraph = notice[end + 2 : nxt if nxt >= 0 else end + 600]
        if (
            not paragraph.strip()
            or HEADER_START.match(paragraph)
            or _CUT.match("\n" + paragraph)
            or _OTHER_ADDRESS_LINE.match("\n" + paragraph)
        ):
            break
        other = _OTHER_ADDRESS_LINE.search("\n" + paragraph) if "@" in paragraph else None
        if other and address.lower() not in other.group(0).lower():
            # a heading then another address's entry ("----- these addresses failed -----"): that entry's
            # reply is not this address's; what comes before it may still be ours
            block = block + "\n" + paragraph[: max(0, other.start() - 1)]
            break
        block = block + "\n" + paragraph
        end = nxt
        if nxt < 0:
            break
    return " ".join(block.split())[:1000]


# A multi-line SMTP reply's first line ("550-5.7.1 ... this message is"): "-" after the code says more lines
# follow. Its later lines, in a transcript, start with the same code (and may repeat the status).
_CONTINUED_REPLY = re.compile(r"([245]\d\d)-")
_REPLY_PREFIX = re.compile(r"[ \t]*(?:<<<[ \t]*)?([245]\d\d)([ -])(?:[245]\.\d{1,3}\.\d{1,3}[ \t]+)?")


def whole_reply(notice: str, diagnostic: str) -> str:
    """``diagnostic`` completed from the notice's transcript where a report kept only the first line of a
    multi-line reply (Sendmail's Diagnostic-Code "550-5.7.1 ... this message is", the rest of the sentence
    on the "<<< 550-5.7.1" lines after it): the reason is often in the lines the report left out."""
    opening = _CONTINUED_REPLY.match(diagnostic)
    if not opening or not notice or f"{opening.group(1)} " in diagnostic[4:]:
        return diagnostic
    code = opening.group(1)
    tail = diagnostic[-40:]  # its end: where the transcript's next line picks up
    at = notice.find(tail)
    while at >= 0:
        parts = [diagnostic]
        for line in notice[notice.find("\n", at) + 1 :].split("\n")[:20]:
            prefix = _REPLY_PREFIX.match(line)
            if not prefix or prefix.group(1) != code:
                break
            parts.append(line[prefix.end() :].strip())
            if prefix.group(2) == " ":  # the last line of the reply
                break
        if len(parts) > 1:
            return " ".join(parts)
        at = notice.find(tail, at + len(tail))  # a summary line ("(reason: ...)"); the transcript comes later
    return diagnostic


_EXPANDED = re.compile(r">?\s*\(expanded from:?\s*<?([^<>\s()]+@[^<>\s()]+?)>?\)", re.I)


def expanded_from(notice: str, address: str) -> str:
    """The address an alias expanded into ``address`` ("x@y (expanded from: a@b)", Sendmail and Postfix):
    the one we wrote to, so the better one to attribute the bounce by; "" if the notice says none."""
    at = notice.find(address)
    if at < 0:
        return ""
    match = _EXPANDED.match(notice, at + len(address), at + len(address) + 300)
    return match.group(1) if match else ""


def status_and_code(text: str) -> tuple[str, str]:
    status = replies.find_status(text)
    code = replies.find_reply_code(text)
    if not status and code:
        status = f"{code[0]}.0.0"
    return status, code


_REPLY_OPENING = re.compile(r"(?<![\w.])[245]\d\d[ -]")


def command_for(notice: str, address: str, diagnostic: str = "") -> str:
    """The SMTP command whose reply failed this recipient: said with the reply ("in reply to end of DATA
    command", "after RCPT TO"), in a transcript line (``>>> DATA``) just before it, or named in the reply."""
    command = replies.smtp_command(diagnostic, words=False) if diagnostic else ""
    if command or not notice or not address:
        return command or (replies.smtp_command(diagnostic) if diagnostic else "")
    lowered = notice.lower()
    target = address.lower()
    pos = lowered.find(target)
    while pos >= 0:
        end = lowered.find("\n\n", pos)
        after = notice[pos : end if 0 <= end < pos + 800 else pos + 800]
        command = replies.smtp_command(after, words=False)
        if command:
            return command
        before = notice[max(0, pos - 300) : pos].split("\n")[-4:]
        for line in reversed(before):
            if line.lstrip().startswith(">>>"):
                return replies.smtp_command(line)
        pos = lowered.find(target, pos + len(target))
    if diagnostic and "\n<<< " in notice:
        # a transcript that shows the reply after the command it answered, without the recipient's address
        # (Sendmail: ">>> MAIL From:<sender>" then "<<< 550 5.7.1 <sender>... Access denied")
        opening = _REPLY_OPENING.search(diagnostic)  # the reply itself, not the address line before it
        reply = diagnostic[opening.start() :].rstrip(") ")[:60] if opening else diagnostic[:60]
        at = notice.find("<<< " + reply)
        if at > 0:
            for line in reversed(notice[max(0, at - 400) : at].split("\n")[-4:]):
                if line.lstrip().startswith(">>>"):
                    return replies.smtp_command(line)
    return replies.smtp_command(diagnostic) if diagnostic else ""


# Where a plain-text notice names the server that answered, by the words each MTA family uses: Postfix
# "host mx.x[192.0.2.1] said:", "connect to mx.x[192.0.2.1]:25:", "lost connection with mx.x[..]"; Exim
# "host mx.x [192.0.2.1]: 550", 4.97's "host: mx.x (192.0.2.1) reason:"; Exchange "Remote Server at mx.x
# (192.0.2.1) returned" -- a host before a bracketed address, after a cue word; qmail "Connected to
# 192.0.2.1 but sender was rejected"; Sendmail "... while talking to mx.x.:"; Exchange "The following
# organization rejected your message: mx.x.", "mx.x rejected your message to the following email
# addresses:", its administrators' "mx.x #550 5.1.1 ... ##" and Exchange 2003's "<mx.x #5.1.1 smtp;...>".
# The notice is read from its brackets, "#" signs and a few long cue words (C-level finds); only short
# slices are lowered and matched: a regex of all the wordings over the whole notice costs several times more.
_HOST = r"((?:[a-z0-9][a-z0-9\-]{0,62}\.)+[a-z]{2,63}|\d{1,3}(?:\.\d{1,3}){3})"
_HOST_ONLY = re.compile(_HOST + r"\.?")
_BRACKET_IP = re.compile(r"[\[(][0-9A-Fa-f.:]{3,45}[\])]")
_HOST_CUES = ("host", "host:", "connect to", "connection with", "conversation with", "remote server at")
_QMAIL_HOST = re.compile(rf" {_HOST} but\b")
_SENDMAIL_HOST = re.compile(rf" \[?{_HOST}\]?\.?:")  # "while talking to mx.x.:", "... to [192.0.2.1]:"
_REJECTED_BY = re.compile(rf":[ \t\n]+{_HOST}")


def _host_first(text: str, pos: int) -> str:
    """The host that starts the line (or follows a "<") and ends just before ``pos``."""
    start = max(text.rfind("\n", 0, pos), text.rfind("<", 0, pos)) + 1
    match = _HOST_ONLY.fullmatch(text[start:pos].strip().lower())
    return text[start:pos].strip()[: match.end(1)] if match else ""


def _host_before_bracket(text: str, pos: int) -> str:
    """The host just before a bracketed address at ``pos``, where a cue word comes before it."""
    end = pos - 1 if text[pos - 1 : pos] == " " else pos
    start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end), text.rfind("\t", 0, end)) + 1
    match = _HOST_ONLY.fullmatch(text[start:end].lower())
    if match is None:
        return ""
    before = text[max(0, start - 20) : start].lower().rstrip()
    if not before.endswith(_HOST_CUES):
        return ""
    cue = next(c for c in _HOST_CUES if before.endswith(c))
    return "" if before[-len(cue) - 1 : -len(cue)].isalnum() else text[start : start + match.end(1)]


def _hosts(text: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for mark in "[(":
        pos = text.find(mark)
        while pos >= 0:
            if _BRACKET_IP.match(text, pos):
                host = _host_before_bracket(text, pos)
                if host:
                    found.append((pos, host))
            pos = text.find(mark, pos + 1)
    pos = text.find("#")
    while pos >= 0:
        if text[pos - 1 : pos] == " " and text[pos + 1 : pos + 2] in ("2", "4", "5"):
            host = _host_first(text, pos - 1)
            if host:
                found.append((pos, host))
        pos = text.find("#", pos + 1)
    for cue, after in (
        ("onnected to", _QMAIL_HOST),
        ("alking to", _SENDMAIL_HOST),
        ("ejected your message", None),
    ):
        pos = text.find(cue)
        while pos >= 0:
            end = pos + len(cue)
            if after is None:
                match = _REJECTED_BY.match(text[end : end + 120].lower())
                host = (
                    text[end + match.start(1) : end + match.end(1)] if match else _host_first(text, pos - 2)
                )
            else:
                match = after.match(text[end : end + 120].lower())
                host = text[end + match.start(1) : end + match.end(1)] if match else ""
            if host:
                found.append((pos, host))
            pos = text.find(cue, end)
    return [host for _, host in sorted(found)]


def remote_host(diagnostic: str, notice: Callable[[], list[str]]) -> str:
    """The server that refused the recipient, where a plain notice names it: the one host the notice names
    (``notice``: ``named_hosts`` of it, worked out once), where it names several the one in the recipient's
    own entry, else Exchange's generating server (the recipient's own server, which wrote the notice)."""
    hosts = notice()
    if len(hosts) < 2:
        return hosts[0] if hosts else ""
    named = _hosts(diagnostic)
    return named[0] if named else ""


def named_hosts(notice: str, generating: bool = True) -> list[str]:
    """The servers a plain notice names, each once; where it names none, Exchange's generating server
    (unless ``generating`` is false: beside a report, that is as often the sender's own relay)."""
    head = notice[:8000]
    hosts = list({h.lower(): h for h in _hosts(head)}.values())
    if hosts or not generating:
        return hosts
    pos = head.find("enerating server:")
    match = _GENERATING.match(head[pos + 17 : pos + 200].lower()) if pos > 0 else None
    return [head[pos + 17 + match.start(1) : pos + 17 + match.end(1)]] if match else []


_GENERATING = re.compile(rf"[ \t]*{_HOST}")
# The remote server's own reply in an Exchange notice, where the entry for the recipient is the paragraph
# written for users: "Remote Server returned '550 5.1.1 ...'", the administrators' "#550 5.1.1 ... ##"
# line, Exchange 2003's "<mx.x #5.1.1 smtp;550 ...>".
_RETURNED = re.compile(r"remote server (?:at [^\n']{0,120}?)?returned '([^\n]+?)'?[ \t]*$", re.M | re.I)
_ADMIN_LINE = re.compile(r"#([245]\d\d[ \-][^\n]*?)[ \t]*##")
_SMTP_LINE = re.compile(r"<[^\s<>#]+ #\d\.\d{1,3}\.\d{1,3} smtp;([^\n]+?)>?[ \t]*$", re.M | re.I)


def server_line(notice: str, address: str) -> str:
    """The server's reply for ``address`` in an Exchange notice ("" where it gives none): the one after the
    address's last mention (the administrators' part repeats the address), else the notice's first."""
    head = notice[:8000]
    at = max(head.rfind(address), 0) if address else 0
    found = []
    if "eturned '" in head or "ETURNED '" in head:
        found.append(_RETURNED)
    if "##" in head:
        found.append(_ADMIN_LINE)
    if " smtp;" in head or " SMTP;" in head:
        found.append(_SMTP_LINE)
    for start in (at, 0) if at else (0,):
        matches = [m for m in (pattern.search(head, start) for pattern in found) if m]
        if matches:
            first = min(matches, key=lambda m: m.start())
            return " ".join(first.group(1).split())
    return ""
