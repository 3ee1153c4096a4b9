-- Pandoc fallback for Quarto's ```{mermaid} cells (`make report` without Quarto).
-- A mermaid block names its source with `%%| file: path.mmd`; the pre-render step
-- (src/report/renderReport.ts) has drawn that source to `path.svg` with mermaid itself in
-- headless Chromium. This filter puts the SVG in place of the block, so the deck, the report
-- and the PDF carry the same static diagram and need no script to draw it.
function CodeBlock(block)
  if not block.classes:includes("mermaid") then
    return nil
  end
  local file = block.text:match("%%%%|%s*file:%s*(%S+)")
  if not file then
    error("mermaid block without `%%| file: ...`: inline diagrams are not pre-rendered")
  end
  local svg_path = file:gsub("%.mmd$", ".svg")
  local f = io.open(svg_path, "r")
  if not f then
    error("mermaid: " .. svg_path .. " not found (run the pre-render step)")
  end
  local svg = f:read("a")
  f:close()
  return pandoc.RawBlock("html", '<div class="mermaid-figure">' .. svg .. "</div>")
end
