"""Static CSS and the one script of the web chat (citation links scroll to their source)."""

CSS = """
.rb-msg .rb-text { line-height: 1.7; }
.rb-short { font-size: 1.1em; font-weight: 600; color: #111827; margin-bottom: 4px; }
.rb-short-label { font-size: .75em; font-weight: 500; color: #fff; background: #2563eb;
  border-radius: 4px; padding: 1px 6px; margin-right: 8px; vertical-align: middle; }
.rb-rewrite { font-size: .9em; color: #374151; background: #eef2ff; border-left: 3px solid #6366f1;
  padding: 2px 8px; margin-bottom: 6px; border-radius: 4px; }
.rb-refusal { border-left: 4px solid #d97706; background: #fffbeb; color: #78350f;
  padding: 6px 10px; border-radius: 6px; }
.rb-error { border-left: 4px solid #dc2626; background: #fef2f2; color: #7f1d1d;
  padding: 6px 10px; border-radius: 6px; }
a.rb-cite, a.rb-srclink { font-weight: 600; color: #2563eb; text-decoration: none;
  cursor: pointer; }
.rb-label { font-size: .85em; color: #6b7280; margin-right: 4px; }
.rb-srclist { margin-top: 6px; font-size: .85em; }
.rb-srclist ol { margin: 0; padding-left: 1.2em; list-style: none; }
.rb-numbers { margin-top: 6px; }
details.rb-badge { display: inline-block; margin: 2px 4px 2px 0; padding: 0 8px;
  border: 1px solid; border-radius: 999px; font-size: .85em; vertical-align: top; }
details.rb-badge[open] { display: block; border-radius: 8px; padding: 4px 8px; }
details.rb-badge summary { cursor: pointer; list-style: none; }
details.rb-badge summary::-webkit-details-marker { display: none; }
.rb-verified { border-color: #16a34a !important; background: #f0fdf4; color: #14532d; }
.rb-derived { border-color: #2563eb !important; background: #eff6ff; color: #1e3a8a; }
.rb-mismatch { border-color: #dc2626 !important; background: #fef2f2; color: #7f1d1d;
  font-weight: 700; }
.rb-unverified { border-color: #d97706 !important; background: #fffbeb; color: #78350f; }
.rb-badge-body { font-weight: 400; margin-top: 4px; }
.rb-fact { margin: 2px 0; }
.rb-loc { color: #6b7280; margin-left: 6px; font-size: .9em; }
mark.rb-hl { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.rb-sources { max-height: 640px; overflow-y: auto; }
.rb-turn { margin-bottom: 10px; }
.rb-turn > summary { cursor: pointer; font-weight: 600; }
.rb-turn-refusal > summary { color: #b45309; }
.rb-src { border: 1px solid #e5e7eb; border-radius: 8px; padding: 6px 10px; margin: 6px 0;
  transition: box-shadow .3s; }
.rb-src-head { font-size: .85em; color: #4b5563; }
.rb-src-n { font-weight: 700; color: #2563eb; }
blockquote.rb-passage { margin: 4px 0 0; padding-left: 8px; border-left: 3px solid #d1d5db;
  line-height: 1.7; }
.rb-flash { box-shadow: 0 0 0 3px #f59e0b; }
.rb-empty { color: #6b7280; }
.rb-composer { font-size: .85em; margin: 2px 0 6px; padding: 2px 8px; border-radius: 4px; }
.rb-composer-llm { color: #14532d; background: #f0fdf4; }
.rb-llm-rejected { color: #78350f; background: #fffbeb; }
.rb-draft .rb-draft-label { font-size: .8em; color: #92400e; background: #fef3c7;
  display: inline-block; padding: 1px 6px; border-radius: 4px; margin-bottom: 4px; }
.rb-draft .rb-text { color: #6b7280; font-style: italic; }
.rb-notice { padding: 6px 10px; border-radius: 6px; background: #f3f4f6; }
.rb-notice-ok { background: #f0fdf4; color: #14532d; }
.rb-notice-error { background: #fef2f2; color: #7f1d1d; }
"""

# A capturing listener: [n] markers and source links scroll to (and open) their source
# instead of navigating, wherever the chatbot's Markdown renderer put them.
HEAD = """
<script>
document.addEventListener("click", function (ev) {
  var link = ev.target.closest && ev.target.closest("a.rb-cite, a.rb-srclink");
  if (!link) { return; }
  ev.preventDefault();
  ev.stopPropagation();
  var target = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!target) { return; }
  var box = target.closest("details");
  if (box) { box.open = true; }
  target.scrollIntoView({behavior: "smooth", block: "center"});
  target.classList.add("rb-flash");
  setTimeout(function () { target.classList.remove("rb-flash"); }, 1600);
}, true);
</script>
"""
