"""Options shared by several commands, declared once (Typer `Annotated` aliases)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class Format(str, Enum):
    text = "text"
    json = "json"


FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Result format: text or one JSON object.")
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Model name or checkpoint directory [env: ARCTIC_MODEL]."),
]
EndpointOpt = Annotated[
    str | None,
    typer.Option("--endpoint", help="OpenAI-compatible base URL, e.g. http://host:8000/v1 [env: ARCTIC_ENDPOINT]."),
]
DeviceOpt = Annotated[
    str | None, typer.Option("--device", help="auto, cpu or cuda [env: ARCTIC_DEVICE].")
]
QuantOpt = Annotated[
    str | None,
    typer.Option("--quant", help="Quantize weights on load: none, int8 or int4 [env: ARCTIC_QUANT]."),
]
CompileOpt = Annotated[
    bool,
    typer.Option("--compile", help="Compile the decode step with torch.compile: faster tokens, slower start [env: ARCTIC_COMPILE]."),
]
TemperatureOpt = Annotated[
    float | None,
    typer.Option("--temperature", "-t", help="Sampling temperature; 0 is greedy [env: ARCTIC_TEMPERATURE]."),
]
MaxTokensOpt = Annotated[
    int | None,
    typer.Option("--max-tokens", help="Most tokens to generate [env: ARCTIC_MAX_TOKENS]."),
]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Random seed for sampling.")]
ApiKeyOpt = Annotated[
    str | None,
    typer.Option("--api-key", help="Bearer token for --endpoint [env: ARCTIC_API_KEY].", show_default=False),
]
RemoteModelOpt = Annotated[
    str | None,
    typer.Option("--remote-model", help="Model name to request from --endpoint [env: ARCTIC_REMOTE_MODEL]."),
]


def resolve_settings(**flags: object):  # type: ignore[no-untyped-def]
    """Settings for a command: its flags (None = not given) over env, config file and defaults."""
    from arctic_cli import settings

    return settings.resolve(flags)
