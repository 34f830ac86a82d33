"""A stateless wire client for the send benchmark's second reference: the same envelopes (VERP
sender, one recipient each, DSN options when offered) and the same bytes as the daemon sends, composed
before the clock starts and written with RFC 2920 pipelining over C connections. It is what any
client must pay the relay for this message shape; smtp-source's fixed sender and plain body cost the
relay less.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maildaemon.outbound.compose import Outgoing  # noqa: E402
from maildaemon.outbound.mailer import dot_stuffed, xtext  # noqa: E402


async def _reply(reader: asyncio.StreamReader) -> bytes:
    """One reply, all its lines (EHLO's list its extensions)."""
    text = b""
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("relay closed the connection")
        text += line
        if line[3:4] != b"-":
            return text


async def _session(host: str, port: int, messages: Sequence[Outgoing]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        await _reply(reader)
        writer.write(b"EHLO wire.bench\r\n")
        dsn = b"DSN" in (await _reply(reader)).upper()
        for msg in messages:
            mail = f"MAIL FROM:<{msg.envelope_from}>"
            rcpt = f"RCPT TO:<{msg.recipient}>"
            if dsn:
                mail += f" RET=HDRS ENVID={xtext(msg.envid)}"
                rcpt += f" NOTIFY=FAILURE,DELAY ORCPT=rfc822;{xtext(msg.recipient)}"
            writer.write(f"{mail}\r\n{rcpt}\r\nDATA\r\n".encode("ascii"))
            for _ in range(3):
                await _reply(reader)
            writer.write(dot_stuffed(msg.data) + b".\r\n")
            final = await _reply(reader)
            if not final.startswith(b"250"):
                raise ConnectionError(f"relay refused a message: {final!r}")
        writer.write(b"QUIT\r\n")
        await _reply(reader)
    finally:
        writer.close()
        await writer.wait_closed()


async def send_all(host: str, port: int, messages: Sequence[Outgoing], connections: int) -> float:
    """Seconds to send ``messages`` over ``connections`` pipelined sessions."""
    shares = [messages[i::connections] for i in range(connections)]
    started = time.perf_counter()
    await asyncio.gather(*(_session(host, port, share) for share in shares if share))
    return time.perf_counter() - started


def main() -> None:
    """Run by bench/send.py in a process of its own (its messages do not count in our peak RSS)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--c", type=int, required=True)
    args = ap.parse_args()
    from send import composer, recipient  # the benchmark's own campaign and recipients

    from maildaemon.core.tokens import mint as new_token

    comp = composer()
    messages = [comp.compose(recipient(i, new_token()), "invitation") for i in range(args.n)]
    print(f"{asyncio.run(send_all(args.host, args.port, messages, args.c)):.6f}")


if __name__ == "__main__":
    main()
