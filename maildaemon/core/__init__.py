"""Pure domain core: the model and its state machines, campaign definition, reasons, tokens, retry rules.

Imports no I/O library and nothing from the I/O packages (an import-linter contract in CI keeps it so).
"""
