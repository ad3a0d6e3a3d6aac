"""The order state machine: only lawful moves, each refusal naming its rule (issue 2, item 5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from safeguard.compliance.models import Notification, NotificationKind
from safeguard.orders import services
from safeguard.orders.models import Order, Outcome, StateChange
from safeguard.orders.services import ConcurrentEdit, InvalidStep, ProposedCondition
from safeguard.rules.orders import RuleViolation, State

LONDON = ZoneInfo("Europe/London")
NO_CONTACT = ProposedCondition("no-contact", necessity="He messaged her 40 times in a week")
EXCLUSION = ProposedCondition(
    "exclusion-zone", necessity="He waited outside her workplace", locality="Norwich NR1"
)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def new_order(force, coordinator, defendant, victim):
    def make(order_type: str = "spo", **kwargs) -> Order:
        kwargs.setdefault("conditions", [NO_CONTACT])
        return services.create_order(
            force=force,
            order_type=order_type,
            defendant=defendant,
            protected_persons=[victim],
            by=coordinator,
            officer=coordinator,
            court="Norwich Magistrates' Court",
            **kwargs,
        )

    return make


def applied(order: Order, when: dt.datetime | None = None) -> Order:
    when = when or at(2025, 3, 3, 9)
    return services.submit_application(order, expected_version=order.version, by=None, at=when)


def granted(order: Order, made_on: dt.date, **term) -> Order:
    return services.record_outcome(
        order,
        Outcome.GRANTED,
        expected_version=order.version,
        by=None,
        decided_at=dt.datetime.combine(made_on, dt.time(11), tzinfo=LONDON),
        made_on=made_on,
        **term,
    )


class TestSpoTerm:
    def test_fixed_term_shorter_than_two_years_is_refused_citing_section_3(self, new_order):
        order = applied(new_order())
        with pytest.raises(RuleViolation) as refusal:
            granted(order, dt.date(2025, 3, 10), ends_on=dt.date(2027, 3, 8))
        assert "s.3" in str(refusal.value)
        assert "9 March 2027" in str(refusal.value)
        order.refresh_from_db()
        assert order.state == State.APPLIED  # nothing half-written

    def test_two_years_beginning_with_the_day_made_is_the_minimum(self, new_order):
        order = granted(applied(new_order()), dt.date(2025, 3, 10), ends_on=dt.date(2027, 3, 9))
        assert order.state == State.IN_FORCE
        assert order.conditions.filter(granted=True).count() == 1

    def test_until_further_order_is_lawful(self, new_order):
        order = granted(applied(new_order()), dt.date(2025, 3, 10), until_further_order=True)
        assert order.until_further_order
        assert order.ends_on is None

    def test_no_term_at_all_is_refused(self, new_order):
        with pytest.raises(RuleViolation, match="needs an end date or 'until further order'"):
            granted(applied(new_order()), dt.date(2025, 3, 10))


class TestApplication:
    def test_each_condition_needs_a_necessity_justification(self, new_order):
        order = new_order(conditions=[ProposedCondition("no-contact")])
        with pytest.raises(RuleViolation, match=r"s\.2\(2\)"):
            applied(order)

    def test_a_condition_outside_the_catalogue_is_refused(self, new_order):
        with pytest.raises(RuleViolation, match="cannot carry the condition 'leave-premises'"):
            new_order(conditions=[ProposedCondition("leave-premises", necessity="x")])

    def test_refusal_needs_reasons_and_closes_the_order(self, new_order):
        order = applied(new_order())
        with pytest.raises(InvalidStep, match="reasons"):
            services.record_outcome(order, Outcome.REFUSED, expected_version=order.version, by=None)
        order = services.record_outcome(
            order,
            Outcome.REFUSED,
            expected_version=order.version,
            by=None,
            reasons="Risk not shown",
            decided_at=at(2025, 4, 1, 12),
        )
        assert order.state == State.REFUSED
        assert order.hearings.get().outcome == Outcome.REFUSED

    def test_adjournment_keeps_the_application_pending(self, new_order):
        order = applied(new_order())
        order = services.record_outcome(
            order, Outcome.ADJOURNED, expected_version=order.version, by=None, reasons="No judge"
        )
        assert order.state == State.APPLIED

    def test_a_refused_order_cannot_then_be_granted(self, new_order):
        order = applied(new_order())
        order = services.record_outcome(
            order, Outcome.REFUSED, expected_version=order.version, by=None, reasons="Not shown"
        )
        with pytest.raises(RuleViolation, match="that is refused cannot be granted"):
            granted(order, dt.date(2025, 3, 10), until_further_order=True)

    def test_every_move_is_recorded_in_the_timeline(self, new_order):
        order = granted(applied(new_order()), dt.date(2025, 3, 10), until_further_order=True)
        moves = list(StateChange.objects.filter(order=order).values_list("action", "to_state"))
        assert moves == [("submit", "applied"), ("grant", "in_force")]


class TestInterimSpo:
    def test_needs_a_pending_main_application(self, new_order):
        with pytest.raises(RuleViolation, match="pending Stalking Protection Order"):
            new_order("interim-spo")

    def test_needs_a_fixed_period(self, new_order):
        main = applied(new_order())
        interim = applied(new_order("interim-spo", parent=main))
        with pytest.raises(RuleViolation, match=r"s\.5\(6\)"):
            granted(interim, dt.date(2025, 3, 4), until_further_order=True)

    def test_ends_when_the_main_application_is_determined(self, new_order):
        main = applied(new_order())
        interim = applied(new_order("interim-spo", parent=main))
        interim = granted(interim, dt.date(2025, 3, 4), ends_on=dt.date(2025, 6, 4))
        granted(main, dt.date(2025, 4, 1), until_further_order=True)
        interim.refresh_from_db()
        assert interim.state == State.ENDED
        assert interim.ended_on == dt.date(2025, 4, 1)

    def test_not_available_once_main_application_is_decided(self, new_order):
        main = granted(applied(new_order()), dt.date(2025, 3, 10), until_further_order=True)
        with pytest.raises(RuleViolation, match="undetermined"):
            new_order("interim-spo", parent=main)


class TestNotices:
    def notice(self, new_order, order_type: str = "dvpn") -> Order:
        return new_order(order_type, conditions=[ProposedCondition("no-molestation")])

    def test_dvpn_needs_a_superintendent(self, new_order):
        order = self.notice(new_order)
        with pytest.raises(RuleViolation, match="superintendent"):
            services.issue_notice(
                order,
                authorised_by="Insp Kay",
                authoriser_rank="inspector",
                issued_at=at(2025, 3, 8, 10),
                expected_version=order.version,
                by=None,
            )

    def test_dapn_may_be_given_by_an_inspector(self, new_order):
        order = self.notice(new_order, "dapn")
        order = services.issue_notice(
            order,
            authorised_by="Insp Kay",
            authoriser_rank="inspector",
            issued_at=at(2025, 3, 8, 10),
            expected_version=order.version,
            by=None,
        )
        assert order.state == State.IN_FORCE

    def test_dvpo_term_is_14_to_28_days_counting_the_day_made(self, new_order):
        made = dt.date(2025, 6, 1)
        for ends_on, lawful in [
            (dt.date(2025, 6, 13), False),  # 13 days
            (dt.date(2025, 6, 14), True),  # 14 days: 1 June is day 1
            (dt.date(2025, 6, 28), True),  # 28 days
            (dt.date(2025, 6, 29), False),  # 29 days
        ]:
            order = applied(new_order("dvpo", conditions=[ProposedCondition("no-molestation")]))
            if lawful:
                assert granted(order, made, ends_on=ends_on).state == State.IN_FORCE
            else:
                with pytest.raises(RuleViolation, match=r"s\.28\(10\)"):
                    granted(order, made, ends_on=ends_on)

    def test_dvpo_cannot_be_varied(self, new_order):
        order = applied(new_order("dvpo", conditions=[ProposedCondition("no-molestation")]))
        order = granted(order, dt.date(2025, 6, 1), ends_on=dt.date(2025, 6, 20))
        with pytest.raises(RuleViolation, match="cannot be varied"):
            services.apply_to_court(
                order,
                kind="variation",
                applicant="police",
                made_on=dt.date(2025, 6, 5),
                expected_version=order.version,
                by=None,
            )

    def test_notice_ends_when_the_order_application_is_determined(self, new_order):
        notice = self.notice(new_order)
        notice = services.issue_notice(
            notice,
            authorised_by="Supt Hale",
            authoriser_rank="superintendent",
            issued_at=at(2025, 3, 8, 10),
            expected_version=notice.version,
            by=None,
        )
        dvpo = applied(
            new_order("dvpo", parent=notice, conditions=[ProposedCondition("no-molestation")]),
            at(2025, 3, 8, 12),
        )
        granted(dvpo, dt.date(2025, 3, 10), ends_on=dt.date(2025, 3, 30))
        notice.refresh_from_db()
        assert notice.state == State.ENDED

    def test_unheard_notice_lapses_after_its_deadline(self, new_order):
        notice = self.notice(new_order)
        services.issue_notice(
            notice,
            authorised_by="Supt Hale",
            authoriser_rank="superintendent",
            issued_at=at(2025, 3, 8, 10),  # Saturday: deadline Tuesday 11 March 10:00
            expected_version=notice.version,
            by=None,
        )
        assert services.lapse_notices(at(2025, 3, 11, 9, 59)) == 0
        assert services.lapse_notices(at(2025, 3, 11, 10, 1)) == 1
        notice.refresh_from_db()
        assert notice.state == State.LAPSED


class TestAfterTheOrder:
    def in_force(self, new_order, **term) -> Order:
        term = term or {"ends_on": dt.date(2027, 3, 9)}
        return granted(
            applied(new_order(conditions=[NO_CONTACT, EXCLUSION])), dt.date(2025, 3, 10), **term
        )

    def test_service_starts_the_three_day_notification_duty(self, new_order):
        order = self.in_force(new_order)
        services.record_service(
            order,
            served_at=at(2025, 3, 10, 16, 30),  # Monday
            method="personal",
            served_by="PC 123 Ellis",
            expected_version=order.version,
            by=None,
        )
        duty = Notification.objects.get(order=order)
        assert duty.kind == NotificationKind.INITIAL
        assert duty.due_at == at(2025, 3, 12, 23, 59, 59)  # end of Wednesday (SPA s.9(1))
        assert "s.9" in duty.basis

    def test_full_spo_replacing_a_served_interim_needs_no_fresh_initial_notification(
        self, new_order
    ):
        main = applied(new_order())
        interim = granted(
            applied(new_order("interim-spo", parent=main)),
            dt.date(2025, 3, 4),
            ends_on=dt.date(2025, 6, 4),
        )
        services.record_service(
            interim,
            served_at=at(2025, 3, 4, 15),
            method="personal",
            served_by="PC 1",
            expected_version=interim.version,
            by=None,
        )
        main = granted(main, dt.date(2025, 4, 1), until_further_order=True)
        services.record_service(
            main,
            served_at=at(2025, 4, 1, 15),
            method="in_court",
            served_by="Court",
            expected_version=main.version,
            by=None,
        )
        assert Notification.objects.filter(order=main).count() == 0
        assert Notification.objects.filter(order=interim).count() == 1

    def test_conditions_of_a_made_order_change_only_by_variation(self, new_order):
        order = self.in_force(new_order)
        with pytest.raises(RuleViolation, match="only through a variation"):
            services.propose_condition(order, EXCLUSION, expected_version=order.version, by=None)
        application = services.apply_to_court(
            order,
            kind="variation",
            applicant="police",
            made_on=dt.date(2025, 9, 1),
            grounds="He moved next to her new workplace",
            expected_version=order.version,
            by=None,
        )
        order.refresh_from_db()
        old_zone = order.conditions.get(code="exclusion-zone")
        order = services.decide_court_application(
            application,
            Outcome.GRANTED,
            decided_on=dt.date(2025, 9, 15),
            expected_version=order.version,
            by=None,
            remove_condition_ids=[old_zone.pk],
            add_conditions=[
                ProposedCondition("exclusion-zone", necessity="New workplace", locality="NR3")
            ],
        )
        zones = order.conditions.filter(code="exclusion-zone").order_by("pk")
        assert [(z.locality, z.removed_on) for z in zones] == [
            ("Norwich NR1", dt.date(2025, 9, 15)),
            ("NR3", None),
        ]
        assert order.state == State.IN_FORCE

    def test_early_discharge_needs_both_consents(self, new_order):
        order = self.in_force(new_order)
        application = services.apply_to_court(
            order,
            kind="discharge",
            applicant="defendant",
            made_on=dt.date(2026, 1, 5),
            expected_version=order.version,
            by=None,
        )
        order.refresh_from_db()
        with pytest.raises(RuleViolation, match="consent of the defendant and the chief officer"):
            services.decide_court_application(
                application,
                Outcome.GRANTED,
                decided_on=dt.date(2026, 2, 1),
                expected_version=order.version,
                by=None,
            )
        application.refresh_from_db()
        application.defendant_consents = application.chief_officer_consents = True
        application.save()
        order = services.decide_court_application(
            application,
            Outcome.GRANTED,
            decided_on=dt.date(2026, 2, 1),
            expected_version=order.version,
            by=None,
        )
        assert order.state == State.DISCHARGED

    def test_renewal_extends_the_term(self, new_order):
        order = self.in_force(new_order)
        application = services.apply_to_court(
            order,
            kind="renewal",
            applicant="police",
            made_on=dt.date(2027, 1, 5),
            expected_version=order.version,
            by=None,
        )
        order.refresh_from_db()
        order = services.decide_court_application(
            application,
            Outcome.GRANTED,
            decided_on=dt.date(2027, 2, 1),
            expected_version=order.version,
            by=None,
            new_ends_on=dt.date(2029, 3, 9),
        )
        assert order.ends_on == dt.date(2029, 3, 9)

    def test_fixed_term_orders_expire_the_day_after_their_end(self, new_order):
        order = self.in_force(new_order)
        assert services.expire_orders(dt.date(2027, 3, 9)) == 0
        assert services.expire_orders(dt.date(2027, 3, 10)) == 1
        order.refresh_from_db()
        assert (order.state, order.ended_on) == (State.EXPIRED, dt.date(2027, 3, 9))

    def test_defendant_appeal_allowed_quashes_the_order(self, new_order):
        order = self.in_force(new_order)
        appeal = services.lodge_appeal(
            order,
            appellant="defendant",
            against="The making of the order",
            lodged_on=dt.date(2025, 3, 20),
            expected_version=order.version,
            by=None,
        )
        order.refresh_from_db()
        order = services.decide_appeal(
            appeal,
            "allowed",
            decided_on=dt.date(2025, 5, 2),
            expected_version=order.version,
            by=None,
        )
        assert order.state == State.QUASHED


class TestConcurrentEdits:
    def test_second_writer_with_a_stale_version_gets_a_conflict(self, new_order):
        order = applied(new_order())
        first_view = Order.objects.get(pk=order.pk)
        second_view = Order.objects.get(pk=order.pk)
        services.record_outcome(
            first_view,
            Outcome.ADJOURNED,
            expected_version=first_view.version,
            by=None,
            reasons="Listing",
        )
        with pytest.raises(ConcurrentEdit, match="changed by someone else"):
            services.record_outcome(
                second_view,
                Outcome.REFUSED,
                expected_version=second_view.version,
                by=None,
                reasons="Not shown",
            )
        order.refresh_from_db()
        assert order.state == State.APPLIED  # the second write did not land


class TestDapoElectronicMonitoring:
    def test_monitoring_may_not_run_past_twelve_months(self, new_order):
        order = applied(new_order("dapo", conditions=[ProposedCondition("no-contact")]))
        too_long = ProposedCondition("electronic-monitoring", ends_on=dt.date(2026, 3, 10))
        with pytest.raises(
            RuleViolation, match=r"more than 12 months beginning with the day .*38\(5\)"
        ):
            services.record_outcome(
                order,
                Outcome.GRANTED_CHANGED,
                expected_version=order.version,
                by=None,
                made_on=dt.date(2025, 3, 10),
                until_further_order=True,
                granted_conditions=[ProposedCondition("no-contact"), too_long],
            )

    def test_twelve_months_beginning_with_the_day_made_is_lawful(self, new_order):
        order = applied(new_order("dapo", conditions=[ProposedCondition("no-contact")]))
        order = services.record_outcome(
            order,
            Outcome.GRANTED_CHANGED,
            expected_version=order.version,
            by=None,
            made_on=dt.date(2025, 3, 10),
            until_further_order=True,
            granted_conditions=[
                ProposedCondition("no-contact"),
                ProposedCondition("electronic-monitoring", ends_on=dt.date(2026, 3, 9)),
            ],
        )
        assert order.conditions.get(code="electronic-monitoring").ends_on == dt.date(2026, 3, 9)
