//! placeholder
use super::{Document, RenderOptions};
pub(super) fn render(doc: &Document, _opts: &RenderOptions) -> String {
    format!("{doc:?}")
}
