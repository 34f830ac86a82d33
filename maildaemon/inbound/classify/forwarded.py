"""A notice a person passed on: forwarded inline (Outlook's "Original Message", Gmail's and Thunderbird's
"Forwarded message", Apple Mail's "Begin forwarded message", a Vietnamese client's "Thư gốc" or "Chuyển
tiếp"), or quoted in a reply below "On ... wrote:". The wrapper is taken off and the inner message rebuilt
from the header table the mail client wrote, so the classifier reads it as the mail system sent it. Pure."""

from __future__ import annotations

import re

# The separator line a mail client writes above a forwarded or original message, in the languages our
# senders' clients use; a line of underscores is Outlook's (its header table must follow at once). Each
# pattern starts with a line end: the engine skips from one to the next (a "^" is tried at every character).
_MARKER = re.compile(
    r"\n[ \t>]*(?:(?:[-_=*]{2,}[ \t]*)?(?:original message|forwarded message|begin forwarded message"
    r"|message d'origine|message transféré|ursprüngliche nachricht|weitergeleitete nachricht"
    r"|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato|oorspronkelijk bericht"
    r"|doorgestuurd bericht|thư gốc|thư (?:được |đã )?chuyển tiếp|chuyển tiếp thư)[ \t]*(?:[-_=*]*|:)"
    r"|_{10,})[ \t]*$",
    re.I | re.M,
)
# Where a separator may start (a run of dashes, underscores, "=" or "*", or Apple's words): found case-blind
# alternation-free, so the full pattern above is tried on a few lines only, not on every line of a notice.
_SEPARATOR = re.compile(r"\n[ \t>]*(?:[-_=*]{2}|[Bb]egin [Ff]orwarded)")
_QUOTED_LINE = re.compile(r"\n[ \t]*>")
# "On <date>, <sender> wrote:" (it may wrap onto a second line) and its translations; the quoted notice
# follows with ">" before each line.
_ATTRIBUTION = re.compile(
    r"\n[ \t]*(?:on|le|am|el|il|op|vào|lúc)\b([^\n]{0,200}(?:\n[^\n>]{0,200})?)"
    r"\b(?:wrote|a écrit|schrieb|escribió|ha scritto|schreef|đã viết|viết)[ \t]*:[ \t]*\n(?=[ \t]*>)",
    re.I | re.M,
)
# The header table's field names, as clients localise them, to the field they stand for.
_FIELDS = {
    "from": "from", "từ": "from", "von": "from", "de": "from", "da": "from", "van": "from", "người gửi": "from",
    "to": "to", "đến": "to", "an": "to", "à": "to", "para": "to", "a": "to", "aan": "to", "người nhận": "to",
    "subject": "subject", "chủ đề": "subject", "tiêu đề": "subject", "betreff": "subject", "objet": "subject",
    "asunto": "subject", "oggetto": "subject", "onderwerp": "subject",
    "date": "date", "sent": "date", "gửi": "date", "đã gửi": "date", "ngày": "date", "ngày gửi": "date",
    "datum": "date", "gesendet": "date", "envoyé": "date", "enviado": "date", "fecha": "date", "inviato": "date",
    "cc": "cc", "reply-to": "reply-to",
}  # fmt: skip
_FIELD_LINE = re.compile(r"[ \t>*]*([^\W\d_][^:\n]{0,20}?)[ \t*]*:[ \t*]*([^\n]*)")
_REPLY_PREFIX = re.compile(
    r"^(?:\s*(?:re|fw|fwd|tr|wg|aw|tl|ct|trả lời|chuyển tiếp)\s*(?:\[\d+\])?\s*:)+", re.I
)
_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.M)


def inner_message(text: str, subject: str) -> str:
    """The message a person forwarded or quoted in ``text``, as header fields and body ("" if none):
    the fields from the client's header table (From, To, Subject, Date), the body as it was shown."""
    text = "\n" + text[:50_000]
    marker = next(filter(None, (_MARKER.match(text, at.start()) for at in _SEPARATOR.finditer(text))), None)
    if marker is not None:
        table, body = _header_table(text, marker.end() + 1)
        if table or not marker.group(0).strip().startswith("_"):
            return _rebuilt(table, body)
    attribution = _ATTRIBUTION.search(text) if _QUOTED_LINE.search(text) else None
    if attribution is not None:
        who = " ".join(attribution.group(1).split())
        quoted = _quoted_block(text, attribution.end())
        fields = {"from": who, "subject": _REPLY_PREFIX.sub("", subject).strip()}
        table, body = _header_table(quoted, 0)
        return _rebuilt({**fields, **table}, body)
    return ""


def _header_table(text: str, start: int) -> tuple[dict[str, str], str]:
    """The client's header table from ``start`` (blank lines before it skipped) and the text after it."""
    at = start
    while at < len(text):  # blank lines between the separator and the table
        end = text.find("\n", at)
        if end < 0 or text[at:end].strip(" \t>"):
            break
        at = end + 1
    fields: dict[str, str] = {}
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        match = _FIELD_LINE.fullmatch(text, at, end)
        name = _FIELDS.get(" ".join(match.group(1).lower().split())) if match else None
        if match is None or name is None:
            break
        fields.setdefault(name, match.group(2).strip())
        at = end + 1
    if not fields:
        return {}, text[start:]
    return fields, text[at:]


def _quoted_block(text: str, start: int) -> str:
    """The ">" lines from ``start`` to the first line that is not quoted, one level of quoting removed."""
    lines = []
    for line in text[start:].split("\n"):
        if line.lstrip(" \t").startswith(">"):
            lines.append(line)
        elif line.strip():
            break
        else:
            lines.append("")
    return _QUOTE.sub("", "\n".join(lines))


def _rebuilt(fields: dict[str, str], body: str) -> str:
    head = "".join(
        f"{name}: {fields[name]}\n" for name in ("from", "to", "subject", "date") if fields.get(name)
    )
    return head + "\n" + body.lstrip("\n") if head else body.lstrip("\n")
