"""Source adapters, one module per ``kind`` of sources.yaml, behind one registry."""

from .base import REGISTRY, PollContext, Source, register, source_for

__all__ = ["REGISTRY", "PollContext", "Source", "register", "source_for"]
