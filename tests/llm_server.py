"""A scripted OpenAI-compatible chat server on loopback: the stand-in for a site's own LLM
server (vLLM, Ollama, an intranet gateway), which reportbot does not ship.

It speaks the real ``POST /v1/chat/completions`` protocol, plain JSON or (``stream: true``)
server-sent events ending with ``data: [DONE]``. The reply is chosen by the request's
``model`` name: a script reads the passages the request carries (numbered ``[n]``) and
writes its reply from them, so a correct answer cites whichever number the passage got.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from reportbot.bench.process import free_port

Script = Callable[[str], str]  # the user message (passages and question) -> reply text
# A script may answer with a directive instead of text: <<http-500>>, <<http-429>>,
# <<sleep-5>> (reply after 5 s), <<malformed>> (a cut-off JSON body).
_DIRECTIVE = re.compile(r"<<(http|sleep|malformed)-?([\d.]*)>>")
FAILURES: dict[str, Script] = {name: (lambda p, d=f"<<{name}>>": d) for name in
                               ("http-500", "http-429", "sleep-5", "malformed")}
_PASSAGE = re.compile(r'<passage id="(\d+)"[^>]*>(.*?)</passage>', re.S)


def passages(prompt: str) -> dict[int, str]:
    """The numbered passages a request carries."""
    return {int(m.group(1)): m.group(2) for m in _PASSAGE.finditer(prompt)}


def number_of(prompt: str, needle: str) -> int:
    """The number the prompt gave to the passage holding ``needle`` (the test fails if none)."""
    found = [n for n, text in passages(prompt).items() if needle in text]
    assert found, f"no passage of the request holds {needle!r}: {passages(prompt)}"
    return found[0]


def citing(template: str, needle: str) -> Script:
    """A reply citing the passage that holds ``needle``: ``{n}`` in the template is its number."""
    return lambda prompt: template.format(n=number_of(prompt, needle))


def by_question(routes: dict[str, Script], otherwise: Script) -> Script:
    """A script that picks another by a word of the question (the prompt ends with it)."""
    def pick(prompt: str) -> str:
        question = prompt.rsplit("问题：", 1)[-1]
        script = next((s for word, s in routes.items() if word in question), otherwise)
        return script(prompt)

    return pick


class ScriptedLLM:
    """The server, its scripts by model name, and every request it received."""

    def __init__(self, scripts: dict[str, Script], chunk_delay: float = 0.02) -> None:
        self.scripts = {**FAILURES, **scripts}
        self.chunk_delay = chunk_delay
        self.requests: list[dict[str, Any]] = []
        self.port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True

    @property
    def base_url(self) -> str:
        """What REPORTBOT_LLM_BASE_URL is set to."""
        return f"http://127.0.0.1:{self.port}/v1"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(size) or b"{}")
                owner.requests.append({"path": self.path, "body": body,
                                       "auth": self.headers.get("Authorization")})
                try:
                    owner.respond(self, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (a timeout test): nothing to answer

        return Handler

    def respond(self, h: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        """Answer one request as its model's script says."""
        model = str(body.get("model"))
        if h.path.rstrip("/") != "/v1/chat/completions":
            return _send(h, 404, {"error": {"message": f"no route {h.path}"}})
        if model not in self.scripts:
            return _send(h, 404, {"error": {"message": f"no model {model}"}})
        text = self.scripts[model](str(body["messages"][-1]["content"]))
        directive = _DIRECTIVE.fullmatch(text)
        if directive and directive.group(1) == "sleep":  # answer after the client gave up
            time.sleep(float(directive.group(2)))
            return _send(h, 200, _completion(model, "迟到的回答。"))
        if directive and directive.group(1) == "http":
            code = int(directive.group(2))
            return _send(h, code, {"error": {"message": "scripted failure", "code": code}},
                         {"Retry-After": "1"} if code == 429 else {})
        if directive:
            return _send_raw(h, 200, b'{"id": "x", "choices": [{"message": {"content": "oops')
        if not body.get("stream"):
            return _send(h, 200, _completion(model, text))
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Cache-Control", "no-cache")
        h.end_headers()
        for chunk in _chunks(model, text):
            h.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            h.wfile.flush()
            time.sleep(self.chunk_delay)
        h.wfile.write(b"data: [DONE]\n\n")
        h.wfile.flush()

    def start(self) -> None:
        """Serve in a daemon thread."""
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def scripted_llm(scripts: dict[str, Script], chunk_delay: float = 0.02) -> Iterator[ScriptedLLM]:
    """A running ScriptedLLM, stopped afterwards."""
    server = ScriptedLLM(scripts, chunk_delay)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _completion(model: str, text: str) -> dict[str, Any]:
    return {"id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunks(model: str, text: str, size: int = 4) -> Iterator[dict[str, Any]]:
    head = {"id": "chatcmpl-test", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": model}
    yield {**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                "finish_reason": None}]}
    for i in range(0, len(text), size):
        yield {**head, "choices": [{"index": 0, "delta": {"content": text[i:i + size]},
                                    "finish_reason": None}]}
    yield {**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}


def _send(h: BaseHTTPRequestHandler, code: int, data: dict[str, Any],
          headers: dict[str, str] | None = None) -> None:
    _send_raw(h, code, json.dumps(data, ensure_ascii=False).encode(), headers)


def _send_raw(h: BaseHTTPRequestHandler, code: int, raw: bytes,
              headers: dict[str, str] | None = None) -> None:
    h.send_response(code)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(raw)))
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.end_headers()
    h.wfile.write(raw)
