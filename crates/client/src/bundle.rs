//! OneRoster 1.2 CSV bundles: a folder of an MIS's export, zipped for `POST /roster/sync`.

use std::io::Write;
use std::path::Path;

/// The files of a bundle Trellis reads; the first three must be there.
pub const BUNDLE_FILES: [&str; 4] = ["manifest.csv", "orgs.csv", "users.csv", "roles.csv"];

/// Zips a OneRoster CSV folder (`manifest.csv`, `orgs.csv`, `users.csv` and, if present,
/// `roles.csv`; other files are left out) into a bundle for
/// [`Client::sync_roster_bundle`](crate::Client::sync_roster_bundle).
pub fn bundle_folder(dir: &Path) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (i, name) in BUNDLE_FILES.iter().enumerate() {
        let path = dir.join(name);
        if !path.is_file() {
            if i < 3 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "{} has no {name}: a OneRoster bundle needs manifest.csv, orgs.csv and users.csv",
                        dir.display()
                    ),
                ));
            }
            continue;
        }
        zip.start_file(*name, options).map_err(std::io::Error::other)?;
        zip.write_all(&std::fs::read(&path)?)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
