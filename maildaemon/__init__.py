"""maildaemon: survey invitations, reminders, bounces and completion, one respondent at a time."""

__version__ = "0.1.0"
