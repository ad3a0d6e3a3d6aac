"""The application builder, the legal review and the hearing (issue 4): each form's validation
errors and success, optimistic locking, who may see and do what, and the work queue's query
budget."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.access.models import Force, Role
from safeguard.orders import services
from safeguard.orders.models import LegalReview, Order, Outcome, ReviewDecision
from safeguard.orders.services import applications
from safeguard.reports.models import PartyRole, Report, ReportParty
from safeguard.rules.orders import State
from tests.web import builders
from tests.web.conftest import PROTECTED_ADDRESS, signed_in

pytestmark = pytest.mark.django_db

EVIDENCE = (
    "Followed her from work on six evenings in March; 140 messages after she asked him to stop"
)


def make_report(force, defendant, victim, reference: str, days_ago: int, summary: str) -> Report:
    report = Report.objects.create(
        force=force,
        reference=reference,
        offence_code="8Q",
        reported_at=timezone.now() - dt.timedelta(days=days_ago),
        occurred_from=timezone.localdate() - dt.timedelta(days=days_ago),
        summary=summary,
    )
    ReportParty.objects.create(report=report, person=victim, role=PartyRole.VICTIM)
    ReportParty.objects.create(report=report, person=defendant, role=PartyRole.SUSPECT)
    return report


@pytest.fixture
def draft(force, coordinator, defendant, victim) -> Order:
    """A draft SPO with two linked reports and nothing written yet."""
    later = make_report(force, defendant, victim, "NFK-2", 10, "Waited outside her workplace")
    earlier = make_report(force, defendant, victim, "NFK-1", 40, "Sent 140 messages in three weeks")
    return services.create_order(
        force=force,
        order_type="spo",
        defendant=defendant,
        protected_persons=[victim],
        by=coordinator,
        reports=[later, earlier],
        officer=coordinator,
    )


@pytest.fixture
def as_coordinator(coordinator):
    return signed_in(coordinator)


@pytest.fixture
def legal(make_user, force):
    return make_user(Role.LEGAL, force, first_name="Lena", last_name="Adler")


def complete(order: Order, by=None, *, court: bool = True) -> Order:
    """Every task done, through the builder's services."""
    for number in range(1, len(order.spec.tests) + 1):
        order = applications.save_evidence(
            order, number, f"{EVIDENCE} ({number})", [], expected_version=order.version, by=by
        )
    order = applications.save_victim_views(
        order, "She wants him kept away from her home", expected_version=order.version, by=by
    )
    applications.add_condition(
        order,
        "no-contact",
        necessity="He contacted her daily after being told to stop",
        expected_version=order.version,
        by=by,
    )
    order.refresh_from_db()
    if court:
        order = applications.save_court(
            order, builders.COURT, None, expected_version=order.version, by=by
        )
    return order


def page(response) -> str:
    return response.content.decode()


class TestBuilder:
    def test_task_list_shows_the_three_tests_and_statuses(self, as_coordinator, draft):
        response = as_coordinator.get(reverse("application-builder", args=[draft.pk]))
        assert response.status_code == 200
        body = page(response)
        assert "govuk-task-list" in body
        assert "Test 1: the defendant has carried out acts associated with stalking" in body
        assert "Stalking Protection Act 2019 s.2(1)(c)" in body
        assert body.count("Not started") >= 5
        assert "Cannot start yet" in body  # check answers, until the tasks are done
        assert PROTECTED_ADDRESS not in body

    def test_completed_tasks_show_completed_and_open_check_answers(self, as_coordinator, draft):
        complete(draft)
        body = page(as_coordinator.get(reverse("application-builder", args=[draft.pk])))
        assert "Cannot start yet" not in body
        assert reverse("application-check", args=[draft.pk]) in body
        assert "You have completed 7 of 8 tasks" in body  # the interim order is optional

    def test_evidence_is_required(self, as_coordinator, draft):
        url = reverse("application-test", args=[draft.pk, 1])
        response = as_coordinator.post(url, {"version": draft.version, "evidence": " "})
        assert response.status_code == 200
        assert '<a href="#id_evidence">Enter the evidence for this test</a>' in page(response)
        draft.refresh_from_db()
        assert draft.grounds == {}

    def test_evidence_is_saved_with_the_reports_it_relies_on(self, as_coordinator, draft):
        url = reverse("application-test", args=[draft.pk, 2])
        response = as_coordinator.post(
            url, {"version": draft.version, "evidence": EVIDENCE, "reports": ["NFK-1", "NFK-2"]}
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.grounds["2"] == f"{EVIDENCE}\nReports relied on: NFK-1, NFK-2"
        # Shown again, the reports are ticked and the text is the writer's own
        body = page(as_coordinator.get(url))
        assert "Reports this evidence relies on" in body  # the fieldset's legend
        assert body.count("checked") == 2
        assert f">\n{EVIDENCE}</textarea>" in body  # not the "Reports relied on" line

    def test_a_report_not_linked_cannot_be_cited(self, as_coordinator, draft):
        url = reverse("application-test", args=[draft.pk, 1])
        response = as_coordinator.post(
            url, {"version": draft.version, "evidence": EVIDENCE, "reports": ["OTHER-9"]}
        )
        assert "Select only reports linked to this application" in page(response)

    def test_a_stale_form_says_so_and_keeps_what_was_typed(self, as_coordinator, draft):
        read_at = draft.version
        applications.save_victim_views(draft, "Earlier words", expected_version=read_at, by=None)
        response = as_coordinator.post(
            reverse("application-victim-views", args=[draft.pk]),
            {"version": read_at, "victim_views": "My careful account of her views"},
        )
        assert response.status_code == 200
        body = page(response)
        assert "was changed by someone else while you were filling in this form" in body
        assert "My careful account of her views</textarea>" in body
        draft.refresh_from_db()
        assert draft.victim_views == "Earlier words"
        # Saving again, knowingly, works
        response = as_coordinator.post(
            reverse("application-victim-views", args=[draft.pk]),
            {"version": draft.version, "victim_views": "My careful account of her views"},
        )
        assert response.status_code == 302

    def test_evidence_screening_wrote_is_offered_for_editing(self, as_coordinator, draft):
        # screening.services.start_application keys the evidence by test, with the test's text
        Order.objects.filter(pk=draft.pk).update(
            grounds={
                "1": {"test": "Acts associated with stalking", "evidence": "Linked: 4 reports"}
            }
        )
        body = page(as_coordinator.get(reverse("application-test", args=[draft.pk, 1])))
        assert ">\nLinked: 4 reports</textarea>" in body
        builder = page(as_coordinator.get(reverse("application-builder", args=[draft.pk])))
        assert re.search(r'id="task-test-1-status">\s*Completed', builder)

    def test_the_order_page_offers_the_next_step(self, as_coordinator, draft):
        body = page(as_coordinator.get(reverse("order-detail", args=[draft.pk])))
        assert reverse("application-builder", args=[draft.pk]) in body
        assert "Continue the application" in body
        order = complete(draft)
        services.submit_application(order, expected_version=order.version, by=None)
        body = page(as_coordinator.get(reverse("order-detail", args=[draft.pk])))
        assert reverse("application-hearing", args=[draft.pk]) in body
        assert "Continue the application" not in body
        # Past its draft, the builder's pages lead to the order page
        response = as_coordinator.get(reverse("application-builder", args=[draft.pk]))
        assert response["Location"] == reverse("order-detail", args=[draft.pk])

    def test_chronology_lists_the_linked_reports_earliest_first(self, as_coordinator, draft):
        body = page(as_coordinator.get(reverse("application-chronology", args=[draft.pk])))
        assert body.index("Sent 140 messages") < body.index("Waited outside her workplace")

    def test_a_condition_needs_a_necessity_justification(self, as_coordinator, draft):
        url = reverse("application-condition-add", args=[draft.pk])
        response = as_coordinator.post(url, {"version": draft.version, "code": "no-contact"})
        assert response.status_code == 200
        assert (
            '<a href="#id_necessity">Explain why this condition is necessary to protect the '
            "person</a>" in page(response)
        )
        response = as_coordinator.post(url, {"version": draft.version})
        assert '<a href="#id_code_0">Select a prohibition or requirement</a>' in page(response)
        assert not draft.conditions.exists()

    def test_a_condition_is_added_from_the_catalogue_and_removed(self, as_coordinator, draft):
        url = reverse("application-condition-add", args=[draft.pk])
        response = as_coordinator.post(
            url,
            {
                "version": draft.version,
                "code": "exclusion-zone",
                "necessity": "He waited outside her workplace on six mornings",
                "locality": "Norwich city centre",
            },
        )
        assert response.status_code == 302
        condition = draft.conditions.get()
        assert condition.wording == "Not to enter a defined area (home, workplace, school)"
        assert condition.locality == "Norwich city centre"
        body = page(as_coordinator.get(reverse("application-conditions", args=[draft.pk])))
        assert "He waited outside her workplace on six mornings" in body
        draft.refresh_from_db()
        response = as_coordinator.post(
            reverse("application-conditions", args=[draft.pk]),
            {"version": draft.version, "remove": condition.pk},
        )
        assert response.status_code == 302
        assert not draft.conditions.exists()

    def test_court_and_hearing_date_errors_say_how_to_fix_them(self, as_coordinator, draft):
        url = reverse("application-court", args=[draft.pk])
        response = as_coordinator.post(
            url,
            {
                "version": draft.version,
                "court": "",
                "hearing_date_0": "31",
                "hearing_date_1": "2",
                "hearing_date_2": "2027",
            },
        )
        body = page(response)
        assert '<a href="#id_court">Enter the name of the magistrates&#x27; court</a>' in body
        assert "The hearing date must be a real date" in body
        assert 'href="#id_hearing_date_0"' in body  # 31 February: the day is wrong
        response = as_coordinator.post(
            url,
            {
                "version": draft.version,
                "court": builders.COURT,
                "hearing_date_0": "8",
                "hearing_date_1": "12",
                "hearing_date_2": "2026",
            },
        )
        assert "Enter the hearing time, for example 10:00" in page(response)

    def test_a_partial_date_says_which_part_is_missing(self, as_coordinator, draft):
        response = as_coordinator.post(
            reverse("application-court", args=[draft.pk]),
            {
                "version": draft.version,
                "court": builders.COURT,
                "hearing_date_0": "8",
                "hearing_date_2": "2026",
                "hearing_time": "10:00",
            },
        )
        assert "The hearing date must include a month" in page(response)
        body = page(response)
        # Only the month box is marked, and the error summary links to it.
        assert 'id="id_hearing_date_1"' in body
        assert 'href="#id_hearing_date_1"' in body
        assert body.count("govuk-date-input__input govuk-input--width-2 govuk-input--error") == 1

    def test_a_form_without_its_version_is_refused_with_a_message(self, as_coordinator, draft):
        response = as_coordinator.post(
            reverse("application-victim-views", args=[draft.pk]), {"victim_views": "Words"}
        )
        assert "This page is out of date. Reload it, then try again" in page(response)
        draft.refresh_from_db()
        assert draft.victim_views == ""

    def test_court_and_hearing_date_are_saved(self, as_coordinator, draft):
        url = reverse("application-court", args=[draft.pk])
        response = as_coordinator.post(
            url,
            {
                "version": draft.version,
                "court": builders.COURT,
                "hearing_date_0": "8",
                "hearing_date_1": "12",
                "hearing_date_2": "2026",
                "hearing_time": "10:00",
            },
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.court == builders.COURT
        hearing = draft.hearings.get()
        assert timezone.localtime(hearing.scheduled_for).strftime("%H:%M %d %m %Y") == (
            "10:00 08 12 2026"
        )

    def test_an_interim_application_can_be_started(self, as_coordinator, draft):
        response = as_coordinator.post(
            reverse("application-interim", args=[draft.pk]), {"version": draft.version}
        )
        interim = draft.children.get()
        assert interim.order_type == "interim-spo"
        assert response.status_code == 302
        assert response["Location"] == reverse("application-builder", args=[interim.pk])
        body = page(as_coordinator.get(response["Location"]))
        assert "Interim Stalking Protection Order application" in body
        assert "Stalking Protection Act 2019 s.5(3)" in body

    def test_it_cannot_be_sent_for_review_until_complete(self, as_coordinator, draft):
        url = reverse("application-check", args=[draft.pk])
        assert "Complete every task before sending" in page(as_coordinator.get(url))
        response = as_coordinator.post(url, {"version": draft.version})
        assert "Complete every task before asking for review" in page(response)
        assert not LegalReview.objects.exists()


class TestLegalReview:
    def sent(self, as_coordinator, draft) -> Order:
        order = complete(draft)
        response = as_coordinator.post(
            reverse("application-check", args=[order.pk]),
            {"version": order.version, "note": "Urgent: he was seen near her home"},
        )
        assert response.status_code == 302
        order.refresh_from_db()
        return order

    def test_changes_requested_go_back_to_the_coordinator(self, as_coordinator, draft, legal):
        order = self.sent(as_coordinator, draft)
        # While waiting, the application cannot be changed
        response = as_coordinator.post(
            reverse("application-victim-views", args=[order.pk]),
            {"version": order.version, "victim_views": "New words"},
        )
        assert "is with the legal adviser for review" in page(response)

        adviser = signed_in(legal)
        queue = page(adviser.get(reverse("legal-review-queue")))
        assert order.reference in queue
        url = reverse("legal-review", args=[order.pk])
        body = page(adviser.get(url))
        assert "Urgent: he was seen near her home" in body
        assert EVIDENCE in body
        response = adviser.post(url, {"version": order.version, "decision": "changes_requested"})
        assert (
            '<a href="#id_comments">Say what needs to change, so the coordinator can put it '
            "right</a>" in page(response)
        )
        response = adviser.post(url, {"version": order.version})
        assert "Select whether to approve the application or ask for changes" in page(response)
        response = adviser.post(
            url,
            {
                "version": order.version,
                "decision": "changes_requested",
                "comments": "Test 2 needs the S-DASH score",
            },
        )
        assert response.status_code == 302
        review = order.legal_reviews.get()
        assert review.decision == ReviewDecision.CHANGES_REQUESTED
        assert review.decided_by == legal

        builder = page(as_coordinator.get(reverse("application-builder", args=[order.pk])))
        assert "Changes requested" in builder
        assert "Test 2 needs the S-DASH score" in builder
        queue = page(as_coordinator.get(reverse("application-work-queue")))
        returned = queue[queue.index('id="returned"') : queue.index('id="drafts"')]
        assert order.reference in returned

    def test_approval_makes_the_application_to_the_court(self, as_coordinator, draft, legal):
        order = self.sent(as_coordinator, draft)
        response = signed_in(legal).post(
            reverse("legal-review", args=[order.pk]),
            {"version": order.version, "decision": "approved"},
        )
        assert response.status_code == 302
        order.refresh_from_db()
        assert order.state == State.APPLIED
        assert order.applied_at is not None
        assert order.legal_reviews.get().decision == ReviewDecision.APPROVED

    def test_the_courts_refusal_is_shown_and_nothing_is_recorded(self, draft, legal, coordinator):
        # An application with no condition (not possible through the builder; the service
        # is the last check)
        LegalReview.objects.create(
            order=draft, requested_by=coordinator, requested_at=timezone.now(), order_version=1
        )
        response = signed_in(legal).post(
            reverse("legal-review", args=[draft.pk]),
            {"version": draft.version, "decision": "approved"},
        )
        assert response.status_code == 200
        assert "Propose at least one prohibition or requirement before applying" in page(response)
        draft.refresh_from_db()
        assert draft.state == State.DRAFT
        assert draft.legal_reviews.get().decision == ReviewDecision.PENDING

    def test_only_legal_advisers_decide(self, as_coordinator, draft, make_user, force):
        order = self.sent(as_coordinator, draft)
        assert as_coordinator.get(reverse("legal-review-queue")).status_code == 403
        response = as_coordinator.post(
            reverse("legal-review", args=[order.pk]),
            {"version": order.version, "decision": "approved"},
        )
        assert response.status_code == 403
        supervisor = signed_in(make_user(Role.SUPERVISOR, force))
        assert supervisor.get(reverse("legal-review", args=[order.pk])).status_code == 403
        order.refresh_from_db()
        assert order.state == State.DRAFT

    def test_another_forces_adviser_gets_not_found(self, as_coordinator, draft, make_user):
        order = self.sent(as_coordinator, draft)
        other = Force.objects.create(code="essex", name="Essex", ons_code="E23000028")
        adviser = signed_in(make_user(Role.LEGAL, other))
        assert adviser.get(reverse("legal-review", args=[order.pk])).status_code == 404
        assert order.reference not in page(adviser.get(reverse("legal-review-queue")))


class TestAccess:
    def test_who_may_open_the_builder(self, draft, make_user, force, team):
        url = reverse("application-builder", args=[draft.pk])
        other = Force.objects.create(code="essex", name="Essex", ons_code="E23000028")
        refused = {
            "officer of another team": make_user(Role.OFFICER, force),
            "advocate": make_user(Role.ADVOCATE, force),
            "analyst": make_user(Role.ANALYST, force),
            "coordinator of another force": make_user(Role.COORDINATOR, other),
        }
        for who, user in refused.items():
            response = signed_in(user).get(url)
            assert response.status_code in (403, 404), who
        assert signed_in(make_user(Role.LEGAL, force)).get(url).status_code == 200

    def test_a_change_needs_a_post_with_the_csrf_token(self, coordinator, draft):
        from django.test import Client

        from tests.access.signing_in import sign_in_fully

        client = Client(enforce_csrf_checks=True)
        sign_in_fully(client, coordinator)
        response = client.post(
            reverse("application-victim-views", args=[draft.pk]),
            {"version": draft.version, "victim_views": "x"},
        )
        assert response.status_code == 403
        draft.refresh_from_db()
        assert draft.victim_views == ""

    def test_the_menu_offers_each_role_its_own_queue(self, as_coordinator, legal, make_user, force):
        work_queue = reverse("application-work-queue")
        legal_queue = reverse("legal-review-queue")
        home = page(as_coordinator.get(reverse("home")))
        assert f'href="{work_queue}"' in home
        assert f'href="{legal_queue}"' not in home
        home = page(signed_in(legal).get(reverse("home")))
        assert f'href="{legal_queue}"' in home
        assert f'href="{work_queue}"' not in home
        home = page(signed_in(make_user(Role.OFFICER, force)).get(reverse("home")))
        assert f'href="{work_queue}"' not in home
        assert f'href="{legal_queue}"' not in home

    def test_the_work_queue_is_refused_to_roles_that_change_no_order(self, make_user, force):
        analyst = signed_in(make_user(Role.ANALYST, force))
        assert analyst.get(reverse("application-work-queue")).status_code == 403


class TestHearing:
    @pytest.fixture
    def applied(self, draft) -> Order:
        order = complete(draft)
        return services.submit_application(
            order,
            expected_version=order.version,
            by=None,
            hearing_at=timezone.now() + dt.timedelta(days=3),
        )

    def post(self, client, order, **data):
        today = timezone.localdate()
        form = {
            "version": order.version,
            "decided_on_0": today.day,
            "decided_on_1": today.month,
            "decided_on_2": today.year,
            "decided_time": "11:30",
            **data,
        }
        return client.post(reverse("application-hearing", args=[order.pk]), form)

    def test_outcome_errors(self, legal, applied):
        client = signed_in(legal)
        body = page(self.post(client, applied))
        assert '<a href="#id_outcome_0">Select what the court decided</a>' in body
        body = page(self.post(client, applied, outcome="granted"))
        assert '<a href="#id_term_0">Select how long the order lasts</a>' in body
        body = page(self.post(client, applied, outcome="granted", term="fixed"))
        assert "Enter the date the order ends" in body
        body = page(self.post(client, applied, outcome="refused"))
        assert "Enter the court&#x27;s reasons" in body
        body = page(self.post(client, applied, outcome="adjourned", reasons="No interpreter"))
        assert "Enter the date of the adjourned hearing" in body
        # A fixed term shorter than the statute allows: the rule's own words (SPA 2019 s.3)
        end = timezone.localdate() + dt.timedelta(days=365)
        body = page(
            self.post(
                client,
                applied,
                outcome="granted",
                term="fixed",
                ends_on_0=end.day,
                ends_on_1=end.month,
                ends_on_2=end.year,
            )
        )
        assert "must last at least 2 years" in body
        applied.refresh_from_db()
        assert applied.state == State.APPLIED

    def test_granted_as_asked(self, legal, applied):
        response = self.post(
            signed_in(legal), applied, outcome="granted", term="until_further_order"
        )
        assert response.status_code == 302
        applied.refresh_from_db()
        assert applied.state == State.IN_FORCE
        assert applied.until_further_order
        assert applied.hearings.get().outcome == Outcome.GRANTED

    def test_granted_with_changed_conditions(self, legal, applied):
        keep = applied.conditions.get()
        response = self.post(
            signed_in(legal),
            applied,
            outcome="granted_changed",
            term="until_further_order",
            conditions=[str(keep.pk)],
        )
        assert response.status_code == 302
        applied.refresh_from_db()
        assert applied.state == State.IN_FORCE
        assert [c.code for c in applied.conditions.all()] == ["no-contact"]
        assert all(c.granted for c in applied.conditions.all())

    def test_refused_with_reasons(self, legal, applied):
        response = self.post(
            signed_in(legal), applied, outcome="refused", reasons="Not satisfied of the risk"
        )
        assert response.status_code == 302
        applied.refresh_from_db()
        assert applied.state == State.REFUSED
        assert applied.end_reason == "Not satisfied of the risk"

    def test_adjourned_lists_the_new_date(self, legal, applied):
        later = timezone.localdate() + dt.timedelta(days=14)
        client = signed_in(legal)
        response = self.post(
            client,
            applied,
            outcome="adjourned",
            reasons="Defendant's solicitor unwell",
            next_date_0=later.day,
            next_date_1=later.month,
            next_date_2=later.year,
            next_time="10:00",
        )
        assert response.status_code == 302
        applied.refresh_from_db()
        assert applied.state == State.APPLIED
        outcomes = [h.outcome for h in applied.hearings.order_by("scheduled_for")]
        assert outcomes == [Outcome.ADJOURNED, Outcome.PENDING]
        banner = page(client.get(response["Location"]))
        assert f"adjourned to 10:00 on {later:%A} {later.day} {later:%B %Y}" in banner

    def test_interim_granted_for_a_fixed_period(self, legal, draft):
        interim = applications.start_interim(draft, expected_version=draft.version, by=None)
        interim = complete(interim)
        interim = services.submit_application(interim, expected_version=interim.version, by=None)
        end = timezone.localdate() + dt.timedelta(days=56)
        client = signed_in(legal)
        form = page(client.get(reverse("application-hearing", args=[interim.pk])))
        assert "Until further order" not in form  # s.5(6): a fixed period only
        response = self.post(
            client,
            interim,
            outcome="granted",
            term="fixed",
            ends_on_0=end.day,
            ends_on_1=end.month,
            ends_on_2=end.year,
        )
        assert response.status_code == 302
        interim.refresh_from_db()
        assert interim.state == State.IN_FORCE
        assert interim.ends_on == end
        banner = page(client.get(response["Location"]))
        assert f"in force until the end of {end.day} {end:%B %Y}" in banner


class TestWorkQueue:
    def test_sections_and_a_fixed_number_of_queries(
        self, as_coordinator, force, coordinator, make_person, django_assert_max_num_queries
    ):
        def drafts(n: int) -> None:
            for _ in range(n):
                services.create_order(
                    force=force,
                    order_type="spo",
                    defendant=make_person(force),
                    protected_persons=[make_person(force)],
                    by=None,
                    officer=coordinator,
                )

        drafts(2)
        url = reverse("application-work-queue")
        with django_assert_max_num_queries(40) as few:
            response = as_coordinator.get(url)
        body = page(response)
        assert body.count(reverse("application-builder", args=[Order.objects.first().pk])) == 1
        drafts(25)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = as_coordinator.get(url)
        # Ten to a page, with a link to the next
        assert "drafts_page=2" in page(response)
        assert len(response.context["pages"]["drafts"].object_list) == 10

    def test_overdue_deadlines_are_shown(
        self, as_coordinator, force, team, coordinator, make_person
    ):
        now = timezone.now()
        order = builders.spo_in_force(
            force,
            make_person(force),
            make_person(force),
            made_on=timezone.localdate() - dt.timedelta(days=9),
            served_at=now - dt.timedelta(days=7),
            officer=coordinator,
        )
        body = page(as_coordinator.get(reverse("application-work-queue")))
        deadlines = body[body.index('id="deadlines"') : body.index('id="returned"')]
        assert order.reference in deadlines
        assert "Overdue" in deadlines
        assert "was due by" in deadlines

    def test_open_referrals_and_flagged_cases_are_listed(
        self, as_coordinator, force, draft, coordinator, defendant, victim
    ):
        from safeguard.reports import services as reports
        from safeguard.screening.models import Candidate

        report = draft.reports.order_by("pk").first()
        reports.refer_report(report=report, by=coordinator, note="Escalating: needs an order")
        now = timezone.now()
        candidate = Candidate.objects.create(
            force=force,
            suspect_key="s1",
            victim_key="v1",
            suspect=defendant,
            victim=victim,
            score=0.9,
            summary="Repeated following over three months",
            last_report_at=now,
            first_flagged_at=now,
            updated_at=now,
        )
        body = page(as_coordinator.get(reverse("application-work-queue")))
        referrals = body[body.index('id="referrals"') : body.index('id="candidates"')]
        assert report.reference in referrals
        flagged = body[body.index('id="candidates"') :]
        assert reverse("screening-candidate", args=[candidate.pk]) in flagged
        assert "Repeated following over three months" in flagged

    def test_the_legal_review_queue_makes_a_fixed_number_of_queries(
        self, force, coordinator, legal, make_person, django_assert_max_num_queries
    ):
        client = signed_in(legal)

        def waiting(n: int) -> None:
            for _ in range(n):
                order = services.create_order(
                    force=force,
                    order_type="spo",
                    defendant=make_person(force),
                    protected_persons=[make_person(force)],
                    by=None,
                )
                LegalReview.objects.create(
                    order=order,
                    requested_by=coordinator,
                    requested_at=timezone.now(),
                    order_version=order.version,
                )

        waiting(1)
        with django_assert_max_num_queries(30) as few:
            client.get(reverse("legal-review-queue"))
        waiting(15)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("legal-review-queue"))
        assert "16 applications waiting" in page(response)
        assert "page=2" in page(response)
