"""The service object that wires one Settings to the stages, and the use cases the CLI and
the web share (locked ingest, a ready pipeline)."""
