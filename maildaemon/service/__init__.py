"""The running daemon: loops woken by the scheduler, digest, HTTP endpoint, health, systemd notify, logging."""
