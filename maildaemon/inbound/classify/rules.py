"""Why a delivery failed: from the D.S.N status code (RFC 3463 and the IANA registry), the SMTP command the
reply answered, the reply code, and the families of reply text mail systems use. Pure and table-driven.

The order of the tests follows the labelling convention of the public bounce corpus (Sisimai's): first the
reasons a status code or a specific phrase settles (mailbox full, too big, suspended, relaying, sender
authentication, unknown user answered to RCPT, filtered after DATA, ...), then vaguer text families, then
the status class, then the reply code, then whether the relay gave up (``expired``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)")
REPLY_CODE_RE = re.compile(r"(?<![\d.\-])([245][0-5]\d)(?:[ \-]|$)")

# Status code -> reason, where the registry's meaning is specific enough to name one. x.0.0 and the
# "other" codes of a class say nothing and are left out; a few detail codes mean something else as a
# transient (4.x.x) failure than as a permanent one.
_STATUS_BOTH: dict[str, str] = {
    "1.6": "hasmoved",
    "1.7": "rejected",
    "1.8": "rejected",
    "1.9": "systemerror",
    "2.2": "mailboxfull",
    "2.3": "exceedlimit",
    "2.4": "filtered",
    "3.1": "systemfull",
    "3.2": "notaccept",
    "3.3": "systemerror",
    "3.5": "systemerror",
    "4.3": "systemerror",
    "5.3": "systemerror",
    "5.5": "systemerror",
    "6.0": "contenterror",
    "6.2": "contenterror",
    "6.5": "contenterror",
    "7.5": "securityerror",
    "7.6": "securityerror",
    "7.7": "securityerror",
    "7.12": "securityerror",
    "7.15": "securityerror",
    "7.16": "mesgtoobig",
    "7.24": "authfailure",
    "7.25": "requireptr",
    "7.26": "authfailure",
}
_STATUS_PERMANENT: dict[str, str] = {
    "1.0": "userunknown",
    "1.1": "userunknown",
    "1.2": "hostunknown",
    "1.3": "userunknown",
    "1.4": "filtered",
    "1.10": "notaccept",
    "2.0": "filtered",
    "2.1": "filtered",
    "3.0": "systemerror",
    "3.4": "mesgtoobig",
    "4.0": "networkerror",
    "4.4": "hostunknown",
    "5.2": "syntaxerror",
    "5.3": "toomanyconn",
    "5.4": "systemerror",
    "5.6": "syntaxerror",
    "6.1": "contenterror",
    "6.3": "contenterror",
    "6.6": "contenterror",
    "6.7": "contenterror",
    "6.8": "contenterror",
    "6.9": "contenterror",
    "7.0": "securityerror",
    "7.1": "securityerror",
    "7.2": "securityerror",
    "7.3": "securityerror",
    "7.4": "securityerror",
    "7.8": "securityerror",
    "7.9": "securityerror",
    "7.10": "securityerror",
    "7.11": "securityerror",
    "7.13": "suspend",
    "7.14": "securityerror",
    "7.17": "hasmoved",
    "7.18": "hasmoved",
    "7.19": "securityerror",
    "7.20": "authfailure",
    "7.21": "authfailure",
    "7.22": "authfailure",
    "7.23": "authfailure",
    "7.27": "notaccept",
    "7.28": "spamdetected",
    "7.29": "authfailure",
    "7.30": "failedstarttls",
}
_STATUS_TRANSIENT: dict[str, str] = {
    "2.1": "blocked",
    "4.1": "expired",
    "4.2": "networkerror",
    "4.4": "networkerror",
    "4.5": "systemfull",
    "4.6": "networkerror",
    "4.7": "expired",
    "4.8": "networkerror",
    "5.3": "systemerror",
    "7.1": "blocked",
    "7.2": "blocked",
}

# Families of reply text (lower-cased), one per reason: the phrases mail systems use for it.
_FAMILIES: dict[str, str] = {
    "mailboxfull": (
        r"mailbox (?:is |was )?full|mailbox.{0,40}(?:exceeded|over).{0,20}(?:limit|quota|size)|mail ?box.{0,20}quota"
        r"|full mailbox|mailfolder is full|over ?quota|quota (?:exceeded|violation|full)|exceeded (?:the )?quota"
        r"|disk.{0,30}quota|account is .{0,30}quota|maildir .{0,20}quota|exceeds? (?:allowed|its) size"
        r"|exceeded storage allocation|would exceed (?:the )?maximum allowed storage|insufficient disk space"
        r"|not (?:sufficient|enough) (?:disk |storage )?space|no space left on device|too many messages on the server"
        r"|too much mail data|space has been used up|boite du destinataire pleine|exceeding receiving limits"
        r"|mailbox size limit|hộp thư (?:đã |bị )?đầy|hộp thư.{0,20}vượt (?:quá )?dung lượng"
    ),
    "mesgtoobig": (
        r"message (?:file |size |length )?(?:is )?too (?:big|large)|message (?:size|length) exceeds"
        r"|max(?:imum)? (?:inbound |incoming )?message size|exceeded (?:the )?max(?:imum)? (?:inbound |incoming )?"
        r"message size|size limit|line limit exceeded|message header size exceeds|taille limite du message"
        r"|thư quá (?:lớn|dung lượng)"
    ),
    "exceedlimit": r"message header size exceeds limit|message too large",
    "suspend": (
        r"suspended|suspend the service|temporar(?:y|ily) locked"
        r"|account is locked|archived recipient|destinataire archivee|tried to reach is (?:disabled|inactive)"
        r"|inactive (?:account|user)|invalid/inactive|deactivated mailbox|user is terminated|mailbox (?:is )?"
        r"(?:disabled|frozen)|mailbox unavailable or access denied|temporarily inactive|disabled or discontinued"
        r"|no longer accepts mail|is disabled|account (?:has been )?disabled"
        r"|bị khóa|tạm khóa|ngừng sử dụng|không còn (?:sử dụng|hoạt động)"
    ),
    "hasmoved": r"has been replaced by|mailbox has moved|address has (?:been )?(?:changed|moved)",
    "norelaying": (
        r"as a relay|insecure mail relay|(?:not (?:permitted|allowed)|unable) to relay|no relaying|relaying mail to "
        r"|relay(?:ing)? (?:access )?(?:denied|not permitted|prohibited)|not a gateway|not an open relay"
        r"|not local host|specified domain is not allowed|in my list of allowed rcpthost|not configured to relay"
        r"|we (?:do not|don't) (?:relay|handle mail for)|when attempting to send to a non-local"
        r"|email address is not verified\."
    ),
    "authfailure": (
        r"spf\.pobox\.com|bad spf record|dmarc polic|required authentication level|inspect your spf"
        r"|sender policy framework|spf\)? ?(?:domain authentication|check:?) ?fail|authentication requirements"
        r"|per it'?s spf record|not pass (?:spf|dkim|dmarc)|(?:spf|dkim|dmarc) (?:validation |check )?fail"
    ),
    "userunknown": (
        r"user ?unknown|unknown (?:user|recipient|mailbox|local[- ]?part|e-?mail address|address)"
        r"|no such (?:user|mailbox|recipient|address|person|local user)|no (?:mailbox|account) (?:by that name"
        r"|found|here|available)|(?:user|recipient|mailbox|address|account)(?: name)? (?:does not|doesn'?t|not) exist"
        r"|(?:user|mailbox|rcpt) .{1,80} does not exist|(?:user|recipient|mailbox) (?:not (?:found|known|active|present|ok)|is not (?:accepted|local))"
        r"|invalid (?:recipient|mailbox|address|user|e-?mail)|not a (?:valid|known) (?:recipient|user|mailbox)"
        r"|is not (?:a known user|a valid mailbox|an active address)|mailbox (?:is )?(?:unavailable|unavaiable"
        r"|not found|invalid|inactive)|address (?:unknown|not present|does not exist|invalid)"
        r"|recipient address rejected: (?:access denied|invalid|unknown user|user ?unknown|user .{1,60} does not)"
        r"|recipient address rejected\.(?:\s*\(in reply to rcpt|\s*$)"
        r"|recipient (?:unknown|not found|refuses to accept)|not a local address|this user doesn'?t have an? "
        r"|bad.{0,20}recipient|non-?existent (?:user|recipient|address)|user .{1,80} was not found|not found in "
        r"|account that you tried to reach does not exist|no existe|utilisateur inconnu|nessun utente"
        r"|destinataire invalide|destination (?:addresses were unknown|server rejected recipients)"
        r"|no one at this address|badrcptto|validrcptto|envelope recipient (?:has been denied|is in)"
        r"|requested action not taken: mailbox unavailable|recipient ?notfound|can't accept user"
        r"|missing home directory|5\.1\.0 address rejected|adresse nicht gefunden|wrong or no longer valid"
        r"|recipients? (?:was|were) undeliverable|#5\.1\.1|email name is not found|unknown virtual user"
        r"|không tồn tại|không có (?:người dùng|hộp thư|tài khoản)"
    ),
    "filtered": (
        r"account is protected by|bounced address|restricted sms e-?mail|is not accepting any mail|message filtered"
        r"|due to user rules|not found recipient account|refuses? to receive|only accepting mail from specific"
        r"|recipient preferences|user not found|user reject|blocked by the recipient|bị từ chối bởi người nhận"
    ),
    "requireptr": (
        r"ptr[- ]record|reverse dns|ip name lookup failed|cannot find your hostname|cannot resolve your address"
        r"|\brdns\b|unresolvable relay host|mismatches client ip|dns lookup failure: .{0,80}try again later"
        r"|unverifyable sending ip|generic dns ptr|reverse (?:lookup|name)"
    ),
    "notcompliantrfc": r"duplicate header|not rfc ?\d* ?compliant|rfcmessagenoncompliant| multiple .{1,40} headers?\b",
    "badreputation": r"reputation|unexpected volume or user complaints",
    "contenterror": (
        r"duplicate header|header size exceeds|8-bit data in message header|mime complexity|too many received"
        r"|invalid mime headers|improperly-formatted binary|unnecessary base64"
    ),
    "rejected": (
        r"sender (?:address )?(?:rejected|verify failed|was rejected|not pre-approved|is spammer|domain is empty"
        r"|is in my black ?list|address has been blacklisted)|invalid sender|domain of sender address"
        r"|bogus mail from|null sender is not allowed|empty envelope senders?|address rejected"
        r"|administrative prohibition|batv|purported responsible address|does not exist e2110|mail from not owned"
        r"|email address is not verified|mx records for |returned mail not accepted|unroutable sender"
        r"|from a different address or alias|not allowed to post to|not a registered gateway user"
        r"|fully qualified email address required|no third-party dsns|from: domain is invalid"
        r"|recursive cname|rule imposed mailbox access|sender isn't on the recipient's list|bouncedeny"
        r"|valid-address-filter|delivery not authorized, message refused|emetteur invalide|envelope blocked"
        r"|invalid domain, see|senderfilterconfig|spam reporting address|syntax error: empty email address"
        r"|does not accept mail from|unsigned dsn|to/from an address that has been blacklisted"
        r"|your email address has been blacklisted|access denied \(in reply to mail from|sender blacklisted"
        r"|without a valid sender domain|sender email address rejected|address.{0,40}expired email address"
    ),
    "hostunknown": (
        r"domain (?:does not exist|is not reachable|must exist|not found|name not found)|no such domain"
        r"|host or domain name not found|host unknown|host unreachable|domain mentioned in email address is unknown"
        r"|name or service not known|unknown (?:host|domain)|account or domain may not exist|unroute?able address"
        r"|553 .{1,80} does not exist|host \S+ not found|tên miền không tồn tại"
    ),
    "spamdetected": (
        r"\bspam(?:\b|-like)(?!haus|cop)|unsolicited|bulk (?:e-?)?mail|bulk\.advertising|content filter"
        r"|message content rejected|mail content denied|unacceptable content|banned content|rejecting mail content"
        r"|reject, id=|uribl|recurrent pattern detection|message filtered|rejected for policy reasons"
        r"|greylisted.{0,40}try again in|mail score \(|mail rejete\. mail rejected\..{0,40}506|sender domain listed at"
        r"|temporarily blocked by our filter|failed several antispam|thư rác"
    ),
    "speeding": r"try again slower|at a rate that prevents|sending (?:too fast|rate)|throttl|rate limit(?:ed)?\b",
    "toomanyconn": (
        r"too many (?:connections|concurrent|smtp sessions|sessions|recipients|errors from your ip)"
        r"|connection (?:rate )?limit|frequency limit|max emails per hour|trop de connexions|numerous attempts to deliver"
    ),
    "blocked": (
        r"blocked using|blacklisted by|spamcop\.net/bl|bad sender ip|banned sending ip|blocked - see|dnsbl"
        r"|client host rejected: (?:abus|may not be mail exchanger|was not authenticated)|confirm this mail server"
        r"|connection (?:dropped|refused by|reset by peer|was dropped)|spamhaus|currently sending spam"
        r"|domain does not exist:|dynamic/zombied|no valid recipients from|not accepting connections"
        r"|bad ip profile|go away|helo command rejected|host network not allowed|dynamic ips?\b"
        r"|invalid ip for sending|in a black ?list|is not allowed to send mail from|no access from mail server"
        r"|no matches to nameserver query|accepting mail from your ip|on our block ?list|smtp server of your isp"
        r"|refused - see http|multi-blacklist|has not passed validation|open proxy|sender ip address rejected"
        r"|forbidden by your ip|closing transmission channel|after initial connection|suspiciously like spammer"
        r"|unexpected volume or user complaints|submit messages to this e-mail system has been rejected"
        r"|spams from your ip|unwanted messages have been sent|was blocked by |not allowed to connect"
        r"|you are sending spam|listed in the rbl|blacklisted\b|requires confirmation|:blocked\)"
        r"|access from ip address .{1,60}blocked|rbl on |mail server at .{1,80} is blocked|mail from .{1,80} refused"
        r"|rejected based on blacklist|listed as abusive|blocked by rbl|your access ip.{1,60}has been rejected"
        r"|abuseat\.org|refused to talk to me: .{0,80}blocked|said: 550 blocked|blocked ip|ip blocked|ip address blocked"
    ),
    "virusdetected": r"virus|malware|malicious|executable attachment",
    "policyviolation": (
        r"illegal attachment|not accepting mail with |members-only list|closed mailing list|denied by policy"
        r"|for policy reasons|due to security policies|header are not accepted|header error|policy violation"
        r"|organizational settings|given low priority|due to local policy|messages with multiple addresses"
        r"|protocol violation|not subscribed to this group|by organization policy|content presents a potential"
        r"|containing images or other attachments|mass mailer|without solving a captcha"
    ),
    "systemerror": (
        r"forwarding loop broken|can't create user output file|could not load drd|internal (?:server )?error"
        r"|interrupted system call|encountered an error while being processed|create a mail loop"
        r"|configuration error|local error in processing|loop was found|loops back to myself|queue file write error"
        r"|no mdb|misconfigured|service currently unavailable|system config error|temporary local problem"
        r"|timeout waiting for input|transaction failed |unable to connect .{0,40}daemon"
    ),
    "networkerror": (
        r"could not connect and send|destination computer could not be found|hop count exceeded"
        r"|host is unreachable|host name lookup failure|host not found, try again|forwarding loop for"
        r"|malformed (?:or unexpected )?name server reply|loop count exceeded|message looping|routing loop"
        r"|no route to host|too many hops|unable to resolve route|unrouteable mail domain"
    ),
    "systemfull": r"mail system full|exceeded storage allocation|insufficient system (?:storage|resources)",
    "notaccept": (
        r"does not accept mail|mail receiving disabled|name server: \.: host not found|no mx record found"
        r"|no route for current request|smtp protocol returned a permanent error|null ?mx|indicated no smtp service"
    ),
    "expired": (
        r"connection timed out|could not find a gateway|delivery attempts will continue|delivery (?:time )?expired"
        r"|failed to deliver to domain |giving up on|failing for a long time|has been delayed|not been collected"
        r"|message expired|message timed out|retry time not reached|server did not respond|in the queue too long"
        r"|after multiple retries|within the allowed queue period|could not be delivered for .{0,20}days"
        r"|retry timeout exceeded|all hosts have been failing|could not deliver for (?:the last|more than)"
        r"|did not accept our requests to connect"
    ),
    "failedstarttls": (
        r"starttls is required|tls required but not supported|must issue a starttls|does not support (?:starttls|tls)"
    ),
    "securityerror": (
        r"account not subscribed to ses|authentication (?:credentials invalid|failure|required|turned on)"
        r"|executable files are not allowed|insecure mail relay|recipient address rejected: access denied"
        r"|you don't authenticate|unauthenticated senders|verification failure|not authorized to send mail"
        r"|authentication failed; server|authentification (?:invalide|requise)|is a dead domain"
        r"|not authorized to perform ses"
    ),
    "mailererror": (
        r"\|\| exit |procmail|maildrop|command failed: |command died with status|command output:|mailer error"
        r"|pipe to \||x-unix; "
    ),
    "vacation": r"out of (?:the )?office|on vacation|auto(?:matic)?[- ]?reply|trả lời tự động",
}

_SPECIAL = set("()[].^$|\\?*+{")


def _branches(pattern: str) -> list[str]:
    """Top-level ``|`` branches of a pattern (tracks escapes, groups and classes; no full parser)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _literal_start(branch: str) -> str:
    """The literal text every match of ``branch`` starts with (a leading ``\\b`` is skipped)."""
    if branch.startswith("\\b"):
        branch = branch[2:]
    run: list[str] = []
    i = 0
    while i < len(branch):
        char = branch[i]
        if char == "\\" and i + 1 < len(branch) and not branch[i + 1].isalnum():
            char, i = branch[i + 1], i + 1
        elif char in _SPECIAL:
            if char in "?*+{" and run:
                run.pop()
            break
        if i + 1 < len(branch) and branch[i + 1] in "?*{":
            break
        run.append(char)
        i += 1
    return "".join(run)


def _close(branch: str) -> int:
    """Index of the parenthesis that closes the group ``branch`` starts with."""
    depth, i = 0, 0
    while i < len(branch):
        if branch[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(branch[i], 0)
        if depth == 0:
            return i
        i += 1
    return len(branch)


def _anchors(branch: str) -> list[str]:
    if branch.startswith("(?<"):  # a lookbehind constrains what precedes, not the match
        return _anchors(branch[_close(branch) + 1 :])
    if branch.startswith("(?:"):
        end = _close(branch)
        if branch[end + 1 : end + 2] in ("?", "*", "{"):
            return [""]
        return [a for inner in _branches(branch[3:end]) for a in _anchors(inner)]
    return [_literal_start(branch)]


def _gate(pattern: str) -> tuple[str, ...] | None:
    """Literals of which one must occur for ``pattern`` to match, or None when some branch has no
    literal start of three characters (then the pattern always runs)."""
    anchors = [a for branch in _branches(pattern) for a in _anchors(branch)]
    if any(len(a) < 3 for a in anchors):
        return None
    return tuple(dict.fromkeys(anchors))


_WORD = re.compile(r"[a-z0-9]+")


def _split_gate(anchors: tuple[str, ...] | None) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """Anchors split into whole first words (a word followed by a non-word character: a set lookup in
    the text's words) and the rest (substring tests)."""
    if anchors is None:
        return None
    words, rest = set(), []
    for anchor in anchors:
        match = _WORD.match(anchor)
        if match is None or match.end() == len(anchor):
            rest.append(anchor)
        else:
            words.add(match.group(0))
    return frozenset(words), tuple(rest)


class _Family:
    """One phrase family, indexed by the literal each branch starts with, so that a text is scanned only
    for the branches whose first word it contains (most texts contain few of a family's anchors)."""

    __slots__ = ("always", "anchors", "branches", "by_word", "by_substring", "words")

    def __init__(self, pattern: str) -> None:
        self.branches: list[str] = []
        self.by_word: dict[str, list[int]] = {}
        self.by_substring: list[tuple[str, int]] = []
        always: list[str] = []
        for branch in _branches(pattern):
            anchors = _anchors(branch)
            gate = _split_gate(tuple(anchors)) if all(len(a) >= 3 for a in anchors) else None
            if gate is None:
                always.append(branch)
                continue
            index = len(self.branches)
            self.branches.append(branch)
            for word in gate[0]:
                self.by_word.setdefault(word, []).append(index)
            self.by_substring.extend((anchor, index) for anchor in gate[1])
        self.words = frozenset(self.by_word)
        self.always = re.compile("|".join(always)) if always else None
        # all substring anchors in one scan: a text with none of them (and none of the words) is out
        subs = sorted({anchor for anchor, _ in self.by_substring}, key=len, reverse=True)
        self.anchors = re.compile("|".join(map(re.escape, subs))) if subs else None


_FAMILY = {reason: _Family(pattern) for reason, pattern in _FAMILIES.items()}
_SUBSET_CACHE: dict[tuple[str, tuple[int, ...]], re.Pattern[str]] = {}


def _subset(reason: str, chosen: tuple[int, ...]) -> re.Pattern[str]:
    """The regex of some of a family's branches, compiled once per combination seen."""
    key = (reason, chosen)
    pattern = _SUBSET_CACHE.get(key)
    if pattern is None:
        if len(_SUBSET_CACHE) > 4096:
            _SUBSET_CACHE.clear()
        branches = _FAMILY[reason].branches
        pattern = _SUBSET_CACHE[key] = re.compile("|".join(branches[i] for i in chosen))
    return pattern


# Phrases whose meaning no status code or SMTP command changes: Exchange / Office 365 directory misses,
# and Vietnamese notices that say outright the address does not exist.
_DECISIVE = (
    (
        "userunknown",
        re.compile(
            r"resolver\.adr\.recipient ?notfound|recipient not found by smtp address lookup"
            r"|returned unknown recipient or mailbox unavailable|recipient address rejected: access denied"
            r"|(?:địa chỉ|người nhận|hộp thư|tài khoản)[^.\n]{0,40}không tồn tại"
        ),
    ),
)

_DECISIVE_KEYS = ("notfound", "address lookup", "mailbox unavailable", "access denied", "không tồn tại")

_NOT_REJECTED = re.compile(r"recipient address rejected|sender ip address rejected|5\.1\.0 address rejected")


def matches(reason: str, lowered: str, words: frozenset[str] | None = None) -> bool:
    """Whether the lower-cased reply text belongs to the phrase family of ``reason``; ``words`` (the
    text's words, when known) lets most branches be ruled out without a scan."""
    family = _FAMILY.get(reason)
    if family is None or not lowered:
        return False
    if reason == "rejected" and _NOT_REJECTED.search(lowered):
        return False
    if family.always is not None and family.always.search(lowered):
        return True
    if words is None:
        words = frozenset(_WORD.findall(lowered))
    chosen = [i for word in family.words.intersection(words) for i in family.by_word[word]]
    if family.by_substring:
        chosen.extend(index for anchor, index in family.by_substring if anchor in lowered)
    if not chosen:
        return False
    return bool(_subset(reason, tuple(sorted(set(chosen)))).search(lowered))


class _Text:
    """One reply text with each family looked up at most once."""

    __slots__ = ("_seen", "lowered", "words")

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        self.words = frozenset(_WORD.findall(lowered))
        self._seen: dict[str, bool] = {}

    def has(self, reason: str) -> bool:
        hit = self._seen.get(reason)
        if hit is None:
            family = _FAMILY.get(reason)
            if (
                family is not None
                and family.always is None
                and family.words.isdisjoint(self.words)
                and (family.anchors is None or family.anchors.search(self.lowered) is None)
            ):
                hit = False  # none of the family's first words or anchors occurs: no need to look further
            else:
                hit = matches(reason, self.lowered, self.words)
            self._seen[reason] = hit
        return hit


def find_status(text: str) -> str:
    """The first D.S.N status code in a reply text, or ""."""
    match = STATUS_RE.search(text)
    return ".".join(match.groups()) if match else ""


def find_reply_code(text: str) -> str:
    match = REPLY_CODE_RE.search(text)
    return match.group(1) if match else ""


def status_reason(status: str) -> str:
    """What the status code alone names ("" for x.0.0 and other unspecific codes)."""
    if not status:
        return ""
    klass, _, detail = status.partition(".")
    if klass == "5":
        return _STATUS_PERMANENT.get(detail) or _STATUS_BOTH.get(detail, "")
    if klass == "4":
        return _STATUS_TRANSIENT.get(detail) or _STATUS_BOTH.get(detail, "")
    return "delivered" if status == "2.1.5" else ""


# Commands sent before DATA: a rejection there cannot be about the message's content.
BEFORE_DATA = frozenset({"CONN", "EHLO", "HELO", "MAIL", "RCPT"})
# Reasons that a status code (or a vendor table) names but that a text family may still overrule.
RETRIED = frozenset(
    {
        "",
        "undefined",
        "onhold",
        "systemerror",
        "securityerror",
        "expired",
        "networkerror",
        "hostunknown",
        "userunknown",
    }
)
# Second pass, after the specific tests: text families tried in this order.
_SECOND = (
    "mailboxfull",
    "authfailure",
    "badreputation",
    "speeding",
    "spamdetected",
    "virusdetected",
    "policyviolation",
    "norelaying",
    "systemerror",
    "networkerror",
    "suspend",
    "contenterror",
    "systemfull",
    "notaccept",
    "expired",
    "failedstarttls",
    "securityerror",
    "mailererror",
)


class Lazy:
    """A text worked out on first use: finding the SMTP command costs a scan of the notice, and most
    reasons are settled without it."""

    __slots__ = ("_get", "_value")

    def __init__(self, get: str | Callable[[], str]) -> None:
        self._value = get if isinstance(get, str) else None
        self._get = get

    def __call__(self) -> str:
        if self._value is None:
            assert not isinstance(self._get, str)
            self._value = self._get()
        return self._value


def _first_pass(named: str, text: _Text, cmd: Lazy, reply_code: str, has_status: bool, preset: str) -> str:
    """The reasons a status code, a command, a vendor table (``preset``) or a specific phrase settles, in
    order of precedence."""

    def by_name_or_text(reason: str) -> bool:
        return preset == reason or named == reason or text.has(reason)

    if by_name_or_text("mailboxfull"):
        return "mailboxfull"
    if named != "exceedlimit" and by_name_or_text("mesgtoobig"):
        return "mesgtoobig"
    if by_name_or_text("exceedlimit"):
        return "exceedlimit"
    if preset == "suspend" or reply_code == "525" or text.has("suspend"):
        return "suspend"
    if preset == "hasmoved" or text.has("hasmoved"):
        return "hasmoved"
    if preset == "norelaying" or (text.has("norelaying") and cmd() not in ("CONN", "EHLO", "HELO")):
        return "norelaying"
    if by_name_or_text("authfailure"):
        return "authfailure"
    if preset == "userunknown":
        return "userunknown"
    if named == "userunknown":
        others = ("norelaying", "blocked", "mailboxfull", "hasmoved", "rejected", "notaccept")
        if not any(text.has(r) for r in others):
            return "userunknown"
    elif text.has("userunknown") and cmd() == "RCPT":
        return "userunknown"
    if preset == "filtered":
        return "filtered"
    if named == "filtered":
        if text.has("userunknown") or text.has("filtered"):
            return "filtered"
    elif (text.has("filtered") or text.has("userunknown")) and cmd() not in BEFORE_DATA:
        return "filtered"
    if by_name_or_text("requireptr"):
        return "requireptr"
    if preset == "notcompliantrfc" or text.has("notcompliantrfc"):
        return "notcompliantrfc"
    if preset == "badreputation" or text.has("badreputation"):
        return "badreputation"
    spam = has_status and (named == "spamdetected" or (text.has("spamdetected") and cmd() not in BEFORE_DATA))
    if not spam and by_name_or_text("contenterror"):
        return "contenterror"
    if named == "rejected" or preset == "rejected" or ("access denied" in text.lowered and cmd() == "MAIL"):
        return "rejected"
    if text.has("rejected") and (
        cmd() == "MAIL"
        or (cmd() == "DATA" and named != "userunknown")
        or named in ("", "undefined", "onhold", "securityerror", "systemerror")
    ):
        return "rejected"
    if preset == "hostunknown":
        return "hostunknown"
    if named == "hostunknown":
        if not text.has("networkerror"):
            return "hostunknown"
    elif text.has("hostunknown"):
        return "hostunknown"
    if spam or preset == "spamdetected":
        return "spamdetected"
    if by_name_or_text("speeding"):
        return "speeding"
    if by_name_or_text("toomanyconn"):
        return "toomanyconn"
    if by_name_or_text("blocked"):
        return "blocked"
    return ""


def decide(
    status: str,
    text: str,
    action: str = "",
    command: str | Callable[[], str] = "",
    reply_code: str = "",
    diagnostic_type: str = "",
    preset: str = "",
) -> str:
    """The reason for one failed recipient, from its status code, reply text, DSN action, the SMTP command
    the reply answered (RCPT, DATA, ...; or a function that finds it), the reply code, the Diagnostic-Code type (smtp, x-unix, ...) and
    ``preset``, what an MTA's or provider's own table says (see ``vendors``). A preset that names a
    specific reason stands; a vague one (user unknown, expired, ...) yields to the stronger tests."""
    if status.startswith("2."):
        return "delivered"
    if preset and preset not in RETRIED:
        return preset
    lowered = " ".join(text.lower()[:_TEXT_LIMIT].split())  # replies are often folded or padded
    reply_code = reply_code or find_reply_code(lowered)
    if any(key in lowered for key in _DECISIVE_KEYS):
        for decisive, pattern in _DECISIVE:
            if pattern.search(lowered):
                return decisive
    named = status_reason(status)
    kind = diagnostic_type.lower()
    cmd = command if isinstance(command, Lazy) else Lazy(command)
    found = _Text(lowered)
    reason = ""
    if kind in ("", "smtp"):
        reason = _first_pass(named, found, cmd, reply_code, bool(status), preset)
    if not reason and preset and preset not in ("undefined", "onhold"):
        return preset
    if not reason and (named in RETRIED or kind != "smtp"):
        reason = next((r for r in _SECOND if found.has(r)), "") or named
        if not reason:
            reason = _by_class(status, kind, reply_code, action, cmd)
    elif not reason:
        reason = named
    if not reason:
        if action in ("delayed", "expired") or (status.startswith("4") and not lowered):
            return "expired"
        if found.has("vacation"):
            return "vacation"
        reason = "onhold" if _SAYS_SOMETHING.search(_ADDRESSES.sub(" ", lowered)) else "undefined"
    return reason


_ADDRESSES = re.compile(r"\S+@\S+")
_SAYS_SOMETHING = re.compile(r"[^\W\d_]{3}")


_TEXT_LIMIT = 3000  # reply texts are short; a longer text is a whole notice and its start says why


def _by_class(status: str, kind: str, reply_code: str, action: str, cmd: Lazy) -> str:
    head = status[:3]
    if head in ("5.6", "4.6"):
        return "contenterror"
    if head in ("5.7", "4.7"):
        return "securityerror"
    if kind.startswith("x-unix"):
        return "mailererror"
    code = int(reply_code) if reply_code.isdigit() else 0
    if 400 < code < 408 or 500 < code < 508:
        return "syntaxerror"
    if action in ("delayed", "expired"):
        return "expired"
    if cmd() in ("EHLO", "HELO"):
        return "blocked"
    return ""


# ---- the SMTP command a reply answered ----------------------------------------------------------------

_COMMAND_PHRASE = re.compile(
    r"(?:after|in reply to|while sending|did not like our|>>>)\s*(?:the\s+)?(?:end of\s+)?(?:final\s+)?"
    r"(data|rcpt|mail|helo|ehlo|starttls|auth|connect|greeting|banner|initial connection)\b|for (text) command",
    re.I,
)
_COMMAND_WORD = re.compile(
    r"(?<![A-Za-z0-9@.\-])(HELO|EHLO|STARTTLS|AUTH|MAIL FROM|RCPT TO|RCPT|DATA)(?![A-Za-z0-9@\-])"
)
_COMMAND_ORDER = {"CONN": 0, "HELO": 1, "EHLO": 1, "STARTTLS": 2, "AUTH": 3, "MAIL": 4, "RCPT": 5, "DATA": 6}


def smtp_command(text: str, words: bool = True) -> str:
    """The SMTP command a remote reply answered, when the text says so ("in reply to RCPT TO command",
    "after end of data", a ``>>> DATA`` transcript line), else the latest-stage command word it names."""
    found = ""
    lowered = text.lower()
    if any(hint in lowered for hint in ("after", "reply to", ">>>", "sending", "our", "command")):
        for match in _COMMAND_PHRASE.finditer(text):
            found = (match.group(1) or match.group(2)).upper()
    if found:
        if found in ("HELO", "EHLO", "GREETING", "BANNER", "CONNECT", "INITIAL CONNECTION"):
            return "CONN"
        return "DATA" if found == "TEXT" else found
    if not words:
        return ""
    best = ""
    for match in _COMMAND_WORD.finditer(text):
        word = match.group(1).split()[0]
        if _COMMAND_ORDER.get(word, -1) > _COMMAND_ORDER.get(best, -1):
            best = word
    return best
