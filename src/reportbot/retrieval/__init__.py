"""BM25, weighted reciprocal-rank fusion, the hybrid searcher, and ReportbotRetriever: the
LangChain BaseRetriever the answer pipeline uses (and any other chain can)."""
