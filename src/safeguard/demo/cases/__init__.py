"""Orders in every lifecycle state, made only through orders/services.py and
compliance/services.py, so every statutory rule applies to the demo as it does to real cases.

Two phases, both deterministic:

* `CasePlanner.plan()` runs before anything is written. It picks a suspect and victim for each
  case (preferring repeat suspects from the force-year, as screening would), fixes every date of
  the case's timeline, and adds the reports the case needs that the year does not have: older
  reports for orders made before the year, the incident that led to a police notice, and the new
  report each breach produces.
* `CaseBuilder.build()` runs after the reports and people exist, and walks each timeline through
  the services with explicit times (`at`, `decided_at`, `served_at`...).
"""

from __future__ import annotations

from safeguard.demo.cases.build import CaseBuilder
from safeguard.demo.cases.plan import CasePlanner

__all__ = ["CaseBuilder", "CasePlanner"]
