"""The report pages (reports/urls.py routes to them): imports.py, importing a file from the
browser; cases.py, recording a report one question at a time, the list, one report, referral."""
