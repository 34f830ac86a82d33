"""The `maildaemon` command as a subprocess, for acceptance tests against the local mail stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.mailstack import MailStack


def run_cli(tmp: Path, env: dict[str, str], *args: str) -> str:
    """Run ``maildaemon --config tmp/md.toml ARGS``; its stdout, or the test fails with its stderr."""
    proc = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), *args],
                          capture_output=True, env={**os.environ, **env}, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout.decode("utf-8")


def stack_config(ms: MailStack, watched: str, *, smtp_auth: bool = False, imap: str = "classify_workers = 0\n",
                 tail: str = "") -> str:  # fmt: skip
    """A daemon config that sends through the stack's Postfix (with AUTH as its sender when ``smtp_auth``;
    passwords from the environment) and reads ``watched`` over IMAP (STARTTLS); ``imap`` and ``tail`` add
    lines to the [imap] table and after it."""
    auth = f'username = "{ms.sender_user}"\n' if smtp_auth else ""
    return (
        f'[daemon]\nstate_dir = "state"\nallow_test_domains = true\n'
        f'[smtp]\nhost = "{ms.host}"\nport = {ms.smtp_port}\nsecurity = "starttls"\nca_file = "{ms.cafile}"\n{auth}'
        f'[imap]\nenabled = true\nhost = "{ms.host}"\nport = {ms.imap_port}\nsecurity = "starttls"\n'
        f'ca_file = "{ms.cafile}"\nusername = "{watched}"\n{imap}{tail}'
    )
