"""China's official working-day calendar from the ``chinese-calendar`` package (I/O layer).

``chinese-calendar`` records, for each year whose State Council holiday schedule it has, the
public holidays and the weekend days made working days (调休). :func:`official_calendar` turns
its data into a :class:`~bomcalc.core.working_days.WorkingCalendar` covering exactly those
years; dates outside them are refused, never guessed. (The ``holidays`` package was not used:
it fills years without a published schedule with computed days off and no adjusted working days.)
"""

from __future__ import annotations

from importlib import metadata

from ..core.working_days import WorkingCalendar


def official_calendar() -> WorkingCalendar:
    """The official calendar as the installed ``chinese-calendar`` package records it."""
    from chinese_calendar import constants

    years = sorted({day.year for day in constants.holidays} | {day.year for day in constants.workdays})
    try:
        version = metadata.version("chinese-calendar")
    except metadata.PackageNotFoundError:  # pragma: no cover - installed without metadata
        version = "unknown version"
    return WorkingCalendar(
        name=f"chinese-calendar {version}",
        first_year=years[0],
        last_year=years[-1],
        holidays=frozenset(constants.holidays),
        working_weekend_days=frozenset(day for day in constants.workdays if day.weekday() >= 5),
    )
