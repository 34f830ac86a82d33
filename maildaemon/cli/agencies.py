"""`maildaemon agency list | focal`: a campaign's agencies with their focal points (đầu mối), and setting
or clearing a focal point's address by hand (a roster column sets it at import too)."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.cli.respondents import default_actor
from maildaemon.config import Config
from maildaemon.errors import InputError
from maildaemon.intake.roster import normalise_address
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.display import table
from maildaemon.store import Store

log = logging.getLogger(__name__)

_WORDS = {
    "vi": {"code": "Mã", "name": "Cơ quan/đơn vị", "level": "Cấp", "focal": "Email đầu mối", "none": "-"},
    "en": {"code": "Code", "name": "Agency", "level": "Level", "focal": "Focal point email", "none": "-"},
}


async def set_focal(
    store: Store, campaign: str, code: str, email: str | None, *, actor: str, allow_test_domains: bool
) -> tuple[str | None, str | None, bool]:
    """Set (None: clear) the focal address of agency ``code``; (old, new as stored, changed)."""
    address = None if email is None else normalise_address(email, allow_test_domains=allow_test_domains)
    record = await store.get_campaign(campaign)
    old, changed = await store.set_focal_email(record.id, code, address, actor=actor, now=app.utcnow())
    log.info("agency.focal campaign=%s agency=%s changed=%s actor=%s", campaign, code, changed, actor)
    return old, address, changed


async def cmd_focal(args: argparse.Namespace, cfg: Config) -> int:
    if (args.email is None) == (not args.clear):
        raise InputError("agency focal: give the focal point's EMAIL, or --clear (not both)")
    async with app.open_store(cfg) as store:
        old, new, changed = await set_focal(store, args.campaign, args.code, None if args.clear else args.email,
                                            actor=args.by or default_actor(),
                                            allow_test_domains=cfg.daemon.allow_test_domains)  # fmt: skip
    if not changed:
        print(f"{args.code}: focal point unchanged ({new or 'none'})")
    else:
        print(f"{args.code}: focal point {old or 'none'} -> {new or 'none'}")
    return 0


async def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    lang = V.lang_of(args.lang or cfg.daemon.language)
    async with app.open_store(cfg) as store:
        record = await store.get_campaign(args.campaign)
        rows = [a for a in await store.agencies(record.id) if a.level > 0]  # the province line is no agency
    if args.json:
        for a in rows:
            print_json({"code": a.code, "name": a.name, "level": a.level, "focal_email": a.focal_email})
        return 0
    w = _WORDS[lang]
    body = [[a.code, a.name, a.level, a.focal_email or w["none"]] for a in rows]
    print(table([w["code"], w["name"], w["level"], w["focal"]], body, numeric_from=99))
    return 0


def register(sub: Any) -> None:
    ag = sub.add_parser("agency", help="a campaign's agencies and their focal points (đầu mối)")
    asub = ag.add_subparsers(dest="agency_cmd", required=True, metavar="COMMAND")
    ls = asub.add_parser("list", help="the agencies of a campaign with their focal point's address")
    ls.add_argument("campaign")
    ls.add_argument("--lang", choices=["vi", "en"], default=None, help="default: daemon.language")
    ls.add_argument("--json", action="store_true", help="one JSON object per agency")
    ls.set_defaults(func=cmd_list)
    fo = asub.add_parser("focal", help="set or clear the address of an agency's focal point")
    fo.add_argument("campaign")
    fo.add_argument("code", help="the agency's code (see `maildaemon agency list`)")
    fo.add_argument("email", nargs="?", help="the focal point's address")
    fo.add_argument("--clear", action="store_true", help="remove the address: no more focal digests")
    fo.add_argument("--by", help="who makes the change (default: the OS user)")
    fo.set_defaults(func=cmd_focal)
