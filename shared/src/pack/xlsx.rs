//! A [`Table`] as an XLSX workbook of one sheet. SpreadsheetML needs only five small XML parts
//! for a sheet of text and numbers; writing them here keeps a whole spreadsheet library out of
//! the app's download. The tests read every register back with `calamine`, as a spreadsheet
//! program would.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::table::{Cell, Table, escape_markup};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Two cell formats: plain (0) and bold (1), for the header row and the metadata names.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

impl Table {
    /// The register as an XLSX workbook of one sheet: the metadata lines (`name`, `value`), an
    /// empty row, the header (bold, frozen) and the rows.
    pub fn xlsx(&self, metadata: &[(&str, String)]) -> Result<Vec<u8>, super::PackError> {
        workbook(self, metadata).map_err(|e| super::PackError::Write(e.to_string()))
    }
}

fn workbook(table: &Table, metadata: &[(&str, String)]) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", ROOT_RELS.to_owned()),
        ("xl/workbook.xml", workbook_xml(table.title)),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_owned()),
        ("xl/styles.xml", STYLES.to_owned()),
        ("xl/worksheets/sheet1.xml", sheet_xml(table, metadata)),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

fn workbook_xml(title: &str) -> String {
    // A sheet's name has at most 31 characters and none of []:*?/\.
    let name: String =
        title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect::<String>().trim().to_owned();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        xml_text(&name)
    )
}

fn sheet_xml(table: &Table, metadata: &[(&str, String)]) -> String {
    let mut rows: Vec<(Vec<Cell>, bool)> = metadata
        .iter()
        .map(|(name, value)| (vec![Cell::from(*name), Cell::from(value.as_str())], false))
        .collect();
    if !metadata.is_empty() {
        rows.push((Vec::new(), false));
    }
    let header_row = rows.len() + 1;
    rows.push((table.columns.iter().map(|c| Cell::from(*c)).collect(), true));
    rows.extend(table.rows.iter().map(|row| (row.clone(), false)));

    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    xml.push_str(&format!(
        r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" topLeftCell="A{}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
        header_row + 1
    ));
    xml.push_str("<cols>");
    for (i, column) in table.columns.iter().enumerate() {
        let widest = table.rows.iter().filter_map(|row| row.get(i)).map(|c| c.text().chars().count()).max();
        let width = widest.unwrap_or(0).max(column.len()).clamp(8, 60) + 2;
        xml.push_str(&format!(r#"<col min="{n}" max="{n}" width="{width}" customWidth="1"/>"#, n = i + 1));
    }
    xml.push_str("</cols><sheetData>");
    for (r, (cells, bold)) in rows.iter().enumerate() {
        xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in cells.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            // The first cell of a metadata line names it: bold, like the header.
            let style = if *bold || (r + 1 < header_row && c == 0) { r#" s="1""# } else { "" };
            match cell {
                Cell::Number(n) if n.is_finite() => {
                    xml.push_str(&format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#))
                }
                cell => xml.push_str(&format!(
                    r#"<c r="{at}"{style} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    xml_text(&cell.text())
                )),
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// A column's letters: 0 is A, 25 is Z, 26 is AA.
fn column_name(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Text made safe in XML 1.0: without the control characters it cannot hold, then escaped.
fn xml_text(text: &str) -> String {
    let allowed =
        |c: &char| matches!(c, '\t' | '\n' | '\r') || !(*c < ' ' || *c == '\u{FFFE}' || *c == '\u{FFFF}');
    escape_markup(&text.chars().filter(allowed).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn text_a_sheet_cannot_hold_is_escaped_or_dropped() {
        assert_eq!(xml_text("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
