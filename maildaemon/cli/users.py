"""`maildaemon user add|passwd|disable|enable|list`: the operator console's accounts (argon2id passwords;
roles admin, operator, focal point, IT, each with its scope)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config
from maildaemon.errors import InputError, NotFound
from maildaemon.reporting.display import table
from maildaemon.web import accounts
from maildaemon.web.permissions import ROLES


def _by() -> str:
    """Who ran the command, for the audit log (the OS account: the CLI has no sign-in of its own)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid{os.getuid()}"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise InputError("the two passwords differ; nothing changed")
    return first


async def _check_scope(store: Any, campaign: str | None, agency: str | None) -> None:
    """A scope must name things that exist, else the account could never see anything."""
    if campaign:
        rec = await store.get_campaign(campaign)
        if agency and agency not in {a.code for a in await store.agencies(rec.id)}:
            raise NotFound(f"campaign {campaign!r} has no agency with code {agency!r}")


async def cmd_user_add(args: argparse.Namespace, cfg: Config) -> int:
    password = _password(args)
    async with app.open_store(cfg) as store:
        await _check_scope(store, args.campaign, args.agency)
        await accounts.add_user(store, username=args.username, password=password, role=args.role,
                                campaign=args.campaign, agency=args.agency, display_name=args.name or "",
                                now=app.utcnow(), by=_by())  # fmt: skip
    print(f"account {accounts.normalise_username(args.username)} added ({args.role})")
    return 0


async def cmd_user_passwd(args: argparse.Namespace, cfg: Config) -> int:
    password = _password(args)
    async with app.open_store(cfg) as store:
        await accounts.change_password(store, args.username, password, app.utcnow(), _by())
    print(f"password of {accounts.normalise_username(args.username)} changed; its sessions are signed out")
    return 0


async def cmd_user_disable(args: argparse.Namespace, cfg: Config) -> int:
    disabled = args.cmd2 == "disable"
    async with app.open_store(cfg) as store:
        await accounts.set_disabled(store, args.username, disabled, app.utcnow(), _by())
    state = "disabled; its sessions are signed out" if disabled else "enabled"
    print(f"account {accounts.normalise_username(args.username)} {state}")
    return 0


async def cmd_user_list(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rows = await store.accounts()
    data = [{"username": r.username, "name": r.display_name, "role": r.role, "campaign": r.campaign or "*",
             "agency": r.agency_code or "*", "disabled": r.disabled,
             "locked_until": r.locked_until.isoformat() if r.locked_until else None} for r in rows]  # fmt: skip
    if args.json:
        print_json(data)
    else:
        print(table(["username", "name", "role", "campaign", "agency", "state"],
                    [[d["username"], d["name"], d["role"], d["campaign"], d["agency"],
                      "disabled" if d["disabled"] else ("locked" if d["locked_until"] else "active")]
                     for d in data], numeric_from=99))  # fmt: skip
    return 0


def register(sub: Any) -> None:
    user = sub.add_parser("user", help="operator console accounts").add_subparsers(dest="cmd2", required=True)
    add = user.add_parser("add", help="add an account (asks for the password)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="admin: everything; operator: a province's campaigns; focal: one agency; it: deliverability")  # fmt: skip
    add.add_argument("--campaign", help="limit to one campaign (default: every campaign)")
    add.add_argument("--agency", help="agency code: this agency and the units below it (focal, it)")
    add.add_argument("--name", help="the person's name, shown in the console")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )
    add.set_defaults(func=cmd_user_add)
    pw = user.add_parser("passwd", help="set a new password (signs the account out everywhere)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")
    pw.set_defaults(func=cmd_user_passwd)
    for verb, text in (
        ("disable", "disable an account (signs it out everywhere)"),
        ("enable", "enable it again"),
    ):
        d = user.add_parser(verb, help=text)
        d.add_argument("username")
        d.set_defaults(func=cmd_user_disable)
    ls = user.add_parser("list", help="list accounts")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_user_list)
