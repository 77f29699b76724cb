"""The fact table: extraction rules over sentences, the SQLite fact store, staff-curated
rows (corpus/facts.csv), and the report's arithmetic checked against itself."""
