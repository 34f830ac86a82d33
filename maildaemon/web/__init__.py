"""The operator console: a Starlette app of server-rendered pages over the store, for the province's
operators, each agency's focal point (đầu mối) and IT staff, each seeing only their own scope."""
