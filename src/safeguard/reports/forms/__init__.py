"""The report forms, as reports/views/: imports.py (the upload), cases.py (the report journey,
referral, the list's filters)."""
