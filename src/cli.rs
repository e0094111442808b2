//! The command surface, on one screen: clap derive structs for every subcommand and option.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// What `pactum render` and `pactum watch` write: the writers' own [`Format`](crate::write::Format).
pub use crate::write::Format as DocFormat;

#[derive(Debug, Parser)]
#[command(
    name = "pactum",
    version,
    about = "Turn negotiated terms into agreement documents: fill, render, diff, batch and sign."
)]
pub struct Cli {
    /// Extra templates folder (laid out like `templates/`), searched before the built-in ones.
    #[arg(long, global = true, value_name = "DIR", env = "PACTUM_TEMPLATES")]
    pub templates: Option<PathBuf>,

    /// Project configuration file (default: the nearest pactum.toml, if any).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Give up on a document whose Typst compile takes longer than this many seconds.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 120.0)]
    pub timeout: f64,

    /// Folder of extra fonts (.ttf/.otf/.ttc), searched after pactum's own fonts and before the
    /// system's; may be repeated. Needed only for text pactum's fonts cannot show (e.g.
    /// Arabic). An empty value (`PACTUM_FONT_PATH=`) counts as none.
    #[arg(
        long = "font-path",
        global = true,
        value_name = "DIR",
        env = "PACTUM_FONT_PATH",
        value_delimiter = ':'
    )]
    pub font_paths: Vec<std::ffi::OsString>,

    /// Do not search the system's font folders (only pactum's own fonts and --font-path).
    #[arg(long, global = true)]
    pub no_system_fonts: bool,

    /// Lay several language versions out in parallel columns or one after another (overrides
    /// the terms' `layout`).
    #[arg(long, global = true, value_enum)]
    pub layout: Option<crate::model::Layout>,

    /// Attach the terms file to the copies as it is, comments included (by default a copy
    /// carries it without its comments: the notes a side wrote for itself).
    #[arg(long, global = true)]
    pub keep_comments: bool,

    /// When to use colours in output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Coloured on a terminal, `[-deleted-]{+inserted+}` otherwise.
    Human,
    /// A stable JSON document (version 1).
    Json,
    /// A redline PDF (default out/<agreement>/redline-<old>-<new>.pdf).
    Pdf,
    /// A redline as one self-contained HTML file, changes in `<ins>` and `<del>`
    /// (default out/<agreement>/redline-<old>-<new>.html).
    Html,
    /// A redline as a Word document with tracked changes, accepted or rejected one by one
    /// (default out/<agreement>/redline-<old>-<new>.docx).
    Docx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// Also write the document model (`<round>.json`) and the self-contained Typst source that
    /// reads it (`<round>.typ`) beside the PDF.
    Typ,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate terms files against their template's schema; print every problem.
    Check {
        /// Terms files (round-N.yaml). None, with --templates DIR: what each language of
        /// that folder still lacks, per form.
        files: Vec<PathBuf>,
        /// Output format for problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check, fill and compile a terms file to PDF, HTML or DOCX (default
    /// out/<agreement>/<round>.pdf).
    Render {
        /// The terms file (or an agreement folder: its latest round).
        file: PathBuf,
        /// Output folder, or a file name ending in .pdf (.html, .docx).
        #[arg(short, long, value_name = "DIR|FILE")]
        output: Option<PathBuf>,
        /// What to write.
        #[arg(long, value_enum, default_value_t = DocFormat::Pdf)]
        format: DocFormat,
        /// Extra outputs to write beside the PDF.
        #[arg(long, value_enum)]
        emit: Vec<Emit>,
        /// Produce the execution copy: no DRAFT marking, PDF/A-3a.
        #[arg(long = "final")]
        final_copy: bool,
        /// Replace an existing final copy, or a signed PDF (its signatures are lost).
        #[arg(long)]
        force: bool,
        /// Render one language version only (`sv`, `zh-TW`): its own title, text and
        /// signing text, named `<round>[-final]-<lang>`.
        #[arg(long, value_name = "LANG")]
        language: Option<String>,
    },
    /// Re-render a terms file (or an agreement folder's latest round) on every save, keeping
    /// one compiler and its cache; errors are shown and the last good output stays. Ctrl-C ends.
    Watch {
        /// The terms file, or an agreement folder (its latest round, a new round included).
        file: PathBuf,
        /// Output folder, or a file name ending in .pdf (.html, .docx).
        #[arg(short, long, value_name = "DIR|FILE")]
        output: Option<PathBuf>,
        /// What to write.
        #[arg(long, value_enum, default_value_t = DocFormat::Pdf)]
        format: DocFormat,
        /// Watch the execution copy instead of the draft.
        #[arg(long = "final")]
        final_copy: bool,
    },
    /// Show what changed between two negotiation rounds (exit 0 same, 1 different, 2 trouble).
    Diff {
        /// An agreement folder (compares its two latest rounds), or the older terms file.
        first: PathBuf,
        /// The newer terms file.
        second: Option<PathBuf>,
        /// Older round number (with an agreement folder).
        #[arg(long, value_name = "N")]
        from: Option<u32>,
        /// Newer round number (with an agreement folder).
        #[arg(long, value_name = "N")]
        to: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// Where to write the redline (`--format pdf`, `html` or `docx`).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Compare only this language version (sv, en, zh-TW); default every version.
        #[arg(long, value_name = "LANG")]
        language: Option<String>,
    },
    /// Bring the other side's edited DOCX of a round back as the next round's terms (exit 0
    /// every change mapped, 1 some left out, 2 trouble).
    Import {
        /// The DOCX they sent back (made by `pactum render --format docx`).
        docx: PathBuf,
        /// The agreement folder (default: the one the DOCX's record names).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// Report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Output format of the report.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Import even though the round's terms or template changed since the DOCX was made.
        #[arg(long)]
        force: bool,
    },
    /// List an agreement's rounds with a one-line summary of what changed in each.
    History {
        /// An agreement folder of round-N.yaml files.
        dir: PathBuf,
    },
    /// Render many agreements in parallel (latest round of each), with a checksum manifest.
    Batch {
        /// Agreement folders, or folders of agreements (e.g. `agreements/`).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder, manifest.json included (default: pactum.toml's `output`, else out/).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Render this round of every agreement instead of the latest.
        #[arg(long, value_name = "N")]
        round: Option<u32>,
        /// Worker threads (default: one more than the cores).
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        /// Produce execution copies: no DRAFT marking, PDF/A-3a, one per party for counterparts.
        #[arg(long = "final")]
        final_copy: bool,
        /// Re-render unchanged inputs and overwrite existing final copies.
        #[arg(long)]
        force: bool,
        /// Render only slice I of N (I from 0), e.g. for a Kubernetes Indexed Job or Slurm array.
        #[arg(long, value_name = "I/N")]
        shard: Option<crate::batch::Shard>,
        /// Sign every final copy (each party's counterpart too) with this PKCS#12 identity;
        /// the password comes from PACTUM_SIGN_PASSWORD or a prompt.
        #[arg(long, value_name = "ID.p12", requires = "final_copy")]
        sign: Option<PathBuf>,
    },
    /// Prove which terms a PDF came from: re-render the terms it carries and compare the bytes,
    /// and report every signature (MATCH exit 0, MISMATCH exit 1, MATCH with a signature that
    /// does not hold exit 3). Works on a signed copy and needs no other file.
    Verify {
        /// A PDF rendered by pactum.
        pdf: PathBuf,
        /// A trust anchor (a CA certificate, PEM or DER) for the signatures; repeatable.
        /// Without one, signatures are reported as "not trusted: no anchor given".
        #[arg(long, value_name = "CA.pem")]
        trust: Vec<PathBuf>,
        /// Human-readable lines, or one JSON document with the signatures as data.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// A batch manifest that must list the PDF (default: manifest.json in the PDF's folder
        /// or a parent of it, checked when it lists the PDF).
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
    },
    /// Give back the terms file a PDF carries, byte for byte (standard output, or -o FILE).
    Extract {
        /// A PDF rendered by pactum.
        pdf: PathBuf,
        /// Write the terms here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Sign a PDF pactum rendered, or countersign a signed one (PAdES-B-B; B-T with --tsa,
    /// B-LT with --ltv), as an incremental update that keeps every earlier byte. The key is a
    /// PKCS#12 file (password from PACTUM_SIGN_PASSWORD or a prompt) or on a PKCS#11 token
    /// (PIN from PACTUM_PKCS11_PIN or a prompt).
    Sign(SignArgs),
    /// Add a document timestamp (PAdES-B-LTA) from an RFC 3161 timestamp authority to a signed
    /// PDF, as an incremental update; written to a new file.
    Timestamp {
        /// A PDF pactum rendered, usually signed.
        pdf: PathBuf,
        /// The timestamp authority's URL (RFC 3161 over HTTP or HTTPS).
        #[arg(long, value_name = "URL")]
        tsa: String,
        /// Where to write the timestamped PDF (default: <name>-timestamped.pdf beside it).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Overwrite the output if it exists.
        #[arg(long)]
        force: bool,
        /// Give up on the timestamp authority after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
        network_timeout: f64,
    },
    /// List the templates, or print one template's terms schema.
    Templates {
        /// A template name.
        name: Option<String>,
    },
    /// Print the JSON Schema of a template's terms (for editors: yaml-language-server).
    Schema {
        /// Template name (see `pactum templates`).
        template: String,
    },
    /// Write a starter round-1.yaml for a template, every term commented.
    New {
        /// Template name (see `pactum templates`).
        template: String,
        /// Agreement folder to create.
        dir: PathBuf,
    },
    /// Start a language: write its words file and every clause file each form needs, with
    /// the text of the language it starts from as a comment to translate.
    NewLanguage {
        /// The new language's code (ja, pl, pt-BR).
        code: String,
        /// The language to start from.
        #[arg(long, default_value = "en")]
        from: String,
        /// The templates folder to write into (then use it with --templates DIR).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Who signs `pactum sign`, and what the signature carries besides.
#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// A PDF rendered by pactum (already signed, for a countersignature).
    pub pdf: PathBuf,
    /// The signer's PKCS#12 identity (.p12 / .pfx): private key and certificate.
    #[arg(
        long,
        value_name = "ID.p12",
        required_unless_present = "pkcs11",
        conflicts_with = "pkcs11"
    )]
    pub identity: Option<PathBuf>,
    /// A PKCS#11 module (the smart card's, token's or HSM's .so) that holds the key.
    #[arg(long, value_name = "MODULE.so", requires_all = ["token", "key"])]
    pub pkcs11: Option<PathBuf>,
    /// The PKCS#11 token's label.
    #[arg(long, value_name = "LABEL", requires = "pkcs11")]
    pub token: Option<String>,
    /// The label of the key (and its certificate) on the token.
    #[arg(long, value_name = "LABEL", requires = "pkcs11")]
    pub key: Option<String>,
    /// Timestamp the signature at this RFC 3161 timestamp authority (PAdES-B-T).
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Embed validation data (the chain, OCSP responses or CRLs) in a DSS (PAdES-B-LT),
    /// fetched from the URLs in the certificates unless given with --ocsp / --crl.
    #[arg(long)]
    pub ltv: bool,
    /// An OCSP response (DER) to embed instead of asking the responder; repeatable.
    #[arg(long, value_name = "FILE", requires = "ltv")]
    pub ocsp: Vec<PathBuf>,
    /// A CRL (DER or PEM) to embed instead of downloading it; repeatable.
    #[arg(long, value_name = "FILE", requires = "ltv")]
    pub crl: Vec<PathBuf>,
    /// Give up on a timestamp authority, OCSP responder or CRL download after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub network_timeout: f64,
    /// Where to write the signed PDF (default: <name>-signed.pdf beside it).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the output if it exists (never the PDF being signed).
    #[arg(long)]
    pub force: bool,
}
