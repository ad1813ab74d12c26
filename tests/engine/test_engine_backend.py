"""LocalBackend end to end on a random tiny checkpoint, and open_backend's model resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from arctic_cli import backends
from arctic_cli.backends import GenParams, LocalBackend, Usage, complete
from arctic_cli.engine import generate_tokens
from arctic_cli.errors import RuntimeFailure, UsageError
from arctic_cli.settings import resolve

CHAT = [{"role": "user", "content": "SELECT the name"}]


@pytest.fixture(scope="module")
def backend(tiny_checkpoint: Path) -> LocalBackend:
    return LocalBackend(tiny_checkpoint, device="cpu")


def test_stream_equals_greedy_tokens_decoded(backend: LocalBackend) -> None:
    result = complete(backend, CHAT, GenParams(max_tokens=20))
    prompt = backend.tokenizer.encode_chat(CHAT)
    tokens = list(generate_tokens(backend.model, prompt, 20, stop_ids=backend.tokenizer.stop_ids))
    assert result.text == backend.tokenizer.decode(tokens)
    assert result.usage.prompt_tokens == len(prompt) == backend.count_tokens(CHAT)
    assert result.usage.completion_tokens == len(tokens)
    assert result.usage.finish_reason == ("length" if len(tokens) == 20 else "stop")
    assert backend.context_window == 256 and backend.name == backend.model_dir.name


def test_beams_stream_the_best_hypothesis(backend: LocalBackend) -> None:
    from arctic_cli.engine.generate import beam_search

    result = complete(backend, CHAT, GenParams(max_tokens=12, beams=3))
    prompt = backend.tokenizer.encode_chat(CHAT)
    best = beam_search(backend.model, prompt, 3, 12, stop_ids=backend.tokenizer.stop_ids)[0]
    assert result.text == backend.tokenizer.decode(best.ids)
    assert result.usage.completion_tokens == len(best.ids)
    assert result.usage.finish_reason == ("stop" if best.finished else "length")


def test_stop_string_cuts_the_text(backend: LocalBackend) -> None:
    full = complete(backend, CHAT, GenParams(max_tokens=30)).text
    stop = full[5:7]
    cut = complete(backend, CHAT, GenParams(max_tokens=30, stop=[stop]))
    assert cut.text == full[: full.index(stop)]
    assert cut.usage.finish_reason == "stop"


def test_constraint_is_the_logits_hook(backend: LocalBackend) -> None:
    target = backend.tokenizer.encode("SELECT")
    assert len(target) == 1  # a merged token of the tiny tokenizer
    end = min(backend.tokenizer.stop_ids)

    def only_select_then_stop(generated: list[int], logits: torch.Tensor) -> torch.Tensor:
        out = torch.full_like(logits, float("-inf"))
        out[end if generated else target[0]] = 0.0
        return out

    result = complete(backend, CHAT, GenParams(max_tokens=10, constraint=only_select_then_stop))
    assert result.text == "SELECT"
    assert result.usage.completion_tokens == 1 and result.usage.finish_reason == "stop"


def test_seeded_sampling_through_the_backend(backend: LocalBackend) -> None:
    params = GenParams(max_tokens=16, temperature=1.0, seed=11)
    assert complete(backend, CHAT, params).text == complete(backend, CHAT, params).text


def test_prompt_too_long(backend: LocalBackend) -> None:
    with pytest.raises(UsageError, match="context window is 256 tokens"):
        list(backend.stream([{"role": "user", "content": "x " * 400}], GenParams(), Usage()))


def test_open_backend_resolves_model_dirs(
    tiny_checkpoint: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    local = backends.open_backend(
        resolve({"model": str(tiny_checkpoint), "device": "cpu"}, env={}), progress=False
    )
    assert isinstance(local, LocalBackend) and local.context_window == 256
    with pytest.raises(UsageError, match=r"^model directory .*missing does not exist$"):
        backends.open_backend(resolve({"model": str(tmp_path / "missing")}, env={}), progress=False)
    with pytest.raises(UsageError, match=f"is neither a directory nor a model in {tmp_path}"):
        backends.open_backend(resolve({"model": "missing"}, env={}), progress=False)


def test_builtin_model_missing_is_a_runtime_failure(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(backends, "builtin_model_dir", lambda: None)
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    with pytest.raises(RuntimeFailure, match="the built-in model is not installed in this build"):
        backends.open_backend(resolve({}, env={}), progress=False)


def test_endpoint_setting_builds_the_endpoint_backend(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    endpoint = pytest.importorskip("arctic_cli.endpoint")
    settings = resolve({"endpoint": "http://127.0.0.1:9/v1"}, env={})
    assert isinstance(backends.open_backend(settings, progress=False), endpoint.EndpointBackend)


def test_progress_bar_only_after_delay(monkeypatch) -> None:
    bar = backends._LoadBar("loading", delay=60.0)
    bar(10, 100)
    assert bar.progress is None  # a quick load shows nothing


def test_no_progress_bar_when_stderr_is_not_a_terminal(tiny_checkpoint: Path, tmp_path: Path, monkeypatch, capfd) -> None:
    made: list[str] = []
    monkeypatch.setattr(backends, "_LoadBar", lambda label, *a, **k: made.append(label))
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    settings = resolve({"model": str(tiny_checkpoint)}, env={})
    backends.open_backend(settings, progress=True)
    assert made == []  # under pytest stderr is captured, i.e. not a terminal
    assert capfd.readouterr().err == ""


def _with_generation_config(src: Path, dst: Path, text: str) -> Path:
    import shutil

    shutil.copytree(src, dst)
    (dst / "generation_config.json").write_text(text)
    return dst


def test_generation_config_sets_the_default_answer_length(
    tiny_checkpoint: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    model = _with_generation_config(tiny_checkpoint, tmp_path / "m", '{"max_new_tokens": 3, "do_sample": true}')
    local = LocalBackend(model, device="cpu")
    assert local.max_new_tokens == 3
    chosen = resolve({"model": str(model)}, env={})
    params = backends.gen_params(chosen, local, seed=5)
    assert (params.max_tokens, params.temperature, params.seed) == (3, 0.0, 5)  # do_sample is not taken
    assert complete(local, CHAT, params).usage.completion_tokens <= 3
    # a flag, the environment or the config file still win over the model's default
    assert backends.gen_params(resolve({"max_tokens": 7}, env={}), local).max_tokens == 7
    assert backends.gen_params(resolve({}, env={"ARCTIC_MAX_TOKENS": "9"}), local).max_tokens == 9
    (tmp_path / "config.toml").write_text("max_tokens = 11\n")
    assert backends.gen_params(resolve({}, env={}), local).max_tokens == 11
    # a model without one keeps arctic's default
    plain = LocalBackend(tiny_checkpoint, device="cpu")
    assert plain.max_new_tokens is None
    (tmp_path / "config.toml").unlink()
    assert backends.gen_params(resolve({}, env={}), plain).max_tokens == 512


def test_generation_config_eos_ids_also_stop(tiny_checkpoint: Path, tmp_path: Path) -> None:
    plain = LocalBackend(tiny_checkpoint, device="cpu")
    prompt = plain.tokenizer.encode_chat(CHAT)
    ids = list(generate_tokens(plain.model, prompt, 20, stop_ids=plain.tokenizer.stop_ids))
    assert ids and not set(ids) & plain.tokenizer.stop_ids  # greedy: its first token is ids[0]
    model = _with_generation_config(tiny_checkpoint, tmp_path / "m", f'{{"eos_token_id": [{ids[0]}]}}')
    local = LocalBackend(model, device="cpu")
    assert ids[0] in local.tokenizer.stop_ids and plain.tokenizer.stop_ids < local.tokenizer.stop_ids
    stopped = complete(local, CHAT, GenParams(max_tokens=20))
    assert stopped.text == "" and stopped.usage.finish_reason == "stop"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"max_new_tokens": 0}', "max_new_tokens must be a positive integer, got 0"),
        ('{"max_new_tokens": "lots"}', "max_new_tokens must be a positive integer, got 'lots'"),
        ('{"eos_token_id": [2, "x"]}', "eos_token_id must be a token id or a list of them"),
        ('{"eos_token_id": true}', "eos_token_id must be a token id or a list of them"),
        ('{"max_new_tokens": true}', "max_new_tokens must be a positive integer, got True"),
        ("{not json", "generation_config.json is not valid JSON"),
        ("[1, 2]", "generation_config.json is not a JSON object"),
    ],
)
def test_a_bad_generation_config_is_a_usage_error(
    tiny_checkpoint: Path, tmp_path: Path, text: str, message: str
) -> None:
    model = _with_generation_config(tiny_checkpoint, tmp_path / "m", text)
    with pytest.raises(UsageError, match=message):
        LocalBackend(model, device="cpu")
