"""The operator console: a Starlette app of server-rendered pages over the store, for the province's
operators, each agency's focal point (đầu mối) and IT staff, each seeing only their own scope.

Adding an action (the operator's forms): a POST route in a view module that reads its fields with
``await ctx.checked_form()`` (refused without this session's CSRF token), asks
``permissions.allowed(ctx.actor, "person.act", Target(campaign, agency_path))`` (out of scope: the same
404 as a missing object, through ``scope.deny``), calls the use case, writes ``ctx.audit(...)`` and
redirects (303) back to the page.
"""
