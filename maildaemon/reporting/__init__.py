"""What operators read: report figures (pure) and their renderings (table, CSV, XLSX, HTML)."""
