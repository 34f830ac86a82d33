"""The `maildaemon` command: one module per command group over the operator use cases; the demo."""

from maildaemon.cli.main import main

__all__ = ["main"]
