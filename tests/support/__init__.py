"""Helpers that check the built site with real tools: Chromium, axe-core, the Nu checker."""
