"""The regional report as data: what ``build_report`` gathers and the renderers show.

Every record is a pydantic model, so the dashboard can serve a report's JSON twin
(``report.model_dump(mode="json")``) beside its HTML. Texts are already in the report's
language; every claim carries the ids of the documents behind it.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class DocumentRef(BaseModel):
    """A cited document: the list of sources holds one per document id."""

    id: int
    title: str | None
    url: str | None
    source: str | None
    published: date | None


class Claim(BaseModel):
    """A sentence of the summary and the documents that bear it out."""

    text: str
    documents: list[int] = Field(default_factory=list)
    link: str | None = None  # a dashboard path listing what is too many to cite one by one


class IndexSummary(BaseModel):
    """The region's tension index over the period and over the one before."""

    value: float
    previous: float
    change: float
    volume: int
    previous_volume: int
    rank: int  # 1 = the highest of the regions
    regions: int
    components: dict[str, float]  # incidents, reach, hostility, deescalation (points)
    documents: list[int]  # the documents behind the components


class TrendPoint(BaseModel):
    """The index and the volume of one week."""

    start: date
    end: date
    value: float
    volume: int


class RegionShade(BaseModel):
    """A region on the map: the report's region or a neighbour, with its index."""

    kato: str
    name: str
    value: float
    volume: int
    own: bool = False


class IncidentItem(BaseModel):
    """An incident of the registry in the region and period."""

    id: int
    type: str
    type_label: str
    date: date
    place: str
    groups: list[str]
    killed: int | None
    injured: int | None
    detained: int | None
    status: str
    status_label: str
    documents: list[int]


class StoryItem(BaseModel):
    """A story (the documents about one event) in the region and period."""

    id: int
    title: str
    type: str | None
    type_label: str
    first: date
    last: date
    size: int  # documents
    reprints: int
    outlets: int
    hostile: int
    documents: list[int]


class StatementItem(BaseModel):
    """An official's words, quoted in a document."""

    document_id: int
    start: int
    end: int
    text: str
    speaker: str
    role: str | None
    day: date | None


class GroupItem(BaseModel):
    """An ethnic group named in the region's documents and the attitude toward it."""

    group: str
    name: str
    documents: int
    mentions: int
    negative: int
    neutral: int
    positive: int
    hostile: int


class SourceItem(BaseModel):
    """An outlet and how many of the cited documents it published."""

    name: str
    documents: int


class Report(BaseModel):
    """The report for the bi-monthly meeting on the interethnic situation in one region."""

    kato: str
    region: str
    lang: str
    start: date
    end: date
    previous_start: date
    previous_end: date
    generated_at: datetime
    simulation: str | None = None  # the label of replayed data; None for real data
    summary: list[Claim]
    index: IndexSummary
    trend: list[TrendPoint]
    map: list[RegionShade]
    incidents: list[IncidentItem]
    incidents_total: int
    stories: list[StoryItem]
    stories_total: int
    statements: list[StatementItem]
    statements_total: int
    deescalation: list[StoryItem]
    groups: list[GroupItem]
    groups_total: int
    sources: list[SourceItem]
    documents: list[DocumentRef]  # every document cited, by id
