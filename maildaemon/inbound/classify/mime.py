"""A small, forgiving MIME reader for the classifier: headers, parts, decoded text.

``email.parser`` is correct but slow and its ``policy.default`` header objects slower still; bounces need
only a few headers and the text of a few parts, so this reads them directly and never raises on bad input.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from dataclasses import dataclass, field

_MAX_DEPTH = 6
_MAX_PARTS = 200

_HEADER_LINE = re.compile(r"[!-9;-~]+[ \t]*:")
# A line of a header block that is neither a field nor a continuation: searched from one line end to the
# next (a literal first character lets the engine skip the rest of each line).
_NOT_HEADER_LINE = re.compile(r"\n(?![!-9;-~]+[ \t]*:|[ \t])")
_FOLD = re.compile(r"\n[ \t]+")
# The quoted value as runs of plain characters between escapes: a run is one step of the regex engine, an
# alternation tried per character cost several times as much on every boundary parameter.
_PARAM = re.compile(r';\s*([A-Za-z0-9_\-*]+)\s*=\s*("[^"\\]*(?:\\.[^"\\]*)*"|[^;\s]*)')
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_ENCODED_GAP = re.compile(r"(\?=)\s+(=\?)")

_CHARSET_ALIASES = {"uft-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-7": "utf-7", "x-unknown": "latin-1"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes to text with the declared charset when Python knows it, else UTF-8, never raising."""
    name = (charset or "").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if name:
        try:
            codecs.lookup(name)
        except (LookupError, ValueError):  # unknown, or not even text (8-bit junk in the header)
            name = ""
    if not name or name in ("us-ascii", "ascii"):
        name = "utf-8"
    try:
        return data.decode(name, "replace")
    except Exception:  # a codec may still choke on odd state (utf-7, iso-2022-*)
        return data.decode("utf-8", "replace")


def _decode_word(match: re.Match[str]) -> str:
    charset, enc, text = match.group(1), match.group(2).lower(), match.group(3)
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix
    try:
        if enc == "b":
            raw = base64.b64decode(text + "=" * (-len(text) % 4))
        else:
            raw = quopri.decodestring(text.replace("_", " ").encode("ascii", "replace"), header=True)
    except (binascii.Error, ValueError):
        return match.group(0)
    return decode_bytes(raw, charset)


def decode_header(value: str) -> str:
    """RFC 2047 encoded words to text; 8-bit header bytes were already kept as UTF-8 or surrogates."""
    if "=?" not in value:
        return value
    return _ENCODED_WORD.sub(_decode_word, _ENCODED_GAP.sub(r"\1\2", value))


# Field names already seen (a block holds the same few dozen over and over), to the key they are stored
# under, "" for text before a colon that is not a field name.
_FIELD_NAMES: dict[str, str] = {}
_FIELD_NAMES_MAX = 4096
_FOLD_MARK = "\x00"  # stands for a fold while lines are split: never part of a valid name


def _field_name(text: str) -> str:
    name = text.rstrip(" \t")
    # "--" first is a MIME delimiter line whose boundary holds a colon ("--host:queue-id"), never a field
    valid = (
        0 < len(name) <= 76 and " " not in name and name.isascii() and name.isprintable() and name[:2] != "--"
    )
    key = name.lower() if valid else ""
    if len(_FIELD_NAMES) < _FIELD_NAMES_MAX:
        _FIELD_NAMES[text] = key
    return key


def parse_headers(block: str) -> dict[str, list[str]]:
    """Header block (LF line ends) to lower-cased name -> values, unfolded, in order.

    A field is a line ``name: value`` whose name is 1 to 76 printable ASCII characters other than space and
    colon (blanks may precede the colon); lines starting with a blank continue it. Any other line is
    skipped with its continuation lines. Folds are marked in one pass, then each line is one partition and
    a dict look-up of its name: a regex over the block cost several steps per character of every header.
    """
    folded = "\n " in block or "\n\t" in block
    if folded:
        if _FOLD_MARK in block:
            return _parse_headers_by_line(block)
        block = _FOLD.sub(_FOLD_MARK, block)
    headers: dict[str, list[str]] = {}
    names = _FIELD_NAMES
    for line in block.split("\n"):
        text, colon, value = line.partition(":")
        if colon:
            key = names.get(text)
            if key is None:
                key = _field_name(text)
            if key:
                if folded:
                    value = value.replace(_FOLD_MARK, " ")
                headers.setdefault(key, []).append(value.strip())
    return headers


def _parse_headers_by_line(block: str) -> dict[str, list[str]]:
    """``parse_headers`` for a block that holds the fold mark itself: continuation lines joined one by one."""
    headers: dict[str, list[str]] = {}
    values: list[str] | None = None  # the value list of the open field, None when no field is open
    value = ""
    for line in block.split("\n"):
        if line[:1] in (" ", "\t"):
            if values is not None:
                value += " " + line.lstrip(" \t")
            continue
        if values is not None:
            values.append(value.strip())
            values = None
        text, colon, rest = line.partition(":")
        key = _field_name(text) if colon else ""
        if key:
            values = headers.setdefault(key, [])
            value = rest
    if values is not None:
        values.append(value.strip())
    return headers


# The fields of a returned original that attribution and the classifier read.
# Searched in the block after a line end: from one line end to the next the engine skips the many lines
# that are none of these (Received, DKIM-Signature, ...) without trying the names at every character.
_ORIGINAL_FIELD = re.compile(
    r"\n(message-id|x-survey-token|return-path|reply-to|sender|from|to|content-type)[ \t]*:[ \t]*"
    r"([^\n]*(?:\n[ \t][^\n]*)*)",
    re.I,
)


def parse_original_headers(block: str) -> dict[str, list[str]]:
    """Like ``parse_headers`` for the header block of a returned original, keeping only the fields read
    from it (its Received lines are many and never needed)."""
    headers: dict[str, list[str]] = {}
    for name, value in _ORIGINAL_FIELD.findall("\n" + block):
        if "\n" in value:
            value = _FOLD.sub(" ", value)
        headers.setdefault(name.lower(), []).append(value.strip())
    return headers


def split_head_body(text: str) -> tuple[str, str]:
    """Split at the first blank line; if the header block runs into body text without one, stop at the
    first line that is neither a header nor a continuation (a defect Python's parser also tolerates).
    A text that opens with a MIME delimiter ("--boundary") has no header block, whatever the line holds."""
    head, sep, body = text.partition("\n\n")
    if not sep:
        head, body = text, ""
    if head[:2] == "--" or not _HEADER_LINE.match(head):  # no header block at all
        return "", head + sep + body
    # the first line that is neither a field nor a continuation, found by the regex engine rather than a
    # Python loop over every line of a long text that has no blank line
    stop = _NOT_HEADER_LINE.search(head)
    if stop is None:  # the usual case
        return head, body
    if sep and _lost_folds(head, stop.start()):
        return _NOT_HEADER_LINE.sub("\n ", head), body
    return head[: stop.start()], head[stop.start() + 1 :] + sep + body


# The fields every message has; a header block whose wrapped lines lost their indentation still has them
# after the first such line.
_CORE_FIELD = re.compile(r"\n(from|to|subject|date|message-id)[ \t]*:", re.I)


def _lost_folds(head: str, stop: int) -> bool:
    """The stray lines of a header block are its own values re-wrapped without the leading blank (a client or
    gateway that re-flowed the block), not the body run into it: a blank line ends the block, and after the
    first stray line come two or more core fields (From, To, Subject, Date, Message-ID) not seen before it.
    A stray line that is a heading ("Original message:") or a separator ("-----") is a body's."""
    before = {m.group(1).lower() for m in _CORE_FIELD.finditer("\n" + head[:stop])}
    after = {m.group(1).lower() for m in _CORE_FIELD.finditer(head, stop)} - before
    if len(after) < 2:
        return False
    for match in _NOT_HEADER_LINE.finditer(head, stop):
        end = head.find("\n", match.end())
        line = head[match.end() : end if end >= 0 else None].rstrip()
        if line.endswith(":") or line.startswith("--"):
            return False
    return True


def content_type(value: str) -> tuple[str, dict[str, str]]:
    """``text/plain; charset=x`` to (``text/plain``, {"charset": "x"})."""
    main = value.split(";", 1)[0].strip().lower()
    if " " in main:  # "text/plain charset=..." with the semicolon missing
        main = main.split()[0]
    params: dict[str, str] = {}
    if ";" not in value:  # every parameter follows a semicolon: no regex run for a bare type
        return main, params
    for key, val in _PARAM.findall(value):
        params[key.lower().rstrip("*")] = val.strip('"')
    return main, params


@dataclass(slots=True, init=False)
class Part:
    """One MIME entity: its headers, content type, raw body text and children."""

    headers: dict[str, list[str]]
    ctype: str
    params: dict[str, str]
    body: str
    children: list[Part] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    def __init__(
        self,
        headers: dict[str, list[str]],
        ctype: str,
        params: dict[str, str],
        body: str,
        children: list[Part] | None = None,
        defects: list[str] | None = None,
    ) -> None:
        # written out: the dataclass's own tests each default factory against a sentinel and calls it, half
        # the cost of making a part (several per message)
        self.headers = headers
        self.ctype = ctype
        self.params = params
        self.body = body
        self.children = [] if children is None else children
        self.defects = [] if defects is None else defects

    def header(self, name: str) -> str:
        values = self.headers.get(name)
        return values[0] if values else ""

    def text(self) -> str:
        """Body with its transfer encoding and charset undone."""
        cte = self.header("content-transfer-encoding").lower()
        body = self.body
        if "base64" in cte:
            try:
                data = base64.b64decode(
                    "".join(body.split()).encode("ascii", "ignore") + b"==", validate=False
                )
            except (binascii.Error, ValueError):
                return body
        elif "quoted-printable" in cte:
            data = quopri.decodestring(body.encode("utf-8", "surrogateescape"))
        else:
            if not self.params.get("charset") or body.isascii():
                return body
            data = body.encode("utf-8", "surrogateescape")
        return decode_bytes(data, self.params.get("charset"))

    def walk(self) -> list[Part]:
        out: list[Part] = []
        stack = [self]
        while stack and len(out) < _MAX_PARTS:
            part = stack.pop()
            out.append(part)
            stack.extend(reversed(part.children))
        return out


def to_text(raw: bytes) -> str:
    """Raw bytes to str with LF line ends; invalid UTF-8 kept as surrogates so it round-trips."""
    if b"\r" in raw:  # on the bytes: a byte scan, several times cheaper than on the decoded text
        raw = raw.replace(b"\r\n", b"\n")
        if b"\r" in raw:
            raw = raw.replace(b"\r", b"\n")
    text = raw.decode("utf-8", "surrogateescape")
    if text.startswith("From "):  # mbox separator line
        text = text.partition("\n")[2]
    return text.lstrip("\n")


def read_head(text: str) -> tuple[dict[str, list[str]], str]:
    """``parse_headers`` of the head ``split_head_body`` finds, and the body after it, in one pass over the
    lines: where each line up to the blank line is a field (the usual case) that pass is all, without a
    regex run over the block to find where it ends; any other line sends the text the long way."""
    if text[:1] == "\n":  # no header block (a part that starts with its blank line)
        return {}, text
    head, sep, body = text.partition("\n\n")
    folded = "\n " in head or "\n\t" in head
    if folded:
        if _FOLD_MARK in head:
            return _read_head_long(text)
        head = _FOLD.sub(_FOLD_MARK, head)
    headers: dict[str, list[str]] = {}
    names = _FIELD_NAMES
    for line in head.split("\n"):
        name, colon, value = line.partition(":")
        key = names.get(name) if colon else ""
        if key is None:
            key = _field_name(name)
        if not key:  # not a field: the block may end here, or skip it
            return _read_head_long(text)
        if folded:
            value = value.replace(_FOLD_MARK, " ")
        values = headers.get(key)
        if values is None:
            headers[key] = [value.strip()]
        else:
            values.append(value.strip())
    return headers, body


def _read_head_long(text: str) -> tuple[dict[str, list[str]], str]:
    head, body = split_head_body(text)
    return parse_headers(head), body


def parse(text: str, depth: int = 0, default_type: str = "text/plain") -> Part:
    """Parse a whole message (or part) from LF text."""
    headers, body = read_head(text)
    ctype_value = headers.get("content-type")
    if ctype_value:
        ctype, params = content_type(ctype_value[0])
    else:
        ctype, params = default_type, {}
    part = Part(headers, ctype, params, body)
    if depth >= _MAX_DEPTH:
        return part
    if ctype.startswith("multipart/"):
        boundary = params.get("boundary", "")
        if boundary:
            _split_multipart(part, boundary, depth)
        else:
            part.defects.append("multipart without boundary")
        if not part.children:
            sniffed = _sniff_boundary(body)
            if sniffed and sniffed != boundary:
                _split_multipart(part, sniffed, depth)
    elif depth == 0 and not ctype_value and "\n--" in body:
        sniffed = _sniff_boundary(body)
        if sniffed:  # a MIME body whose Content-Type header was lost
            part.defects.append("multipart body without content-type")
            _split_multipart(part, sniffed, depth)
            preamble = ("\n" + body).split("\n--" + sniffed, 1)[0]
            if len(preamble.strip()) >= 20:  # a plain notice above a returned MIME original: the notice
                part.children.insert(0, Part({}, "text/plain", {}, preamble.strip("\n")))
    elif (
        ctype in ("message/rfc822", "message/global")
        and "base64" not in part.header("content-transfer-encoding").lower()
    ):
        # the returned original: its headers attribute it, its body is never read
        inner_head, inner_body = split_head_body(body)
        part.children.append(Part(parse_original_headers(inner_head), "message/original", {}, inner_body))
    return part


def _split_multipart(part: Part, boundary: str, depth: int) -> None:
    delimiter = "\n--" + boundary
    body = "\n" + part.body
    pieces = body.split(delimiter)
    if len(pieces) < 2:
        part.defects.append("boundary not found")
        return
    default = "message/rfc822" if part.ctype == "multipart/digest" else "text/plain"
    closed = False
    for piece in pieces[1 : _MAX_PARTS + 1]:
        if piece.startswith("--"):
            closed = True
            break
        _, _, content = piece.partition("\n")
        part.children.append(parse(content, depth + 1, default))
    if not closed:
        part.defects.append("missing close boundary")


# "--" at a line start; the look-behind after the dashes (not "^" before them) lets the engine skip to "--".
# A boundary may itself open with dashes ("------------0103080..." from Thunderbird, "----=_Part_..."): after the
# delimiter's own two, any run of dashes, then a character that is not one (a rule line of dashes is no boundary).
_BOUNDARY_LINE = re.compile(r"--(?<![^\n]--)(-{0,40}[^\s-][^\s]{5,69})\n(?=[A-Za-z\-]+:|\n)")


def _sniff_boundary(body: str) -> str:
    """A boundary used by at least two delimiter lines that are followed by part headers: the first such
    line's when it comes again (the outermost multipart opens first; a part nested in it, a text and its
    HTML rendering, repeats its own boundary before the outer one's second line), else the first to repeat."""
    first = _BOUNDARY_LINE.search(body)
    if first is None:
        return ""
    name = first.group(1)
    if body.find("\n--" + name, first.end()) >= 0:
        return name
    seen: dict[str, int] = {}
    for match in _BOUNDARY_LINE.finditer(body):
        name = match.group(1)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] >= 2:
            return name
    return ""
