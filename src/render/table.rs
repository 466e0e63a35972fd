//! placeholder
use super::{Block, Document, RenderOptions};
pub(super) fn render(doc: &Document, opts: &RenderOptions) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(_, t) => {
                out.push_str(t);
                out.push('\n');
            }
            Block::Paragraph(l) => {
                out.push_str(&l.text());
                out.push('\n');
            }
            Block::Table(t) => {
                let mut ct = comfy_table::Table::new();
                ct.set_width(opts.width);
                ct.set_header(t.columns.iter().map(|c| c.name.clone()));
                for r in &t.rows {
                    ct.add_row(r.iter().map(|c| c.text()));
                }
                out.push_str(&ct.to_string());
                out.push('\n');
            }
        }
    }
    out
}
pub fn sanitize_terminal(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}
