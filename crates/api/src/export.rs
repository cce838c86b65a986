//! CSV downloads, shared by every feature that exports a list (the dashboard's grids, a cohort's
//! evaluation): RFC 4180 with a header row, and cells a spreadsheet would run as formulas defused.

use actix_web::HttpResponse;

use crate::error::ApiError;

/// A spreadsheet-safe cell: text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return) gets a leading apostrophe, as OWASP advises for CSV exports.
pub fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A CSV download: a header row, then the rows, UTF-8 with CRLF line ends (RFC 4180).
pub fn csv_download(filename: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<HttpResponse, ApiError> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(vec![]);
    w.write_record(header).map_err(ApiError::internal)?;
    for r in rows {
        w.write_record(r.iter().map(|c| cell(c))).map_err(ApiError::internal)?;
    }
    let body = w.into_inner().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{filename}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(cell(""), "");
    }
}
