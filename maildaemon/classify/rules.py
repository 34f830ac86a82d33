"""Why a delivery failed: from the D.S.N status code (RFC 3463 and its registry) and from the families of
SMTP reply text that mail systems use, pure and table-driven so a new phrase is one line."""

from __future__ import annotations

import re

STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)")
REPLY_CODE_RE = re.compile(r"(?<![\d.\-])([245][0-5]\d)(?:[ \-]|$)")

# Status codes whose meaning is specific enough to decide alone (RFC 3463, IANA enhanced status codes).
_STATUS_REASON: dict[str, str] = {
    "1.1": "userunknown",
    "1.2": "hostunknown",
    "1.3": "userunknown",
    "1.4": "userunknown",
    "1.6": "hasmoved",
    "1.7": "rejected",
    "1.8": "rejected",
    "1.10": "notaccept",
    "2.1": "suspend",
    "2.2": "mailboxfull",
    "2.3": "exceedlimit",
    "2.4": "systemerror",
    "3.1": "systemfull",
    "3.2": "notaccept",
    "3.4": "mesgtoobig",
    "3.5": "systemerror",
    "4.1": "networkerror",
    "4.2": "networkerror",
    "4.3": "systemerror",
    "4.4": "hostunknown",
    "4.6": "networkerror",
    "4.7": "expired",
    "5.0": "syntaxerror",
    "5.1": "syntaxerror",
    "5.2": "syntaxerror",
    "5.4": "syntaxerror",
    "5.5": "syntaxerror",
    "6.0": "contenterror",
    "6.1": "contenterror",
    "6.2": "contenterror",
    "6.3": "contenterror",
    "6.5": "contenterror",
    "7.5": "securityerror",
    "7.6": "securityerror",
    "7.7": "securityerror",
    "7.8": "securityerror",
    "7.9": "policyviolation",
    "7.13": "suspend",
    "7.14": "securityerror",
    "7.17": "suspend",
    "7.18": "suspend",
    "7.20": "authfailure",
    "7.21": "authfailure",
    "7.22": "authfailure",
    "7.23": "authfailure",
    "7.24": "authfailure",
    "7.25": "requireptr",
    "7.26": "authfailure",
    "7.27": "notaccept",
    "7.28": "spamdetected",
    "7.29": "authfailure",
}
# Codes that are decided by status alone even when the text suggests something else.
_STATUS_FIRM = frozenset({"1.6", "1.7", "1.8", "2.3", "3.4", "7.13", "7.25", "7.26", "7.27"})

# Families of reply text, most specific first. Each pattern is matched against lower-cased text.
_TEXT_RULES: tuple[tuple[str, str], ...] = (
    (
        "expired",
        r"all hosts have been failing|retry timeout exceeded|delivery failed \d+ attempts|message expired"
        r"|did not accept our requests to connect|could not be delivered for \d+ days|delivery time expired"
        r"|has been in the queue too long|message timed out|retry time not reached",
    ),
    (
        "notcompliantrfc",
        r"not rfc ?\d* ?compliant|rfc ?5322|rfc ?2822|multiple .{0,30}headers?|duplicate headers?",
    ),
    (
        "norelaying",
        r"relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed))|not permitted to relay|unable to relay"
        r"|relay not permitted|we do not relay|cannot relay|relaying (?:is )?prohibited|no relaying|relay access",
    ),
    (
        "systemfull",
        r"insufficient system (?:resources|storage)|system (?:is )?full|out of disk space|useddiskspace",
    ),
    (
        "networkerror",
        r"name service error|malformed or unexpected name server|connection reset|lost connection",
    ),
    (
        "toomanyconn",
        r"too many (?:connections|concurrent|simultaneous|sessions)|frequency limit|connection (?:limit|rate)",
    ),
    (
        "blocked",
        r"blocked using|blacklist|black list|blocklist|block list|denylist|dnsbl|rbl\b|spamhaus|spamcop"
        r"|sorbs\b|barracudacentral|listed (?:at|on|in) ",
    ),
    (
        "speeding",
        r"too many recipients this hour|sending (?:too fast|rate)|rate limit(?:ed)?|throttl",
    ),
    (
        "rejected",
        r"sender (?:address )?(?:rejected|denied|refused|blocked|verify failed|not (?:allowed|permitted))"
        r"|domain of sender|sender domain|sender was rejected|sender (?:is )?(?:unknown|invalid)"
        r"|(?:from|sender|envelope|return) address (?:is )?(?:rejected|invalid|not|unknown|denied)"
        r"|bad sender|invalid sender|unknown sender|sender not (?:allowed|authorized)|permission to post"
        r"|mail from.{0,40}(?:reject|"
        r"refus|denied|invalid)|purported responsible address|sender address.{0,30}(?:invalid|does not exist)",
    ),
    (
        "authfailure",
        r"spf\b.{0,40}(?:fail|check|reject|not (?:pass|permit|design))|dmarc|dkim.{0,30}(?:fail|invalid|not "
        r"pass)|sender policy framework|authentication (?:checks|required by the domain)|does not pass "
        r"(?:spf|authentication)|5\.7\.(?:23|26|509)|not authenticated by the sending domain"
        r"|unauthenticated email|is not allowed to send from|failed (?:spf|dkim)|-all policy",
    ),
    (
        "requireptr",
        r"reverse (?:dns|lookup|name|address)|ptr\b|rdns|no (?:dns )?ptr|cannot find your hostname"
        r"|ip name lookup failed|hostname (?:does not|doesn't) resolve|no matching a record|client host "
        r"rejected: cannot find|not resolve to your ip|unresolvable (?:address|hostname)|unknown host\b",
    ),
    (
        "hasmoved",
        r"has been moved|has moved|no longer (?:valid|used)?.{0,20}use (?:the )?(?:new )?address|new address",
    ),
    (
        "mesgtoobig",
        r"message (?:size|length|is too) (?:exceeds|large|big)|message too (?:large|big)|too big|size limit"
        r"|exceeds (?:the )?(?:maximum|size)|maximum (?:message )?size|mail size|message file too big"
        r"|message exceeds|size exceeds|messages? larger than",
    ),
    (
        "exceedlimit",
        r"exceeds? (?:the )?(?:recipient|local) (?:limit|quota)|length exceeds administrative limit",
    ),
    (
        "mailboxfull",
        r"mailbox (?:is )?full|mailbox (?:size|storage) limit|quota|over ?quota|mailbox exceeded|insufficient "
        r"(?:disk )?(?:space|storage)|disk full|not enough (?:space|storage)|(?:account|mailbox|inbox|box) "
        r"(?:is )?(?:over|exceeding|at) (?:its )?(?:limit|storage|size)|storage (?:limit|allocation)|is full"
        r"|too many messages in|mailbox has exceeded|full mailbox|mail ?box full|exceeded storage"
        r"|user.{0,20}exceeded|size of (?:the )?mailbox|hộp thư (?:đã )?đầy|hộp thư.{0,20}vượt",
    ),
    (
        "notaccept",
        r"does not accept (?:any )?mail|doesn't accept mail|not accept(?:ing)? (?:any )?mail|null mx"
        r"|accepts no mail|no mail service",
    ),
    (
        "hostunknown",
        r"host (?:or domain name )?(?:unknown|not found)|unknown (?:host|domain)|domain (?:not found|does not "
        r"exist|unknown|name not found|is not found)|name or service not known|no (?:mx|mail exchanger|such "
        r"domain)|host not found|nxdomain|unrouteable domain|unroutable|illegal host|hostname not found"
        r"|name server|dns (?:error|lookup)|could not be resolved|domain doesn't exist|nonexistent domain"
        r"|tên miền không tồn tại",
    ),
    (
        "userunknown",
        r"user ?(?:unknown|not found|doesn't exist|does not exist|not exist)|unknown (?:user|recipient"
        r"|local|address|mailbox)|no such (?:user|mailbox|address|recipient|account|local user)|(?:mailbox|"
        r"recipient|address|account|addressee|user|userid) (?:is )?(?:unknown|not found|unavailable|invalid"
        r"|does not exist|doesn't exist|not (?:exist|known|recognized|listed|valid))|does not exist"
        r"|doesn't exist|invalid (?:final delivery )?(?:recipient|mailbox|address|user)|bad (?:destination )?"
        r"(?:mailbox|recipient|address)|not (?:a valid|listed in|known)|(?:name|recipient) (?:is )?not "
        r"recognized|no mailbox|unrouteable address|recipient address rejected: (?:access denied|user unknown"
        r"|unknown|undeliverable|invalid|no such)|undeliverable address|unknown or illegal|recipientnotfound"
        r"|no such person|nonexistent|non-existent|not our user|mailbox not available|address unknown"
        r"|doesn't have an? .{1,60} account|cannot be found|could not be found|destination address.{0,20}"
        r"(?:unknown|not)|rejecting.{0,10}recipient|is not a known user|has no account|mailbox unavailable"
        r"|check if (?:the )?address is correct|recipient address rejected(?:\.|$)|không tồn tại|không có (?:người dùng|hộp thư|tài khoản)",
    ),
    (
        "suspend",
        r"suspend|disabled|deactivated|inactive|not (?:active|activated)|account (?:is )?(?:locked|expired|"
        r"closed|blocked)|no longer (?:available|in use|active|accepting|receiv|monitored|used|exist)"
        r"|mailbox (?:is )?(?:inactive|locked)|bị khóa|tạm khóa"
        r"|ngừng sử dụng|không còn (?:sử dụng|hoạt động)",
    ),
    (
        "virusdetected",
        r"virus|malware|infected|malicious",
    ),
    (
        "spamdetected",
        r"spam\b|junk mail|unsolicited|bulk mail|content (?:filter|rejected)|message (?:content )?(?:was "
        r")?(?:rejected|blocked) (?:as|due to) (?:spam|content)|scored too high|high probability|"
        r"rejected by (?:the )?anti-?spam|uce\b",
    ),
    (
        "norelaying",
        r"relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed))|not permitted to relay|unable to relay"
        r"|relay not permitted|we do not relay|not our customer|cannot relay|relaying (?:is )?prohibited"
        r"|no relaying|open relay|relay access",
    ),
    (
        "toomanyconn",
        r"too many (?:connections|concurrent|simultaneous|sessions|recipients|messages from|mails)"
        r"|connection (?:limit|rate)|too many errors|(?:rate|connection) limit",
    ),
    (
        "speeding",
        r"rate (?:limit(?:ed)?|exceeded)|sending (?:too fast|rate)|throttl|please try (?:again )?later.{0,20}"
        r"rate|temporarily deferred due to",
    ),
    (
        "badreputation",
        r"reputation|poor sender|ip address has been (?:temporarily )?(?:limited|throttled)|temporarily rate "
        r"limited",
    ),
    (
        "blocked",
        r"blacklist|black list|blocklist|block list|denylist|dnsbl|rbl\b|spamhaus|spamcop|sorbs"
        r"|barracuda|listed (?:at|on|in)|your (?:ip|host|server|network)|(?:ip |host |client |connection )"
        r"(?:address )?(?:is )?(?:blocked|rejected|refused|denied|banned|listed)|access denied"
        r"|blocked (?:by|using|because)|rejected because.{0,20}ip|connection refused|not allowed to (?:connect"
        r"|send)|client host|service unavailable|refused to talk|domain (?:is )?blocked|banned"
        r"|sender ip| ip .{0,30}(?:block|reject|refus|ban)|has been blocked|dynamic ip|residential"
        r"|not accepting (?:mail from|connections)",
    ),
    (
        "expired",
        r"retry time|timed? ?out|too long|delivery time expired|has not been delivered.{0,40}(?:days|hours)"
        r"|could not be delivered (?:for|within)|gave up|giving up|expired|deferred for|delayed|queue"
        r"|not (?:yet )?been delivered|still (?:trying|retrying)|delivery (?:is )?delayed",
    ),
    (
        "networkerror",
        r"network|connection (?:reset|timed out|lost|dropped)|lost connection|connect to .{0,60} failed"
        r"|route|loop|hop count|too many hops|no route|unreachable|could not connect|dns",
    ),
    (
        "filtered",
        r"filter|not authorized to receive|restricted|rejected by (?:the )?recipient|recipient.{0,20}"
        r"(?:refuse|reject|blocked)|denied by policy|delivery not authorized|not allowed|refused by "
        r"(?:the )?recipient|mail receiving disabled|bị từ chối|từ chối",
    ),
    (
        "rejected",
        r"sender (?:address )?(?:rejected|denied|refused|blocked|unknown|verify failed|not allowed)"
        r"|(?:from|sender|envelope) address|domain of sender|sender domain|mail from|return address"
        r"|bad sender|invalid sender|sender.{0,20}(?:reject|refus|denied|blocked)|rejected",
    ),
    (
        "policyviolation",
        r"polic(?:y|ies)|prohibited|not allowed|forbidden|attachment|encrypted|unacceptable",
    ),
    (
        "securityerror",
        r"securit|certificate|tls|ssl|authenticat|encrypt|not authorized|unauthori[sz]ed|authorization"
        r"|permission denied|password",
    ),
    (
        "notcompliantrfc",
        r"rfc ?\d{3,4}|rfc[- ]?(?:compliant|complian)|duplicate header|malformed|multiple (?:from|to|subject"
        r"|date)|not compliant",
    ),
    (
        "systemfull",
        r"system (?:is )?full|disk (?:is )?full|out of (?:disk )?space|insufficient system storage",
    ),
    (
        "mailererror",
        r"mailer error|program|pipe|command (?:died|failed|output)|exit (?:status|code)|procmail|x-unix"
        r"|delivery (?:program|agent)|local delivery failed",
    ),
    (
        "systemerror",
        r"system error|internal (?:server )?error|server error|temporary (?:local )?problem|configuration"
        r"|misconfig|local error|i/o error|unexpected|resources|try again later|mail system error"
        r"|too many hops|loop",
    ),
    (
        "contenterror",
        r"content|mime|encoding|8bit|8-bit|header (?:too|line)|invalid character|line (?:too )?long",
    ),
    (
        "syntaxerror",
        r"syntax|command unrecognized|unrecognized command|bad sequence|not implemented|invalid command"
        r"|parameter",
    ),
    (
        "failedstarttls",
        r"starttls|must issue a starttls",
    ),
)

_TEXT_LIMIT = 3000  # reply texts are short; a longer text is a whole notice and its start says why

_QUANTIFIERS = "?*+{"
_SPECIAL = "()[].^$|\\" + _QUANTIFIERS


def _alternatives(pattern: str) -> list[str]:
    """Top-level ``|`` branches of a pattern (no parser: tracks escapes, groups and classes)."""
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
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _anchor(branch: str) -> str:
    """The literal text every match of ``branch`` starts with ("" when there is none worth using)."""
    run = []
    i = 0
    while i < len(branch):
        char = branch[i]
        if char == "\\" and i + 1 < len(branch) and not branch[i + 1].isalnum():
            run.append(branch[i + 1])
            i += 2
            continue
        if char in _SPECIAL:
            if char in _QUANTIFIERS and run:
                run.pop()  # the quantifier makes the last character optional or repeated
            break
        run.append(char)
        i += 1
    return "".join(run)


def _branch_anchors(branch: str) -> list[str]:
    """Anchors of one branch; a leading non-capturing group contributes one anchor per inner branch."""
    if branch.startswith("(?:"):
        depth, i = 0, 0
        while i < len(branch):
            if branch[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(branch[i], 0)
            if depth == 0:
                break
            i += 1
        if i + 1 < len(branch) and branch[i + 1] in _QUANTIFIERS:
            return [""]
        return [_anchor(inner) for inner in _alternatives(branch[3:i])]
    return [_anchor(branch)]


def _gate(pattern: str) -> tuple[str, ...] | None:
    """Literals of which at least one must occur for ``pattern`` to match; None when some branch has no
    literal start of three characters or more (the pattern then always runs)."""
    anchors: list[str] = []
    for branch in _alternatives(pattern):
        for anchor in _branch_anchors(branch):
            if len(anchor) < 3:
                return None
            anchors.append(anchor)
    return tuple(dict.fromkeys(anchors))


_COMPILED = tuple((reason, re.compile(pattern), _gate(pattern)) for reason, pattern in _TEXT_RULES)

_SOFT_CLASS_REASON = {"4": "expired", "5": "onhold"}


def find_status(text: str) -> str:
    """The first D.S.N status code in a reply text, or ""."""
    match = STATUS_RE.search(text)
    return ".".join(match.groups()) if match else ""


def find_reply_code(text: str) -> str:
    match = REPLY_CODE_RE.search(text)
    return match.group(1) if match else ""


def reason_from_text(text: str) -> str:
    """The first text family the (lower-cased) text belongs to, or ""."""
    text = text[:_TEXT_LIMIT]
    for reason, pattern, gate in _COMPILED:
        if gate is not None and not any(anchor in text for anchor in gate):
            continue
        if pattern.search(text):
            return reason
    return ""


def reason_from_status(status: str) -> str:
    if not status:
        return ""
    _, _, detail = status.partition(".")
    return _STATUS_REASON.get(detail, "")


# Text families too vague to overrule a specific status code.
_WEAK_TEXT = frozenset(
    {
        "filtered",
        "policyviolation",
        "securityerror",
        "systemerror",
        "contenterror",
        "syntaxerror",
        "expired",
        "networkerror",
        "notaccept",
        "mailererror",
        "onhold",
        "undefined",
    }
)


def decide(status: str, text: str, action: str = "") -> str:
    """The reason for one failed recipient: a firm status code wins, then a specific reply-text family, then
    the status code, then a vague text family, then the class (a 4.x.x that was given up on has ``expired``)."""
    lowered = text.lower()
    detail = status.partition(".")[2]
    if detail in _STATUS_FIRM:
        return _STATUS_REASON[detail]
    by_status = _STATUS_REASON.get(detail, "")
    by_text = reason_from_text(lowered) if lowered else ""
    if by_text and (by_text not in _WEAK_TEXT or not by_status):
        reason = by_text
    elif by_status:
        reason = by_status
    elif action == "delayed" or status.startswith("4"):
        reason = "expired"
    else:
        reason = "onhold" if status else "undefined"
    if reason == "hostunknown" and status.startswith("4"):
        return "networkerror"  # a DNS failure that may pass
    return reason


_COMMAND_RE = re.compile(
    r"(?:after|in reply to|while sending|did not like our|>>>)\s*(?:the\s+)?(?:end of\s+)?(?:final\s+)?"
    r"(data|rcpt|mail|helo|ehlo|starttls|auth|connect|greeting|banner)",
    re.I,
)


def smtp_command(text: str) -> str:
    """The SMTP command the remote reply answered, when the notice says so: DATA, RCPT, MAIL, ..."""
    found = ""
    for match in _COMMAND_RE.finditer(text):
        found = match.group(1).upper()
    if found in ("HELO", "EHLO", "GREETING", "BANNER", "CONNECT"):
        return "CONN"
    return found


# Reasons that ``by_command`` may change: only for these is the SMTP command worth finding.
COMMAND_SENSITIVE = frozenset({"userunknown", "hostunknown", "onhold", "undefined", "filtered"})


def by_command(reason: str, command: str, status: str = "") -> str:
    """A recipient "unknown" only after DATA is a content filter pretending; a refusal of MAIL FROM is about
    the sender, not the recipient."""
    if command == "DATA" and reason == "userunknown" and status.partition(".")[2] != "1.1":
        return "filtered"
    if command == "MAIL" and reason in ("userunknown", "hostunknown", "onhold", "undefined", "filtered"):
        return "rejected"
    return reason
