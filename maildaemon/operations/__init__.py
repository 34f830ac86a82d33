"""Use cases shared by the command line and the console: each resolves what it is given, takes ``now``
and the actor, and calls one store operation or capability (the decisions are ``core``'s)."""
