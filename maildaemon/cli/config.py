"""`maildaemon config check`: the effective configuration, secrets redacted."""

from __future__ import annotations

import argparse
import json
from typing import Any

from maildaemon.cli.output import print_json
from maildaemon.config import Config, redacted


async def cmd_config_check(args: argparse.Namespace, cfg: Config) -> int:
    data = redacted(cfg)
    if args.json:
        print_json(data)
    else:
        print(f"# effective configuration from {cfg.source} (secrets redacted)")
        for section, values in data.items():
            if isinstance(values, dict):
                print(f"[{section}]")
                for key, value in values.items():
                    print(f"{key} = {json.dumps(value, ensure_ascii=False)}")
            else:
                print(f"{section} = {json.dumps(values, ensure_ascii=False)}")
    return 0


def register(sub: Any) -> None:
    cf = sub.add_parser("config", help="configuration").add_subparsers(dest="cmd2", required=True)
    cc = cf.add_parser("check", help="validate and print the effective config, secrets redacted")
    cc.add_argument("--json", action="store_true")
    cc.set_defaults(func=cmd_config_check)
