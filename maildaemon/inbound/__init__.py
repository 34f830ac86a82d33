"""Mail in: the IMAP session and watcher loop, the classifier (pure) and its worker pool."""
