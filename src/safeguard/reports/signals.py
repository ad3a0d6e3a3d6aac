"""Signals reports sends so later apps (screening) can act on new reports without reports
importing them (DESIGN.md, Direction of dependence).

`reports_created` is sent once the transaction that created the reports has committed, with
`force_id` and `report_ids` (a list). Screening connects a receiver to it to screen new reports:
that is the whole of the hand-over, for reports typed in, posted to the API or imported.
"""

from django.dispatch import Signal

# force_id: int, report_ids: list[int]
reports_created = Signal()
