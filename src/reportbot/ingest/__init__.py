"""Files -> documents (encodings, pdf, docx, html) -> chunks with exact offsets -> the
crash-safe ingest run that writes vectors, catalog and facts."""
