"""/api/documents: one document with its reading (the page renders exactly this)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from kelisim.web.deps import ActorDep, KelisimDep, ScopeDep, not_found
from kelisim.web.schemas import Document, Text, Unit

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("/{document_id}", response_model=Document)
def get_document(document_id: int, core: KelisimDep, scope: ScopeDep) -> Document:
    """A document, its reprints counted, its region and its reading with corrections."""
    document = core.store.get_document(document_id)
    region = core.store.warning.regions_of([document_id]).get(document_id)
    if document is None or (scope.limited and not scope.allows(region)):
        raise not_found("document")
    return Document(id=document.id, title=document.title, url=document.url,
                    source=document.source, published_at=document.published_at,
                    lang=document.lang, text=document.text, reprints=len(document.reprints),
                    region=Unit.of(region, "region"), reading=core.reading(document_id))


class Correction(BaseModel):
    """An analyst's correction of one decision of a document's reading."""

    field: Text = Field(description="relevant, event_type, tension_label, hostile or attitude")
    value: bool | int | Text = Field(description="yes/no for relevant and hostile; an event "
                                                 "type id; a tension label; -1, 0 or 1 for attitude")
    target: Text = Field(default="", description="the group, for attitude")
    comment: Text | None = Field(default=None, max_length=2000)


@router.post("/{document_id}/corrections", response_model=Document)
def correct_document(document_id: int, correction: Correction, core: KelisimDep, scope: ScopeDep,
                     user: ActorDep) -> Document:
    """Correct one decision of the reading; the document as it now reads."""
    get_document(document_id, core, scope)
    try:
        core.correct(document_id, correction.field, correction.value, user.name,
                     target=correction.target, comment=correction.comment)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    core.store.users.audit(user.name, f"document.correct.{correction.field}",
                           f"document:{document_id}", correction.model_dump())
    return get_document(document_id, core, scope)
