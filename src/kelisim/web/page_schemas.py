"""What the overview and region pages show: the JSON twins of those pages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kelisim.web.facet_schemas import Group, Quote
from kelisim.web.period import Period
from kelisim.web.schemas import Alert, Incident, IndexValue, Page, Story, Unit


class Overview(BaseModel):
    """The country at a glance: the regions' index, the alert inbox, the top stories."""

    period: Period
    regions: list[IndexValue]
    alerts: Page[Alert]
    stories: list[Story]
    incidents: list[Incident]
    simulation: dict[str, Any] | None


class RegionView(BaseModel):
    """One region over a period: its index and volume, districts, incidents, stories,
    groups and the attitude toward them, officials' statements, de-escalation work."""

    region: Unit
    period: Period
    value: IndexValue
    series: list[IndexValue]
    districts: list[IndexValue]
    incidents: list[Incident]
    stories: list[Story]
    deescalation: list[Story]
    groups: list[Group]
    statements: Page[Quote]
    alerts: Page[Alert]
    simulation: dict[str, Any] | None
