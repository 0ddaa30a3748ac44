//! A spreadsheet file read into sheets of text cells: CSV (comma or semicolon, as European
//! Excel writes it) or Excel's .xlsx (through `calamine`).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{ImportError, MAX_FILE_BYTES, MAX_ROWS};

/// One sheet: its name and its rows of cells, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// The sheets of the file `name` (its extension says which format), each with at least one row.
pub fn read_sheets(name: &str, bytes: &[u8]) -> Result<Vec<Sheet>, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let lower = name.to_lowercase();
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(stem, _)| stem).to_owned();
    let sheets = if lower.ends_with(".csv") || lower.ends_with(".txt") {
        vec![Sheet { name: stem, rows: read_csv(bytes)? }]
    } else if lower.ends_with(".xlsx") {
        read_xlsx(bytes)?
    } else {
        return Err(ImportError::UnknownFormat(name.to_owned()));
    };
    let sheets: Vec<Sheet> = sheets.into_iter().filter(|s| !s.rows.is_empty()).collect();
    if sheets.is_empty() {
        return Err(ImportError::Empty);
    }
    if sheets.iter().any(|s| s.rows.len() > MAX_ROWS + 20) {
        return Err(ImportError::TooManyRows);
    }
    Ok(sheets)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::BadCsv("it is not UTF-8 text".into()))?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::BadCsv(e.to_string()))?;
        rows.push(record.iter().map(|cell| cell.trim().to_owned()).collect());
        if rows.len() > MAX_ROWS + 20 {
            return Err(ImportError::TooManyRows);
        }
    }
    Ok(trimmed(rows))
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, ImportError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| ImportError::BadXlsx(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| ImportError::BadXlsx(e.to_string()))?;
        if range.height() > MAX_ROWS + 20 {
            return Err(ImportError::TooManyRows);
        }
        let rows = range.rows().map(|row| row.iter().map(cell_text).collect()).collect();
        sheets.push(Sheet { name, rows: trimmed(rows) });
    }
    Ok(sheets)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_owned(),
    }
}

/// The rows without the empty ones at the end, and each without its empty cells at the end.
fn trimmed(mut rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    for row in &mut rows {
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    rows
}
