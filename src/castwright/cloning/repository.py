"""All SQL for voice clones and the organisation voices they build."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from castwright.models.custom_voice import CustomVoice
from castwright.models.voice_clone import VoiceClone, VoiceCloneStatus

__all__ = ["CloneRepository"]


class CloneRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: VoiceClone | CustomVoice) -> None:
        self.session.add(row)
        self.session.flush()

    def clone(self, clone_id: str) -> VoiceClone | None:
        return self.session.get(VoiceClone, clone_id)

    def clones(self, org_id: str, alias_key: str | None) -> Sequence[VoiceClone]:
        query = select(VoiceClone).where(VoiceClone.org_id == org_id)
        if alias_key is not None:
            query = query.where(VoiceClone.alias_key == alias_key)
        return self.session.scalars(
            query.order_by(VoiceClone.created_at.desc(), VoiceClone.id)
        ).all()

    def alias_in_use(self, org_id: str, alias_key: str) -> bool:
        """A voice with this alias exists, or a clone that may still make one."""
        voice = select(CustomVoice.id).where(
            CustomVoice.org_id == org_id, CustomVoice.alias_key == alias_key
        )
        pending = select(VoiceClone.id).where(
            VoiceClone.org_id == org_id,
            VoiceClone.alias_key == alias_key,
            VoiceClone.status.in_(VoiceCloneStatus.UNFINISHED),
        )
        return (
            self.session.scalar(voice.limit(1)) is not None
            or self.session.scalar(pending.limit(1)) is not None
        )

    def voice_count(self, org_id: str) -> int:
        query = select(func.count()).select_from(CustomVoice).where(CustomVoice.org_id == org_id)
        return int(self.session.scalar(query) or 0)

    def voices(self, org_id: str) -> Sequence[CustomVoice]:
        return self.session.scalars(
            select(CustomVoice).where(CustomVoice.org_id == org_id).order_by(CustomVoice.alias_key)
        ).all()

    def voice(self, org_id: str, alias_key: str) -> CustomVoice | None:
        return self.session.scalars(
            select(CustomVoice).where(
                CustomVoice.org_id == org_id, CustomVoice.alias_key == alias_key
            )
        ).first()

    def delete_voice(self, voice: CustomVoice) -> None:
        """The voice and every clone request made for its alias."""
        self.session.execute(
            delete(VoiceClone).where(
                VoiceClone.org_id == voice.org_id, VoiceClone.alias_key == voice.alias_key
            )
        )
        self.session.delete(voice)
        self.session.flush()
