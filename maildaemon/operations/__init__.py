"""Use cases shared by the CLI and the console: each resolves what it is given, takes ``now`` and the
actor, and calls one store operation or capability."""
