"""Everything that touches storage or a third-party service: SQLite helpers and migrations,
the chunk catalog, the Chroma index, the embedders (heavy imports lazy), feedback and users."""
