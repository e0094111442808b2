//! pactum's integration tests, in one test binary (each binary links Typst, so one link
//! serves them all). Every module runs the real `pactum` binary or library end to end and
//! reads what it wrote back: PDFs through pdftotext, JSON, exit codes.

mod common;

mod after_signing;
mod articles;
mod batch;
mod check;
mod config;
mod corpus;
mod diff;
mod difflang;
mod docs;
mod filled_source;
mod formats;
mod forms;
mod fuzz;
mod import;
mod injection;
mod json_schema;
mod languages;
mod letterheads;
mod originals;
mod parity;
mod render;
mod review_de;
mod review_docx;
mod review_layout;
mod review_legal;
mod review_zh;
mod sandbox;
mod seal;
mod shell;
mod signatures;
mod template_errors;
mod watch;
