"""The operator's OpenAI-compatible chat model writes adverts; the built-in writer is the
fallback. A small chat server on 127.0.0.1 stands in for the model: it writes the number of
words the prompt asks for, or, when told to misbehave, answers with something unusable."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api_checks import ok
from support.live_server import LiveServer

API_KEY = "chat-secret"
_FILLER = " ".join(
    f"Reason number {n}: it is light, it is quick and it keeps going all day." for n in range(1, 60)
)


@dataclass
class ChatModel:
    """What the stand-in model does: ``mode`` is good, broken or nameless."""

    url: str = ""
    mode: str = "good"
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def reply(self, body: dict[str, Any]) -> str:
        if self.mode == "broken":
            return "Sorry, I can't help with that."
        prompt = body["messages"][-1]["content"]
        words = int(re.findall(r"about (\d+) words", prompt)[-1])
        product = re.search(r"Product: (.+)", body["messages"][1]["content"])
        name = product.group(1) if product and self.mode == "good" else "this thing"
        main = " ".join(_FILLER.split()[: max(words - 16, 4)])
        main = main.rstrip(".") + "."
        return json.dumps(
            {
                "intro": f"Big news from the model: meet {name}.",
                "main": main,
                "outro": f"Order {name} from the model shop today. {name}, simply better.",
            }
        )


@pytest.fixture(scope="module")
def chat_model() -> Iterator[ChatModel]:
    model = ChatModel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            model.requests.append(body)
            model.headers.append(self.headers.get("Authorization", ""))
            if self.path != "/v1/chat/completions":
                self.send_response(404)
                self.end_headers()
                return
            answer = {"choices": [{"message": {"role": "assistant", "content": model.reply(body)}}]}
            payload = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    model.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield model
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def castwright(
    chat_model: ChatModel, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    data_dir: Path = tmp_path_factory.mktemp("chat-server")
    server = LiveServer(
        data_dir,
        workers=1,
        extra_env={
            "CASTWRIGHT_CONTENT__CHAT_URL": chat_model.url,
            "CASTWRIGHT_CONTENT__CHAT_MODEL": "stand-in-model",
            "CASTWRIGHT_CONTENT__CHAT_API_KEY": API_KEY,
        },
    )
    key = server.create_key()
    server.start()
    try:
        with httpx.Client(base_url=server.url, headers={"x-api-key": key}, timeout=120) as client:
            yield client
    finally:
        server.stop()


BRIEF = {
    "productName": "Lumina",
    "productDescription": "A smart desk lamp.",
    "mood": "happy",
    "tone": "friendly",
    "adLength": 30,
}


def test_chat_model_writes_the_advert(castwright: httpx.Client, chat_model: ChatModel) -> None:
    chat_model.mode = "good"
    before = len(chat_model.requests)
    response = castwright.post("/content/generate/advert", json=BRIEF)
    data = ok(response)
    assert data["writer"] == "chat", response.json()["warnings"]
    assert "Big news from the model" in data["adText"] and "model shop" in data["callToAction"]
    assert abs(data["length"] - 30) <= 3
    sent = chat_model.requests[before]
    assert sent["model"] == "stand-in-model"
    assert chat_model.headers[before] == f"Bearer {API_KEY}"
    assert "Lumina" in sent["messages"][1]["content"] and "happy" in sent["messages"][1]["content"]


def test_chat_model_edits(castwright: httpx.Client, chat_model: ChatModel) -> None:
    chat_model.mode = "good"
    original = ok(castwright.post("/content/generate/advert", json=BRIEF))
    before = len(chat_model.requests)
    edited = ok(
        castwright.post(
            "/content/edit/advert",
            json={
                "adText": original["adText"],
                "productName": "Lumina",
                "productDescription": "A smart desk lamp.",
                "instruction": "make it shorter",
            },
        )
    )
    assert edited["writer"] == "chat" and edited["length"] < original["length"]
    assert "make it shorter" in chat_model.requests[before]["messages"][1]["content"]


@pytest.mark.parametrize("mode", ["broken", "nameless"])
def test_unusable_replies_fall_back_to_the_built_in_writer(
    castwright: httpx.Client, chat_model: ChatModel, mode: str
) -> None:
    chat_model.mode = mode
    body = castwright.post("/content/generate/advert", json=BRIEF).json()
    data = body["data"]
    assert data["writer"] == "builtin" and "model" not in data["adText"]
    assert "Lumina" in data["adText"] and abs(data["length"] - 30) <= 3
    assert any(w.startswith("writer:") and "built-in writer" in w for w in body["warnings"])
