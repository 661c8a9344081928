"""Productions, templates and encodings as AudioStack wire objects."""

from __future__ import annotations

from typing import Any

from castwright.faces.audiostack.serializers import iso
from castwright.models.production import Encoding, Production
from castwright.models.sound_template import SoundTemplate
from castwright.production.templates import template_labels
from castwright.runtime import Runtime

__all__ = ["encoding_object", "production_object", "template_object"]


def _ttl(runtime: Runtime, public: bool) -> int:
    settings = runtime.settings
    return settings.public_url_ttl_seconds if public else settings.signed_url_ttl_seconds


def production_object(runtime: Runtime, production: Production) -> dict[str, Any]:
    ttl = _ttl(runtime, production.public)
    files = [
        {
            **{k: v for k, v in f.items() if k != "blobKey"},
            "url": runtime.signer.url(f["blobKey"], ttl, f"{f['filename']}.{f['format']}"),
        }
        for f in production.files
    ]
    data: dict[str, Any] = {
        "productionId": production.id,
        "speechId": production.speech_id,
        "scriptId": production.script_id,
        "scriptMetadata": production.script_metadata,
        "projectName": production.project_name,
        "moduleName": production.module_name,
        "scriptName": production.script_name,
        "creationDate": iso(production.created_at),
        "timelineId": production.id,
        "soundTemplate": production.sound_template,
        "masteringPreset": production.mastering_preset,
        "files": files,
        "status": production.status,
        "warnings": list(production.warnings),
        "loudness": production.loudness,
        "timeline": production.timeline if not production.validate_only else [],
    }
    if production.validate_only:
        data["validation"] = (
            production.timeline or [{"valid": True, "errors": [], "warnings": []}]
        )[0]
    return data


def template_object(runtime: Runtime, template: SoundTemplate) -> dict[str, Any]:
    base = runtime.settings.effective_public_url
    return {
        "soundTemplateId": template.id,
        "name": template.name,
        "alias": template.name,
        "description": template.description,
        "tags": list(template.tags),
        "labels": template_labels(template),
        "tempo": template.tempo,
        "durations": {s.name: round(s.duration, 3) for s in template.segments},
        "samples": [f"{base}/production/sound/template/alias/{template.name}"],
        "segmentNames": [s.name for s in template.segments],
        "segments": [
            {"segmentName": s.name, "fileId": s.file_id, "duration": round(s.duration, 3)}
            for s in template.segments
        ],
        "accessType": "public" if template.builtin else "private",
        "templateGeneration": template.generator_version or "custom",
        "license_type": "castwright-generated" if template.builtin else "user",
        "isElastic": template.is_elastic,
    }


def encoding_object(runtime: Runtime, encoding: Encoding) -> dict[str, Any]:
    url = None
    if encoding.blob_key:
        filename = f"{encoding.id}.{encoding.format}"
        url = runtime.signer.url(encoding.blob_key, _ttl(runtime, encoding.public), filename)
    return {
        "encoderId": encoding.id,
        "productionId": encoding.production_id,
        "preset": encoding.preset,
        "format": encoding.format,
        "url": url,
        "fileId": encoding.file_id,
        "duration": encoding.duration,
        "loudness": encoding.loudness,
        "status": encoding.status,
        "creationDate": iso(encoding.created_at),
    }
