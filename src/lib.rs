#![allow(clippy::result_large_err)] // Diagnostics travel the cold path; boxing them buys nothing.
//! pactum: negotiated terms → agreement documents.
//!
//! Data flows one way: [`cli`] → [`terms`] → [`template`] (fill) → [`model`] → [`render`] |
//! [`diff`] | [`batch`] | [`parity`] (do the language versions agree), composed through [`pipeline`]. The model is the agreement as data: fill
//! builds it, the one Typst layout reads it, the redline compares two of them. Every PDF carries its terms and a
//! record of what made it ([`provenance`]), and can be signed ([`sign`]). [`diagnostic`] is
//! how every stage reports a problem; [`output`] is how every result reaches the disk.

pub mod batch;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod import;
pub mod model;
pub mod output;
pub mod parity;
pub mod pipeline;
pub mod provenance;
pub mod render;
pub mod sign;
pub mod template;
pub mod terms;
pub mod write;
