"""Shared pytest fixtures: a tiny random Arctic checkpoint, and skipping GPU tests without CUDA."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gpu_items = [item for item in items if "gpu" in item.keywords]
    if not gpu_items:
        return
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU")
    for item in gpu_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random tiny Arctic checkpoint directory (config, safetensors, byte-level tokenizer).

    Shared by the whole session: treat it as read-only. For other shapes call
    `arctic_cli.engine.checkpoint.write_random_checkpoint(tmp_path, **overrides)` yourself.
    """
    from arctic_cli.engine.checkpoint import write_random_checkpoint

    return write_random_checkpoint(tmp_path_factory.mktemp("tiny-arctic"), seed=0)
