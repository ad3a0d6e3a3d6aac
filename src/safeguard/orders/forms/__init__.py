"""The order forms, one module per journey, as orders/views/: pages.py (the list's filters),
application.py (builder, legal review, hearing), lifecycle.py (after the order is made),
notices.py (police notices and the order that follows). GOV.UK components shared with other apps
(the date input) are in safeguard/govuk.py."""
