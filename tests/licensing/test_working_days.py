"""Humanitarian report deadlines: 10 working days on China's official calendar, adjusted working
days (调休) included, dates outside the calendar's years refused. Every due date is counted by hand
below from the State Council's 2026 schedule as chinese-calendar records it."""

from __future__ import annotations

import datetime as dt

import pytest

from bomcalc.core.working_days import CalendarNotCovered, WorkingCalendar, add_working_days
from bomcalc.io.cn_calendar import official_calendar

D = dt.date


@pytest.fixture(scope="module")
def calendar():
    return official_calendar()


@pytest.mark.parametrize("day, working", [
    (D(2026, 10, 10), True),   # Saturday made a working day for National Day
    (D(2026, 9, 20), True),    # Sunday made a working day for National Day
    (D(2026, 2, 14), True),    # Saturday made a working day for the Spring Festival
    (D(2026, 2, 28), True),    # Saturday made a working day for the Spring Festival
    (D(2026, 10, 1), False), (D(2026, 10, 7), False),  # National Day holiday, 1-7 October
    (D(2026, 10, 8), True),
    (D(2026, 2, 16), False), (D(2026, 2, 23), False),  # Spring Festival holiday, 15-23 February (Mon 23rd off)
    (D(2026, 9, 25), False),   # Mid-Autumn Festival (a Friday)
    (D(2026, 10, 11), False),  # an ordinary Sunday
], ids=lambda value: str(value))
def test_the_package_records_the_2026_schedule_with_its_adjusted_working_days(calendar, day, working):
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize("export, due", [
    # Wed 30 Sep: 1-7 Oct off; 8 (1), 9 (2), Sat 10 adjusted (3), 12-16 (4-8), 19 (9), 20 (10)
    (D(2026, 9, 30), D(2026, 10, 20)),
    # Fri 18 Sep: Sun 20 adjusted (1), 21-24 (2-5), 25-27 Mid-Autumn off, 28-30 (6-8), 1-7 Oct off, 8 (9), 9 (10)
    (D(2026, 9, 18), D(2026, 10, 9)),
    # Fri 13 Feb: Sat 14 adjusted (1), 15-23 off, 24-27 (2-5), Sat 28 adjusted (6), 2-5 Mar (7-10)
    (D(2026, 2, 13), D(2026, 3, 5)),
    # an export on a holiday: Sat 3 Oct; 8, 9, Sat 10, 12-16, 19 (1-9), 20 (10)
    (D(2026, 10, 3), D(2026, 10, 20)),
], ids=["export just before National Day 2026", "across Mid-Autumn and National Day with an adjusted Sunday",
        "across the 2026 Spring Festival with two adjusted Saturdays", "export on a holiday"])
def test_ten_working_days_after_export_counted_by_hand(calendar, export, due):
    assert add_working_days(export, 10, calendar) == due


def test_without_the_adjusted_saturday_the_deadline_would_be_a_day_later(calendar):
    plain = WorkingCalendar("test", 2026, 2026, calendar.holidays, calendar.working_weekend_days - {D(2026, 10, 10)})
    assert add_working_days(D(2026, 9, 30), 10, plain) == D(2026, 10, 21)


def test_a_count_running_past_the_covered_years_is_refused(calendar):
    if calendar.last_year != 2026:
        pytest.skip("the installed calendar covers later years")
    with pytest.raises(CalendarNotCovered, match=r"2027-01-01 is outside .*\(2004-2026, chinese-calendar"):
        add_working_days(D(2026, 12, 24), 10, calendar)


@pytest.mark.parametrize("export", ["spring festival of the first uncovered year", "before the first covered year"])
def test_an_export_date_outside_the_covered_years_is_refused(calendar, export):
    day = D(calendar.last_year + 1, 2, 1) if export.startswith("spring") else D(calendar.first_year - 1, 12, 30)
    with pytest.raises(CalendarNotCovered, match=f"{day.isoformat()} is outside the years"):
        add_working_days(day, 10, calendar)


def test_a_hand_built_calendar_counts_holidays_and_working_weekend_days():
    calendar = WorkingCalendar("test", 2030, 2030, frozenset({D(2030, 1, 1)}), frozenset({D(2030, 1, 5)}))
    # Mon 31 Dec 2029 is outside the years; from Sun 30 Dec... start inside: Mon 31 Dec not covered
    with pytest.raises(CalendarNotCovered):
        add_working_days(D(2029, 12, 31), 1, calendar)
    # Tue 1 Jan 2030 holiday: Wed 2 (1), Thu 3 (2), Fri 4 (3), Sat 5 working (4), Mon 7 (5)
    assert add_working_days(D(2030, 1, 1), 5, calendar) == D(2030, 1, 7)
