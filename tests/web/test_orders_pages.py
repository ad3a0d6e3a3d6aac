"""The order list and an order's page: scope through restrict(), filters, sorting, query budget,
and no protected detail anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.access.models import AuditEvent, AuditKind, Role
from safeguard.rules.orders import State
from tests.web import builders
from tests.web.conftest import PROTECTED_ADDRESS, signed_in

pytestmark = pytest.mark.django_db


def references(response) -> list[str]:
    return [o.reference for o in response.context["page"].object_list]


class TestList:
    def test_coordinator_sees_every_order_of_the_force(self, as_coordinator, cases):
        response = as_coordinator.get(reverse("order-list"))
        assert response.status_code == 200
        assert len(references(response)) == 6
        page = response.content.decode()
        assert cases.served_recently.defendant.full_name in page
        assert '<strong class="govuk-tag govuk-tag--green">In force</strong>' in page
        assert PROTECTED_ADDRESS not in page

    def test_officer_sees_only_own_and_team_orders(self, officer, other_officer, cases):
        mine = references(signed_in(officer).get(reverse("order-list")))
        assert cases.draft.reference not in mine
        assert len(mine) == 5
        theirs = references(signed_in(other_officer).get(reverse("order-list")))
        assert theirs == [cases.draft.reference]

    def test_officer_sees_a_team_order_assigned_to_someone_else(
        self, make_user, force, team, officer, cases
    ):
        colleague = make_user(Role.OFFICER, force, team=team)
        assert len(references(signed_in(colleague).get(reverse("order-list")))) == 5

    def test_filter_by_type_and_state(self, as_coordinator, cases):
        response = as_coordinator.get(
            reverse("order-list"), {"order_type": "spo", "state": "in_force"}
        )
        assert sorted(references(response)) == sorted(
            o.reference
            for o in (cases.served_recently, cases.notification_overdue, cases.ending_soon)
        )
        response = as_coordinator.get(reverse("order-list"), {"order_type": "dvpn"})
        assert references(response) == [cases.notice.reference]
        response = as_coordinator.get(reverse("order-list"), {"state": "draft"})
        assert references(response) == [cases.draft.reference]

    def test_the_list_links_to_its_export_with_its_filters(self, as_coordinator, cases):
        page = as_coordinator.get(
            reverse("order-list"), {"order_type": "spo", "state": "in_force"}
        ).content.decode()
        export = reverse("export-list", args=["orders"])
        assert f'href="{export}?order_type=spo&amp;state=in_force"' in page
        assert "Export these orders" in page
        # The export page it leads to lists the same filters and the columns the role may take.
        assert as_coordinator.get(f"{export}?order_type=spo&state=in_force").status_code == 200

    def test_an_unknown_filter_value_is_an_error_that_does_not_echo_it(self, as_coordinator, cases):
        response = as_coordinator.get(reverse("order-list"), {"state": "<b>nonsense</b>"})
        page = response.content.decode()
        assert '<a href="#id_state">Select a state from the list</a>' in page
        assert "nonsense" not in page.split("<select")[0]  # not in the error summary
        assert len(references(response)) == 6  # nothing filtered

    @pytest.mark.parametrize(
        ("sort", "first"),
        [("ends_on", "ending_soon"), ("-made_on", "served_recently"), ("made_on", "ending_soon")],
    )
    def test_sorting(self, as_coordinator, cases, sort, first):
        response = as_coordinator.get(reverse("order-list"), {"sort": sort})
        assert references(response)[0] == getattr(cases, first).reference

    def test_sort_headings_say_which_way_the_list_is_sorted(self, as_coordinator, cases):
        page = as_coordinator.get(reverse("order-list"), {"sort": "-ends_on"}).content.decode()
        assert 'aria-sort="descending"' in page
        assert "?sort=ends_on" in page  # its heading link now sorts ascending

    def test_an_unknown_sort_falls_back_to_the_default(self, as_coordinator, cases):
        response = as_coordinator.get(
            reverse("order-list"), {"sort": "defendant__protected_details"}
        )
        assert response.status_code == 200
        assert len(references(response)) == 6

    def test_pages_of_fifty_with_a_bounded_number_of_queries(
        self, as_coordinator, force, coordinator, make_person, django_assert_max_num_queries
    ):
        victim = make_person(force, "Vicky", "Marsh")
        for n in range(55):
            builders.create(force, "spo", make_person(force, "Dan", f"Reeve{n:02d}"), victim)
        with django_assert_max_num_queries(8):
            response = as_coordinator.get(reverse("order-list"))
        assert len(references(response)) == 50
        page = response.content.decode()
        assert "Showing 1 to 50 of 55 orders" in page
        assert 'class="govuk-pagination"' in page
        with django_assert_max_num_queries(8):
            response = as_coordinator.get(reverse("order-list"), {"page": 2, "state": "draft"})
        assert len(references(response)) == 5
        assert "?page=1&amp;state=draft" in response.content.decode()

    def test_roles_without_case_records_see_an_empty_list(self, make_user, force, cases):
        analyst = make_user(Role.ANALYST, force)
        response = signed_in(analyst).get(reverse("order-list"))
        assert references(response) == []
        assert "There are no orders your role can see" in response.content.decode()


class TestDetail:
    def test_shows_the_order_conditions_law_and_deadlines(self, as_coordinator, cases):
        order = cases.served_recently
        response = as_coordinator.get(reverse("order-detail", args=[order.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        assert order.reference in page
        assert "Stalking Protection Order" in page
        assert "Norwich Magistrates&#x27;" in page
        assert "Until further order" in page
        # Conditions with their necessity (SPA 2019 s.2(2))
        assert "Prohibitions" in page
        assert "Requirements" in page
        assert builders.EXCLUSION.necessity in page
        assert "Norwich city centre" in page
        # The law, from the rules spec
        assert "A fixed period of at least 2 years beginning with the day made" in page
        assert "Stalking Protection Act 2019 s.3" in page
        # Notification with its due date and status
        notification = order.notifications.get()
        due = notification.due_at.astimezone(builders.LONDON)
        assert f"{due:%-d %B %Y} at 23:59" in page
        assert '<strong class="govuk-tag govuk-tag--blue">Due</strong>' in page
        # Clock deadlines: the SPA s.9 notification from service, the s.3 minimum from making
        assert "Latest time D must notify the police" in page
        assert "Earliest day a fixed-term SPO may end" in page
        # History
        assert "Application made to the court" in page
        assert "Order made" in page
        assert PROTECTED_ADDRESS not in page

    def test_overdue_notification_is_red_and_breach_is_listed(self, as_coordinator, cases):
        page = as_coordinator.get(
            reverse("order-detail", args=[cases.notification_overdue.pk])
        ).content.decode()
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
        assert "Sent a message through a friend" in page

    def test_on_time_notification_is_green(self, as_coordinator, cases):
        page = as_coordinator.get(
            reverse("order-detail", args=[cases.ending_soon.pk])
        ).content.decode()
        assert '<strong class="govuk-tag govuk-tag--green">Made on time</strong>' in page
        assert "Norwich Police Station" in page

    def test_notice_shows_its_hearing_deadline_and_authoriser(self, as_coordinator, cases):
        page = as_coordinator.get(reverse("order-detail", args=[cases.notice.pk])).content.decode()
        assert "Latest time the DVPO application must be heard" in page
        assert "Crime and Security Act 2010, s.27(3)" in page
        assert "Supt Ruth Adeyemi (Superintendent)" in page

    def test_user_of_another_force_gets_404_not_403(self, make_user, other_force, cases):
        outsider = make_user(Role.COORDINATOR, other_force)
        response = signed_in(outsider).get(reverse("order-detail", args=[cases.served_recently.pk]))
        assert response.status_code == 404
        assert cases.served_recently.reference not in response.content.decode()

    def test_officer_outside_the_team_gets_404(self, other_officer, officer, cases):
        assert (
            signed_in(other_officer)
            .get(reverse("order-detail", args=[cases.applied.pk]))
            .status_code
            == 404
        )
        assert (
            signed_in(officer).get(reverse("order-detail", args=[cases.draft.pk])).status_code
            == 404
        )
        assert (
            signed_in(officer).get(reverse("order-detail", args=[cases.applied.pk])).status_code
            == 200
        )

    def test_opening_an_order_is_logged_as_a_consultation(self, as_coordinator, coordinator, cases):
        order = cases.applied
        as_coordinator.get(reverse("order-detail", args=[order.pk]))
        event = AuditEvent.objects.filter(kind=AuditKind.VIEW).latest("id")
        assert (event.table_name, event.object_id) == ("orders_order", str(order.pk))
        assert event.actor_id == coordinator.pk

    def test_a_refused_look_is_not_logged_as_a_consultation(self, make_user, other_force, cases):
        before = AuditEvent.objects.filter(kind=AuditKind.VIEW).count()
        outsider = signed_in(make_user(Role.COORDINATOR, other_force))
        outsider.get(reverse("order-detail", args=[cases.applied.pk]))
        assert AuditEvent.objects.filter(kind=AuditKind.VIEW).count() == before

    def test_an_order_that_does_not_exist_looks_the_same(self, as_coordinator, cases):
        assert as_coordinator.get(reverse("order-detail", args=[999999])).status_code == 404

    def test_bounded_queries(self, as_coordinator, cases, django_assert_max_num_queries):
        # Session, user, audit context, the order and one query per kind of related record,
        # the audit entry, the bank holidays for each clock deadline, the header's force, and
        # which of the people named the user may open (their names link to their pages); the
        # panels of the case-work journeys: linked advocates, court applications, appeals.
        with django_assert_max_num_queries(23):
            as_coordinator.get(reverse("order-detail", args=[cases.served_recently.pk]))

    def test_draft_says_what_has_not_happened_yet(self, other_officer, cases):
        response = signed_in(other_officer).get(reverse("order-detail", args=[cases.draft.pk]))
        page = response.content.decode()
        assert '<strong class="govuk-tag govuk-tag--light-blue">Proposed</strong>' in page
        assert "No statutory deadline runs yet" in page
        assert "This order is a draft" in page


def test_state_tags_cover_every_state(as_coordinator):
    from django.template.loader import render_to_string

    for state in State:
        html = render_to_string("orders/includes/state_tag.html", {"state": state.value})
        assert "govuk-tag" in html
        assert state.value.replace("_", " ") in html.lower()
