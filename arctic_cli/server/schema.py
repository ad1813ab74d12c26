"""Parsing and checking `POST /v1/chat/completions` bodies; OpenAI-style error bodies.

Every problem is a `BadRequest` naming the offending field, rendered as OpenAI's
`{"error": {"message", "type", "param", "code"}}`. Unknown fields are ignored (clients send many
optional ones); a few that would change the answer's meaning and are not supported (`n` > 1,
`tools`) are refused rather than silently dropped.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from arctic_cli.backends import GenParams, Message
from arctic_cli.textfiles import lone_surrogate

ROLES = ("system", "user", "assistant")
MAX_STOP = 16  # OpenAI allows 4; vLLM and llama.cpp allow more


class BadRequest(Exception):
    """A request the server refuses, with its HTTP status and OpenAI-style error fields."""

    def __init__(
        self,
        message: str,
        param: str | None = None,
        *,
        status: int = 400,
        code: str | None = None,
        type: str = "invalid_request_error",
    ):
        super().__init__(message)
        self.message, self.param, self.status, self.code, self.type = (
            message,
            param,
            status,
            code,
            type,
        )


def error_body(
    message: str, type: str, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


@dataclass
class ChatRequest:
    messages: list[Message]
    params: GenParams
    stream: bool
    include_usage: bool
    model: str | None


def parse_chat_request(raw: bytes, max_tokens: int, temperature: float) -> ChatRequest:
    """The request in `raw`, with the server's defaults for what it leaves out."""
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BadRequest(f"the request body is not valid JSON: {e}", code="invalid_json") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    if body.get("n", 1) != 1:
        raise BadRequest("only n=1 is supported", "n")
    if body.get("tools"):
        raise BadRequest("tools are not supported by this server", "tools")
    stream = _bool(body, "stream", False)
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise BadRequest("'stream_options' must be an object", "stream_options")
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise BadRequest("'model' must be a string", "model")
    params = GenParams(
        max_tokens=_int(body, "max_completion_tokens", None, 1)
        or _int(body, "max_tokens", max_tokens, 1),
        temperature=_number(body, "temperature", temperature, 0.0, 2.0),
        top_p=_number(body, "top_p", 1.0, 0.0, 1.0, low_open=True),
        top_k=_int(body, "top_k", 0, 0),
        repetition_penalty=_number(body, "repetition_penalty", 1.0, 0.0, 10.0, low_open=True),
        seed=_int(body, "seed", None, None),
        stop=_stop(body.get("stop")),
    )
    return ChatRequest(
        messages=_messages(body.get("messages")),
        params=params,
        stream=stream,
        include_usage=_bool(options, "include_usage", False, "stream_options.include_usage"),
        model=model,
    )


def _messages(value: Any) -> list[Message]:
    if value is None:
        raise BadRequest("'messages' is required", "messages", code="missing_required_parameter")
    if not isinstance(value, list) or not value:
        raise BadRequest("'messages' must be a non-empty list", "messages")
    messages = []
    for i, m in enumerate(value):
        where = f"messages[{i}]"
        if not isinstance(m, dict):
            raise BadRequest(f"'{where}' must be an object", where)
        role = m.get("role")
        if role == "developer":  # OpenAI's newer name for the system role
            role = "system"
        if role not in ROLES:
            raise BadRequest(f"'{where}.role' must be one of {', '.join(ROLES)}", f"{where}.role")
        if m.get("content") is None and role != "assistant":  # only an assistant turn may be empty
            raise BadRequest(
                f"'{where}.content' is required", f"{where}.content", code="missing_required_parameter"
            )
        messages.append({"role": role, "content": _content(m.get("content"), f"{where}.content")})
    return messages


def _content(value: Any, where: str) -> str:
    """A message's text: a string, or a list of {"type": "text", "text": ...} parts."""
    text = _parts(value, where)
    bad = lone_surrogate(text)  # JSON may escape one ("\udce9"); no tokenizer takes it
    if bad:
        raise BadRequest(f"'{where}' holds a lone surrogate (\\u{ord(bad):04x}), which is not text", where)
    return text


def _parts(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        texts = []
        for part in value:
            if not (
                isinstance(part, dict)
                and part.get("type") == "text"
                and isinstance(part.get("text"), str)
            ):
                raise BadRequest(f"'{where}' parts must be text parts (no images or audio)", where)
            texts.append(part["text"])
        return "".join(texts)
    raise BadRequest(f"'{where}' must be a string or a list of text parts", where)


def _stop(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(s, str) and s for s in items):
        raise BadRequest("'stop' must be a non-empty string or a list of them", "stop")
    if len(items) > MAX_STOP:
        raise BadRequest(f"'stop' takes at most {MAX_STOP} strings", "stop")
    return tuple(items)


def _bool(body: dict[str, Any], key: str, default: bool, param: str | None = None) -> bool:
    value = body.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise BadRequest(f"'{param or key}' must be true or false", param or key)
    return value


def _int(body: dict[str, Any], key: str, default: Any, low: int | None) -> Any:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"'{key}' must be an integer", key)
    if low is not None and value < low:
        raise BadRequest(f"'{key}' must be at least {low}", key)
    return value


def _number(
    body: dict[str, Any],
    key: str,
    default: float,
    low: float,
    high: float,
    *,
    low_open: bool = False,
) -> float:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadRequest(f"'{key}' must be a number", key)
    if value > high or value < low or (low_open and value == low):
        span = f"above {low:g} and at most" if low_open else f"between {low:g} and"
        raise BadRequest(f"'{key}' must be {span} {high:g}", key)
    return float(value)
