"""Shared test settings: hypothesis runs a fixed, derandomized number of examples."""
from hypothesis import settings

settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")
