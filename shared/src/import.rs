//! Spreadsheets into registers: most organizations arrive with their risks, AI systems and
//! Statement of Applicability in Excel or CSV. A file is read into [`Sheet`]s; the person picks
//! the sheet; its header row and a column-to-field mapping are guessed from the header's names
//! ([`guess_header_row`], [`guess_mapping`]) and can be changed; [`preview`] reads every row into
//! a record or the reasons it cannot be one, before anything is written; [`apply`] writes every
//! good row in one commit, which one undo takes back.
//!
//! ```
//! use quorum_shared::import::{self, Context, Target};
//!
//! let csv = b"Risk title,Probability,Impact\nBiased screening,3,4\n,2,2\n";
//! let sheets = import::read_sheets("risks.csv", csv).unwrap();
//! let header = import::guess_header_row(Target::Risks, &sheets[0]);
//! let mapping = import::guess_mapping(Target::Risks, &sheets[0].rows[header]);
//! let preview = import::preview(Target::Risks, &sheets[0], header, &mapping, &Context::default());
//! assert_eq!(preview.good(), 1);
//! assert_eq!(preview.rows[1].errors, vec!["the risk has no title".to_owned()]);
//! ```

mod fields;
mod rows;
mod sheet;

pub use fields::{Field, Target};
pub use rows::{Context, Preview, RowResult, apply, preview};
pub use sheet::{Sheet, read_sheets};

/// The largest spreadsheet read, and the most rows imported at once.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
pub const MAX_ROWS: usize = 10_000;

/// Why a file cannot be read as a spreadsheet. Nothing is written when it is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{0} is neither a CSV nor an Excel (.xlsx) file")]
    UnknownFormat(String),
    #[error("the file cannot be read as CSV: {0}")]
    BadCsv(String),
    #[error("the file cannot be read as an Excel workbook (it may be cut short, or not .xlsx): {0}")]
    BadXlsx(String),
    #[error("the file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("the sheet has more than {MAX_ROWS} rows; split it")]
    TooManyRows,
    #[error("the file has no sheet with any rows")]
    Empty,
}

/// The row among the first twenty whose cells name the most of the target's fields (a file
/// exported from Quorum has a few lines about itself above its header).
pub fn guess_header_row(target: Target, sheet: &Sheet) -> usize {
    let mut best = (0, 0);
    for (i, row) in sheet.rows.iter().enumerate().take(20) {
        let named = guess_mapping(target, row).iter().flatten().count();
        if named > best.1 {
            best = (i, named);
        }
    }
    best.0
}

/// For each column of the header row, the field its name suggests, each field at most once.
pub fn guess_mapping(target: Target, header: &[String]) -> Vec<Option<&'static str>> {
    let mut taken: Vec<&'static str> = Vec::new();
    header
        .iter()
        .map(|name| {
            let name = fields::normalize(name);
            let field = target.fields().iter().find(|f| {
                !taken.contains(&f.key) && f.names().any(|alias| fields::normalize(alias) == name)
            })?;
            taken.push(field.key);
            Some(field.key)
        })
        .collect()
}

#[cfg(test)]
mod tests;
