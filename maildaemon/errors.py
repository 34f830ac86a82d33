"""The project's exception types: one root, a few named kinds.

Third-party errors are converted at the boundary with ``raise X from exc`` so callers only
ever catch these. Messages never contain passwords.
"""


class MaildaemonError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigError(MaildaemonError):
    """A config or campaign file is wrong: the message names the file and the key."""


class InputError(MaildaemonError):
    """User-supplied data (roster, completion export, message file) cannot be used."""


class TemplateError(MaildaemonError):
    """A mail template failed to load or render: names the template and the line."""


class StoreError(MaildaemonError):
    """The database cannot be reached or refused an operation."""


class NotFound(MaildaemonError):
    """A named campaign, respondent or message does not exist."""


class DeliveryError(MaildaemonError):
    """Sending or probing failed; see the two subclasses for what to do next."""

    def __init__(self, message: str, *, code: int | None = None, reply: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.reply = reply


class TransientError(DeliveryError):
    """Try again later (4xx, timeout, connection lost)."""


class PermanentError(DeliveryError):
    """Do not try again as it is (5xx, refused authentication)."""
