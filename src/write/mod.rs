//! The document model written in the formats negotiators exchange besides PDF: one
//! self-contained HTML file ([`html`]) and a Word document whose redline is real tracked
//! changes ([`docx`]). Both read only the [`crate::model`]: an agreement and a redline (the
//! model with `Ins`/`Del` inlines and change notes) are written by the same code. Term values
//! reach these writers as text inlines and are written as text, escaped by the writer (HTML)
//! or by docx-rs (XML), never as markup. The PDF is [`crate::render`]'s.

pub mod docx;
pub mod html;
