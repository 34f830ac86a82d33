"""The console's pages, one module per subject; each route asks ``permissions.allowed`` first."""
