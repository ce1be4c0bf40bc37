"""A document with its reading highlighted and corrigible; search."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from kelisim.correct import TENSION_LABELS, CorrectionError, parse_bool
from kelisim.understanding.taxonomy import event_types
from kelisim.users import can_act
from kelisim.web.deps import FormDep, KelisimDep, PageScopeDep, PageUserDep
from kelisim.web.highlight import marks_of, pieces
from kelisim.web.routers.documents import get_document
from kelisim.web.routers.search import search
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 20
ATTITUDES = (-1, 0, 1)


@router.get("/documents/{document_id}")
def document_page(document_id: int, request: Request, core: KelisimDep, user: PageUserDep,
                  scope: PageScopeDep, done: str | None = None):
    """The text with entities, places, groups, quotes and tension evidence marked; the
    decisions with their corrections."""
    data = get_document(document_id, core, scope)
    story = core.store.warning.story_of(document_id)
    return render(request, "document.html", {
        "user": user, "data": data, "pieces": pieces(data.text, marks_of(data.reading)),
        "story_id": story, "can_act": can_act(user), "done": done,
        "event_types": event_types(), "tension_labels": TENSION_LABELS,
        "corrections": core.store.corrections(document_id),
        "twin": f"/api/documents/{document_id}"})


@router.post("/documents/{document_id}")
def document_correct(document_id: int, request: Request, core: KelisimDep, user: PageUserDep,
                     scope: PageScopeDep, fields: FormDep):
    """Correct one decision of the reading (relevance, event type, tension, hostility, the
    attitude toward a group), with a comment."""
    if not can_act(user):
        raise HTTPException(403, "a viewer cannot change anything")
    get_document(document_id, core, scope)
    field, raw = fields.get("field", ""), fields.get("value", "")
    target, comment = fields.get("target", ""), (fields.get("comment") or "").strip() or None
    try:
        value = _value(field, raw)
        core.correct(document_id, field, value, user.name, target=target, comment=comment)
    except (CorrectionError, ValueError) as error:
        raise HTTPException(422, str(error)) from None
    core.store.users.audit(user.name, f"document.correct.{field}", f"document:{document_id}",
                           {"value": value, "target": target, "comment": comment})
    return RedirectResponse(f"/documents/{document_id}?done={field}", status_code=303)


def _value(field: str, raw: str):
    if field in ("relevant", "hostile"):
        return parse_bool(raw)
    if field == "attitude":
        if raw not in {str(v) for v in ATTITUDES}:
            raise CorrectionError("an attitude is -1, 0 or 1")
        return int(raw)
    if field in ("event_type", "tension_label"):
        return raw
    raise CorrectionError(f"nothing named {field!r} can be corrected")


@router.get("/search")
def search_page(request: Request, core: KelisimDep, user: PageUserDep, scope: PageScopeDep,
                q: Annotated[str, Query(max_length=500)] = "", lang: str | None = None,
                date_from: Annotated[date | None, Query(alias="from")] = None,
                date_to: Annotated[date | None, Query(alias="to")] = None, page: int = 1):
    """Full-text search with Russian morphology."""
    data = search(core, scope, q=q, lang=lang or None, date_from=date_from, date_to=date_to,
                  limit=PAGE, offset=max(page - 1, 0) * PAGE) if q.strip() else None
    return render(request, "search.html", {"user": user, "data": data, "q": q, "page": page,
                                           "twin": "/api/search"})
