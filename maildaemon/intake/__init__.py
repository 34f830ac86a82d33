"""Tables in: rosters and survey-platform exports as operators export them from Excel."""
