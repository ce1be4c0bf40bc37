"""/api/documents: one document with its reading (the page renders exactly this)."""

from __future__ import annotations

from fastapi import APIRouter

from kelisim.web.deps import KelisimDep, ScopeDep, not_found
from kelisim.web.schemas import Document, Unit

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
