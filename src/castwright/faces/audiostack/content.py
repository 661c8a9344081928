"""Content routes: recommendations (tag, tone, mood, IAB category) and adverts (generate, edit).

Answers carry both shapes clients read: ``data.tags`` (the SDK) and ``data.tones`` /
``data.moods`` as lists of strings (the LowCodeAPI gateway's examples).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.content.adverts import AdvertResult, AdvertService, EditFields, GenerateFields
from castwright.content.recommend import RecommendService
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.nlp.recommend import Ranked
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["Content"])


class RecommendBody(WireModel):
    text: str | None = None
    number_of_results: int | None = None
    num_tags: int | None = None  # the IAB route's name for it; accepted everywhere

    def count(self) -> tuple[int | None, str]:
        if self.number_of_results is not None:
            return self.number_of_results, "number_of_results"
        return self.num_tags, "num_tags"


class TagBody(RecommendBody):
    tags: list[str] | None = None
    category: str = ""


class IabBody(RecommendBody):
    language: str | None = None

    def count(self) -> tuple[int | None, str]:
        if self.num_tags is not None:
            return self.num_tags, "num_tags"
        return self.number_of_results, "number_of_results"


class GenerateBody(WireModel):
    productName: str | None = None
    productDescription: str | None = None
    mood: str | None = None
    tone: str | None = None
    thirdPerson: bool = True
    adLength: int | None = None


class EditBody(WireModel):
    adText: str | None = None
    productName: str | None = None
    productDescription: str | None = None
    instruction: str | None = None
    adLength: int | None = None


def _tags(category: str, ranked: list[Ranked]) -> list[dict[str, Any]]:
    return [{"category": category, "tag": r.label, "score": r.score} for r in ranked]


@router.post("/content/recommend/tag", summary="Get recommended tags from user-specified list")
async def recommend_tag(
    body: TagBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    count, field = body.count()
    service = RecommendService(runtime.settings)
    ranked = await run_in_threadpool(service.tags, body.text, body.tags, count, field)
    data = {"tags": _tags(body.category, ranked)}
    return envelope(request, data, "Recommended tags")


@router.post("/content/recommend/tone", summary="Get recommended tones")
async def recommend_tone(
    body: RecommendBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    count, field = body.count()
    service = RecommendService(runtime.settings)
    ranked = await run_in_threadpool(service.tones, body.text, count, field)
    data = {"tags": _tags("tone", ranked), "tones": [r.label for r in ranked]}
    return envelope(request, data, "Recommended tones")


@router.post("/content/recommend/mood", summary="Get recommended moods")
async def recommend_mood(
    body: RecommendBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    count, field = body.count()
    service = RecommendService(runtime.settings)
    ranked = await run_in_threadpool(service.moods, body.text, count, field)
    data = {"tags": _tags("mood", ranked), "moods": [r.label for r in ranked]}
    return envelope(request, data, "Recommended moods")


@router.post("/content/recommend/iab_category", summary="Get recommended IAB category")
async def recommend_iab(
    body: IabBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    count, field = body.count()
    service = RecommendService(runtime.settings)
    found = await run_in_threadpool(service.iab, body.text, count, body.language, field)
    tags = [
        {
            "category": "iab",
            "tag": m.node.name,
            "tier1": m.node.tier(1),
            "tier2": m.node.tier(2),
            "tier3": m.node.tier(3),
            "uniqueId": m.node.unique_id,
            "score": m.score,
        }
        for m in found.matches
    ]
    data = {"tags": tags, "taxonomy": f"IAB Content Taxonomy {found.taxonomy_version}"}
    return envelope(request, data, "Recommended IAB categories", warnings=found.warnings)


def _advert_data(result: AdvertResult, script_id: str) -> dict[str, Any]:
    advert = result.advert
    return {
        "adName": result.ad_name,
        "adText": advert.markup(),
        "scriptId": script_id,
        "adType": "audio advert",
        "mood": result.mood,
        "tone": result.tone,
        "gender": result.voice.gender,
        "voice": result.voice.alias,
        "tags": result.tags,
        "length": round(result.seconds, 2),
        "callToAction": advert.call_to_action,
        "sections": {name: advert.section_text(name) for name in ("intro", "main", "outro")},
        "writer": result.writer,
    }


@router.post("/content/generate/advert", summary="Generate an advert")
def generate_advert(
    body: GenerateBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    fields = GenerateFields(
        body.productName,
        body.productDescription,
        body.mood,
        body.tone,
        body.thirdPerson,
        body.adLength,
    )
    service = AdvertService(runtime, principal.org_id)
    result = service.generate(fields)
    with runtime.unit_of_work() as session:
        script, _ = service.store(session, result)
        data = _advert_data(result, script.id)
    return envelope(request, data, "advert created", warnings=result.warnings)


@router.post("/content/edit/advert", summary="Edit an advert")
def edit_advert(
    body: EditBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    fields = EditFields(
        body.adText, body.productName, body.productDescription, body.instruction, body.adLength
    )
    service = AdvertService(runtime, principal.org_id)
    result = service.edit(fields)
    with runtime.unit_of_work() as session:
        script, _ = service.store(session, result)
        data = _advert_data(result, script.id)
    return envelope(request, data, "advert edited", warnings=result.warnings)
