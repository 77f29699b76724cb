"""Pure text work: the one sentence/clause splitter, tokens, quantities, the one question
analysis (the frozen Question frame and the patterns of what a question asks), follow-up
rewriting, and the vocabulary loaded from data files (language/data/*.toml)."""
