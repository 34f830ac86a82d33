"""Mail out: the scheduling policy (pure), the planner loop, composing, templates, the SMTP mailer and sender."""
