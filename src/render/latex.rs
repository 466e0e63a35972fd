//! placeholder
use super::Document;
pub(super) fn render(doc: &Document) -> String {
    format!("{doc:?}")
}
