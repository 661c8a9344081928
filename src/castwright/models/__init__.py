"""ORM models, one per file. Importing this package registers every table on Base.metadata."""

from castwright.models.api_key import ApiKey
from castwright.models.carrierx_container import CarrierXContainer
from castwright.models.carrierx_file import CarrierXFile
from castwright.models.custom_voice import CustomVoice
from castwright.models.file import File, FileReference, FileTag
from castwright.models.file_analysis import FileAnalysis
from castwright.models.folder import Folder
from castwright.models.job import Job
from castwright.models.oauth_token import OAuthToken
from castwright.models.production import Encoding, Production
from castwright.models.pronunciation_entry import PronunciationEntry
from castwright.models.render_cache import RenderCacheEntry
from castwright.models.script import Script, ScriptVersion
from castwright.models.sound_template import SoundTemplate, TemplateSegment
from castwright.models.speech import Speech
from castwright.models.voice_clone import VoiceClone

__all__ = [
    "ApiKey",
    "CarrierXContainer",
    "CarrierXFile",
    "CustomVoice",
    "Encoding",
    "File",
    "FileAnalysis",
    "FileReference",
    "FileTag",
    "Folder",
    "Job",
    "OAuthToken",
    "Production",
    "PronunciationEntry",
    "RenderCacheEntry",
    "Script",
    "ScriptVersion",
    "SoundTemplate",
    "Speech",
    "TemplateSegment",
    "VoiceClone",
]
