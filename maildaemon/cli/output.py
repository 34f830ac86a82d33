"""What every command group prints the same way: one JSON document per line, Vietnamese kept as is."""

from __future__ import annotations

import json
from typing import Any


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))
