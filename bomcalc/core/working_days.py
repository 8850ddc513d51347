"""Working days on an official calendar with its adjusted working days (core layer).

China's official holiday schedule moves working days: weekend days become working days
(调休) to bridge holidays. A :class:`WorkingCalendar` records, for the years it covers, the
holidays and the weekend days made working days; :func:`add_working_days` counts on it and
refuses, with :class:`CalendarNotCovered`, any date in a year the calendar does not cover,
never guessing. Building a calendar from a package's data is :mod:`bomcalc.io.cn_calendar`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import BomError


class CalendarNotCovered(BomError):
    """A date lies in a year the official calendar data does not cover."""


@dataclass(frozen=True)
class WorkingCalendar:
    """Holidays and adjusted working days for the years ``first_year`` to ``last_year`` (inclusive).

    A day is a working day when it is an adjusted working day, or a Monday to Friday that is
    not a holiday. ``name`` says where the data comes from (package and version).
    """

    name: str
    first_year: int
    last_year: int
    holidays: frozenset
    working_weekend_days: frozenset

    def covers(self, day: dt.date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def years(self) -> str:
        return f"{self.first_year}-{self.last_year}"

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day; :class:`CalendarNotCovered` outside the covered years."""
        if not self.covers(day):
            raise CalendarNotCovered(
                f"{day.isoformat()} is outside the years the official calendar data covers ({self.years()}, "
                f"{self.name}); the working days of {day.year} are not known to bomcalc. Update the calendar "
                "package once the State Council has published that year's holiday schedule, or count by hand.")
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.holidays


def add_working_days(start: dt.date, days: int, calendar: WorkingCalendar) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    Every day counted must lie in the calendar's years: the start date, and each day up to the
    result; otherwise :class:`CalendarNotCovered` says which date and which years are covered.
    """
    if days < 1:
        raise ValueError("days must be 1 or more")
    calendar.is_working_day(start)  # refuses a start date outside the covered years
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day
