"""What the facet routes return (entities, quotes, groups, places, sources): models of the
API's own, built from the store's facet views, never table rows."""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import BaseModel, Field

from kelisim.web.schemas import Page, Unit

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s@]*@")


def hide_credentials(text: str | None) -> str | None:
    """A text whose URLs lose their ``user:password@`` (a feed may carry one: every user of
    the dashboard sees the sources)."""
    return _USERINFO.sub(r"\1***@", text) if text else text


class Entity(BaseModel):
    """A person, organisation or place named in the documents."""

    ref: str = Field(description="the knowledge-base id (per:tokayev), else LABEL:name "
                                 "(PER:Алексей Манойло) for one not linked")
    name: str
    label: str = Field(description="PER, ORG or LOC")
    documents: int
    mentions: int
    quotes: int = Field(description="quotes with this entity as the speaker")

    @classmethod
    def of(cls, view) -> Entity:
        """From the store's EntityCount."""
        return cls(ref=view.ref, name=view.name, label=view.label, documents=view.documents,
                   mentions=view.mentions, quotes=view.quotes)


class Quote(BaseModel):
    """Who said what, where in which document."""

    document_id: int
    start: int = Field(description="the quote's span in the document's stored text")
    end: int
    text: str
    direct: bool
    speaker_name: str | None
    speaker_ref: str | None = Field(description="the speaker's entity ref (see /api/entities)")
    speaker_role: str | None = Field(description="the office: from the knowledge base on the "
                                                 "document's day, else as written before the name")
    official: bool
    day: date | None
    region: Unit | None
    title: str | None
    source: str | None

    @classmethod
    def of(cls, row) -> Quote:
        """From the store's QuoteRow."""
        fields = {name: getattr(row, name) for name in cls.model_fields if name != "region"}
        return cls(**fields, region=Unit.of(row.region_kato, "region"))


class QuoteMonth(BaseModel):
    """How many quotes a speaker has in one month."""

    month: str = Field(description="YYYY-MM")
    quotes: int


class EntityDetail(Entity):
    """An entity with its quotes over time and a page of them, latest first."""

    quotes_by_month: list[QuoteMonth]
    quote_page: Page[Quote]


class Group(BaseModel):
    """An ethnic group (or category) across documents, with the attitude toward it."""

    group: str = Field(description="the lexicon's id: the Russian singular noun (дунганин)")
    kind: str | None = Field(description="group, collective or social")
    documents: int
    mentions: int
    attitude: dict[str, int] = Field(description="documents by attitude: -1, 0, 1, and null "
                                                 "(named, no attitude read); corrections applied")
    hostile: int = Field(description="hostile documents that name the group")
    slurs: int = Field(description="documents that name it by a slur")

    @classmethod
    def of(cls, view) -> Group:
        """From the store's GroupCount."""
        return cls(group=view.group, kind=view.kind, documents=view.documents,
                   mentions=view.mentions, attitude=dict(view.attitude), hostile=view.hostile,
                   slurs=view.slurs)


class Place(BaseModel):
    """A place of Kazakhstan named in documents."""

    kato: str
    name: str
    level: str | None = Field(description="region, district, rural_district, settlement, …")
    region: Unit | None
    documents: int

    @classmethod
    def of(cls, view) -> Place:
        """From the store's PlaceCount."""
        return cls(kato=view.kato, name=view.name, level=view.level,
                   region=Unit.of(view.region_kato, "region"), documents=view.documents)


class SourceHealth(BaseModel):
    """A source and its health."""

    id: int
    name: str
    kind: str
    location: str = Field(description="a URL or a path")
    enabled: bool
    documents: int = Field(description="its documents (a limited analyst: in their regions only)")
    last_item_at: datetime | None = Field(description="the date of its latest document")
    last_poll_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    failures: int = Field(description="failed polls in a row")
    silent: bool = Field(description="a silence alert about it is open")
    silence_alert_id: int | None

    @classmethod
    def of(cls, view) -> SourceHealth:
        """From the store's SourceHealth, with credentials in URLs hidden."""
        fields = {name: getattr(view, name) for name in cls.model_fields}
        return cls(**{**fields, "location": hide_credentials(view.location),
                      "last_error": hide_credentials(view.last_error)})
