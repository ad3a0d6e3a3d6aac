"""One small demo force-year, generated once for the module and removed afterwards."""

from __future__ import annotations

import pytest

from safeguard.access.models import Force, Team
from safeguard.demo.generate import Summary, delete_demo_data, generate
from safeguard.demo.staff import demo_users

SEED = 7
REPORTS = 300


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Summary:
    with django_db_blocker.unblock():
        summary = generate("Norfolk", seed=SEED, reports=REPORTS)
        yield summary
        force = Force.objects.get(name="Norfolk")
        delete_demo_data(force)
        demo_users().delete()
        Team.objects.filter(force=force).delete()
        force.delete()


@pytest.fixture
def demo_force(demo: Summary, db) -> Force:
    return Force.objects.get(name="Norfolk")
