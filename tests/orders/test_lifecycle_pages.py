# ruff: noqa: F811 (the page fixtures of tests/web/conftest.py, imported by name)
"""An order's life after it is made, in the browser's pages (issue 4): service, notifications
with their deadlines, breaches, variation/renewal/discharge, appeals, expiry, and police notices
with the hearing deadline. Each form: its validation errors, its success, a stale version, and
who may not use it."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import Role
from safeguard.compliance.models import Breach, BreachOutcome, Notification, NotificationKind
from safeguard.orders.models import (
    Appeal,
    AppealOutcome,
    CourtApplication,
    Order,
    Outcome,
    Service,
)
from safeguard.reports.models import PartyRole, Report, ReportParty
from safeguard.rules.orders import State
from tests.web import builders
from tests.web.conftest import (  # noqa: F401 (fixtures)
    PROTECTED_ADDRESS,
    as_coordinator,
    as_officer,
    cases,
    officer,
    other_officer,
    other_team,
    signed_in,
)

pytestmark = pytest.mark.django_db

LONDON = builders.LONDON


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def page(response) -> str:
    return html.unescape(response.content.decode())


def summary(response) -> str:
    """The error summary's text."""
    text = page(response)
    assert 'class="govuk-error-summary"' in text, "no error summary"
    return text.split('class="govuk-error-summary"')[1].split("</ul>")[0]


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


# --- The order page -------------------------------------------------------------------------


class TestOrderPage:
    def test_overdue_notification_is_impossible_to_miss(self, as_coordinator, cases):
        order = cases.notification_overdue
        text = page(as_coordinator.get(reverse("order-detail", args=[order.pk])))
        assert 'id="overdue-alert"' in text
        assert "The defendant has not made 1 notification in time" in text
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text
        due = order.notifications.get().due_at.astimezone(LONDON)
        assert f"The defendant must notify by the end of {due:%A} {due.day} {due:%B %Y}" in text
        assert "overdue</span>" in text  # "...: N days and M hours overdue"
        assert PROTECTED_ADDRESS not in text

    def test_a_due_notification_says_when_and_how_long_is_left(self, as_coordinator, cases):
        order = cases.served_recently
        text = page(as_coordinator.get(reverse("order-detail", args=[order.pk])))
        assert 'id="overdue-alert"' not in text
        assert "The defendant must notify by" in text
        assert " left</span>" in text

    def test_actions_are_offered_to_those_who_may_change_the_order(self, as_coordinator, cases):
        order = cases.served_recently
        text = page(as_coordinator.get(reverse("order-detail", args=[order.pk])))
        for name in ("order-service", "order-breach-new", "order-notification-change"):
            assert reverse(name, args=[order.pk]) in text
        assert reverse("order-court-application", args=[order.pk]) in text
        assert "Apply to vary, renew or discharge the order" in text
        assert "Runs until further order" in text

    def test_an_advocate_sees_breaches_but_no_action_and_no_report(
        self, cases, make_user, force, coordinator
    ):
        from safeguard.orders.models import AdvocateLink

        order = cases.notification_overdue
        advocate = make_user(Role.ADVOCATE, force)
        AdvocateLink.objects.create(order=order, user=advocate, linked_by=coordinator)
        text = page(signed_in(advocate).get(reverse("order-detail", args=[order.pk])))
        assert "Sent a message through a friend" in text
        assert reverse("order-breach-new", args=[order.pk]) not in text
        assert "No report linked" not in text
        assert "Record service" not in text

    def test_expiry_of_a_fixed_term_order_and_what_happens_next(self, as_coordinator, cases):
        order = cases.ending_soon
        text = page(as_coordinator.get(reverse("order-detail", args=[order.pk])))
        ends = order.ends_on
        assert f"Ends at the end of {ends:%A} {ends.day} {ends:%B %Y}" in text
        days = (ends - timezone.localdate()).days
        assert f"{days} days left" in text
        assert "apply to renew it before it ends" in text
        assert reverse("order-court-application", args=[order.pk]) + "?kind=renewal" in text

    def test_an_open_review_task_is_linked_from_the_expiry_section(self, as_coordinator, cases):
        from safeguard.compliance import reviews

        order = cases.ending_soon
        reviews.sweep()
        task = order.review_tasks.get()
        text = page(as_coordinator.get(reverse("order-detail", args=[order.pk])))
        assert reverse("review-decide", args=[task.pk]) in text

    def test_query_count_does_not_grow_with_rows(
        self, as_coordinator, cases, django_assert_max_num_queries
    ):
        order = cases.notification_overdue
        url = reverse("order-detail", args=[order.pk])
        as_coordinator.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            as_coordinator.get(url)
        now = timezone.now()
        for i in range(15):
            Breach.objects.create(order=order, occurred_at=now, description=f"Breach {i}")
            Notification.objects.create(
                order=order,
                kind=NotificationKind.ADDRESS_CHANGED,
                triggered_at=now,
                due_at=now + dt.timedelta(days=3),
                basis="test",
            )
            CourtApplication.objects.create(
                order=order, kind="variation", applicant="police", made_on=now.date()
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = as_coordinator.get(url)
        assert "Breach 14" in page(response)


# --- Service --------------------------------------------------------------------------------


class TestService:
    def url(self, order: Order) -> str:
        return reverse("order-service", args=[order.pk])

    def test_errors_say_how_to_fix_them(self, as_coordinator, cases):
        order = cases.served_recently
        response = as_coordinator.post(
            self.url(order), {"version": order.version, "served_on_0": "31", "served_on_1": "2"}
        )
        errors = summary(response)
        assert "The date it was served must include a year" in errors
        assert "Enter the time it was served" in errors
        assert "Choose how the order was served" in errors
        assert "Enter who served the order" in errors
        assert 'href="#id_served_on_2"' in errors  # the first part with the error: the year
        assert 'href="#id_method"' in errors
        assert "Error: Record service" in page(response)  # the title says there is an error

    def test_a_date_in_the_future_or_not_real_is_refused(self, as_coordinator, cases):
        order = cases.served_recently
        future = timezone.localdate() + dt.timedelta(days=3)
        errors = summary(
            as_coordinator.post(
                self.url(order), {"version": order.version, **date_parts("served_on", future)}
            )
        )
        assert "The date it was served must be today or in the past" in errors
        errors = summary(
            as_coordinator.post(
                self.url(order),
                {
                    "version": order.version,
                    "served_on_0": "30",
                    "served_on_1": "2",
                    "served_on_2": "2026",
                    "served_time": "25:00",
                },
            )
        )
        assert "The date it was served must be a real date" in errors
        assert "as hours and minutes on the 24-hour clock" in errors

    def test_recording_service(self, as_coordinator, cases):
        order = cases.served_recently
        today = timezone.localdate()
        response = as_coordinator.post(
            self.url(order),
            {
                "version": order.version,
                **date_parts("served_on", today),
                "served_time": "00:01",
                "method": "post",
                "served_by": "PC 99 Lee Hart",
            },
        )
        assert response.status_code == 302
        service = Service.objects.filter(order=order).latest("pk")
        assert (service.method, service.served_by) == ("post", "PC 99 Lee Hart")
        assert service.served_at.astimezone(LONDON).time() == dt.time(0, 1)
        assert fresh(order).version == order.version + 1

    def test_a_stale_form_keeps_what_was_typed(self, as_coordinator, cases):
        order = cases.served_recently
        today = timezone.localdate()
        data = {
            "version": order.version - 1,
            **date_parts("served_on", today),
            "served_time": "00:01",
            "method": "post",
            "served_by": "PC 99 Lee Hart",
        }
        response = as_coordinator.post(self.url(order), data)
        assert response.status_code == 200
        assert "was changed by someone else while you were filling in this form" in summary(
            response
        )
        assert 'value="PC 99 Lee Hart"' in page(response)
        assert not Service.objects.filter(order=order, served_by="PC 99 Lee Hart").exists()
        # Submitted again after checking, it goes through.
        response = as_coordinator.post(self.url(order), {**data, "version": order.version})
        assert response.status_code == 302

    def test_service_of_an_order_not_in_force_is_refused_with_the_reason(
        self, as_coordinator, cases
    ):
        order = cases.applied
        response = as_coordinator.post(
            self.url(order),
            {
                "version": order.version,
                **date_parts("served_on", timezone.localdate()),
                "served_time": "00:01",
                "method": "post",
                "served_by": "PC 99 Lee Hart",
            },
        )
        assert "Only an order in force can be served" in summary(response)


# --- Access ---------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize(
        "name", ["order-service", "order-breach-new", "order-notification-change", "order-appeal"]
    )
    def test_out_of_scope_is_not_found_and_view_only_is_forbidden(
        self, name, cases, other_officer, make_user, force, other_force, coordinator
    ):
        from safeguard.orders.models import AdvocateLink

        order = cases.served_recently
        url = reverse(name, args=[order.pk])
        assert signed_in(other_officer).get(url).status_code == 404  # another team's case
        assert signed_in(make_user(Role.COORDINATOR, other_force)).get(url).status_code == 404
        advocate = make_user(Role.ADVOCATE, force)
        AdvocateLink.objects.create(order=order, user=advocate, linked_by=coordinator)
        assert signed_in(advocate).get(url).status_code == 403
        assert signed_in(advocate).post(url, {}).status_code == 403
        assert signed_in(make_user(Role.FORCE_ADMIN, force)).get(url).status_code == 403

    def test_the_assigned_officer_may_record(self, as_officer, cases):
        assert (
            as_officer.get(reverse("order-service", args=[cases.served_recently.pk])).status_code
            == 200
        )


# --- Notifications --------------------------------------------------------------------------


class TestNotifications:
    def test_recording_a_late_notification_and_its_acknowledgment(self, as_coordinator, cases):
        order = cases.notification_overdue
        notification = order.notifications.get()
        url = reverse("order-notification-made", args=[order.pk, notification.pk])
        text = page(as_coordinator.get(url))
        assert "Overdue. The defendant must notify by" in text
        errors = summary(as_coordinator.post(url, {"version": order.version}))
        assert "Enter the date the defendant notified" in errors
        assert "Enter the police station where the defendant notified" in errors
        today = timezone.localdate()
        response = as_coordinator.post(
            url,
            {
                "version": order.version,
                **date_parts("notified_on", today),
                "notified_time": "00:05",
                "police_station": "Norwich, Bethel Street",
                "received_by": "PC 2210 Jo Winters",
            },
        )
        assert response.status_code == 302
        notification.refresh_from_db()
        assert notification.status().value == "late"
        followed = as_coordinator.get(response["Location"])
        assert "It was made late" in page(followed)
        assert "Made late" in page(followed)

        url = reverse("order-notification-acknowledge", args=[order.pk, notification.pk])
        order = fresh(order)
        yesterday = today - dt.timedelta(days=1)
        errors = summary(
            as_coordinator.post(
                url,
                {
                    "version": order.version,
                    **date_parts("acknowledged_on", yesterday),
                    "acknowledged_time": "10:00",
                },
            )
        )
        assert "cannot be acknowledged before it was made" in errors
        response = as_coordinator.post(
            url,
            {
                "version": order.version,
                **date_parts("acknowledged_on", today),
                "acknowledged_time": "00:10",
            },
        )
        assert response.status_code == 302
        notification.refresh_from_db()
        assert notification.acknowledged_at is not None

    def test_a_change_of_address_starts_a_new_duty_with_its_deadline(self, as_coordinator, cases):
        order = cases.served_recently
        url = reverse("order-notification-change", args=[order.pk])
        assert "Choose what has changed" in summary(
            as_coordinator.post(url, {"version": order.version})
        )
        today = timezone.localdate()
        response = as_coordinator.post(
            url,
            {
                "version": order.version,
                "kind": "address_changed",
                **date_parts("changed_on", today),
                "changed_time": "00:01",
            },
        )
        assert response.status_code == 302
        duty = order.notifications.get(kind=NotificationKind.ADDRESS_CHANGED)
        text = page(as_coordinator.get(reverse("order-detail", args=[order.pk])))
        due = duty.due_at.astimezone(LONDON)
        assert f"{due:%A} {due.day} {due:%B %Y}" in text
        assert "New home address" in text

    def test_a_notice_has_no_change_to_notify(self, as_coordinator, cases):
        order = cases.notice
        response = as_coordinator.get(reverse("order-notification-change", args=[order.pk]))
        assert 'name="kind"' not in page(response)


# --- Breaches -------------------------------------------------------------------------------


class TestBreaches:
    def url(self, order: Order) -> str:
        return reverse("order-breach-new", args=[order.pk])

    def data(self, order: Order, **extra) -> dict:
        return {
            "version": order.version,
            **date_parts("occurred_on", timezone.localdate()),
            "occurred_time": "00:01",
            "description": "Waited at the end of her road",
            **extra,
        }

    def test_errors(self, as_coordinator, cases):
        order = cases.served_recently
        errors = summary(as_coordinator.post(self.url(order), {"version": order.version}))
        assert "Enter the date of the breach" in errors
        assert "Describe what happened" in errors
        assert "Choose which report records the breach" in errors
        errors = summary(
            as_coordinator.post(self.url(order), self.data(order, report_choice="existing"))
        )
        assert "Choose the report that records the breach" in errors
        errors = summary(
            as_coordinator.post(
                self.url(order), self.data(order, report_choice="new", arrested="on")
            )
        )
        assert "Enter the crime reference of the new report" in errors
        assert "Choose the offence the new report records" in errors
        assert "Enter the date of the arrest" in errors

    def test_a_breach_with_a_new_report_names_the_defendant_as_suspect(self, as_coordinator, cases):
        order = cases.served_recently
        response = as_coordinator.post(
            self.url(order),
            self.data(order, report_choice="new", new_reference="NFK-BR-1", new_offence="8Q"),
        )
        assert response.status_code == 302
        breach = order.breaches.get()
        report = breach.report
        assert report.reference == "NFK-BR-1"
        suspect = report.report_parties.get(role=PartyRole.SUSPECT).person
        assert suspect.full_name == order.defendant.full_name
        text = page(as_coordinator.get(reverse("order-detail", args=[order.pk])))
        assert "Report NFK-BR-1" in text

    def test_a_breach_with_an_existing_report_and_its_outcome(self, as_coordinator, cases, force):
        order = cases.served_recently
        report = Report.objects.create(
            force=force,
            reference="NFK-OLD-7",
            offence_code="8Q",
            reported_at=timezone.now(),
            occurred_from=timezone.localdate(),
        )
        ReportParty.objects.create(report=report, person=order.defendant, role=PartyRole.SUSPECT)
        assert "NFK-OLD-7" in page(as_coordinator.get(self.url(order)))
        response = as_coordinator.post(
            self.url(order), self.data(order, report_choice="existing", report=str(report.pk))
        )
        assert response.status_code == 302
        breach = order.breaches.get()
        assert breach.report == report
        url = reverse("order-breach-outcome", args=[order.pk, breach.pk])
        order = fresh(order)
        assert "Choose the outcome of the breach" in summary(
            as_coordinator.post(url, {"version": order.version, "outcome": ""})
        )
        response = as_coordinator.post(url, {"version": order.version, "outcome": "charged"})
        assert response.status_code == 302
        breach.refresh_from_db()
        assert breach.outcome == BreachOutcome.CHARGED

    def test_a_report_of_another_force_cannot_be_chosen(self, as_coordinator, cases, other_force):
        order = cases.served_recently
        report = Report.objects.create(
            force=other_force,
            reference="SFK-9",
            offence_code="8Q",
            reported_at=timezone.now(),
            occurred_from=timezone.localdate(),
        )
        response = as_coordinator.post(
            self.url(order), self.data(order, report_choice="existing", report=str(report.pk))
        )
        assert response.status_code == 200
        assert not order.breaches.exists()


# --- Variation, renewal, discharge, appeals -------------------------------------------------


class TestCourtApplications:
    def apply(self, client, order, kind, **extra):
        return client.post(
            reverse("order-court-application", args=[order.pk]),
            {
                "version": order.version,
                "kind": kind,
                "applicant": "police",
                **date_parts("made_on", timezone.localdate()),
                "grounds": "The protected person has moved",
                **extra,
            },
        )

    def test_errors(self, as_coordinator, cases):
        order = cases.served_recently
        errors = summary(
            as_coordinator.post(
                reverse("order-court-application", args=[order.pk]), {"version": order.version}
            )
        )
        assert "Choose what the application is for" in errors
        assert "Choose who is applying" in errors
        assert "Enter the grounds for the application" in errors

    def test_vary_then_record_the_decision(self, as_coordinator, cases):
        order = cases.served_recently
        assert self.apply(as_coordinator, order, "variation").status_code == 302
        application = order.court_applications.get()
        url = reverse("order-court-decision", args=[order.pk, application.pk])
        order = fresh(order)
        today = timezone.localdate()
        errors = summary(
            as_coordinator.post(
                url,
                {"version": order.version, "outcome": "granted", **date_parts("decided_on", today)},
            )
        )
        assert "Choose a condition removed or a condition added" in errors
        errors = summary(
            as_coordinator.post(
                url,
                {"version": order.version, "outcome": "refused", **date_parts("decided_on", today)},
            )
        )
        assert "Enter the court's reasons" in errors
        exclusion = order.conditions.get(code="exclusion-zone")
        response = as_coordinator.post(
            url,
            {
                "version": order.version,
                "outcome": "granted",
                **date_parts("decided_on", today),
                "remove": [str(exclusion.pk)],
                "add_code": "no-approach",
                "add_necessity": "She has moved; the old zone no longer protects her",
            },
        )
        assert response.status_code == 302
        exclusion.refresh_from_db()
        assert exclusion.removed_on == today
        assert order.conditions.filter(code="no-approach", granted=True).exists()
        application.refresh_from_db()
        assert application.outcome == Outcome.GRANTED

    def test_early_discharge_without_consent_shows_the_rule(self, as_coordinator, cases):
        order = cases.served_recently
        assert self.apply(as_coordinator, order, "discharge").status_code == 302
        application = order.court_applications.get()
        order = fresh(order)
        response = as_coordinator.post(
            reverse("order-court-decision", args=[order.pk, application.pk]),
            {
                "version": order.version,
                "outcome": "granted",
                **date_parts("decided_on", timezone.localdate()),
            },
        )
        errors = summary(response)
        assert "cannot be discharged before" in errors
        assert "without the consent of the defendant and the chief officer" in errors
        assert fresh(order).state == State.IN_FORCE
        application.refresh_from_db()
        assert application.outcome == Outcome.PENDING  # rolled back with the refusal

    def test_renewal_needs_a_later_end_date(self, as_coordinator, cases):
        order = cases.ending_soon
        assert self.apply(as_coordinator, order, "renewal").status_code == 302
        application = order.court_applications.get()
        order = fresh(order)
        url = reverse("order-court-decision", args=[order.pk, application.pk])
        today = timezone.localdate()
        base = {"version": order.version, "outcome": "granted", **date_parts("decided_on", today)}
        assert "Enter the new end date, or tick until further order" in summary(
            as_coordinator.post(url, base)
        )
        earlier = order.ends_on - dt.timedelta(days=1)
        assert "A renewal needs a new end date later than the current one" in summary(
            as_coordinator.post(url, {**base, **date_parts("new_ends_on", earlier)})
        )
        later = order.ends_on + dt.timedelta(days=365)
        response = as_coordinator.post(url, {**base, **date_parts("new_ends_on", later)})
        assert response.status_code == 302
        assert fresh(order).ends_on == later

    def test_a_notice_cannot_be_varied(self, as_coordinator, cases):
        order = cases.notice
        response = self.apply(as_coordinator, order, "variation")
        assert response.status_code == 200
        assert "Choose what the application is for" in summary(response)
        assert "cannot be varied, renewed or discharged" in page(response)


class TestAppeals:
    def test_lodge_and_allow_an_appeal_quashes_the_order(self, as_coordinator, cases):
        order = cases.served_recently
        url = reverse("order-appeal", args=[order.pk])
        errors = summary(as_coordinator.post(url, {"version": order.version}))
        assert "Choose who is appealing" in errors
        assert "Enter the decision appealed against" in errors
        response = as_coordinator.post(
            url,
            {
                "version": order.version,
                "appellant": "defendant",
                "against": "The making of the order",
                **date_parts("lodged_on", timezone.localdate()),
            },
        )
        assert response.status_code == 302
        appeal = order.appeals.get()
        order = fresh(order)
        response = as_coordinator.post(
            reverse("order-appeal-decision", args=[order.pk, appeal.pk]),
            {
                "version": order.version,
                "outcome": "allowed",
                **date_parts("decided_on", timezone.localdate()),
            },
        )
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert appeal.outcome == AppealOutcome.ALLOWED
        assert fresh(order).state == State.QUASHED
        assert isinstance(appeal, Appeal)


# --- Police notices -------------------------------------------------------------------------


@pytest.fixture
def incident(force, team, officer, make_person) -> Report:
    report = Report.objects.create(
        force=force,
        reference="NFK-DA-42",
        offence_code="8N",
        reported_at=timezone.now() - dt.timedelta(hours=3),
        occurred_from=timezone.localdate(),
        officer=officer,
        team=team,
    )
    ReportParty.objects.create(
        report=report, person=make_person(force, "Gary", "Stone"), role=PartyRole.SUSPECT
    )
    ReportParty.objects.create(
        report=report, person=make_person(force, "Helen", "Stone"), role=PartyRole.VICTIM
    )
    return report


class TestNotices:
    def give(self, client, report, rank, **extra):
        suspect = report.report_parties.get(role=PartyRole.SUSPECT).person_id
        victim = report.report_parties.get(role=PartyRole.VICTIM).person_id
        now = timezone.localtime() - dt.timedelta(minutes=10)
        return client.post(
            reverse("notice-new") + f"?order_type=dvpn&report={report.pk}",
            {
                "suspect": str(suspect),
                "protected": [str(victim)],
                "conditions": ["no-molestation"],
                "authorised_by": "4410 Ruth Adeyemi",
                "authoriser_rank": rank,
                **date_parts("given_on", now.date()),
                "given_time": f"{now:%H:%M}",
                **extra,
            },
        )

    def test_step_one_errors(self, as_officer, incident):
        response = as_officer.get(reverse("notice-new"))
        assert "NFK-DA-42" in page(response)
        errors = summary(as_officer.get(reverse("notice-new"), {"report": ""}))
        assert "Choose which notice to give" in errors
        assert "Choose the incident report" in errors

    def test_an_authoriser_below_the_rank_is_refused_and_nothing_is_kept(
        self, as_officer, incident
    ):
        before = Order.objects.count()
        response = self.give(as_officer, incident, "inspector")
        errors = summary(response)
        assert "must be authorised by an officer not below the rank of superintendent" in errors
        assert "a inspector cannot authorise it" in errors or "an inspector" in errors
        assert "Crime and Security Act 2010 s.24(1)" in errors
        assert Order.objects.count() == before
        assert 'value="4410 Ruth Adeyemi"' in page(response)  # what was typed is kept

    def test_step_two_errors(self, as_officer, incident):
        response = as_officer.post(
            reverse("notice-new") + f"?order_type=dvpn&report={incident.pk}", {}
        )
        errors = summary(response)
        assert "Choose the person the notice is given to" in errors
        assert "Choose at least one person the notice protects" in errors
        assert "Enter the name of the authorising officer" in errors
        assert "Choose the rank of the authorising officer" in errors

    def test_give_a_dvpn_apply_for_the_dvpo_and_record_it_made(self, as_officer, incident):
        response = self.give(as_officer, incident, "superintendent")
        assert response.status_code == 302
        notice = Order.objects.get(order_type="dvpn", reports=incident)
        assert response["Location"] == reverse("notice-detail", args=[notice.pk])
        assert notice.state == State.IN_FORCE
        assert notice.defendant.surname == "Stone"
        assert notice.authoriser_rank == "superintendent"

        text = page(as_officer.get(response["Location"]))
        assert "The hearing must start by" in text
        assert " left" in text
        assert 'hx-trigger="every 30s"' in text
        countdown = page(as_officer.get(reverse("notice-countdown", args=[notice.pk])))
        assert 'id="hearing-deadline"' in countdown
        assert "<html" not in countdown  # the panel alone, for htmx

        # The application for the DVPO
        url = reverse("notice-apply", args=[notice.pk])
        assert "Enter the magistrates' court" in summary(
            as_officer.post(url, {"version": notice.version})
        )
        hearing = timezone.localdate() + dt.timedelta(days=1)
        response = as_officer.post(
            url,
            {
                "version": notice.version,
                "court": builders.COURT,
                **date_parts("hearing_on", hearing),
                "hearing_time": "10:00",
            },
        )
        assert response.status_code == 302
        dvpo = notice.children.get()
        assert (dvpo.order_type, dvpo.state) == ("dvpo", State.APPLIED)
        assert dvpo.conditions.filter(code="no-molestation").exists()
        assert "Record the court's decision" in page(
            as_officer.get(reverse("notice-detail", args=[notice.pk]))
        )

        # The order made: a term outside 14-28 days is refused with the rule
        url = reverse("order-following-decision", args=[dvpo.pk])
        today = timezone.localdate()
        base = {
            "version": dvpo.version,
            "outcome": "granted",
            **date_parts("decided_on", today),
            "decided_time": "00:02",
        }
        assert "Enter the date the order ends" in summary(as_officer.post(url, base))
        errors = summary(
            as_officer.post(url, {**base, **date_parts("ends_on", today + dt.timedelta(days=40))})
        )
        assert "may last at most 28 days" in errors
        ends = today + dt.timedelta(days=27)
        response = as_officer.post(url, {**base, **date_parts("ends_on", ends)})
        assert response.status_code == 302
        dvpo.refresh_from_db()
        assert dvpo.state == State.IN_FORCE
        assert dvpo.ends_on == ends
        notice.refresh_from_db()
        assert notice.state == State.ENDED
        text = page(as_officer.get(reverse("notice-detail", args=[notice.pk])))
        assert f"At the end of {ends:%A} {ends.day} {ends:%B %Y}" in text
        assert "No hearing deadline runs" in text
        text = page(as_officer.get(reverse("order-detail", args=[dvpo.pk])))
        assert f"Ends at the end of {ends:%A} {ends.day} {ends:%B %Y}" in text
        assert "cannot be renewed" in text

    def test_an_overdue_hearing_deadline_is_a_warning(self, as_coordinator, cases):
        notice = cases.notice
        from safeguard.orders.selectors.lifecycle import notice_deadline

        due = notice_deadline(notice, timezone.now()).due
        Order.objects.filter(pk=notice.pk).update(
            issued_at=notice.issued_at - dt.timedelta(days=10)
        )
        text = page(as_coordinator.get(reverse("notice-detail", args=[notice.pk])))
        assert "Overdue. The hearing must start by" in text
        assert "govuk-tag--red" in text
        assert due  # computed from the clock, not restated

    def test_a_view_only_role_gets_the_order_page_and_cannot_apply(self, cases, make_user, force):
        admin = signed_in(make_user(Role.FORCE_ADMIN, force))
        notice = cases.notice
        response = admin.get(reverse("notice-detail", args=[notice.pk]))
        assert response["Location"] == reverse("order-detail", args=[notice.pk])  # its fields
        assert admin.get(reverse("notice-apply", args=[notice.pk])).status_code == 403
        assert admin.get(reverse("notice-new")).status_code == 403

    def test_another_team_cannot_see_the_notice(self, cases, other_officer):
        client = signed_in(other_officer)
        assert client.get(reverse("notice-detail", args=[cases.notice.pk])).status_code == 404
        assert client.get(reverse("notice-countdown", args=[cases.notice.pk])).status_code == 404


class TestOptimisticLocking:
    def test_a_stale_breach_form_is_refused_and_keeps_what_was_typed(self, as_coordinator, cases):
        order = cases.served_recently
        response = as_coordinator.post(
            reverse("order-breach-new", args=[order.pk]),
            {
                "version": order.version - 1,
                **date_parts("occurred_on", timezone.localdate()),
                "occurred_time": "00:01",
                "description": "Left flowers on her car",
                "report_choice": "none",
            },
        )
        assert "was changed by someone else" in summary(response)
        assert "Left flowers on her car" in page(response)
        assert not order.breaches.exists()

    def test_compliance_writes_check_and_bump_the_orders_version(self, cases):
        from safeguard.compliance import services as compliance
        from safeguard.orders.services import ConcurrentEdit

        order = cases.served_recently
        with pytest.raises(ConcurrentEdit):
            compliance.record_breach(
                order,
                occurred_at=timezone.now(),
                description="x",
                by=None,
                expected_version=order.version - 1,
            )
        breach = compliance.record_breach(
            order,
            occurred_at=timezone.now(),
            description="x",
            by=None,
            expected_version=order.version,
        )
        assert fresh(order).version == order.version + 1
        with pytest.raises(ConcurrentEdit):
            compliance.record_breach_outcome(
                breach, "charged", by=None, expected_version=order.version
            )
        # Callers that read no version (the API, the jobs) are unaffected.
        compliance.record_breach_outcome(breach, "charged", by=None)
        assert fresh(order).version == order.version + 1


def test_a_notices_order_page_shows_the_hearing_deadline(as_coordinator, cases):
    notice = cases.notice
    text = page(as_coordinator.get(reverse("order-detail", args=[notice.pk])))
    assert 'id="hearing-banner-title"' in text
    assert "The hearing must start by" in text
    assert reverse("notice-detail", args=[notice.pk]) in text
    assert reverse("order-service", args=[notice.pk]) not in text  # served when given


def test_a_dapn_needs_an_inspector_and_is_then_given(as_officer, incident):
    suspect = incident.report_parties.get(role=PartyRole.SUSPECT).person_id
    victim = incident.report_parties.get(role=PartyRole.VICTIM).person_id
    now = timezone.localtime() - dt.timedelta(minutes=5)
    url = reverse("notice-new") + f"?order_type=dapn&report={incident.pk}"
    data = {
        "suspect": str(suspect),
        "protected": [str(victim)],
        "conditions": ["no-entry"],
        "authorised_by": "5120 Dee Marsh",
        "authoriser_rank": "sergeant",
        **date_parts("given_on", now.date()),
        "given_time": f"{now:%H:%M}",
    }
    errors = summary(as_officer.post(url, data))
    assert "A Domestic Abuse Protection Notice must be authorised by a constable of at least" in (
        errors
    )
    assert "Domestic Abuse Act 2021 s.22(8)" in errors
    response = as_officer.post(url, {**data, "authoriser_rank": "inspector"})
    assert response.status_code == 302
    notice = Order.objects.get(order_type="dapn")
    text = page(as_officer.get(response["Location"]))
    assert "The hearing must start by" in text
    assert "Apply for a Domestic Abuse Protection Order" in text
    assert notice.conditions.get().code == "no-entry"


def test_the_suspect_cannot_also_be_protected(as_officer, incident):
    suspect = incident.report_parties.get(role=PartyRole.SUSPECT).person_id
    response = as_officer.post(
        reverse("notice-new") + f"?order_type=dvpn&report={incident.pk}",
        {"suspect": str(suspect), "protected": [str(suspect)]},
    )
    assert "cannot also be protected" in summary(response)
