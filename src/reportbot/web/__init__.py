"""The Gradio web chat: build_app() -> gr.Blocks, rendering of answers and sources (document
text always inert), the fact/document/eval tabs, the /chat and /ask API."""
