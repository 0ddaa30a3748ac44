//! A register as rows and columns: one definition that the pack writes as CSV, as XLSX and as
//! a table of the printed report, so that the three never disagree.

/// One cell: numbers stay numbers in a spreadsheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as text, numbers without a needless `.0`.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Self {
        Cell::Number(n)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Text(String::new()), Into::into)
    }
}

/// A register: where it is filed in the pack, what it is called, the clauses it evidences, and
/// its rows under named columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The file name without extension, such as `soa`: the pack holds `registers/soa.csv` and
    /// `registers/soa.xlsx`.
    pub file: &'static str,
    pub title: &'static str,
    /// The clauses or controls it evidences, such as `6.1.3, Annex A`.
    pub clauses: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(
        file: &'static str,
        title: &'static str,
        clauses: &'static str,
        columns: &[&'static str],
    ) -> Self {
        Self { file, title, clauses, columns: columns.to_vec(), rows: Vec::new() }
    }

    /// Adds a row, one cell per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "a row of {} has a cell per column", self.file);
        self.rows.push(row);
    }

    /// The CSV file: the metadata lines (`name,value`: workspace, generated at, version), an
    /// empty line, then the header and the rows. RFC 4180 quoting, CRLF line ends, as
    /// spreadsheet programs expect.
    pub fn csv(&self, metadata: &[(&str, String)]) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        // Writing to memory cannot fail; a failure would only shorten the file, which the hash
        // in the manifest then records as it is.
        for (name, value) in metadata {
            let _ = writer.write_record([*name, value.as_str()]);
        }
        if !metadata.is_empty() {
            let _ = writer.write_record([""]);
        }
        let _ = writer.write_record(&self.columns);
        for row in &self.rows {
            let _ = writer.write_record(row.iter().map(Cell::text));
        }
        writer.into_inner().unwrap_or_default()
    }
}

/// Text made safe inside HTML or XML.
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Table {
    /// The table as HTML for the printed report; an empty register says so.
    pub fn html(&self) -> String {
        if self.rows.is_empty() {
            return format!(
                "<p class=\"empty\">No entries in {}.</p>\n",
                escape_markup(&self.title.to_lowercase())
            );
        }
        let mut html = format!("<table class=\"register\" data-file=\"{}\">\n<thead><tr>", self.file);
        for column in &self.columns {
            html.push_str(&format!("<th scope=\"col\">{}</th>", escape_markup(column)));
        }
        html.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            html.push_str("<tr>");
            for cell in row {
                let class = if matches!(cell, Cell::Number(_)) { " class=\"num\"" } else { "" };
                html.push_str(&format!("<td{class}>{}</td>", escape_markup(&cell.text())));
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody></table>\n");
        html
    }
}
