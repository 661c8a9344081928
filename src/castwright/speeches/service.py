"""Speech rules: validate and plan at request time, render in a job, deduplicate re-POSTs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from castwright.db.engine import after_commit
from castwright.dictionaries.lexicon import EMPTY_LEXICON, load_lexicon
from castwright.errors import Invalid, NotFound, RateLimited
from castwright.files.service import FileService
from castwright.jobs.submit import submit_job
from castwright.models.speech import Speech, SpeechStatus
from castwright.runtime import Runtime
from castwright.scripts.service import ScriptService
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.speeches.repository import SpeechRepository
from castwright.voices.organisation import organisation_voices

__all__ = ["RENDER_JOB", "SpeechPage", "SpeechService", "speech_blob_prefix"]

RENDER_JOB = "speech.render"
PAGE_SIZE = 100


@dataclass(frozen=True)
class SpeechPage:
    speeches: list[Speech]
    next_token: str | None


def speech_blob_prefix(speech: Speech) -> str:
    # Blobs live under their organisation, so a key can only ever reach its own org's audio.
    return f"orgs/{speech.org_id}/speeches/{speech.id}"


class SpeechService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str) -> None:
        self.runtime = runtime
        self.session = session
        self.repo = SpeechRepository(session)
        self.org_id = org_id

    def create(
        self,
        script_id: str,
        version: str | None,
        options: TtsOptions,
        *,
        public: bool = False,
        use_cache: bool = True,
        submit: bool = True,
    ) -> Speech:
        """A new speech (or the identical one already waiting). ``submit=False`` leaves the
        rendering to the caller, e.g. a mix job that renders its script inline."""
        script, script_version = ScriptService(self.session, self.org_id).get(script_id, version)
        document = parse_script(script_version.text)
        voices = organisation_voices(self.runtime, self.session, self.org_id)
        if options.lexicon is EMPTY_LEXICON:
            options = replace(options, lexicon=load_lexicon(self.session, self.org_id))
        plans = plan_speech(document, options, voices)  # raises on any bad input
        if not plans:
            raise Invalid("the script has nothing to say", field="scriptId")
        request = {**options.as_json(), "useCache": use_cache}
        dedupe_key = hashlib.sha256(
            json.dumps([script_version.text, request, public], sort_keys=True).encode()
        ).hexdigest()
        existing = self.repo.unfinished_with_key(self.org_id, dedupe_key)
        if existing is not None:
            return existing  # an SDK retry after a client timeout: same job, no second render
        limit = self.runtime.settings.jobs.max_unfinished_per_org
        if self.repo.count_unfinished(self.org_id) >= limit:
            raise RateLimited(
                f"{limit} renders are already waiting; try again shortly", retry_after=5
            )
        speech = self.repo.add(
            Speech(
                org_id=self.org_id,
                script_id=script.id,
                version=script_version.name,
                project_name=script.project_name,
                module_name=script.module_name,
                script_name=script.script_name,
                script_metadata=script.metadata_,
                script_text=script_version.text,
                voice=plans[0].voice.alias
                if not options.voice
                else voices.resolve(options.voice).alias,
                speed=options.speed,
                public=public,
                section_to_produce=options.section_to_produce,
                request=request,
                dedupe_key=dedupe_key,
            )
        )
        if submit:
            speech.job_id = submit_job(self.session, RENDER_JOB, speech.id).id
        return speech

    def get(self, speech_id: str) -> Speech:
        speech = self.repo.get(self.org_id, speech_id)
        if speech is None:
            raise NotFound(
                f"Speech {speech_id} not found", errors=[f"speechId: {speech_id} does not exist"]
            )
        return speech

    def page(self, filters: dict[str, str], token: str | None) -> SpeechPage:
        after = None
        if token:
            after = self.repo.get(self.org_id, token)
            if after is None:
                raise Invalid("is not a valid pagination token", field="paginationToken")
        rows = list(
            self.repo.page(
                self.org_id, {k: v for k, v in filters.items() if v}, after, PAGE_SIZE + 1
            )
        )
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        return SpeechPage(rows, rows[-1].id if more else None)

    def delete(self, speech_id: str) -> None:
        speech = self.get(speech_id)
        FileService(self.runtime, self.session, self.org_id).delete_owned("speech", speech.id)
        self.repo.delete(speech)
        blobs, prefix = self.runtime.blobs, speech_blob_prefix(speech)
        after_commit(self.session, lambda: blobs.delete_prefix(prefix))

    @staticmethod
    def is_finished(speech: Speech) -> bool:
        return speech.status not in SpeechStatus.UNFINISHED
