"""sd_notify against a real NOTIFY_SOCKET (a datagram socket we bind, as systemd does)."""

import socket
from pathlib import Path

from maildaemon.service.sdnotify import Notifier


def test_ready_status_watchdog_stopping(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        server.settimeout(5)
        n = Notifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "10000000"})
        assert n.enabled and n.watchdog_interval_s == 5.0
        assert n.ready("running: planner, sender")
        assert server.recv(4096) == b"READY=1\nSTATUS=running: planner, sender"
        assert n.watchdog()
        assert server.recv(4096) == b"WATCHDOG=1"
        assert n.stopping()
        assert server.recv(4096) == b"STOPPING=1\nSTATUS=draining"


def test_abstract_socket_name() -> None:
    name = f"@maildaemon-test-{id(object())}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind("\0" + name[1:])
        server.settimeout(5)
        assert Notifier({"NOTIFY_SOCKET": name}).status("sent 10")
        assert server.recv(4096) == b"STATUS=sent 10"


def test_not_under_systemd_is_silent() -> None:
    n = Notifier({})
    assert not n.enabled and not n.ready() and n.watchdog_interval_s == 0.0


def test_watchdog_for_another_pid_is_ignored() -> None:
    assert (
        Notifier({"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"}).watchdog_interval_s
        == 0
    )
