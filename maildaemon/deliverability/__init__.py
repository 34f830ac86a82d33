"""Will this mailbox receive mail? DNS, the SMTP dialogue up to RCPT, TLS, findings in plain words."""
