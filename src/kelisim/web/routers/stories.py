"""/api/stories: stories and their documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.web.deps import KelisimDep, ScopeDep, not_found, regions_filter
from kelisim.web.schemas import Page, Story, StoryDetail, StoryDocument

router = APIRouter(prefix="/api/stories", tags=["stories"])


@router.get("", response_model=Page[Story])
def list_stories(core: KelisimDep, scope: ScopeDep,
                 order: Annotated[str, Query(pattern="^(last|size)$")] = "last",
                 limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0)] = 0) -> Page[Story]:
    """Stories about interethnic relations, latest (or biggest) first."""
    total, page = core.store.warning.stories(limit=limit, offset=offset, order=order,
                                             regions=regions_filter(scope))
    return Page(total=total, limit=limit, offset=offset, items=[Story.of(s) for s in page])


@router.get("/{story_id}", response_model=StoryDetail)
def get_story(story_id: int, core: KelisimDep, scope: ScopeDep) -> StoryDetail:
    """One story and its documents."""
    story = core.store.warning.story(story_id)
    if story is None or (scope.limited and not scope.allows(story.region_kato)):
        raise not_found("story")
    members = core.store.warning.members([story_id])
    items = [StoryDocument(document_id=m.document_id, at=m.at, title=m.title, url=m.url,
                           source=m.source, reprints=m.reprints, event_type=m.event_type,
                           hostile=m.hostile, similarity=m.similarity)
             for m in members if scope.allows(m.region_kato) or not scope.limited]
    return StoryDetail(**Story.of(story).model_dump(), items=items)
