"""From retrieved passages to a cited answer: evidence scoring and extractive composition,
citations with exact spans, and the pipeline of runnable stages (retrieve, compose, check)."""
