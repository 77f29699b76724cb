"""Benchmarks that print figures: ingest throughput, latency, retrieval quality, cold start
and memory, and the naive LangChain pipeline they are compared with."""
