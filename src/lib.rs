#![allow(clippy::result_large_err)] // Diagnostics travel the cold path; boxing them buys nothing.
//! pactum: negotiated terms → agreement documents.
//!
//! Data flows one way: [`cli`] → [`terms`] → [`template`] → [`render`], with [`diff`] and
//! [`batch`] built on those stages through [`pipeline`]. [`diagnostic`] is how every stage
//! reports a problem; [`output`] is how every result reaches the disk.

pub mod batch;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod template;
pub mod terms;
